/**
 * `npm run gates -- check --config F --records R.json [--today YYYY-MM-DD]`:
 * what-if engine. For each record save in R.json, would the org allow it? The
 * decision is the core's evaluateTransition, exactly as the generated
 * validation rules and flow decide.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import Ajv, { type ErrorObject } from "ajv";
import {
  RELATED_OBJECT_PARENT_FIELD,
  STAGE_FIELD,
  allCriteria,
  countRelated,
  criterionMode,
  evaluateTransition,
  fieldKind,
  type FieldType,
  type RuntimeMap
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { FieldCatalogue } from "../fields";
import {
  jsonPath,
  parseJson,
  pointerSegments,
  type Segment
} from "../json-source";
import { formatProblem, loadMap, MapValidationError } from "../load";
import { displayPath, type Problem } from "../problems";
import { isIsoDate } from "../validate-map";
import { configPath } from "./validate";

const USAGE = `Usage: npm run gates -- check --records R.json [--config config/stage-gates.json] [--today YYYY-MM-DD]

R.json is a JSON array of saves:
  { "id": "...", "recordType": "Enterprise", "before": { fields } | null, "after": { fields },
    "related": { "OpportunityContactRole": [ { fields } ], ... }, "permissions": [ "..." ],
    "waived": [ criterion ids with an approved, unexpired waiver ] }
"before": null is an insert. Prints, in the same order, a JSON array of
  { "id", "allowed", "blocking": [criterion ids], "warnings": [criterion ids], "message" }
and, for saves that list "waived", "waived": [the waived criteria that would have blocked].
"message" holds the errors the org returns, one per line: the flow's one Custom Error for the
criteria it enforces, then one per blocking validation rule.
--today defaults to the current date.`;

export type FieldValue = string | number | boolean | null;
export type Fields = Record<string, FieldValue>;

export interface SaveRecord {
  id: string | number;
  recordType?: string | null;
  before: Fields | null;
  after: Fields;
  related?: Partial<Record<string, Fields[]>>;
  permissions?: string[];
  /** Criteria with an approved, unexpired waiver on this deal (as the deal's waived list). */
  waived?: string[];
}

export interface CheckResult {
  id: string | number;
  allowed: boolean;
  blocking: string[];
  warnings: string[];
  /** Present when the save lists waivers: the waived criteria that would otherwise block. */
  waived?: string[];
  message: string;
}

const RELATED_OBJECTS = Object.keys(RELATED_OBJECT_PARENT_FIELD);

const RECORDS_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["id", "before", "after"],
    properties: {
      id: { type: ["string", "number"] },
      recordType: { type: ["string", "null"] },
      before: {
        type: ["object", "null"],
        additionalProperties: { $ref: "#/definitions/value" }
      },
      after: { $ref: "#/definitions/fields" },
      related: {
        type: "object",
        propertyNames: { enum: RELATED_OBJECTS },
        additionalProperties: {
          type: "array",
          items: { $ref: "#/definitions/fields" }
        }
      },
      permissions: { type: "array", items: { type: "string" } },
      waived: { type: "array", items: { type: "string" } }
    }
  },
  definitions: {
    value: { type: ["string", "number", "boolean", "null"] },
    fields: {
      type: "object",
      additionalProperties: { $ref: "#/definitions/value" }
    }
  }
};

const validateRecords = new Ajv({
  allErrors: true,
  strict: true,
  allowUnionTypes: true
}).compile(RECORDS_SCHEMA);

const ARTICLE: Record<string, string> = {
  object: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  boolean: "true or false",
  null: "null"
};

function schemaMessage(e: ErrorObject): { extra?: Segment; message: string } {
  switch (e.keyword) {
    case "type": {
      const types = String(e.params.type).split(",");
      return {
        message: `must be ${types.map((t) => ARTICLE[t] ?? t).join(" or ")}`
      };
    }
    case "required":
      return {
        message: `missing required property "${String(e.params.missingProperty)}"${
          e.params.missingProperty === "before" ? " (null for an insert)" : ""
        }`
      };
    case "additionalProperties":
      return {
        extra: String(e.params.additionalProperty),
        message:
          "unknown property (allowed: id, recordType, before, after, related, permissions, waived)"
      };
    case "propertyNames":
      return {
        extra: String(e.params.propertyName),
        message: `not a related object the gates count (${RELATED_OBJECTS.join(", ")})`
      };
    default:
      return { message: e.message ?? `is not valid (${e.keyword})` };
  }
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Checks one field value against the catalogue; returns what is wrong, if anything. */
function fieldValueProblem(
  object: string,
  field: string,
  value: FieldValue,
  fields: FieldCatalogue
): string | undefined {
  const info = fields[object]?.[field];
  if (!info) {
    return `no field "${field}" on ${object}`;
  }
  if (value === null || value === "") {
    return undefined;
  }
  const kind = fieldKind(info.type as FieldType);
  const type = String(info.type);
  switch (kind) {
    case "number":
      return typeof value === "number"
        ? undefined
        : `must be a number (${object}.${field} is ${type})`;
    case "checkbox":
      return typeof value === "boolean"
        ? undefined
        : `must be true or false (${object}.${field} is a Checkbox)`;
    case "date":
      return typeof value === "string" && isIsoDate(value)
        ? undefined
        : `must be an ISO date (YYYY-MM-DD) (${object}.${field} is a Date)`;
    case "datetime":
      return typeof value === "string" &&
        (isIsoDate(value) ||
          (ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))))
        ? undefined
        : `must be an ISO date-time, e.g. 2025-05-01T09:30:00Z (${object}.${field} is a DateTime)`;
    default:
      return typeof value === "string"
        ? undefined
        : `must be a string (${object}.${field} is ${type})`;
  }
}

