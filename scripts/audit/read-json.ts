/**
 * Reads the JSON of `sf data query --json` on Opportunity (with child subqueries such as
 * OpportunityContactRoles or Tasks), a bare `{"records": [...]}` object or an array of records.
 *
 * A subquery that is null means "no related records"; a subquery absent from the export means
 * its criteria cannot be checked (the audit reports them as not checked, never as failing).
 *
 * The export is streamed (./json-records.ts): records are read one at a time, so neither the
 * file's text nor a tree of the whole document is held besides the rows themselves.
 */
import * as fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { RelatedObject } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  assertOpportunityRecord,
  describeJson as describe,
  JsonRecordsReader,
  isJsonObject as isObject,
  type JsonObject
} from "./json-records";
import {
  AuditInputError,
  EXPECTED_INPUT,
  RELATED_OBJECTS,
  RELATIONSHIP_NAMES,
  type AuditInput,
  type InputProblem,
  type OpportunityRow
} from "./types";
import { readWaiver, WAIVED_FIELD, WAIVER_RELATIONSHIP } from "./waivers";

/**
 * One `attributes` object per record type, shared: the URL in each record's own is never
 * read, and 100,000 opportunities with their related records carry close to a million.
 */
const SHARED_ATTRIBUTES = new Map<string, Readonly<{ type: string }>>();
function shareAttributes(record: JsonObject): void {
  const attributes = record.attributes;
  if (isObject(attributes) && typeof attributes.type === "string") {
    let shared = SHARED_ATTRIBUTES.get(attributes.type);
    if (!shared) {
      shared = Object.freeze({ type: attributes.type });
      SHARED_ATTRIBUTES.set(attributes.type, shared);
    }
    record.attributes = shared;
  }
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
    const item: unknown = list[i];
    if (!isObject(item)) {
      throw new AuditInputError(
        source,
        `must be a record object, found ${describe(item)}`,
        `${path}[${i}]`
      );
    }
    shareAttributes(item);
  }
  return { records: list as Record<string, unknown>[], partial };
}

function toRow(
  record: unknown,
  index: number,
  location: string,
  source: string
): OpportunityRow {
  assertOpportunityRecord(
    record,
    location,
    (type) => `is a ${type} record; the audit reads Opportunity records`,
    (message, at) => {
      throw new AuditInputError(source, message, at);
    }
  );
  shareAttributes(record);
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
  if (WAIVER_RELATIONSHIP in record) {
    const path = `${location}.${WAIVER_RELATIONSHIP}`;
    const { records, partial } = relatedRecords(
      record[WAIVER_RELATIONSHIP],
      path,
      source
    );
    const base = isObject(record[WAIVER_RELATIONSHIP])
      ? `${path}.records`
      : path;
    row.waivers = [];
    records.forEach((waiver, i) => {
      const read = readWaiver(waiver, `${base}[${i}]`);
      if ("problem" in read) {
        (row.waiverProblems ??= []).push({
          location: read.at,
          message: read.problem
        });
      } else {
        row.waivers?.push(read);
      }
    });
    if (partial) {
      row.partialWaivers = true;
    }
  }
  return row;
}

/** Collects rows from a stream of text chunks (see json-records.ts). */
class RowCollector {
  readonly records: OpportunityRow[] = [];
  private looksLikeOpportunities = false;
  private readonly reader: JsonRecordsReader;

  constructor(
    private readonly source: string,
    text: () => string | undefined
  ) {
    this.reader = new JsonRecordsReader({
      expected: EXPECTED_INPUT,
      error: (detail, location) =>
        new AuditInputError(source, detail, location),
      onRecord: (value, location, index) => {
        if (
          !this.looksLikeOpportunities &&
          isObject(value) &&
          ("StageName" in value ||
            (isObject(value.attributes) &&
              value.attributes.type === "Opportunity"))
        ) {
          this.looksLikeOpportunities = true;
        }
        this.records.push(toRow(value, index, location, source));
      },
      text,
      // Every row is kept until the audit has run: its strings must not pin the chunks.
      detachStrings: true
    });
  }

  write(chunk: string): void {
    this.reader.write(chunk);
  }

  end(): AuditInput {
    const { source, records } = this;
    const list = this.reader.end();
    if (records.length > 0 && !this.looksLikeOpportunities) {
      throw new AuditInputError(
        source,
        `no record has a StageName field or attributes.type "Opportunity"; ${EXPECTED_INPUT}`,
        list.path
      );
    }
    const problems: InputProblem[] = [];
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
      for (const p of row.waiverProblems ?? []) {
        problems.push({
          kind: "invalidValue",
          location: p.location,
          row: row.row,
          id: row.id,
          message: p.message
        });
      }
      if (row.partialWaivers) {
        problems.push({
          kind: "incomplete",
          location: row.location,
          row: row.row,
          id: row.id,
          message: `waivers cut short (done: false) for ${WAIVER_RELATIONSHIP}: the waivers shown and the codes of ${WAIVED_FIELD} count for this opportunity`
        });
      }
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
}

/** Text is fed to the tokenizer in slices of this many characters (bounded token batches). */
const SLICE = 1 << 20;

/** Parses the text of a JSON export; throws AuditInputError when it is not one. */
export function readJsonExport(text: string, source: string): AuditInput {
  const collector = new RowCollector(source, () => text);
  for (let i = 0; i < text.length; i += SLICE) {
    collector.write(text.slice(i, i + SLICE));
  }
  return collector.end();
}

/**
 * Reads a JSON export file in chunks (never the whole text at once). Synchronous: the
 * tokenizer takes each chunk as it is read. A syntax error re-reads the file (when it is
 * small enough) to name the exact line and column.
 */
export function readJsonFile(file: string, source: string): AuditInput {
  const collector = new RowCollector(source, () => {
    try {
      return fs.statSync(file).size <= 512 * 1048576
        ? fs.readFileSync(file, "utf8")
        : undefined;
    } catch {
      return undefined;
    }
  });
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(SLICE);
    const decoder = new StringDecoder("utf8");
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) {
        break;
      }
      collector.write(decoder.write(buffer.subarray(0, n)));
    }
    collector.write(decoder.end());
  } finally {
    fs.closeSync(fd);
  }
  return collector.end();
}
