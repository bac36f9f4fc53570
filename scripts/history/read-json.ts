/**
 * Streams the JSON of `sf data query --json` on Opportunity with the OpportunityHistories
 * subquery (or a bare `{"records": [...]}` object or an array of records): one
 * opportunity at a time is assembled and handed over, so memory does not grow with the
 * file. Tokens come from stream-json's tokenizer, records are built by its Assembler.
 */
import * as fs from "node:fs";
import Assembler from "stream-json/assembler.js";
import { jsonParser, type Token } from "stream-json/parser.js";
import { none, getManyValues, isMany } from "stream-chain/defs.js";
import {
  parse as parseJsonc,
  printParseErrorCode,
  type ParseError
} from "jsonc-parser";
import {
  EXPECTED_HISTORY_INPUT,
  HistoryInputError,
  parseDateTime,
  type DealHistory,
  type HistoryNote,
  type HistoryRow
} from "./types";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

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
  if (!isObject(record)) {
    throw new HistoryInputError(
      source,
      `must be an Opportunity record object, found ${describe(record)}`,
      location
    );
  }
  const attributes = record.attributes;
  if (
    isObject(attributes) &&
    typeof attributes.type === "string" &&
    attributes.type !== "Opportunity"
  ) {
    throw new HistoryInputError(
      source,
      `is a ${attributes.type} record; history is read from Opportunity records with the ${HISTORY_RELATIONSHIP} subquery`,
      `${location}.attributes.type`
    );
  }
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

type Container = {
  array: boolean;
  /** JSON path of this container. */
  path: string;
  /** Key of the value being read (objects). */
  key: string | null;
  /** Elements read so far (arrays). */
  index: number;
};

/**
 * Where a syntax error is: exact line and column from jsonc-parser when the text can be
 * read again (a file), else the line the tokenizer had reached.
 */