/**
 * Parses and checks a records file. Returns the saves, or problems naming the
 * file and the JSON path of each mistake.
 */
export function readRecords(
  text: string,
  file: string,
  fields: FieldCatalogue,
  runtime?: RuntimeMap
):
  | { records: SaveRecord[]; problems: [] }
  | { records?: undefined; problems: Problem[] } {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return {
      problems: parsed.errors.map((e) => ({
        file,
        path: "$",
        line: e.line,
        column: e.column,
        message: e.message
      }))
    };
  }
  const value = parsed.parsed.value;
  const problems: Problem[] = [];
  const add = (segments: Segment[], message: string): void => {
    problems.push({ file, path: jsonPath(segments), message });
  };
  if (!validateRecords(value)) {
    for (const e of validateRecords.errors ?? []) {
      if (e.propertyName !== undefined) {
        continue;
      }
      const { extra, message } = schemaMessage(e);
      const segments = pointerSegments(e.instancePath, value);
      add(extra === undefined ? segments : [...segments, extra], message);
    }
    return { problems };
  }
  const records = value as SaveRecord[];
  records.forEach((r, i) => {
    const stageProblem = (side: "before" | "after", values: Fields): void => {
      const stage = values[STAGE_FIELD];
      if (typeof stage !== "string" || stage.trim() === "") {
        add(
          [i, side, ...(stage === undefined ? [] : [STAGE_FIELD])],
          stage === undefined
            ? `missing "${STAGE_FIELD}": the stage ${side === "before" ? "before" : "after"} the save`
            : "must be a stage name"
        );
      }
    };
    stageProblem("after", r.after);
    if (r.before) {
      stageProblem("before", r.before);
    }
    for (const side of ["before", "after"] as const) {
      for (const [field, v] of Object.entries(r[side] ?? {})) {
        const problem = fieldValueProblem("Opportunity", field, v, fields);
        if (problem) {
          add([i, side, field], problem);
        }
      }
    }
    if (r.waived && runtime) {
      const enforced = enforcedCriterionIds(runtime);
      r.waived = r.waived.map((code, j) => {
        const canonical = enforced.get(code.toLowerCase());
        if (!canonical) {
          add(
            [i, "waived", j],
            `no enforced criterion "${code}" in the process map: only enforced criteria can be waived`
          );
        }
        return canonical ?? code;
      });
    }
    for (const [object, list] of Object.entries(r.related ?? {})) {
      if (r.before === null && (list ?? []).length > 0) {
        // As in the org: the record is being created, so nothing can point at it yet.
        add(
          [i, "related", object],
          `save ${JSON.stringify(r.id)} is an insert ("before": null): no related record can exist yet, so ${object} rows cannot be given (the org counts 0 related records on insert)`
        );
      }
      (list ?? []).forEach((rec, j) => {
        for (const [field, v] of Object.entries(rec)) {
          const problem = fieldValueProblem(object, field, v, fields);
          if (problem) {
            add([i, "related", object, j, field], problem);
          }
        }
      });
    }
  });
  return problems.length > 0 ? { problems } : { records, problems: [] };
}

/** Enforced criteria of the map (any mode but warn and off), by lower-case id → the map's id. */
function enforcedCriterionIds(runtime: RuntimeMap): Map<string, string> {
  return new Map(
    allCriteria(runtime)
      .filter((c) => criterionMode(c) === "enforce")
      .map((c) => [c.id.toLowerCase(), c.id])
  );
}

/** Decides every save with the core; no logic of its own. */
export function checkRecords(
  runtime: RuntimeMap,
  records: readonly SaveRecord[],
  today: string
): CheckResult[] {
  return records.map((r) => {
    const result = evaluateTransition(runtime, {
      recordType: r.recordType ?? null,
      before: r.before,
      after: r.after,
      // On insert no related record can exist yet (readRecords refuses rows for one).
      counts: countRelated(runtime, r.before === null ? {} : (r.related ?? {})),
      permissions: r.permissions ?? [],
      today,
      waived: r.waived
    });
    return {
      id: r.id,
      allowed: result.allowed,
      blocking: result.blocking,
      warnings: result.warnings,
      ...(r.waived ? { waived: result.waived } : {}),
      message: result.message
    };
  });
}

/** Today's date in the local time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export async function run(args: string[]): Promise<number> {
  let values: {
    config?: string;
    records?: string;
    today?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: "string" },
        records: { type: "string" },
        today: { type: "string" },
        help: { type: "boolean", short: "h" }
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.records) {
    console.error(`Missing --records.\n\n${USAGE}`);
    return 2;
  }
  if (values.today !== undefined && !isIsoDate(values.today)) {
    console.error(`--today: "${values.today}" is not a date; use YYYY-MM-DD.`);
    return 2;
  }
  const today = values.today ?? localToday();
  let loaded;
  try {
    loaded = loadMap(configPath(values.config));
  } catch (error) {
    if (error instanceof MapValidationError) {
      error.problems.forEach((p) => console.error(formatProblem(p)));
      return 1;
    }
    throw error;
  }
  const recordsFile = path.resolve(process.cwd(), values.records);
  const shown = displayPath(recordsFile);
  let text: string;
  try {
    text = fs.readFileSync(recordsFile, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      `${shown}: cannot read the records file: ${code === "ENOENT" ? "no such file" : String(error)}`
    );
    return 1;
  }
  const read = readRecords(text, shown, loaded.fields, loaded.runtime);
  if (!read.records) {
    read.problems.forEach((p) => console.error(formatProblem(p)));
    return 1;
  }
  console.log(
    JSON.stringify(checkRecords(loaded.runtime, read.records, today), null, 2)
  );
  return 0;
}
