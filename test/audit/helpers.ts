/** Shared fixtures of the audit tests. */
import * as path from "node:path";
import { loadMap, PROJECT_DIR, type LoadedMap } from "../../scripts/gates/load";
import { readAuditFile } from "../../scripts/audit/read";
import { auditRecords, type AuditReport } from "../../scripts/audit/report";
import type { AuditInput } from "../../scripts/audit/types";

export const FIXTURES = path.join(PROJECT_DIR, "test", "fixtures", "audit");
export const FIXTURE_MAP = path.join("test", "fixtures", "audit", "map.json");
export const SF_QUERY_FILE = path.join(FIXTURES, "opportunities.sf-query.json");
export const CSV_FILE = path.join(FIXTURES, "opportunities.csv");
export const FAKE_SF_DIR = path.join(FIXTURES, "fake-sf");
export const TODAY = "2026-11-16";

let cached: LoadedMap | undefined;
export function fixtureMap(): LoadedMap {
  cached ??= loadMap(FIXTURE_MAP);
  return cached;
}

export function audit(
  input: AuditInput,
  loaded: LoadedMap = fixtureMap()
): AuditReport {
  return auditRecords(loaded.runtime, input, {
    today: TODAY,
    config: loaded.file
  });
}

export async function auditFile(
  file: string,
  loaded: LoadedMap = fixtureMap()
): Promise<AuditReport> {
  return audit(await readAuditFile(file, loaded.fields), loaded);
}

/** The per-deal verdicts of a report, keyed by opportunity name. */
export function verdicts(report: AuditReport) {
  return Object.fromEntries(
    report.opportunities.map((o) => [
      o.name,
      {
        process: o.process,
        stage: o.stage,
        failing: o.failing,
        warnings: o.warnings,
        notChecked: o.notChecked,
        days: o.daysInStage,
        from: o.daysInStageFrom,
        overdue: o.overdue,
        meetsGates: o.meetsGates
      }
    ])
  );
}
