/** Shared fixtures of the stage KPI tests. */
import * as path from "node:path";
import { PROJECT_DIR, loadMap, type LoadedMap } from "../../scripts/gates/load";
import {
  runHistory,
  type HistoryIo
} from "../../scripts/gates/commands/history";
import { HistoryKpis, type HistoryReport } from "../../scripts/history/kpis";
import type { DealHistory, Period } from "../../scripts/history/types";

export const FIXTURES = path.join(PROJECT_DIR, "test", "fixtures", "history");
export const MAP = path.join("test", "fixtures", "history", "map.json");
export const ENTERPRISE_ONLY_MAP = path.join(
  "test",
  "fixtures",
  "history",
  "enterprise-only.json"
);
export const SF_QUERY_FILE = path.join(FIXTURES, "opportunities.sf-query.json");
export const RECORDS_CSV = path.join(FIXTURES, "opportunities.csv");
export const HISTORY_CSV = path.join(FIXTURES, "opportunity-history.csv");
export const FAKE_SF = path.join(
  PROJECT_DIR,
  "test",
  "fixtures",
  "audit",
  "fake-sf",
  "sf"
);

/** The fixture's period: the first quarter of 2026, history up to the end of 10 April. */
export const PERIOD: Period = {
  from: "2026-01-01",
  to: "2026-04-01",
  today: "2026-04-10"
};
export const PERIOD_ARGS = [
  "--from",
  PERIOD.from,
  "--to",
  PERIOD.to,
  "--today",
  PERIOD.today
];

const maps = new Map<string, LoadedMap>();
export function fixtureMap(file = MAP): LoadedMap {
  let loaded = maps.get(file);
  if (!loaded) {
    loaded = loadMap(file);
    maps.set(file, loaded);
  }
  return loaded;
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function history(
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: HistoryIo = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        return true;
      }
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk;
        return true;
      }
    },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
  };
  const code = await runHistory(args, io);
  return { code, stdout, stderr };
}

/** `[ISO date-time, stage, close date]` rows, compact for hand-written deals. */
export type Row = [string, string, string | null];

const at = (t: string) => Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);

export function deal(
  rows: Row[],
  options: { created?: string; recordType?: string | null; id?: string } = {}
): DealHistory {
  return {
    id: options.id ?? "006X",
    created: at(options.created ?? rows[0]?.[0] ?? "2026-01-01"),
    recordType: options.recordType,
    rows: rows.map(([t, stage, closeDate]) => ({
      at: at(t),
      stage,
      closeDate
    }))
  };
}

/** KPIs of hand-written deals against the fixture map and period. */
export function kpisOf(
  deals: DealHistory[],
  period: Period = PERIOD,
  file = MAP
): HistoryReport {
  const kpis = new HistoryKpis(fixtureMap(file).runtime, period);
  for (const d of deals) {
    kpis.add(d);
  }
  return kpis.report();
}

export function stageOf(
  report: HistoryReport,
  stage: string,
  process = "Standard Sales"
) {
  const p = report.processes.find((x) => x.name === process);
  const s = p?.stages.find((x) => x.name === stage);
  if (!s) {
    throw new Error(`no stage ${stage} in ${process}`);
  }
  return s;
}

export function processOf(report: HistoryReport, process = "Standard Sales") {
  const p = report.processes.find((x) => x.name === process);
  if (!p) {
    throw new Error(`no process ${process}`);
  }
  return p;
}
