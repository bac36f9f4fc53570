/**
 * Validation of a process map: JSON syntax, the JSON Schema
 * (config/stage-gates.schema.json) and the map's meaning against the field
 * catalogue (fields, operators, values, stage names, record types, ids).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import {
  FIELD_OPERATORS,
  MAX_ERROR_MESSAGE_LENGTH,
  OPERATORS_BY_KIND,
  RELATED_OBJECT_PARENT_FIELD,
  criterionMessage,
  fieldKind,
  type Criterion,
  type FieldKind,
  type FieldOperator,
  type FieldType,
  type RelatedObject,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  SUPPORTED_FIELD_TYPES,
  type FieldCatalogue,
  type FieldInfo
} from "./fields";
import {
  jsonPath,
  lineAt,
  parseJson,
  pointerSegments,
  type ParsedJson,
  type Segment
} from "./json-source";
import { sortProblems, type Problem } from "./problems";

export const SCHEMA_FILE = path.join("config", "stage-gates.schema.json");

export interface ValidationContext {
  fields: FieldCatalogue;
  /** Record type DeveloperNames per object found in the project's metadata. */
  recordTypes?: Record<string, string[]>;
  /** Stage values of the sales process of each Opportunity record type in the project. */
  salesProcessStages?: Record<string, string[]>;
  /** The JSON Schema; defaults to config/stage-gates.schema.json of the tooling's project. */
  schema?: object;
  /** Custom permission API names in the project's package directories (for `when` conditions). */
  customPermissions?: string[];
}

export interface ValidationResult {
  /** The map, when it has no problems. */
  map?: StageGateMap;
  problems: Problem[];
  /** Things that do not make the map invalid but deserve a look. */
  warnings: Problem[];
}

const OBJECT = "Opportunity";
const STAGE_FIELD = "StageName";
const NO_VALUE_OPERATORS: readonly FieldOperator[] = [
  "isSet",
  "isMeaningful",
  "isTrue",
  "isFalse"
];
const LIST_OPERATORS: readonly FieldOperator[] = ["in", "notIn"];
const RELATIVE_DATE = /^TODAY(?:[+-]\d{1,5})?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const validators = new Map<string, ValidateFunction>();

function schemaValidator(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      allowUnionTypes: true
    });
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

export function readSchema(projectDir: string): object {
  return JSON.parse(
    fs.readFileSync(path.join(projectDir, SCHEMA_FILE), "utf8")
  ) as object;
}

