/**
 * Offline validation of the sample data plan for `sf data import tree --plan`:
 * plan shape, data files, sObject tree records, references, fields, picklist
 * values and required fields, against the project's metadata and process map.
 *
 *   npx tsx scripts/org/validate-data-plan.ts [data/sample-data-plan.json]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  findNodeAtLocation,
  parseTree,
  type Node as JsonNode,
  type ParseError
} from "jsonc-parser";
import {
  DEFAULT_CONFIG,
  formatProblem,
  loadMap,
  type FieldCatalogue,
  type Problem
} from "../gates/load";

export const DEFAULT_PLAN = path.join("data", "sample-data-plan.json");

/** How the Salesforce CLI (plugin-data) recognises a reference it still has to resolve: `@<name>Ref<digits>`. */
export const REFERENCE_ID_PATTERN = /^[A-Za-z]\w*Ref\d+$/;

export interface DataFieldInfo {
  type: string;
  custom: boolean;
  required: boolean;
  writable: boolean;
  /** Allowed picklist values; undefined = not checked. */
  values?: string[];
  /** Objects a reference field may point at; undefined = not checked. */
  referenceTo?: string[];
}
export type DataFieldCatalogue = Record<string, Record<string, DataFieldInfo>>;

/** Standard fields the API does not let you set on insert. */
const READ_ONLY_STANDARD: Readonly<Record<string, readonly string[]>> = {
  "*": [
    "Id",
    "CreatedDate",
    "LastModifiedDate",
    "CreatedById",
    "LastModifiedById"
  ],
  Opportunity: [
    "IsClosed",
    "IsWon",
    "ExpectedRevenue",
    "HasOpportunityLineItem",
    "HasOpenActivity",
    "HasOverdueTask",
    "LastStageChangeDate",
    "LastActivityDate",
    "FiscalQuarter",
    "FiscalYear"
  ],
  Task: ["IsClosed"],
  OpportunityLineItem: ["TotalPrice", "ListPrice", "ProductCode", "Name"],
  ContentVersion: ["ContentDocumentId"],
  RecordType: ["Id"]
};

/** Fields the API requires on insert (beyond custom fields marked required). */
const REQUIRED_STANDARD: Readonly<Record<string, readonly string[]>> = {
  Account: ["Name"],
  Contact: ["LastName"],
  Opportunity: ["Name", "StageName", "CloseDate"],
  OpportunityContactRole: ["OpportunityId", "ContactId"],
  ContentVersion: ["Title", "PathOnClient", "VersionData"]
};

/** Objects that need one of several field combinations (an Event needs its time: start and end, or start and duration). */
const REQUIRED_ONE_OF: Readonly<
  Record<string, readonly (readonly string[])[]>
> = {
  Event: [
    ["StartDateTime", "EndDateTime"],
    ["ActivityDateTime", "DurationInMinutes"],
    ["StartDateTime", "DurationInMinutes"]
  ]
};

/** Targets of standard lookups (polymorphic ones list every object the sample data may use). */
const STANDARD_REFERENCE_TO: Readonly<
  Record<string, Readonly<Record<string, readonly string[]>>>
> = {
  Opportunity: {
    AccountId: ["Account"],
    ContactId: ["Contact"],
    CampaignId: ["Campaign"],
    Pricebook2Id: ["Pricebook2"]
  },
  Contact: { AccountId: ["Account"] },
  OpportunityContactRole: {
    OpportunityId: ["Opportunity"],
    ContactId: ["Contact"]
  },
  Task: { WhoId: ["Contact", "Lead"] },
  Event: { WhoId: ["Contact", "Lead"] },
  OpportunityLineItem: {
    OpportunityId: ["Opportunity"],
    Product2Id: ["Product2"],
    PricebookEntryId: ["PricebookEntry"]
  },
  ContentDocumentLink: { ContentDocumentId: ["ContentDocument"] }
};

/**
 * The field catalogue (standard fields plus force-app's custom fields, as the map
 * loader reads it) with what an insert needs: writable, required, lookup targets.
 */
export function toDataFieldCatalogue(
  fieldsByObject: FieldCatalogue,
  stageNames: readonly string[]
): DataFieldCatalogue {
  const catalogue: DataFieldCatalogue = {};
  for (const [objectName, objectFields] of Object.entries(fieldsByObject)) {
    const fields: Record<string, DataFieldInfo> = {};
    const readOnly = new Set([
      ...READ_ONLY_STANDARD["*"],
      ...(READ_ONLY_STANDARD[objectName] ?? [])
    ]);
    const required = new Set(REQUIRED_STANDARD[objectName] ?? []);
    for (const [name, info] of Object.entries(objectFields)) {
      const custom = info.custom === true;
      const metadataType =
        typeof info.metadataType === "string"
          ? info.metadataType
          : String(info.type);
      const computed =
        info.formula === true ||
        ["Summary", "AutoNumber"].includes(metadataType);
      fields[name] = {
        type: String(info.type),
        custom,
        required: !custom && required.has(name),
        writable: custom ? !computed : !readOnly.has(name),
        values:
          objectName === "Opportunity" && name === "StageName"
            ? [...stageNames]
            : info.values,
        referenceTo: STANDARD_REFERENCE_TO[objectName]?.[name]
          ? [...STANDARD_REFERENCE_TO[objectName][name]]
          : undefined
      };
    }
    catalogue[objectName] = fields;
  }
  return catalogue;
}

