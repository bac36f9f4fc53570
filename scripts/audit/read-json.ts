/**
 * Reads the JSON of `sf data query --json` on Opportunity (with child subqueries such as
 * OpportunityContactRoles or Tasks), a bare `{"records": [...]}` object or an array of records.
 *
 * A subquery that is null means "no related records"; a subquery absent from the export means
 * its criteria cannot be checked (the audit reports them as not checked, never as failing).
 */
import {
  parse as parseJsonc,
  printParseErrorCode,
  type ParseError
} from "jsonc-parser";
import type { RelatedObject } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  AuditInputError,
  EXPECTED_INPUT,
  RELATED_OBJECTS,
  RELATIONSHIP_NAMES,
  type AuditInput,
  type InputProblem,
  type OpportunityRow
} from "./types";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(
  text: string,
  offset: number
): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** JSON.parse with a file:line:column error when the text is not valid JSON. */
function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, {
      disallowComments: true,
      allowTrailingComma: false
    });
    const first = errors[0];
    const where = first
      ? lineAndColumn(text, first.offset)
      : { line: 1, column: 1 };
    const what = first
      ? printParseErrorCode(first.error)
      : error instanceof Error
        ? error.message
        : String(error);
    throw new AuditInputError(
      source,
      `not valid JSON (${what}); ${EXPECTED_INPUT}`,
      `line ${where.line}, column ${where.column}`
    );
  }
}

interface RecordList {
  records: unknown[];
  path: string;
  kind: AuditInput["kind"];
  done?: boolean;
  totalSize?: number;
}

function findRecords(data: unknown, source: string): RecordList {
  if (Array.isArray(data)) {
    return { records: data, path: "$", kind: "records-json" };
  }
  if (!isObject(data)) {
    throw new AuditInputError(
      source,
      `is ${describe(data)}; ${EXPECTED_INPUT}`,
      "$"
    );
  }
  if ("status" in data && typeof data.status === "number") {
    if (data.status !== 0) {
      const name = typeof data.name === "string" ? `${data.name}: ` : "";
      const message =
        typeof data.message === "string" ? data.message : "no message";
      throw new AuditInputError(
        source,
        `sf reported an error (status ${data.status}): ${name}${message}`,
        "$.status"
      );
    }
    if (!isObject(data.result)) {
      throw new AuditInputError(
        source,
        `must be an object with "records"; ${EXPECTED_INPUT}`,
        "$.result"
      );
    }
    return recordsOf(data.result, "$.result", "sf-query-json", source);
  }
  if ("records" in data) {
    return recordsOf(data, "$", "records-json", source);
  }
  throw new AuditInputError(
    source,
    `has no "records" (keys: ${Object.keys(data).slice(0, 8).join(", ") || "none"}); ${EXPECTED_INPUT}`,
    "$"
  );
}