function syntaxLocation(file: string | undefined, linesBefore: number): string {
  if (file) {
    try {
      if (fs.statSync(file).size <= 512 * 1048576) {
        const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
        const errors: ParseError[] = [];
        parseJsonc(text, errors, {
          disallowComments: true,
          allowTrailingComma: false
        });
        const first = errors[0];
        if (first) {
          let line = 1;
          let lineStart = 0;
          for (let i = 0; i < first.offset; i++) {
            if (text.charCodeAt(i) === 10) {
              line++;
              lineStart = i + 1;
            }
          }
          return `line ${line}, column ${first.offset - lineStart + 1}|${printParseErrorCode(first.error)}`;
        }
      }
    } catch {
      // fall back to the approximate line below
    }
  }
  return `near line ${linesBefore + 1}|`;
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
  // A flushable stage: called with each chunk, then with `none` at the end (stream-chain's
  // protocol, which its type for the input leaves out).
  const tokenize = jsonParser({
    packValues: true,
    streamValues: false
  }) as unknown as (chunk: string | typeof none) => unknown;
  const notes: HistoryNote[] = [];
  const stack: Container[] = [];
  let recordsPath: string | undefined;
  let kind: ReadSummary["kind"] = "records-json";
  let topKind: string | undefined;
  const topKeys: string[] = [];
  let status: unknown;
  let sfName: unknown;
  let sfMessage: unknown;
  let done: unknown;
  let totalSize: unknown;
  let deals = 0;
  let rows = 0;
  let assembler: Assembler | undefined;
  let recordIndex = 0;
  let lines = 0;

  const pathOf = (c: Container) =>
    c.array ? `${c.path}[${c.index}]` : `${c.path}.${c.key}`;
  /** Path of the value about to start, and whether it is an element of the records array. */
  const place = (): { path: string; isRecord: boolean } => {
    const top = stack[stack.length - 1];
    if (!top) {
      return { path: "$", isRecord: false };
    }
    const p = pathOf(top);
    return { path: p, isRecord: top.array && top.path === recordsPath };
  };
  const finishValue = () => {
    const top = stack[stack.length - 1];
    if (top?.array) {
      top.index++;
    }
  };
  const isRecordsPlace = (p: string, array: boolean): boolean => {
    if (p === "$") {
      return array;
    }
    return (
      p === "$.records" || (p === "$.result.records" && stack.length === 2)
    );
  };
  const emit = (value: unknown) => {
    const location = `${recordsPath}[${recordIndex}]`;
    const deal = dealFromRecord(value, location, source, notes);
    recordIndex++;
    deals++;
    rows += deal.rows.length;
    onDeal(deal);
  };
  const scalarAt = (p: string, value: unknown) => {
    if (p === "$.status") {
      status = value;
    } else if (p === "$.name") {
      sfName = value;
    } else if (p === "$.message") {
      sfMessage = value;
    } else if (p === "$.result.done" || p === "$.done") {
      done = value;
    } else if (p === "$.result.totalSize" || p === "$.totalSize") {
      totalSize = value;
    }
  };

  const handle = (token: Token) => {
    if (assembler) {
      assembler.consume(token);
      if (assembler.done) {
        const value = assembler.current;
        assembler = undefined;
        emit(value);
        finishValue();
      }
      return;
    }
    switch (token.name) {
      case "keyValue": {
        const top = stack[stack.length - 1];
        top.key = token.value;
        if (stack.length === 1) {
          topKeys.push(token.value);
        }
        return;
      }
      case "startObject":
      case "startArray": {
        const { path, isRecord } = place();
        const array = token.name === "startArray";
        if (stack.length === 0) {
          topKind = array ? "array" : "object";
        }
        if (isRecord) {
          assembler = new Assembler();
          assembler.consume(token);
          return;
        }
        if (recordsPath === undefined && isRecordsPlace(path, array)) {
          if (!array) {
            throw new HistoryInputError(
              source,
              `must be an array of records, found an object; ${EXPECTED_HISTORY_INPUT}`,
              path
            );
          }
          recordsPath = path;
          kind = path === "$.result.records" ? "sf-query-json" : kind;
        }
        stack.push({ array, path, key: null, index: 0 });
        return;
      }
      case "endObject":
      case "endArray": {
        stack.pop();
        finishValue();
        return;
      }
      case "stringValue":
      case "numberValue":
      case "nullValue":
      case "trueValue":
      case "falseValue": {
        const { path, isRecord } = place();
        const value =
          token.name === "numberValue" ? Number(token.value) : token.value;
        if (stack.length === 0) {
          throw new HistoryInputError(
            source,
            `is ${describe(value)}; ${EXPECTED_HISTORY_INPUT}`,
            "$"
          );
        }
        if (isRecord) {
          throw new HistoryInputError(
            source,
            `must be an Opportunity record object, found ${describe(value)}`,
            path
          );
        }
        if (
          recordsPath === undefined &&
          (path === "$.records" ||
            (path === "$.result.records" && stack.length === 2))
        ) {
          throw new HistoryInputError(
            source,
            `must be an array of records, found ${describe(value)}; ${EXPECTED_HISTORY_INPUT}`,
            path
          );
        }
        scalarAt(path, value);
        finishValue();
        return;
      }
      default:
        return;
    }
  };

  const feed = (chunk: string | typeof none) => {
    let result;
    try {
      result = tokenize(chunk);
    } catch (error) {
      const [where, code] = syntaxLocation(file, lines).split("|");
      const what =
        code || (error instanceof Error ? error.message : String(error));
      throw new HistoryInputError(
        source,
        `not valid JSON (${what}); ${EXPECTED_HISTORY_INPUT}`,
        where
      );
    }
    if (isMany(result)) {
      const tokens = getManyValues(result) as Token[];
      for (let i = 0; i < tokens.length; i++) {
        handle(tokens[i]);
      }
    }
  };

  let first = true;
  for await (const raw of chunks) {
    let chunk = typeof raw === "string" ? raw : raw.toString("utf8");
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
      }
    }
    feed(chunk);
    for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) {
      lines++;
    }
  }
  if (topKind === undefined) {
    throw new HistoryInputError(source, `is empty; ${EXPECTED_HISTORY_INPUT}`);
  }
  feed(none);

  if (typeof status === "number" && status !== 0) {
    const name = typeof sfName === "string" ? `${sfName}: ` : "";
    const message = typeof sfMessage === "string" ? sfMessage : "no message";
    throw new HistoryInputError(
      source,
      `sf reported an error (status ${status}): ${name}${message}`,
      "$.status"
    );
  }
  if (recordsPath === undefined) {
    throw new HistoryInputError(
      source,
      `has no "records" (keys: ${topKeys.slice(0, 8).join(", ") || "none"}); ${EXPECTED_HISTORY_INPUT}`,
      "$"
    );
  }
  if (done === false || (typeof totalSize === "number" && totalSize > deals)) {
    notes.push({
      message:
        `${source}: ${recordsPath}: the export is incomplete: ${deals} of ${typeof totalSize === "number" ? totalSize : "more"} opportunities. ` +
        'sf data query stops at the "org-max-query-limit" config value (default 50,000): raise it, or use the CSV exports (see --soql)'
    });
  }
  return { kind, deals, rows, notes };
}