// ---------------------------------------------------------------------------
// JSON with source positions
// ---------------------------------------------------------------------------

interface JsonDoc {
  file: string;
  text: string;
  value: unknown;
  root: JsonNode | undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
    }
  }
  return line;
}

function jsonPath(segments: readonly (string | number)[]): string {
  return (
    "$" +
    segments
      .map((s) =>
        typeof s === "number"
          ? `[${s}]`
          : /^[A-Za-z_$][\w$]*$/.test(s)
            ? `.${s}`
            : `[${JSON.stringify(s)}]`
      )
      .join("")
  );
}

class Reporter {
  readonly problems: Problem[] = [];
  constructor(readonly displayFile: (abs: string) => string) {}

  at(doc: JsonDoc, segments: (string | number)[], message: string): void {
    let node = doc.root ? findNodeAtLocation(doc.root, segments) : undefined;
    // For a missing key, point at the closest existing parent.
    for (let n = segments.length - 1; !node && n >= 0 && doc.root; n--) {
      node = findNodeAtLocation(doc.root, segments.slice(0, n));
    }
    this.problems.push({
      file: this.displayFile(doc.file),
      path: jsonPath(segments),
      message,
      line: node ? lineOf(doc.text, node.offset) : undefined
    });
  }

  file(file: string, message: string): void {
    this.problems.push({ file: this.displayFile(file), path: "$", message });
  }
}

function readJson(file: string, report: Reporter): JsonDoc | undefined {
  if (!fs.existsSync(file)) {
    report.file(file, "file not found");
    return undefined;
  }
  const text = fs.readFileSync(file, "utf8");
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    allowTrailingComma: false,
    disallowComments: true
  });
  if (errors.length > 0 || !root) {
    const offset = errors[0]?.offset ?? 0;
    report.problems.push({
      file: report.displayFile(file),
      path: "$",
      message: "not valid JSON",
      line: lineOf(text, offset)
    });
    return undefined;
  }
  try {
    return { file, text, value: JSON.parse(text) as unknown, root };
  } catch (error) {
    report.file(
      file,
      `not valid JSON: ${error instanceof Error ? error.message : String(error)}`
    );
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) {
    return false;
  }
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function isIsoDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(
      value
    ) && !Number.isNaN(Date.parse(value))
  );
}