/** A real calendar date in ISO form (YYYY-MM-DD). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) {
    return false;
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function isDateLiteral(value: unknown): boolean {
  return (
    typeof value === "string" && (isIsoDate(value) || RELATIVE_DATE.test(value))
  );
}

/** The schema of a criterion's `when` (one condition or a list). */
function isWhenSchema(schema: unknown): boolean {
  const description = (schema as { description?: unknown } | undefined)
    ?.description;
  return (
    typeof description === "string" &&
    description.startsWith("The criterion applies only when")
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

function listing(values: readonly string[], max = 12): string {
  const shown = values.slice(0, max).join(", ");
  return values.length > max ? `${shown}, …` : shown;
}

/** Validates a map file's text. `file` is the name used in problems. */
export function validateMapText(
  text: string,
  file: string,
  ctx: ValidationContext
): ValidationResult {
  const syntax = parseJson(text);
  if (!syntax.ok) {
    return {
      problems: syntax.errors.map((e) => ({
        file,
        path: "$",
        line: e.line,
        column: e.column,
        message: e.message
      })),
      warnings: []
    };
  }
  const checker = new MapChecker(file, syntax.parsed, ctx);
  checker.checkSchema(
    ctx.schema ?? readSchema(path.resolve(__dirname, "..", ".."))
  );
  checker.checkMeaning();
  const problems = sortProblems(checker.problems);
  const warnings = sortProblems(checker.warnings);
  return problems.length > 0
    ? { problems, warnings }
    : { map: syntax.parsed.value as StageGateMap, problems, warnings };
}

class MapChecker {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly root: unknown;

  constructor(
    private readonly file: string,
    private readonly parsed: ParsedJson,
    private readonly ctx: ValidationContext
  ) {
    this.root = parsed.value;
  }

  private problem(
    segments: readonly Segment[],
    message: string,
    onKey = false
  ): void {
    this.problems.push(this.make(segments, message, onKey));
  }

  private warn(segments: readonly Segment[], message: string): void {
    this.warnings.push(this.make(segments, message, false));
  }

  private make(
    segments: readonly Segment[],
    message: string,
    onKey: boolean
  ): Problem {
    return {
      file: this.file,
      path: jsonPath(segments),
      line: lineAt(this.parsed, segments, onKey),
      message
    };
  }

  // ---------------------------------------------------------------- schema

  checkSchema(schema: object): void {
    const validate = schemaValidator(schema);
    if (validate(this.root)) {
      return;
    }
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== "if");
    // A `when` is one condition or a list of them: its errors are those of the shape it has
    // (an object's fields, a list's items), not "must be an array" / "must be an object".
    const whenAt = new Set(
      errors
        .filter((e) => e.keyword === "anyOf" && isWhenSchema(e.parentSchema))
        .map((e) => e.instancePath)
    );
    const whenErrors = errors.filter(
      (e) =>
        !(e.keyword === "anyOf" && whenAt.has(e.instancePath)) &&
        !(e.keyword === "type" && whenAt.has(e.instancePath)) &&
        [...whenAt].some(
          (p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)
        )
    );
    for (const p of whenAt) {
      const inner = whenErrors.filter(
        (e) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)
      );
      if (inner.length === 0) {
        this.problem(
          pointerSegments(p, this.root),
          "must be a condition (field, operator, value; permission; notPermission) or a non-empty list of them"
        );
      }
    }
    // An anyOf error sums up its alternatives' errors at the same place.
    const anyOfAt = new Set(
      errors
        .filter((e) => e.keyword === "anyOf" && !whenAt.has(e.instancePath))
        .map((e) => e.instancePath)
    );
    for (const e of errors) {
      if (
        whenAt.has(e.instancePath) &&
        (e.keyword === "anyOf" || e.keyword === "type")
      ) {
        continue;
      }
      const inside = [...anyOfAt].some(
        (p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)
      );
      if (e.keyword === "anyOf" || !inside) {
        this.schemaError(e);
      }
    }
  }

  private schemaError(e: ErrorObject): void {
    if (e.propertyName !== undefined) {
      // Errors inside propertyNames repeat the propertyNames error.
      return;
    }
    const segments = pointerSegments(e.instancePath, this.root);
    const parent = (e.parentSchema ?? {}) as {
      description?: string;
      properties?: Record<string, unknown>;
    };
    switch (e.keyword) {
      case "required":
        this.problem(
          segments,
          `missing required property "${String(e.params.missingProperty)}"`
        );
        return;
      case "additionalProperties": {
        const name = String(e.params.additionalProperty);
        const allowed = Object.keys(parent.properties ?? {});
        this.problem(
          [...segments, name],
          `unknown property "${name}"${allowed.length ? ` (allowed: ${allowed.join(", ")})` : ""}`,
          true
        );
        return;
      }
      case "enum":
        this.problem(
          segments,
          `${show(e.data)} is not allowed here; use one of: ${(e.params.allowedValues as unknown[]).map(String).join(", ")}`
        );
        return;
      case "pattern":
        this.problem(
          segments,
          `${show(e.data)} is not ${parent.description ?? `matching ${String(e.params.pattern)}`}`
        );
        return;
      case "propertyNames":
        this.problem(
          [...segments, String(e.params.propertyName)],
          `${show(e.params.propertyName)} is not a field API name`,
          true
        );
        return;
      case "anyOf":
        this.problem(
          segments,
          "must be a string, number, boolean or null, or a non-empty list of them"
        );
        return;
      default:
        this.problem(segments, e.message ?? `is not valid (${e.keyword})`);
    }
  }

  // --------------------------------------------------------------- meaning

  checkMeaning(): void {
    const root = this.root;
    if (!isRecord(root) || !Array.isArray(root.processes)) {
      return;
    }
    const criterionIds = new Map<string, { id: string; at: string }>();
    // record type → the process that claims it first and the path of that claim
    const recordTypeOwner = new Map<
      string,
      { process: string; path: string }
    >();
    const processNames = new Map<string, string>();
    let defaultProcess: { name: string; path: string } | undefined;

    root.processes.forEach((process, p) => {
      const pSeg: Segment[] = ["processes", p];
      if (!isRecord(process)) {
        return;
      }
      const name =
        typeof process.name === "string" ? process.name : `#${p + 1}`;
      if (typeof process.name === "string") {
        const first = processNames.get(process.name);
        if (first) {
          this.problem(
            [...pSeg, "name"],
            `process name ${show(process.name)} is already used at ${first}`
          );
        } else {
          processNames.set(process.name, jsonPath([...pSeg, "name"]));
        }
      }
      // Record types and the default process.
      const recordTypes = Array.isArray(process.recordTypes)
        ? process.recordTypes
        : [];
      if (recordTypes.length === 0) {
        if (defaultProcess) {
          this.problem(
            process.recordTypes === undefined ? pSeg : [...pSeg, "recordTypes"],
            `more than one default process (no recordTypes): ${show(defaultProcess.name)} at ${defaultProcess.path} is already the default; give this process its record types`
          );
        } else {
          defaultProcess = { name, path: jsonPath(pSeg) };
        }
      }
      recordTypes.forEach((rt, r) => {
        if (typeof rt !== "string") {
          return;
        }
        const owner = recordTypeOwner.get(rt);
        if (owner) {
          this.problem(
            [...pSeg, "recordTypes", r],
            `record type ${show(rt)} is already claimed by process ${show(owner.process)} at ${owner.path}; a record type belongs to one process`
          );
        } else {
          recordTypeOwner.set(rt, {
            process: name,
            path: jsonPath([...pSeg, "recordTypes", r])
          });
          const known = this.ctx.recordTypes?.[OBJECT];
          if (this.ctx.recordTypes && !(known ?? []).includes(rt)) {
            this.warn(
              [...pSeg, "recordTypes", r],
              `no record type ${show(rt)} in the project's package directories (objects/${OBJECT}/recordTypes; gates pull retrieves the org's; fine if it exists only in the org)`
            );
          }
        }
      });
      this.checkStages(process, pSeg, name);
      this.checkSalesProcesses(process, pSeg, recordTypes);
      // Criteria.
      for (const { criterion, segments } of criteriaOf(process, pSeg)) {
        this.checkCriterion(criterion, segments, criterionIds);
      }
    });
    if (!defaultProcess && root.processes.length > 0) {
      this.warn(
        ["processes"],
        "no default process: Opportunities of other record types are not gated"
      );
    }
  }

  private checkStages(
    process: Record<string, unknown>,
    pSeg: Segment[],
    processName: string
  ): void {
    const stageField = this.ctx.fields[OBJECT]?.[STAGE_FIELD];
    const values = stageField?.values;
    const seen = new Map<string, string>();
    for (const { value, segments, role } of stageNamesOf(process, pSeg)) {
      if (typeof value !== "string") {
        continue;
      }
      const first = seen.get(value);
      if (first) {
        this.problem(
          segments,
          `stage ${show(value)} appears twice in process ${show(processName)} (also at ${first})`
        );
        continue;
      }
      seen.set(value, jsonPath(segments));
      if (values && !values.includes(value)) {
        this.problem(
          segments,
          `${show(value)} is not ${stageField?.inactiveValues?.includes(value) ? "an active" : "a"} value of ${OBJECT}.${STAGE_FIELD} (${listing(values)})${suggest(value, values)}${valuesSource(stageField)}`
        );
        continue;
      }
      if (stageField) {
        this.checkStageFlags(stageField, value, role, segments);
      }
    }
  }

  /**
   * The stage's closed/won flags in the value set against its role in the map:
   * open stages are open, the won stage is closed and won, the lost stage closed
   * and not won (the platform sets IsClosed/IsWon from these flags).
   */
  private checkStageFlags(
    stageField: FieldInfo,
    stage: string,
    role: StageRole,
    segments: Segment[]
  ): void {
    if (!stageField.closed || !stageField.won) {
      return;
    }
    const closed = stageField.closed.includes(stage);
    const won = stageField.won.includes(stage);
    const expected: Record<StageRole, { ok: boolean; want: string }> = {
      open: {
        ok: !closed,
        want: "an open stage, but it is closed (closed=true)"
      },
      won: {
        ok: closed && won,
        want: `the won stage, but it is ${closed ? "closed and not won (won=false)" : "open (closed=false)"}`
      },
      lost: {
        ok: closed && !won,
        want: `the lost stage, but it is ${closed ? "won (won=true)" : "open (closed=false)"}`
      }
    };
    const { ok, want } = expected[role];
    if (!ok) {
      this.problem(
        segments,
        `the map makes ${show(stage)} ${want} in ${valueAt(stageField, stage)}; fix the map or the stage's Closed/Won settings in the org`
      );
    }
  }

  /** Stages a record type's sales process does not offer can never be reached by its records. */
  private checkSalesProcesses(
    process: Record<string, unknown>,
    pSeg: Segment[],
    recordTypes: unknown[]
  ): void {
    for (const rt of recordTypes) {
      const offered =
        typeof rt === "string" ? this.ctx.salesProcessStages?.[rt] : undefined;
      if (!offered) {
        continue;
      }
      for (const { value, segments } of stageNamesOf(process, pSeg)) {
        if (typeof value === "string" && !offered.includes(value)) {
          this.warn(
            segments,
            `stage ${show(value)} is not in the sales process of record type ${show(rt)} (${listing(offered)}): its records can never be in it`
          );
        }
      }
    }
  }

  private checkCriterion(
    c: Record<string, unknown>,
    segments: Segment[],
    ids: Map<string, { id: string; at: string }>
  ): void {
    if (typeof c.id === "string") {
      // Ids become metadata API names, which Salesforce compares ignoring case.
      const key = c.id.toLowerCase();
      const first = ids.get(key);
      if (first) {
        this.problem(
          [...segments, "id"],
          first.id === c.id
            ? `criterion id ${show(c.id)} is already used at ${first.at}; ids must be unique in the whole map`
            : `criterion id ${show(c.id)} differs only in case from ${show(first.id)} at ${first.at}; Salesforce API names ignore case, so ids must be unique ignoring case`
        );
      } else {
        const idSeg = [...segments, "id"];
        ids.set(key, {
          id: c.id,
          at: `${jsonPath(idSeg)} (line ${lineAt(this.parsed, idSeg, false)})`
        });
      }
    }
    if (typeof c.id === "string" && typeof c.label === "string") {
      const message = criterionMessage(c as unknown as Criterion);
      if (
        message.length === MAX_ERROR_MESSAGE_LENGTH &&
        message.endsWith("…")
      ) {
        this.warn(
          segments,
          `the message "[id] label. help" is longer than ${MAX_ERROR_MESSAGE_LENGTH} characters (Salesforce's limit for error messages) and will be cut; shorten the label or help`
        );
      }
    }
    if (c.related !== undefined) {
      this.checkRelated(c, segments);
    } else {
      this.checkField(c, segments);
    }
    this.checkWhen(c, segments);
  }

  /** `when`: field conditions like field criteria; permissions must exist in the project. */
  private checkWhen(c: Record<string, unknown>, segments: Segment[]): void {
    if (c.when === undefined) {
      return;
    }
    const conditions = Array.isArray(c.when)
      ? c.when.map((w, i) => ({ w, seg: [...segments, "when", i] }))
      : [{ w: c.when, seg: [...segments, "when"] }];
    const known = new Set(
      [
        ...(this.ctx.customPermissions ?? []),
        isRecord(this.root) && typeof this.root.bypassPermission === "string"
          ? this.root.bypassPermission
          : ""
      ].map((n) => n.toLowerCase())
    );
    for (const { w, seg } of conditions) {
      if (!isRecord(w)) {
        continue;
      }
      const key =
        typeof w.permission === "string"
          ? "permission"
          : typeof w.notPermission === "string"
            ? "notPermission"
            : undefined;
      if (key === undefined) {
        this.checkField(w, seg);
        continue;
      }
      const name = w[key] as string;
      if (this.ctx.customPermissions && !known.has(name.toLowerCase())) {
        this.problem(
          [...seg, key],
          `no custom permission ${show(name)} in the project's package directories (customPermissions/${name}.customPermission-meta.xml; gates pull retrieves the org's): the generated rules could not be deployed`
        );
      }
    }
  }

  private checkField(c: Record<string, unknown>, segments: Segment[]): void {
    if (typeof c.field !== "string") {
      return;
    }
    const fields = this.ctx.fields[OBJECT] ?? {};
    const info = fields[c.field];
    if (!info) {
      this.problem(
        [...segments, "field"],
        `no field ${show(c.field)} on ${OBJECT}${suggest(c.field, Object.keys(fields))} (standard fields: scripts/metadata/standard-fields.json; custom fields: objects/${OBJECT}/fields in the package directories)`
      );
      return;
    }
    const type = supportedType(info);
    if (!type) {
      this.problem(
        [...segments, "field"],
        `${OBJECT}.${c.field} is a ${String(info.type)} field, which gates cannot evaluate`
      );
      return;
    }
    if (
      typeof c.operator !== "string" ||
      !FIELD_OPERATORS.includes(c.operator as FieldOperator)
    ) {
      return;
    }
    const operator = c.operator as FieldOperator;
    const kind = fieldKind(type);
    const allowed = OPERATORS_BY_KIND[kind];
    if (!allowed.includes(operator)) {
      this.problem(
        [...segments, "operator"],
        `${operator} does not fit ${OBJECT}.${c.field} (${type}); use one of: ${allowed.join(", ")}`
      );
      return;
    }
    const vSeg = [...segments, "value"];
    const has = Object.prototype.hasOwnProperty.call(c, "value");
    const value = c.value;
    const describe = `${OBJECT}.${c.field} (${type})`;
    if (NO_VALUE_OPERATORS.includes(operator)) {
      if (has) {
        this.problem(vSeg, `${operator} takes no value; remove "value"`, true);
      }
      return;
    }
    if (!has) {
      this.problem(segments, `${operator} needs a "value"`);
      return;
    }
    if (LIST_OPERATORS.includes(operator)) {
      if (!Array.isArray(value)) {
        this.problem(
          vSeg,
          `${operator} needs a list of values, e.g. [${show(value)}]`
        );
        return;
      }
      value.forEach((v, i) =>
        this.checkFieldValue(kind, info, v, [...vSeg, i], describe)
      );
      return;
    }
    if (operator === "includes") {
      const list = Array.isArray(value) ? value : [value];
      list.forEach((v, i) =>
        this.checkFieldValue(
          kind,
          info,
          v,
          Array.isArray(value) ? [...vSeg, i] : vSeg,
          describe
        )
      );
      return;
    }
    if (Array.isArray(value)) {
      this.problem(
        vSeg,
        `${operator} compares with one value, not a list${operator === "equals" ? " (use in)" : operator === "notEquals" ? " (use notIn)" : ""}`
      );
      return;
    }
    this.checkFieldValue(kind, info, value, vSeg, describe);
  }

  /** A comparison value for a field of `kind`. */
  private checkFieldValue(
    kind: FieldKind,
    info: FieldInfo,
    v: unknown,
    segments: Segment[],
    describe: string
  ): void {
    if (typeof v === "object" && v !== null) {
      // Not a scalar: the schema reports it.
      return;
    }
    if (v === null) {
      this.problem(
        segments,
        "must not be null: a blank value never satisfies a comparison (use isSet to require a value)"
      );
      return;
    }
    switch (kind) {
      case "number":
        if (typeof v !== "number" || !Number.isFinite(v)) {
          this.problem(
            segments,
            `must be a number for ${describe}, not ${show(v)}`
          );
        } else if (info.type === "Percent" && v > 0 && v < 1) {
          this.warn(
            segments,
            `${describe} values are in percent: ${v} means ${v}%; write ${v * 100} for ${v * 100}%`
          );
        }
        return;
      case "date":
      case "datetime":
        if (!isDateLiteral(v)) {
          this.problem(
            segments,
            `${show(v)} is not a date for ${describe}: use an ISO date (YYYY-MM-DD) or TODAY, TODAY+N, TODAY-N`
          );
        }
        return;
      case "picklist":
      case "multipicklist":
        if (typeof v !== "string") {
          this.problem(
            segments,
            `must be a picklist value (a string) for ${describe}, not ${show(v)}`
          );
        } else if (info.values && !info.values.includes(v)) {
          this.problem(
            segments,
            `${show(v)} is not ${info.inactiveValues?.includes(v) ? "an active" : "a"} value of ${describe}: ${listing(info.values)}${suggest(v, info.values)}${valuesSource(info)}`
          );
        }
        return;
      default:
        if (typeof v !== "string") {
          this.problem(
            segments,
            `must be a string for ${describe}, not ${show(v)}`
          );
        }
    }
  }

  private checkRelated(c: Record<string, unknown>, segments: Segment[]): void {
    if (
      typeof c.related !== "string" ||
      !(c.related in RELATED_OBJECT_PARENT_FIELD)
    ) {
      // The schema reports the unknown object.
      return;
    }
    const related = c.related as RelatedObject;
    const fields = this.ctx.fields[related] ?? {};
    if (!isRecord(c.where)) {
      return;
    }
    for (const [field, expected] of Object.entries(c.where)) {
      const fSeg = [...segments, "where", field];
      const info = fields[field];
      if (!info) {
        this.problem(
          fSeg,
          `no field ${show(field)} on ${related}${suggest(field, Object.keys(fields))}`,
          true
        );
        continue;
      }
      if (field === RELATED_OBJECT_PARENT_FIELD[related]) {
        this.problem(
          fSeg,
          `${related}.${field} is the link to the Opportunity, which the gate sets itself; remove it`,
          true
        );
        continue;
      }
      const type = supportedType(info);
      if (!type) {
        this.problem(
          fSeg,
          `${related}.${field} is a ${String(info.type)} field, which cannot be matched`,
          true
        );
        continue;
      }
      const kind = fieldKind(type);
      if (kind === "datetime" || kind === "multipicklist") {
        this.problem(
          fSeg,
          `${related}.${field} (${type}) cannot be matched exactly; pick another field`,
          true
        );
        continue;
      }
      const list = Array.isArray(expected) ? expected : [expected];
      list.forEach((v, i) =>
        this.checkWhereValue(
          kind,
          info,
          v,
          Array.isArray(expected) ? [...fSeg, i] : fSeg,
          `${related}.${field} (${type})`
        )
      );
    }
  }

  private checkWhereValue(
    kind: FieldKind,
    info: FieldInfo,
    v: unknown,
    segments: Segment[],
    describe: string
  ): void {
    if (typeof v === "object" && v !== null) {
      // Not a scalar: the schema reports it.
      return;
    }
    if (v === null) {
      if (kind === "checkbox") {
        this.problem(
          segments,
          `must be true or false for ${describe}: a checkbox is never blank`
        );
      }
      return;
    }
    switch (kind) {
      case "checkbox":
        if (typeof v !== "boolean") {
          this.problem(
            segments,
            `must be true or false for ${describe}, not ${show(v)}`
          );
        }
        return;
      case "number":
        if (typeof v !== "number" || !Number.isFinite(v)) {
          this.problem(
            segments,
            `must be a number for ${describe}, not ${show(v)}`
          );
        }
        return;
      case "date":
        if (typeof v !== "string" || !isIsoDate(v)) {
          this.problem(
            segments,
            `${show(v)} is not an ISO date (YYYY-MM-DD) for ${describe}`
          );
        }
        return;
      case "picklist":
        if (typeof v !== "string") {
          this.problem(
            segments,
            `must be a picklist value (a string) for ${describe}, not ${show(v)}`
          );
        } else if (
          info.values &&
          !info.values.some((x) => x.toLowerCase() === v.toLowerCase())
        ) {
          const inactive = info.inactiveValues?.some(
            (x) => x.toLowerCase() === v.toLowerCase()
          );
          this.problem(
            segments,
            `${show(v)} is not ${inactive ? "an active" : "a"} value of ${describe}: ${listing(info.values)}${suggest(v, info.values)}${valuesSource(info)}`
          );
        }
        return;
      default:
        if (typeof v !== "string") {
          this.problem(
            segments,
            `must be a string for ${describe}, not ${show(v)}`
          );
        }
    }
  }
}

