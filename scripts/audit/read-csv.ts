/**
 * Reads a CSV export of Opportunity (`sf data export bulk --result-format csv`,
 * `sf data query --result-format csv`, Data Loader): a header row of field API names
 * (matched case-insensitively, so Data Loader's upper-case headers work) and a
 * `RecordType.DeveloperName` column for record types.
 *
 * Values become the core's field types: numbers (Number, Currency, Percent as the API
 * value, 50 = 50%), checkboxes from "true"/"false" (also 1/0), dates and date-times as
 * ISO text; a blank cell is null. A CSV carries no related records, so related-record
 * criteria are reported as not checked.
 *
 * The file is streamed through csv-parse's stream API: rows are built as records arrive,
 * and the file's bytes are not held.
 */
import { parse } from "csv-parse";
import {
  dateOnly,
  fieldKind,
  type FieldKind,
  type FieldType
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { FieldCatalogue } from "../gates/load";
import {
  AuditInputError,
  EXPECTED_INPUT,
  type AuditInput,
  type InputProblem,
  type OpportunityRow
} from "./types";

export const CSV_NO_RELATED_REASON = "not checked (no related data in CSV)";

const RECORD_TYPE_COLUMN = "RecordType.DeveloperName";

interface Column {
  index: number;
  /** Field API name (catalogue spelling when known). */
  field: string;
  kind: FieldKind | undefined;
}

type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

function convert(raw: string, kind: FieldKind | undefined): Converted {
  if (raw === "") {
    return { ok: true, value: null };
  }
  switch (kind) {
    case "number": {
      const n = Number(raw.trim());
      return raw.trim() !== "" && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, reason: "is not a number" };
    }
    case "checkbox": {
      const v = raw.trim().toLowerCase();
      if (v === "true" || v === "1") {
        return { ok: true, value: true };
      }
      if (v === "false" || v === "0") {
        return { ok: true, value: false };
      }
      return { ok: false, reason: 'is not a checkbox value ("true"/"false")' };
    }
    case "date":
    case "datetime": {
      const v = raw.trim();
      const looksIso =
        kind === "date"
          ? /^\d{4}-\d{2}-\d{2}$/.test(v)
          : /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v);
      if (looksIso) {
        try {
          dateOnly(v);
          return { ok: true, value: v };
        } catch {
          // not a real date: reported below
        }
      }
      return {
        ok: false,
        reason: `is not an ISO ${kind === "date" ? "date (YYYY-MM-DD)" : "date-time"}`
      };
    }
    default:
      return { ok: true, value: raw };
  }
}

/**
 * Line numbers of record starts, computed from the bytes as they stream past: chunks are
 * kept only until every record starting in them has been placed (offsets are asked for in
 * increasing order), so memory stays bounded by csv-parse's own read-ahead.
 */
class LineCounter {
  private chunks: Buffer[] = [];
  /** File offset of chunks[0][0]. */
  private base = 0;
  private scanned = 0;
  private line = 1;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  private byteAt(offset: number): number | undefined {
    let at = offset - this.base;
    for (const c of this.chunks) {
      if (at < c.length) {
        return c[at];
      }
      at -= c.length;
    }
    return undefined;
  }

  /** The line of the first record starting at or after `offset` (blank lines skipped). */
  lineOfRecordAfter(offset: number): number {
    let start = offset;
    for (;;) {
      const b = this.byteAt(start);
      if (b !== 10 && b !== 13) {
        break;
      }
      start++;
    }
    for (; this.scanned < start; this.scanned++) {
      const b = this.byteAt(this.scanned);
      if (b === undefined) {
        break;
      }
      if (b === 10) {
        this.line++;
      }
    }
    // Drop chunks wholly before the scanned offset.
    while (
      this.chunks.length > 0 &&
      this.base + this.chunks[0].length <= this.scanned
    ) {
      this.base += this.chunks[0].length;
      this.chunks.shift();
    }
    return this.line;
  }
}

interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

/** The header's columns, matched to the field catalogue. */
interface Header {
  columns: Column[];
  recordTypeColumn: number;
}

function readHeader(
  cells: string[],
  source: string,
  fields: FieldCatalogue,
  problems: InputProblem[]
): Header {
  const opportunityFields = fields.Opportunity ?? {};
  const byLowerName = new Map<string, string>();
  for (const name of Object.keys(opportunityFields)) {
    byLowerName.set(name.toLowerCase(), name);
  }
  const header = cells.map((h) => h.trim());
  const columns: Column[] = [];
  let recordTypeColumn = -1;
  header.forEach((name, index) => {
    if (name.toLowerCase() === RECORD_TYPE_COLUMN.toLowerCase()) {
      recordTypeColumn = index;
      return;
    }
    const field = byLowerName.get(name.toLowerCase()) ?? name;
    const type = opportunityFields[field]?.type as FieldType | undefined;
    columns.push({ index, field, kind: type ? fieldKind(type) : undefined });
  });
  if (!columns.some((c) => c.field === "StageName")) {
    throw new AuditInputError(
      source,
      `not an Opportunity export: the header row has no StageName column (found: ${header
        .slice(0, 10)
        .join(", ")}${header.length > 10 ? ", …" : ""}); ${EXPECTED_INPUT}`,
      "line 1"
    );
  }
  if (recordTypeColumn < 0) {
    const hasRecordTypeId = columns.some((c) => c.field === "RecordTypeId");
    problems.push({
      kind: "note",
      message: `no ${RECORD_TYPE_COLUMN} column${
        hasRecordTypeId ? " (RecordTypeId is an Id, not the DeveloperName)" : ""
      }: records are matched to processes as if they had no record type`
    });
  }
  return { columns, recordTypeColumn };
}

