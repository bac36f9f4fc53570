/**
 * Reads the two CSV exports (Bulk API, `sf data export bulk`, Data Loader): `--records`
 * (Opportunity: Id, CreatedDate, RecordType.DeveloperName, …) and `--history`
 * (OpportunityHistory: OpportunityId, CreatedDate, StageName, CloseDate, Amount). Headers
 * match case-insensitively. Both are parsed with csv-parse's stream API.
 *
 * The history export need not be sorted: its rows are kept in compact typed arrays
 * (about 20 bytes a row, no strings: stages and dates are interned) and grouped by
 * opportunity once the file is read, then each opportunity is handed over in the order
 * of the records export.
 */
import * as fs from "node:fs";
import { parse, type Parser } from "csv-parse";
import {
  EXPECTED_HISTORY_INPUT,
  HistoryInputError,
  parseDateTime,
  type DealHistory,
  type HistoryNote,
  type HistoryRow
} from "./types";
import type { ReadSummary } from "./read-json";

const RECORD_TYPE_COLUMN = "RecordType.DeveloperName";
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A CSV data row's number (1-based, after the header) → its first line in the file. */
async function lineOfRecord(file: string, row: number): Promise<number> {
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ bom: true, skip_empty_lines: true, info: true }));
  let index = 0;
  for await (const item of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (index === row) {
      parser.destroy();
      // info.lines is the record's last line; newlines inside quoted fields came before it.
      const inner = item.record.reduce(
        (n, cell) => n + (cell.match(/\n/g)?.length ?? 0),
        0
      );
      return item.info.lines - inner;
    }
    index++;
  }
  return row + 1;
}

/** A problem at a CSV data row: the message names the file and the line. */
class RowError extends Error {
  constructor(
    public readonly row: number,
    public readonly column: string | undefined,
    public readonly detail: string
  ) {
    super(detail);
  }
}

async function rowError(
  file: string,
  source: string,
  error: RowError
): Promise<HistoryInputError> {
  const line = await lineOfRecord(file, error.row);
  return new HistoryInputError(
    source,
    `${error.column ? `column ${error.column}: ` : ""}${error.detail}`,
    `line ${line}`
  );
}

function openCsv(file: string, source: string): Parser {
  if (!fs.existsSync(file)) {
    throw new HistoryInputError(source, "no such file");
  }
  if (fs.statSync(file).isDirectory()) {
    throw new HistoryInputError(source, "is a directory, not an export file");
  }
  const parser = parse({ bom: true, skip_empty_lines: true });
  fs.createReadStream(file, { highWaterMark: 1 << 20 })
    .on("error", (error) => parser.destroy(error))
    .pipe(parser);
  return parser;
}

/**
 * Calls `onRecord(cells, row)` for every data row (row 1 = the first after the header)
 * after `onHeader(cells)`; converts csv-parse's errors into a file:line message.
 */
async function eachRow(
  file: string,
  source: string,
  onHeader: (cells: string[]) => void,
  onRecord: (cells: string[], row: number) => void
): Promise<void> {
  const parser = openCsv(file, source);
  let row = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on("readable", () => {
        let cells: string[] | null;
        try {
          while ((cells = parser.read() as string[] | null) !== null) {
            if (row === 0) {
              onHeader(cells);
            } else {
              onRecord(cells, row);
            }
            row++;
          }
        } catch (error) {
          parser.destroy();
          reject(error);
        }
      });
      parser.on("error", reject);
      parser.on("end", resolve);
    });
  } catch (error) {
    if (error instanceof RowError) {
      throw await rowError(file, source, error);
    }
    const csvError = error as Error & { code?: unknown; lines?: number };
    if (typeof csvError.code === "string" && csvError.code.startsWith("CSV_")) {
      throw new HistoryInputError(
        source,
        `not a valid CSV file: ${csvError.message}`,
        csvError.lines ? `line ${csvError.lines}` : undefined
      );
    }
    if (typeof csvError.code === "string" && csvError.code === "EACCES") {
      throw new HistoryInputError(source, "cannot be read (EACCES)");
    }
    throw error;
  }
  if (row === 0) {
    throw new HistoryInputError(
      source,
      `has no header row; ${EXPECTED_HISTORY_INPUT}`
    );
  }
}

function columnIndex(
  header: string[],
  name: string,
  source: string,
  what: string,
  required: boolean
): number {
  const lower = name.toLowerCase();
  const i = header.findIndex((h) => h.trim().toLowerCase() === lower);
  if (i < 0 && required) {
    throw new HistoryInputError(
      source,
      `not ${what}: the header row has no ${name} column (found: ${header
        .slice(0, 10)
        .map((h) => h.trim())
        .join(
          ", "
        )}${header.length > 10 ? ", …" : ""}); ${EXPECTED_HISTORY_INPUT}`,
      "line 1"
    );
  }
  return i;
}

function dateTimeCell(raw: string | undefined, row: number, column: string) {
  const t = raw ? parseDateTime(raw.trim()) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new RowError(
      row,
      column,
      raw
        ? `"${raw}" is not a date-time such as 2026-01-05T10:00:00.000Z`
        : "is blank; a date-time is required"
    );
  }
  return t;
}

interface OpportunityInfo {
  id: string;
  created: number;
  recordType: string | null | undefined;
}