function recordsOf(
  container: JsonObject,
  path: string,
  kind: AuditInput["kind"],
  source: string
): RecordList {
  const records = container.records;
  if (!Array.isArray(records)) {
    throw new AuditInputError(
      source,
      `must be an array of records, found ${describe(records)}; ${EXPECTED_INPUT}`,
      `${path}.records`
    );
  }
  return {
    records,
    path: `${path}.records`,
    kind,
    done: typeof container.done === "boolean" ? container.done : undefined,
    totalSize:
      typeof container.totalSize === "number" ? container.totalSize : undefined
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function dateValue(value: unknown): string | null | undefined {
  if (value === undefined) {
    return undefined;
  }
  return typeof value === "string" && value !== "" ? value : null;
}

function recordTypeOf(record: JsonObject): string | null | undefined {
  if (!("RecordType" in record)) {
    return undefined;
  }
  const rt = record.RecordType;
  if (rt === null) {
    return null;
  }
  if (isObject(rt) && "DeveloperName" in rt) {
    return stringOrNull(rt.DeveloperName);
  }
  return undefined;
}

/** Reads one child relationship: null = none, a subquery result or a plain array of records. */
function relatedRecords(
  value: unknown,
  path: string,
  source: string
): { records: Record<string, unknown>[]; partial: boolean } {
  if (value === null) {
    return { records: [], partial: false };
  }
  let list: unknown = value;
  let partial = false;
  if (isObject(value)) {
    list = value.records;
    partial = value.done === false;
    path = `${path}.records`;
  }
  if (!Array.isArray(list)) {
    throw new AuditInputError(
      source,
      `must be null or a subquery result {"totalSize":N,"done":true,"records":[...]}, found ${describe(list)}`,
      path
    );
  }
  for (let i = 0; i < list.length; i++) {
    if (!isObject(list[i])) {
      throw new AuditInputError(
        source,
        `must be a record object, found ${describe(list[i])}`,
        `${path}[${i}]`
      );
    }
  }
  return { records: list as Record<string, unknown>[], partial };
}

function toRow(
  record: unknown,
  index: number,
  path: string,
  source: string
): OpportunityRow {
  const location = `${path}[${index}]`;
  if (!isObject(record)) {
    throw new AuditInputError(
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
    throw new AuditInputError(
      source,
      `is a ${attributes.type} record; the audit reads Opportunity records`,
      `${location}.attributes.type`
    );
  }
  const row: OpportunityRow = {
    row: index + 1,
    location,
    id: stringOrNull(record.Id),
    name: stringOrNull(record.Name),
    stage: stringOrNull(record.StageName),
    recordType: recordTypeOf(record),
    isClosed:
      typeof record.IsClosed === "boolean" ? record.IsClosed : undefined,
    lastStageChange: dateValue(record.LastStageChangeDate),
    createdDate: dateValue(record.CreatedDate),
    values: record,
    related: {}
  };
  for (const object of RELATED_OBJECTS) {
    const relationship = RELATIONSHIP_NAMES[object];
    if (relationship in record) {
      const { records, partial } = relatedRecords(
        record[relationship],
        `${location}.${relationship}`,
        source
      );
      row.related[object] = records;
      if (partial) {
        (row.partialRelated ??= []).push(object as RelatedObject);
      }
    }
  }
  return row;
}

/** Parses the text of a JSON export; throws AuditInputError when it is not one. */
export function readJsonExport(text: string, source: string): AuditInput {
  const data = parseJsonText(text, source);
  const list = findRecords(data, source);
  const problems: InputProblem[] = [];
  const records = list.records.map((r, i) => toRow(r, i, list.path, source));
  const looksLikeOpportunities = list.records.some(
    (r) =>
      isObject(r) &&
      ("StageName" in r ||
        (isObject(r.attributes) && r.attributes.type === "Opportunity"))
  );
  if (records.length > 0 && !looksLikeOpportunities) {
    throw new AuditInputError(
      source,
      `no record has a StageName field or attributes.type "Opportunity"; ${EXPECTED_INPUT}`,
      list.path
    );
  }
  const incomplete =
    list.done === false ||
    (list.totalSize !== undefined && list.totalSize > records.length);
  if (incomplete) {
    problems.push({
      kind: "incomplete",
      location: list.path,
      message:
        `the export is incomplete: ${records.length} of ${list.totalSize ?? "more"} records. ` +
        'sf data query stops at the "org-max-query-limit" config value (default 50,000): ' +
        "raise it (or set SF_ORG_MAX_QUERY_LIMIT) and export again"
    });
  }
  for (const row of records) {
    if (row.partialRelated) {
      problems.push({
        kind: "incomplete",
        location: row.location,
        row: row.row,
        id: row.id,
        message: `related records cut short (done: false) for ${row.partialRelated
          .map((o) => RELATIONSHIP_NAMES[o])
          .join(", ")}: criteria on them are not checked for this opportunity`
      });
    }
  }
  return {
    source,
    kind: list.kind,
    records,
    problems,
    totalSize: incomplete ? list.totalSize : undefined
  };
}