function toRow(
  cells: string[],
  i: number,
  line: number,
  header: Header,
  problems: InputProblem[]
): OpportunityRow {
  const location = `line ${line}`;
  const values: Record<string, unknown> = {};
  const row: OpportunityRow = {
    row: i,
    location,
    id: null,
    name: null,
    stage: null,
    recordType:
      header.recordTypeColumn < 0
        ? undefined
        : cells[header.recordTypeColumn] || null,
    isClosed: undefined,
    lastStageChange: undefined,
    createdDate: undefined,
    values,
    related: {}
  };
  const rowProblems: InputProblem[] = [];
  for (const column of header.columns) {
    const raw = cells[column.index];
    const result = convert(raw, column.kind);
    if (result.ok) {
      values[column.field] = result.value;
    } else {
      (row.invalidFields ??= []).push(column.field);
      rowProblems.push({
        kind: "invalidValue",
        location,
        row: i,
        message: `column ${column.field}: "${raw}" ${result.reason}; criteria on it are not checked for this opportunity`
      });
    }
  }
  row.id = typeof values.Id === "string" ? values.Id : null;
  row.name = typeof values.Name === "string" ? values.Name : null;
  row.stage = typeof values.StageName === "string" ? values.StageName : null;
  row.isClosed =
    typeof values.IsClosed === "boolean" ? values.IsClosed : undefined;
  row.lastStageChange = textOrBlank(values, "LastStageChangeDate");
  row.createdDate = textOrBlank(values, "CreatedDate");
  for (const p of rowProblems) {
    p.id = row.id;
    problems.push(p);
  }
  return row;
}

/**
 * Reads a CSV export from a stream of bytes with csv-parse's stream API, one record at a
 * time; each becomes a row as it arrives.
 */
export async function readCsvExport(
  input: AsyncIterable<Buffer | string> | Buffer,
  source: string,
  fields: FieldCatalogue
): Promise<AuditInput> {
  const parser = parse({ bom: true, skip_empty_lines: true, info: true });
  const lines = new LineCounter();
  const chunks: AsyncIterable<Buffer | string> = Buffer.isBuffer(input)
    ? (async function* () {
        yield input;
      })()
    : input;
  // Feeds the parser while the loop below takes its records (backpressure: wait for drain).
  const feeding = (async () => {
    try {
      for await (const chunk of chunks) {
        if (parser.destroyed) {
          return;
        }
        const bytes =
          typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        lines.add(bytes);
        if (!parser.write(bytes)) {
          await new Promise<void>((resolve) => {
            parser.once("drain", resolve);
            parser.once("close", resolve);
          });
        }
      }
      if (!parser.destroyed) {
        parser.end();
      }
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  const problems: InputProblem[] = [];
  const records: OpportunityRow[] = [];
  let header: Header | undefined;
  let previousEnd = 0;
  let n = 0;
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      if (header === undefined) {
        header = readHeader(parsed.record, source, fields, problems);
      } else {
        n++;
        const line = lines.lineOfRecordAfter(previousEnd);
        records.push(toRow(parsed.record, n, line, header, problems));
      }
      previousEnd = parsed.info.bytes;
    }
  } catch (error) {
    parser.destroy();
    // csv-parse's CsvError: a code "CSV_…" and the line it stopped at.
    const csvError = error as Error & { code?: unknown; lines?: number };
    if (typeof csvError.code === "string" && csvError.code.startsWith("CSV_")) {
      throw new AuditInputError(
        source,
        `not a valid CSV file: ${csvError.message}; ${EXPECTED_INPUT}`,
        csvError.lines ? `line ${csvError.lines}` : undefined
      );
    }
    throw error;
  } finally {
    await feeding;
  }
  if (header === undefined) {
    throw new AuditInputError(source, `has no header row; ${EXPECTED_INPUT}`);
  }
  return {
    source,
    kind: "csv",
    records,
    problems,
    noRelatedReason: CSV_NO_RELATED_REASON
  };
}

function textOrBlank(
  values: Record<string, unknown>,
  field: string
): string | null | undefined {
  if (!(field in values)) {
    return undefined;
  }
  const v = values[field];
  return typeof v === "string" ? v : null;
}
