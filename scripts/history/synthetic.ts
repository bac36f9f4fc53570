/**
 * Seeded, generated opportunity histories for the benchmark and the report screenshot:
 * deals created over the half year before `today` walk through their process's stages
 * (stays around the stage's targetDays, some skips, steps back, losses, close-date
 * pushes, amount changes, now and then a stage the map does not have), written as
 * `sf data query --json` output (indented like sf prints it) or as the two CSV exports.
 * Files are written as they are generated: memory stays flat at any size.
 */
import * as fs from "node:fs";
import type {
  RuntimeMap,
  RuntimeProcess
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { seededRandom } from "../audit/synthetic";
import { DAY_MS, dayStart, shiftDate } from "./types";

export interface SyntheticRow {
  at: number;
  stage: string;
  closeDate: string;
  amount: number;
}

export interface SyntheticDeal {
  id: string;
  created: number;
  recordType: string | null;
  stage: string;
  isClosed: boolean;
  isWon: boolean;
  rows: SyntheticRow[];
}

/** A stage value the shipped map does not have (an org's own, e.g. a parking stage). */
const OUTSIDE_STAGE = "On Hold";

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** Generates deals one at a time until `rows` history rows are reached. */
export function* syntheticDeals(
  runtime: RuntimeMap,
  options: { rows: number; seed: number; today: string }
): Generator<SyntheticDeal> {
  const random = seededRandom(options.seed);
  const end = dayStart(options.today) + DAY_MS;
  const start = dayStart(shiftDate(options.today, -180));
  const byType = runtime.processes.filter((p) => p.recordTypes.length > 0);
  const fallback = runtime.processes.find((p) => p.recordTypes.length === 0);
  let produced = 0;
  let n = 0;
  while (produced < options.rows) {
    n++;
    let process: RuntimeProcess;
    let recordType: string | null = null;
    if (byType.length > 0 && (random() < 0.3 || !fallback)) {
      process = byType[Math.floor(random() * byType.length)];
      recordType = process.recordTypes[0];
    } else {
      process = fallback as RuntimeProcess;
    }
    const created = start + Math.floor(random() * (end - start));
    let t = created;
    let amount = 1000 * (5 + Math.floor(random() * 200));
    let close = dayStart(shiftDate(options.today, 30)) - (end - created) / 2;
    const rows: SyntheticRow[] = [];
    const push = (stage: string) => {
      rows.push({
        at: t,
        stage,
        closeDate: new Date(close).toISOString().slice(0, 10),
        amount
      });
    };
    const stages = process.stages;
    let k = 0;
    let finalStage = stages[0].name;
    let closed = false;
    let won = false;
    push(stages[0].name);
    for (
      let step = 0;
      step < 40 && rows.length < options.rows - produced;
      step++
    ) {
      const target = stages[k].targetDays ?? 14;
      const stay = target * (0.3 + random() * 1.6) * DAY_MS;
      // Amount or close-date changes within the stay.
      const changes = random() < 0.5 ? Math.floor(random() * 3) : 0;
      for (let c = 0; c < changes; c++) {
        const at = t + ((c + 1) * stay) / (changes + 1);
        if (at >= end) {
          break;
        }
        if (random() < 0.6) {
          close += Math.floor(7 + random() * 30) * DAY_MS;
        } else {
          amount = Math.round(amount * (0.8 + random() * 0.4));
        }
        rows.push({
          at,
          stage: stages[k].name,
          closeDate: new Date(close).toISOString().slice(0, 10),
          amount
        });
      }
      t += stay;
      if (t >= end) {
        finalStage = stages[k].name;
        break;
      }
      const r = random();
      if (r < 0.08) {
        push(process.lost.name);
        finalStage = process.lost.name;
        closed = true;
        break;
      }
      if (r < 0.13 && k > 0) {
        k--;
      } else if (r < 0.15) {
        push(OUTSIDE_STAGE);
        t += DAY_MS * (1 + random() * 3);
        if (t >= end) {
          finalStage = OUTSIDE_STAGE;
          break;
        }
      } else {
        k += r < 0.2 ? 2 : 1;
      }
      if (k >= stages.length) {
        push(process.won.name);
        finalStage = process.won.name;
        closed = true;
        won = true;
        break;
      }
      push(stages[k].name);
      finalStage = stages[k].name;
    }
    produced += rows.length;
    yield {
      id: `006${n.toString(36).padStart(12, "0")}AAA`,
      created,
      recordType,
      stage: finalStage,
      isClosed: closed,
      isWon: won,
      rows
    };
  }
}

/** A buffered file writer: flushes every few megabytes. */
class Writer {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;
  private readonly fd: number;
  constructor(file: string) {
    this.fd = fs.openSync(file, "w");
  }
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 4 << 20) {
      this.flush();
    }
  }
  private flush(): void {
    const text = this.parts.join("");
    this.bytes += fs.writeSync(this.fd, text);
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

const indent = (text: string, spaces: string) =>
  text.replace(/\n/g, `\n${spaces}`);

/** Writes `sf data query --json` output; returns deals, rows and bytes. */
export function writeSyntheticJson(
  file: string,
  deals: Iterable<SyntheticDeal>
): { deals: number; rows: number; bytes: number } {
  const out = new Writer(file);
  out.write('{\n  "status": 0,\n  "result": {\n    "records": [');
  let count = 0;
  let rows = 0;
  for (const d of deals) {
    const record = {
      attributes: {
        type: "Opportunity",
        url: `/services/data/v66.0/sobjects/Opportunity/${d.id}`
      },
      Id: d.id,
      CreatedDate: isoDateTime(d.created),
      StageName: d.stage,
      IsClosed: d.isClosed,
      IsWon: d.isWon,
      RecordType:
        d.recordType === null
          ? null
          : {
              attributes: {
                type: "RecordType",
                url: "/services/data/v66.0/sobjects/RecordType/0125g000000AbCdAAK"
              },
              DeveloperName: d.recordType
            },
      OpportunityHistories: {
        totalSize: d.rows.length,
        done: true,
        records: d.rows.map((r, i) => ({
          attributes: {
            type: "OpportunityHistory",
            url: `/services/data/v66.0/sobjects/OpportunityHistory/008${d.id.slice(3, 12)}${String(i).padStart(3, "0")}AAA`
          },
          CreatedDate: isoDateTime(r.at),
          StageName: r.stage,
          CloseDate: r.closeDate,
          Amount: r.amount
        }))
      }
    };
    out.write(
      `${count === 0 ? "" : ","}\n      ${indent(JSON.stringify(record, null, 2), "      ")}`
    );
    count++;
    rows += d.rows.length;
  }
  out.write(
    `\n    ],\n    "totalSize": ${count},\n    "done": true\n  },\n  "warnings": []\n}\n`
  );
  out.close();
  return { deals: count, rows, bytes: out.bytes };
}

/** Writes the two CSV exports (history grouped by opportunity, as ORDER BY OpportunityId gives). */
export function writeSyntheticCsv(
  recordsFile: string,
  historyFile: string,
  deals: Iterable<SyntheticDeal>
): { deals: number; rows: number; bytes: number } {
  const records = new Writer(recordsFile);
  const history = new Writer(historyFile);
  records.write(
    "Id,CreatedDate,StageName,IsClosed,IsWon,RecordType.DeveloperName\n"
  );
  history.write("OpportunityId,CreatedDate,StageName,CloseDate,Amount\n");
  const csvDate = (ms: number) => new Date(ms).toISOString();
  const cell = (text: string) =>
    /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  let count = 0;
  let rows = 0;
  for (const d of deals) {
    records.write(
      `${d.id},${csvDate(d.created)},${cell(d.stage)},${d.isClosed},${d.isWon},${d.recordType ?? ""}\n`
    );
    for (const r of d.rows) {
      history.write(
        `${d.id},${csvDate(r.at)},${cell(r.stage)},${r.closeDate},${r.amount}\n`
      );
    }
    count++;
    rows += d.rows.length;
  }
  records.close();
  history.close();
  return { deals: count, rows, bytes: records.bytes + history.bytes };
}