/** A problem with a scalar value for a field of this type, or undefined. */
function valueProblem(info: DataFieldInfo, value: unknown): string | undefined {
  if (value === null) {
    return info.required ? "required field set to null" : undefined;
  }
  switch (info.type) {
    case "Checkbox":
      return typeof value === "boolean"
        ? undefined
        : "a checkbox takes true or false";
    case "Number":
    case "Currency":
    case "Percent":
      return typeof value === "number" && Number.isFinite(value)
        ? undefined
        : `a ${info.type} field takes a number`;
    case "Date":
      return typeof value === "string" && isIsoDate(value)
        ? undefined
        : "a date takes a literal YYYY-MM-DD (tree import has no formulas or relative dates)";
    case "DateTime":
      return typeof value === "string" && isIsoDateTime(value)
        ? undefined
        : "a date-time takes an ISO 8601 value with a time zone";
    case "Picklist": {
      if (typeof value !== "string") {
        return "a picklist takes a string";
      }
      return info.values && !info.values.includes(value)
        ? `"${value}" is not a value of this picklist (${info.values.map((v) => `"${v}"`).join(", ")})`
        : undefined;
    }
    case "MultiselectPicklist": {
      if (typeof value !== "string") {
        return "a multi-select picklist takes a string of values separated by ;";
      }
      const unknown = value
        .split(";")
        .filter((v) => info.values && !info.values.includes(v));
      return unknown.length
        ? `not values of this picklist: ${unknown.map((v) => `"${v}"`).join(", ")}`
        : undefined;
    }
    default:
      if (typeof value !== "string") {
        return `a ${info.type} field takes a string`;
      }
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------

const PLAN_KEYS = new Set(["sobject", "saveRefs", "resolveRefs", "files"]);

export interface PlanRecord {
  /** Data file, absolute. */
  file: string;
  index: number;
  type: string;
  referenceId: string;
  fields: Record<string, unknown>;
}

export interface ValidatedPlan {
  problems: Problem[];
  /** Every record of every file, in plan order (also when there are problems). */
  records: PlanRecord[];
}

export interface ValidateOptions {
  projectDir?: string;
  /** The process map whose stages are the valid StageName values. */
  mapFile?: string;
}

/** Validates the plan and its data files; returns every problem found (empty = valid). */
export function validateDataPlan(
  planFile: string = DEFAULT_PLAN,
  opts: ValidateOptions = {}
): ValidatedPlan {
  const projectDir = opts.projectDir ?? path.resolve(__dirname, "..", "..");
  // Inside the project: relative (posix); elsewhere: absolute.
  const display = (abs: string): string => {
    const relative = path.relative(projectDir, abs);
    return relative.startsWith("..") || path.isAbsolute(relative)
      ? abs
      : relative.split(path.sep).join("/");
  };
  const report = new Reporter(display);
  const records: PlanRecord[] = [];

  const { map, fields: fieldCatalogue } = loadMap(
    opts.mapFile ?? DEFAULT_CONFIG,
    { projectDir }
  );
  const stageNames = Array.from(
    new Set(
      map.processes.flatMap((p) => [
        ...p.stages.map((s) => s.name),
        p.won.name,
        p.lost.name
      ])
    )
  );
  const catalogue = toDataFieldCatalogue(fieldCatalogue, stageNames);

  const planPath = path.resolve(projectDir, planFile);
  const plan = readJson(planPath, report);
  if (!plan) {
    return { problems: report.problems, records };
  }
  if (!Array.isArray(plan.value)) {
    report.at(
      plan,
      [],
      "a plan is a JSON array of {sobject, files, saveRefs?, resolveRefs?}"
    );
    return { problems: report.problems, records };
  }
  if (plan.value.length === 0) {
    report.at(plan, [], "the plan has no entries");
  }

  /** referenceId → where it was defined and whether its plan entry saves refs. */
  const defined = new Map<
    string,
    { type: string; entry: number; saveRefs: boolean }
  >();
  /** referenceId → the data file that first used it (duplicates are errors anywhere in the plan). */
  const seen = new Map<string, string>();
  const usesRefFlags = plan.value.some(
    (e) => isRecord(e) && ("saveRefs" in e || "resolveRefs" in e)
  );

  plan.value.forEach((entry: unknown, e) => {
    if (!isRecord(entry)) {
      report.at(
        plan,
        [e],
        "a plan entry is an object {sobject, files, saveRefs?, resolveRefs?}"
      );
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!PLAN_KEYS.has(key)) {
        report.at(
          plan,
          [e, key],
          `unknown plan key "${key}" (allowed: ${[...PLAN_KEYS].join(", ")})`
        );
      }
    }
    for (const key of ["saveRefs", "resolveRefs"]) {
      if (key in entry && typeof entry[key] !== "boolean") {
        report.at(plan, [e, key], `${key} must be true or false`);
      }
    }
    const sobject = entry.sobject;
    if (typeof sobject !== "string" || sobject === "") {
      report.at(
        plan,
        [e, "sobject"],
        "sobject (the object API name) is required"
      );
      return;
    }
    const entryFields = catalogue[sobject];
    if (!entryFields) {
      report.at(
        plan,
        [e, "sobject"],
        `unknown object "${sobject}" (not in the field catalogue or force-app)`
      );
    }
    if (!Array.isArray(entry.files) || entry.files.length === 0) {
      report.at(
        plan,
        [e, "files"],
        "files must be a non-empty array of data file paths"
      );
      return;
    }
    const entryRefs: string[] = [];
    entry.files.forEach((f: unknown, fi) => {
      if (typeof f !== "string" || f === "") {
        report.at(
          plan,
          [e, "files", fi],
          "a data file path (string, relative to the plan)"
        );
        return;
      }
      const dataPath = path.resolve(path.dirname(planPath), f);
      if (!fs.existsSync(dataPath)) {
        report.at(
          plan,
          [e, "files", fi],
          `data file not found: ${display(dataPath)}`
        );
        return;
      }
      const data = readJson(dataPath, report);
      if (!data) {
        return;
      }
      if (!isRecord(data.value) || !Array.isArray(data.value.records)) {
        report.at(
          data,
          [],
          'a data file in sObject tree format is {"records": [...]}'
        );
        return;
      }
      if (data.value.records.length === 0) {
        report.at(data, ["records"], "no records");
      }
      data.value.records.forEach((rec: unknown, r) => {
        const at = (segments: (string | number)[], message: string): void =>
          report.at(data, ["records", r, ...segments], message);
        if (!isRecord(rec)) {
          at([], "a record is an object");
          return;
        }
        const attributes = rec.attributes;
        if (!isRecord(attributes)) {
          at(["attributes"], "attributes {type, referenceId} is required");
          return;
        }
        const type = attributes.type;
        const referenceId = attributes.referenceId;
        let typeMatches = true;
        if (typeof type !== "string" || type === "") {
          at(["attributes", "type"], "attributes.type is required");
          typeMatches = false;
        } else if (type !== sobject) {
          at(
            ["attributes", "type"],
            `type "${type}" in a file the plan lists under sobject "${sobject}"`
          );
          typeMatches = false;
        }
        // Field checks need the record's object: skip them when it is unclear.
        const objectFields = typeMatches ? entryFields : undefined;
        if (typeof referenceId !== "string" || referenceId === "") {
          at(
            ["attributes", "referenceId"],
            "attributes.referenceId is required"
          );
        } else {
          if (!REFERENCE_ID_PATTERN.test(referenceId)) {
            at(
              ["attributes", "referenceId"],
              `referenceId "${referenceId}" must look like <Name>Ref<digits> (e.g. AcmeRef1): the CLI only recognises references of that form`
            );
          }
          const previous = seen.get(referenceId);
          if (previous) {
            at(
              ["attributes", "referenceId"],
              `duplicate referenceId "${referenceId}" (already used in ${display(previous)})`
            );
          } else {
            seen.set(referenceId, dataPath);
          }
        }
        const fields: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(rec)) {
          if (name === "attributes") {
            continue;
          }
          fields[name] = value;
          if (!objectFields) {
            continue;
          }
          const info = objectFields[name];
          if (!info) {
            const caseMatch = Object.keys(objectFields).find(
              (k) => k.toLowerCase() === name.toLowerCase()
            );
            at(
              [name],
              `${sobject} has no field "${name}"${caseMatch ? ` (did you mean "${caseMatch}"?)` : ""} in the field catalogue or force-app`
            );
            continue;
          }
          if (!info.writable) {
            at([name], `${sobject}.${name} cannot be set on insert`);
            continue;
          }
          if (value !== null && typeof value === "object") {
            at(
              [name],
              "nested values are not supported: give each object its own plan entry and use @references"
            );
            continue;
          }
          if (info.type === "Reference") {
            if (typeof value !== "string" || !value.startsWith("@")) {
              at(
                [name],
                `a lookup takes an @reference to an earlier record (record Ids differ from org to org)`
              );
              continue;
            }
            const ref = value.slice(1);
            const target = defined.get(ref);
            if (!target) {
              at(
                [name],
                `@${ref} does not resolve to a record of an earlier plan entry`
              );
              continue;
            }
            if (
              usesRefFlags &&
              (!target.saveRefs || entry.resolveRefs !== true)
            ) {
              at(
                [name],
                `@${ref} needs "saveRefs": true on its plan entry (#${target.entry + 1}) and "resolveRefs": true on this one (#${e + 1})`
              );
            }
            if (info.referenceTo && !info.referenceTo.includes(target.type)) {
              at(
                [name],
                `@${ref} is a ${target.type}; ${sobject}.${name} points at ${info.referenceTo.join(" or ")}`
              );
            }
            continue;
          }
          const problem = valueProblem(info, value);
          if (problem) {
            at([name], `${sobject}.${name}: ${problem}`);
          }
        }
        if (objectFields) {
          for (const [name, info] of Object.entries(objectFields)) {
            if (info.required && fields[name] === undefined) {
              at([], `${sobject} requires ${name}`);
            }
          }
          const oneOf = REQUIRED_ONE_OF[sobject];
          if (
            oneOf &&
            !oneOf.some((combo) =>
              combo.every((f) => fields[f] !== undefined && fields[f] !== null)
            )
          ) {
            at(
              [],
              `${sobject} requires one of: ${oneOf.map((combo) => combo.join(" + ")).join("; ")}`
            );
          }
        }
        if (typeof referenceId === "string" && typeof type === "string") {
          entryRefs.push(referenceId);
          records.push({ file: dataPath, index: r, type, referenceId, fields });
        }
      });
    });
    // References resolve only to earlier plan entries: register this entry's ids afterwards.
    for (const referenceId of entryRefs) {
      if (!defined.has(referenceId)) {
        defined.set(referenceId, {
          type: sobject,
          entry: e,
          saveRefs: entry.saveRefs === true
        });
      }
    }
  });
  return { problems: report.problems, records };
}

if (require.main === module) {
  const planArg = process.argv[2] ?? DEFAULT_PLAN;
  try {
    const { problems, records } = validateDataPlan(planArg);
    if (problems.length > 0) {
      for (const p of problems) {
        console.error(formatProblem(p));
      }
      console.error(
        `${problems.length} problem(s) in the data plan ${planArg}.`
      );
      process.exitCode = 1;
    } else {
      console.log(`${planArg}: ${records.length} records, all valid.`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
