/**
 * Streams the JSON of `sf data query --json` on Opportunity with the OpportunityHistories
 * subquery (or a bare `{"records": [...]}` object or an array of records): one
 * opportunity at a time is assembled (../audit/json-records: stream-json's tokenizer and
 * Assembler) and turned into a deal, so memory does not grow with the file.
 */
import * as fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import {
  assertOpportunityRecord,
  describeJson as describe,
  JsonRecordsReader,
  isJsonObject as isObject
} from "../audit/json-records";
import {
  EXPECTED_HISTORY_INPUT,
  HistoryInputError,
  parseDateTime,
  type DealHistory,
  type HistoryNote,
  type HistoryRow
} from "./types";

export const HISTORY_RELATIONSHIP = "OpportunityHistories";

export interface ReadSummary {
  kind: "sf-query-json" | "records-json" | "csv";
  deals: number;
  rows: number;
  notes: HistoryNote[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateTimeAt(
  value: unknown,
  location: string,
  source: string,
  field: string
): number {
  if (value === undefined) {
    throw new HistoryInputError(
      source,
      `has no ${field}: the query must select it (see --soql)`,
      location
    );
  }
  const t = typeof value === "string" ? parseDateTime(value) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new HistoryInputError(
      source,
      `${field} must be a date-time such as "2026-01-05T10:00:00.000+0000", found ${JSON.stringify(value)}`,
      `${location}.${field}`
    );
  }
  return t;
}

function historyRow(
  value: unknown,
  location: string,
  source: string
): HistoryRow {
  if (!isObject(value)) {
    throw new HistoryInputError(
      source,
      `must be an OpportunityHistory record object, found ${describe(value)}`,
      location
    );
  }
  const at = dateTimeAt(value.CreatedDate, location, source, "CreatedDate");
  const stage = value.StageName;
  if (typeof stage !== "string" || stage === "") {
    throw new HistoryInputError(
      source,
      stage === undefined
        ? "has no StageName: the query must select it (see --soql)"
        : `StageName must be a stage name, found ${JSON.stringify(stage)}`,
      stage === undefined ? location : `${location}.StageName`
    );
  }
  if (!("CloseDate" in value)) {
    throw new HistoryInputError(
      source,
      "has no CloseDate: the query must select it (see --soql)",
      location
    );
  }
  const close = value.CloseDate;
  if (close !== null && (typeof close !== "string" || !DATE.test(close))) {
    throw new HistoryInputError(
      source,
      `CloseDate must be a date YYYY-MM-DD or null, found ${JSON.stringify(close)}`,
      `${location}.CloseDate`
    );
  }
  return { at, stage, closeDate: close === "" ? null : (close as string) };
}

/** Turns one assembled Opportunity record into a deal; throws naming the JSON path. */
export function dealFromRecord(
  record: unknown,
  location: string,
  source: string,
  notes: HistoryNote[]
): DealHistory {
  assertOpportunityRecord(
    record,
    location,
    (type) =>
      `is a ${type} record; history is read from Opportunity records with the ${HISTORY_RELATIONSHIP} subquery`,
    (message, at) => {
      throw new HistoryInputError(source, message, at);
    }
  );
  const created = dateTimeAt(
    record.CreatedDate,
    location,
    source,
    "CreatedDate"
  );
  let recordType: string | null | undefined;
  if ("RecordType" in record) {
    const rt = record.RecordType;
    if (rt === null) {
      recordType = null;
    } else if (isObject(rt) && typeof rt.DeveloperName === "string") {
      recordType = rt.DeveloperName || null;
    } else {
      throw new HistoryInputError(
        source,
        `RecordType must be null or {"DeveloperName": "..."}, found ${describe(rt)}`,
        `${location}.RecordType`
      );
    }
  }
  if (!(HISTORY_RELATIONSHIP in record)) {
    throw new HistoryInputError(
      source,
      `has no ${HISTORY_RELATIONSHIP} subquery; ${EXPECTED_HISTORY_INPUT}`,
      location
    );
  }
  const id = typeof record.Id === "string" ? record.Id : null;
  let list: unknown = record[HISTORY_RELATIONSHIP];
  let listPath = `${location}.${HISTORY_RELATIONSHIP}`;
  if (list === null) {
    list = [];
  } else if (isObject(list)) {
    if (list.done === false) {
      notes.push({
        message: `${source}: ${listPath}: history cut short (done: false)${id ? ` for ${id}` : ""}: its KPIs use the rows exported`
      });
    }
    list = list.records;
    listPath = `${listPath}.records`;
  }
  if (!Array.isArray(list)) {
    throw new HistoryInputError(
      source,
      `must be null or a subquery result {"totalSize":N,"done":true,"records":[...]}, found ${describe(list)}`,
      listPath
    );
  }
  const rows: HistoryRow[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    rows[i] = historyRow(list[i], `${listPath}[${i}]`, source);
  }
  return { id, created, recordType, rows };
}

/**
 * Reads an export from a stream of text, calling `onDeal` for every opportunity in file
 * order. `file` (when the text comes from a file) lets a syntax error name its exact line.
 */
export async function readHistoryJson(
  chunks: AsyncIterable<string | Buffer>,
  source: string,
  onDeal: (deal: DealHistory) => void,
  file?: string
): Promise<ReadSummary> {
  const notes: HistoryNote[] = [];
  let rows = 0;
  const reader = new JsonRecordsReader({
    expected: EXPECTED_HISTORY_INPUT,
    error: (detail, location) =>
      new HistoryInputError(source, detail, location),
    onRecord: (value, location) => {
      const deal = dealFromRecord(value, location, source, notes);
      rows += deal.rows.length;
      onDeal(deal);
    },
    text: () => (file ? readSmallFile(file) : undefined)
  });
  const decoder = new StringDecoder("utf8");
  for await (const chunk of chunks) {
    reader.write(typeof chunk === "string" ? chunk : decoder.write(chunk));
  }
  reader.write(decoder.end());
  const info = reader.end();
  if (
    info.done === false ||
    (info.totalSize !== undefined && info.totalSize > info.count)
  ) {
    notes.push({
      message:
        `${source}: ${info.path}: the export is incomplete: ${info.count} of ${info.totalSize ?? "more"} opportunities. ` +
        'sf data query stops at the "org-max-query-limit" config value (default 50,000): raise it, or use the CSV exports (see --soql)'
    });
  }
  return { kind: info.kind, deals: info.count, rows, notes };
}

/** The file's text for locating a syntax error, when it is small enough to read whole. */
function readSmallFile(file: string): string | undefined {
  try {
    return fs.statSync(file).size <= 512 * 1048576
      ? fs.readFileSync(file, "utf8")
      : undefined;
  } catch {
    return undefined;
  }
}
