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
 */
import { parse } from "csv-parse/sync";
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

function lineStarts(buffer: Buffer): (byteOffset: number) => number {
  // Counts newlines incrementally: offsets are asked for in increasing order.
  let line = 1;
  let scanned = 0;
  return (byteOffset: number) => {
    for (; scanned < byteOffset && scanned < buffer.length; scanned++) {
      if (buffer[scanned] === 10) {
        line++;
      }
    }
    return line;
  };
}

/** First byte of the record that starts at or after `offset` (skips blank lines). */
function skipBlankLines(buffer: Buffer, offset: number): number {
  while (
    offset < buffer.length &&
    (buffer[offset] === 10 || buffer[offset] === 13)
  ) {
    offset++;
  }
  return offset;
}

interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

export function readCsvExport(
  content: Buffer,
  source: string,
  fields: FieldCatalogue
): AuditInput {
  let parsed: ParsedRecord[];
  try {
    parsed = parse(content, {
      bom: true,
      skip_empty_lines: true,
      info: true
    }) as unknown as ParsedRecord[];
  } catch (error) {
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
  }
  if (parsed.length === 0) {
    throw new AuditInputError(source, `has no header row; ${EXPECTED_INPUT}`);
  }
  const opportunityFields = fields.Opportunity ?? {};
  const byLowerName = new Map<string, string>();
  for (const name of Object.keys(opportunityFields)) {
    byLowerName.set(name.toLowerCase(), name);
  }
  const header = parsed[0].record.map((h) => h.trim());
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
  const problems: InputProblem[] = [];
  if (recordTypeColumn < 0) {
    const hasRecordTypeId = columns.some((c) => c.field === "RecordTypeId");
    problems.push({
      kind: "note",
      message: `no ${RECORD_TYPE_COLUMN} column${
        hasRecordTypeId ? " (RecordTypeId is an Id, not the DeveloperName)" : ""
      }: records are matched to processes as if they had no record type`
    });
  }
  const lineOf = lineStarts(content);
  const records: OpportunityRow[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const start = skipBlankLines(content, parsed[i - 1].info.bytes);
    const line = lineOf(start);
    const location = `line ${line}`;
    const cells = parsed[i].record;
    const values: Record<string, unknown> = {};
    const row: OpportunityRow = {
      row: i,
      location,
      id: null,
      name: null,
      stage: null,
      recordType:
        recordTypeColumn < 0 ? undefined : cells[recordTypeColumn] || null,
      isClosed: undefined,
      lastStageChange: undefined,
      createdDate: undefined,
      values,
      related: {}
    };
    for (const column of columns) {
      const raw = cells[column.index];
      const result = convert(raw, column.kind);
      if (result.ok) {
        values[column.field] = result.value;
      } else {
        (row.invalidFields ??= []).push(column.field);
        problems.push({
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
    records.push(row);
  }
  for (const p of problems) {
    if (p.row !== undefined) {
      p.id = records[p.row - 1].id;
    }
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