function supportedType(info: FieldInfo): FieldType | undefined {
  return SUPPORTED_FIELD_TYPES.includes(info.type as FieldType)
    ? (info.type as FieldType)
    : undefined;
}

type StageRole = "open" | "won" | "lost";

/** The stage names of a process (open stages, won, lost) with their JSON paths. */
function stageNamesOf(
  process: Record<string, unknown>,
  pSeg: Segment[]
): { value: unknown; segments: Segment[]; role: StageRole }[] {
  const out: { value: unknown; segments: Segment[]; role: StageRole }[] = [];
  if (Array.isArray(process.stages)) {
    process.stages.forEach((s, i) => {
      if (isRecord(s)) {
        out.push({
          value: s.name,
          segments: [...pSeg, "stages", i, "name"],
          role: "open"
        });
      }
    });
  }
  for (const key of ["won", "lost"] as const) {
    const s = process[key];
    if (isRecord(s)) {
      out.push({ value: s.name, segments: [...pSeg, key, "name"], role: key });
    }
  }
  return out;
}

/** " (values: FILE)": where a picklist's values were read. */
function valuesSource(info: FieldInfo | undefined): string {
  return info?.valuesFile ? ` (values: ${info.valuesFile})` : "";
}

/** FILE:LINE of a value in the file its values come from (FILE alone when the line is unknown). */
function valueAt(info: FieldInfo, value: string): string {
  const line = info.valueLines?.[value];
  return `${info.valuesFile ?? "the field catalogue"}${line ? `:${line}` : ""}`;
}

