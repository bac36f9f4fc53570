/**
 * The SOQL the stage KPIs need, built from the map and the period, and `history --org`:
 * runs `sf data query --json` and streams its output into the JSON reader.
 *
 * OpportunityHistory keeps one row per change of Amount, Probability, StageName or
 * CloseDate (and one at creation), with CreatedDate, StageName, CloseDate and Amount; the
 * child relationship on Opportunity is OpportunityHistories (Salesforce Object Reference,
 * "OpportunityHistory"). Only fixed names and a validated ISO date go into the SOQL.
 */
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import type { RuntimeMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { sfEnvironment, sfQueryCommand } from "../audit/org";
import {
  HISTORY_RELATIONSHIP,
  readHistoryJson,
  type ReadSummary
} from "./read-json";
import { HistoryInputError, isIsoDate, type DealHistory } from "./types";

const HISTORY_FIELDS = "CreatedDate, StageName, CloseDate, Amount";
const OPPORTUNITY_FIELDS = [
  "Id",
  "CreatedDate",
  "StageName",
  "IsClosed",
  "IsWon",
  "RecordType.DeveloperName"
];

/**
 * Deals that can count: open ones (their open stay) and those changed since the period
 * began (every history row of a deal is at or before its LastModifiedDate).
 */
function relevantDeals(from: string, prefix = ""): string {
  if (!isIsoDate(from)) {
    throw new Error(`Not an ISO date, refusing to put it in SOQL: "${from}"`);
  }
  return `${prefix}IsClosed = false OR ${prefix}LastModifiedDate >= ${from}T00:00:00Z`;
}

export interface HistoryQueries {
  /** For `sf data query --json` (input 1, and --org). */
  json: string;
  /** For the CSV exports (input 2): Opportunity, then OpportunityHistory. */
  records: string;
  history: string;
}

/**
 * The map decides nothing about the rows needed (every stage, also those outside the map,
 * breaks stays); it decides whether RecordType.DeveloperName is needed: only when a
 * process claims record types.
 */
export function buildHistoryQueries(
  runtime: RuntimeMap,
  from: string
): HistoryQueries {
  const byRecordType = runtime.processes.some((p) => p.recordTypes.length > 0);
  const fields = OPPORTUNITY_FIELDS.filter(
    (f) => byRecordType || f !== "RecordType.DeveloperName"
  );
  return {
    json:
      `SELECT ${fields.join(", ")}, (SELECT ${HISTORY_FIELDS} FROM ${HISTORY_RELATIONSHIP} ORDER BY CreatedDate) ` +
      `FROM Opportunity WHERE ${relevantDeals(from)}`,
    records: `SELECT ${fields.join(", ")} FROM Opportunity WHERE ${relevantDeals(from)}`,
    history:
      `SELECT OpportunityId, ${HISTORY_FIELDS} FROM OpportunityHistory ` +
      `WHERE ${relevantDeals(from, "Opportunity.")} ORDER BY OpportunityId, CreatedDate`
  };
}

/** What --soql prints. */
export function formatQueries(q: HistoryQueries): string {
  return [
    "# Input 1: sf data query --json (then history --records FILE.json)",
    q.json,
    "",
    "# Input 2: two CSV exports, e.g. sf data export bulk --result-format csv (then history --records R.csv --history H.csv)",
    q.records,
    q.history,
    ""
  ].join("\n");
}

/** Runs the JSON query against an org alias and streams the result into `onDeal`. */
export async function queryOrgHistory(
  alias: string,
  soql: string,
  onDeal: (deal: DealHistory) => void,
  env: NodeJS.ProcessEnv = process.env
): Promise<ReadSummary> {
  const source = `org ${alias}`;
  if (!alias || alias.startsWith("-")) {
    throw new HistoryInputError(
      source,
      "an org alias or username is required after --org"
    );
  }
  const run = sfQueryCommand(alias, soql, env);
  const child = spawn(run.bin, run.args, {
    env: sfEnvironment(env),
    stdio: ["ignore", "pipe", "pipe"]
  });
  const stderr: string[] = [];
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) {
      stderr.shift();
    }
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new HistoryInputError(
          source,
          error.code === "ENOENT"
            ? `cannot run "${run.bin}": not found. Install the Salesforce CLI (npm install) and run through npm run, or set SF_BIN to the sf executable`
            : `cannot run "${run.bin}": ${error.message}`
        )
      );
    });
    child.on("close", resolve);
  });
  // Awaited below; this keeps an early spawn error from counting as unhandled meanwhile.
  exited.catch(() => undefined);
  let printed = false;
  const decoder = new StringDecoder("utf8");
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      const s = decoder.write(chunk);
      if (s.trim() !== "") {
        printed = true;
      }
      yield s;
    }
    yield decoder.end();
  }
  let summary: ReadSummary;
  try {
    summary = await readHistoryJson(text(), source, onDeal);
  } catch (error) {
    const code = await exited;
    if (!printed) {
      const tail = stderr.join("").trim().split("\n").slice(-5).join("\n");
      throw new HistoryInputError(
        source,
        `sf data query printed nothing (exit code ${code})${tail ? `:\n${tail}` : ""}`
      );
    }
    throw error;
  }
  await exited;
  return summary;
}