/** Grows typed arrays by doubling. */
class Columns {
  deal = new Int32Array(1024);
  at = new Float64Array(1024);
  stage = new Int32Array(1024);
  close = new Int32Array(1024);
  length = 0;
  push(deal: number, at: number, stage: number, close: number): void {
    if (this.length === this.deal.length) {
      const size = this.length * 2;
      const grow = <T extends Int32Array | Float64Array>(
        a: T,
        make: (n: number) => T
      ): T => {
        const b = make(size);
        b.set(a);
        return b;
      };
      this.deal = grow(this.deal, (n) => new Int32Array(n));
      this.at = grow(this.at, (n) => new Float64Array(n));
      this.stage = grow(this.stage, (n) => new Int32Array(n));
      this.close = grow(this.close, (n) => new Int32Array(n));
    }
    const i = this.length++;
    this.deal[i] = deal;
    this.at[i] = at;
    this.stage[i] = stage;
    this.close[i] = close;
  }
}

function intern(map: Map<string, number>, list: string[], value: string) {
  let i = map.get(value);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    map.set(value, i);
  }
  return i;
}

/** Reads both exports and calls `onDeal` for every opportunity of the records export. */
export async function readHistoryCsv(
  recordsFile: string,
  historyFile: string,
  onDeal: (deal: DealHistory) => void
): Promise<ReadSummary> {
  const notes: HistoryNote[] = [];
  const deals: OpportunityInfo[] = [];
  const byId = new Map<string, number>();
  let idColumn = -1;
  let createdColumn = -1;
  let recordTypeColumn = -1;
  await eachRow(
    recordsFile,
    recordsFile,
    (header) => {
      idColumn = columnIndex(
        header,
        "Id",
        recordsFile,
        "an Opportunity export",
        true
      );
      createdColumn = columnIndex(
        header,
        "CreatedDate",
        recordsFile,
        "an Opportunity export",
        true
      );
      recordTypeColumn = columnIndex(
        header,
        RECORD_TYPE_COLUMN,
        recordsFile,
        "an Opportunity export",
        false
      );
      if (recordTypeColumn < 0) {
        notes.push({
          message: `${recordsFile}: no ${RECORD_TYPE_COLUMN} column: every opportunity is matched to a process as if it had no record type`
        });
      }
    },
    (cells, row) => {
      const id = (cells[idColumn] ?? "").trim();
      if (id === "") {
        throw new RowError(row, "Id", "is blank");
      }
      if (byId.has(id)) {
        throw new RowError(row, "Id", `"${id}" appears twice`);
      }
      const created = dateTimeCell(cells[createdColumn], row, "CreatedDate");
      byId.set(id, deals.length);
      deals.push({
        id,
        created,
        recordType:
          recordTypeColumn < 0 ? undefined : cells[recordTypeColumn] || null
      });
    }
  );

  const columns = new Columns();
  const stageIds = new Map<string, number>();
  const stages: string[] = [];
  const dateIds = new Map<string, number>();
  const dates: string[] = [];
  let opportunityColumn = -1;
  let hCreatedColumn = -1;
  let stageColumn = -1;
  let closeColumn = -1;
  let orphanRows = 0;
  const orphanIds = new Set<string>();
  await eachRow(
    historyFile,
    historyFile,
    (header) => {
      const what = "an OpportunityHistory export";
      opportunityColumn = columnIndex(
        header,
        "OpportunityId",
        historyFile,
        what,
        true
      );
      hCreatedColumn = columnIndex(
        header,
        "CreatedDate",
        historyFile,
        what,
        true
      );
      stageColumn = columnIndex(header, "StageName", historyFile, what, true);
      closeColumn = columnIndex(header, "CloseDate", historyFile, what, true);
    },
    (cells, row) => {
      const id = cells[opportunityColumn];
      const deal = byId.get(id);
      const at = dateTimeCell(cells[hCreatedColumn], row, "CreatedDate");
      const stage = cells[stageColumn];
      if (!stage) {
        throw new RowError(row, "StageName", "is blank");
      }
      const close = cells[closeColumn];
      if (close && !DATE.test(close)) {
        throw new RowError(
          row,
          "CloseDate",
          `"${close}" is not a date YYYY-MM-DD`
        );
      }
      if (deal === undefined) {
        if (!id) {
          throw new RowError(row, "OpportunityId", "is blank");
        }
        orphanRows++;
        orphanIds.add(id);
        return;
      }
      columns.push(
        deal,
        at,
        intern(stageIds, stages, stage),
        close ? intern(dateIds, dates, close) : -1
      );
    }
  );
  if (orphanRows > 0) {
    notes.push({
      message: `${historyFile}: ${orphanRows} history row(s) of ${orphanIds.size} opportunit${orphanIds.size === 1 ? "y" : "ies"} not in ${recordsFile} skipped (e.g. ${[...orphanIds][0]})`
    });
  }

  // Group rows by opportunity (counting sort: input order kept within a deal).
  const starts = new Int32Array(deals.length + 1);
  for (let i = 0; i < columns.length; i++) {
    starts[columns.deal[i] + 1]++;
  }
  for (let d = 0; d < deals.length; d++) {
    starts[d + 1] += starts[d];
  }
  const order = new Int32Array(columns.length);
  const fill = starts.slice(0, deals.length);
  for (let i = 0; i < columns.length; i++) {
    order[fill[columns.deal[i]]++] = i;
  }
  for (let d = 0; d < deals.length; d++) {
    const info = deals[d];
    const rows: HistoryRow[] = new Array(starts[d + 1] - starts[d]);
    for (let k = starts[d], j = 0; k < starts[d + 1]; k++, j++) {
      const i = order[k];
      const c = columns.close[i];
      rows[j] = {
        at: columns.at[i],
        stage: stages[columns.stage[i]],
        closeDate: c < 0 ? null : dates[c]
      };
    }
    onDeal({
      id: info.id,
      created: info.created,
      recordType: info.recordType,
      rows
    });
  }
  return { kind: "csv", deals: deals.length, rows: columns.length, notes };
}