/** Every criterion list of a process with its JSON path. */
function criteriaOf(
  process: Record<string, unknown>,
  pSeg: Segment[]
): { criterion: Record<string, unknown>; segments: Segment[] }[] {
  const out: { criterion: Record<string, unknown>; segments: Segment[] }[] = [];
  const collect = (
    stage: unknown,
    stageSeg: Segment[],
    lists: string[]
  ): void => {
    if (!isRecord(stage)) {
      return;
    }
    for (const list of lists) {
      const items = stage[list];
      if (Array.isArray(items)) {
        items.forEach((c, i) => {
          if (isRecord(c)) {
            out.push({ criterion: c, segments: [...stageSeg, list, i] });
          }
        });
      }
    }
  };
  if (Array.isArray(process.stages)) {
    process.stages.forEach((s, i) =>
      collect(s, [...pSeg, "stages", i], ["entry", "exit"])
    );
  }
  collect(process.won, [...pSeg, "won"], ["entry"]);
  collect(process.lost, [...pSeg, "lost"], ["entry"]);
  return out;
}

/** ` (did you mean "Amount"?)` for a near miss, else "". */
function suggest(value: string, candidates: readonly string[]): string {
  const norm = (s: string): string => s.toLowerCase().replace(/[\s_]/g, "");
  const target = norm(value);
  const exact = candidates.find((c) => norm(c) === target);
  if (exact) {
    return ` (did you mean ${show(exact)}?)`;
  }
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(norm(c), target);
    if (
      d <= Math.max(1, Math.floor(target.length / 4)) &&
      (!best || d < best.d)
    ) {
      best = { c, d };
    }
  }
  return best ? ` (did you mean ${show(best.c)}?)` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      prev = cur;
    }
  }
  return row[b.length];
}
