/**
 * Stage gate core: the one implementation of the process map's semantics.
 *
 * Used unchanged by the record-page LWC (as the service component c/stageGateCore)
 * and by the Node tooling (validator, generator, what-if engine, audit). Pure: no
 * platform imports, no I/O, no clock (callers pass "today").
 */

// ---------------------------------------------------------------------------
// The process map
// ---------------------------------------------------------------------------

export type CriterionMode = "enforce" | "warn" | "off";

export type FieldOperator =
  | "isSet"
  | "isMeaningful"
  | "equals"
  | "notEquals"
  | "greaterThan"
  | "greaterOrEqual"
  | "lessThan"
  | "lessOrEqual"
  | "in"
  | "notIn"
  | "includes"
  | "isTrue"
  | "isFalse";

export const FIELD_OPERATORS: readonly FieldOperator[] = [
  "isSet",
  "isMeaningful",
  "equals",
  "notEquals",
  "greaterThan",
  "greaterOrEqual",
  "lessThan",
  "lessOrEqual",
  "in",
  "notIn",
  "includes",
  "isTrue",
  "isFalse"
];

export type RelatedObject =
  | "OpportunityContactRole"
  | "Task"
  | "Event"
  | "ContentDocumentLink"
  | "OpportunityLineItem";

/** The lookup on each related object that points at the Opportunity. */
export const RELATED_OBJECT_PARENT_FIELD: Readonly<
  Record<RelatedObject, string>
> = {
  OpportunityContactRole: "OpportunityId",
  Task: "WhatId",
  Event: "WhatId",
  ContentDocumentLink: "LinkedEntityId",
  OpportunityLineItem: "OpportunityId"
};

export type Scalar = string | number | boolean | null;

/** A condition on one of the record's (new) field values: the operators and values of field criteria. */
export interface FieldCondition {
  field: string;
  operator: FieldOperator;
  value?: Scalar | Scalar[];
}
/** The running user holds this custom permission. */
export interface PermissionCondition {
  permission: string;
}
/** The running user does not hold this custom permission. */
export interface NotPermissionCondition {
  notPermission: string;
}
export type WhenCondition =
  FieldCondition | PermissionCondition | NotPermissionCondition;

interface CriterionBase {
  /** Unique in the map; the stable code shown in messages. */
  id: string;
  label: string;
  help?: string;
  mode?: CriterionMode;
  /** The criterion applies only when this condition (or every one of the list) holds. */
  when?: WhenCondition | WhenCondition[];
}

export interface FieldCriterion extends CriterionBase {
  field: string;
  operator: FieldOperator;
  value?: Scalar | Scalar[];
}

export interface RelatedCriterion extends CriterionBase {
  related: RelatedObject;
  where?: Record<string, Scalar | Scalar[]>;
  minCount?: number;
}

export type Criterion = FieldCriterion | RelatedCriterion;

export interface OpenStage {
  name: string;
  guidance?: string;
  targetDays?: number;
  entry?: Criterion[];
  exit?: Criterion[];
}

export interface ClosedStage {
  name: string;
  guidance?: string;
  entry?: Criterion[];
}

export interface Process {
  name: string;
  /** Record type DeveloperNames; omitted or empty = the default process. */
  recordTypes?: string[];
  stages: OpenStage[];
  won: ClosedStage;
  lost: ClosedStage;
}

export interface StageGateMap {
  $schema?: string;
  bypassPermission: string;
  /** Values that do not count as meaningful; defaults to DEFAULT_PLACEHOLDERS. */
  placeholders?: string[];
  /** The daily stalled-deal alerts (Apex job); both default to true. */
  alerts?: { overdue?: boolean; regressions?: boolean };
  /** Where field criteria are enforced: validation rules (default) or the record-triggered flow. */
  fieldCriteriaIn?: FieldCriteriaIn;
  /** Generate Salesforce Path (PathAssistant) metadata from the map; default true. */
  path?: boolean;
  /** Org limits the generated metadata must respect (read by the generator only). */
  limits?: { validationRules?: number };
  /** Per-deal waivers: how far ahead one may run (default DEFAULT_WAIVER_MAX_DAYS). */
  waivers?: { maxDays?: number };
  /** Log stage changes saved with the bypass (default true). */
  logBypassedMoves?: boolean;
  processes: Process[];
}

/** Where the generated metadata enforces field criteria. */
export type FieldCriteriaIn = "validationRules" | "flow";

/** How far ahead a waiver may run when the map does not say. */
export const DEFAULT_WAIVER_MAX_DAYS = 90;

/** Salesforce field types the core distinguishes (as in the Metadata API). */
export type FieldType =
  | "Text"
  | "TextArea"
  | "LongTextArea"
  | "Email"
  | "Phone"
  | "Url"
  | "Picklist"
  | "MultiselectPicklist"
  | "Number"
  | "Currency"
  | "Percent"
  | "Date"
  | "DateTime"
  | "Checkbox"
  | "Reference"
  | "Id";

export type FieldKind =
  | "text"
  | "picklist"
  | "multipicklist"
  | "number"
  | "date"
  | "datetime"
  | "checkbox";

export function fieldKind(type: FieldType): FieldKind {
  switch (type) {
    case "Picklist":
      return "picklist";
    case "MultiselectPicklist":
      return "multipicklist";
    case "Number":
    case "Currency":
    case "Percent":
      return "number";
    case "Date":
      return "date";
    case "DateTime":
      return "datetime";
    case "Checkbox":
      return "checkbox";
    default:
      return "text";
  }
}

/** Which operators make sense for which kind of field. */
export const OPERATORS_BY_KIND: Readonly<
  Record<FieldKind, readonly FieldOperator[]>
> = {
  text: ["isSet", "isMeaningful", "equals", "notEquals", "in", "notIn"],
  picklist: ["isSet", "isMeaningful", "equals", "notEquals", "in", "notIn"],
  multipicklist: ["isSet", "includes"],
  number: [
    "isSet",
    "equals",
    "notEquals",
    "greaterThan",
    "greaterOrEqual",
    "lessThan",
    "lessOrEqual"
  ],
  date: [
    "isSet",
    "equals",
    "notEquals",
    "greaterThan",
    "greaterOrEqual",
    "lessThan",
    "lessOrEqual"
  ],
  datetime: [
    "isSet",
    "greaterThan",
    "greaterOrEqual",
    "lessThan",
    "lessOrEqual"
  ],
  checkbox: ["isTrue", "isFalse"]
};

export const DEFAULT_PLACEHOLDERS: readonly string[] = [
  "tbd",
  "tba",
  "n/a",
  "na",
  "-",
  "--",
  "?",
  "none",
  "unknown",
  "x",
  "."
];

// ---------------------------------------------------------------------------
// The runtime map: the process map with `off` criteria removed and every field
// criterion annotated with its field type. The generator writes it for the LWC.
// ---------------------------------------------------------------------------

export interface RuntimeFieldCondition extends FieldCondition {
  fieldType: FieldType;
}
export type RuntimeWhenCondition =
  RuntimeFieldCondition | PermissionCondition | NotPermissionCondition;

export interface RuntimeFieldCriterion extends FieldCriterion {
  fieldType: FieldType;
  /** Always a list in the runtime map; absent when the criterion always applies. */
  when?: RuntimeWhenCondition[];
}
export interface RuntimeRelatedCriterion extends RelatedCriterion {
  when?: RuntimeWhenCondition[];
}
export type RuntimeCriterion = RuntimeFieldCriterion | RuntimeRelatedCriterion;

export interface RuntimeOpenStage extends Omit<OpenStage, "entry" | "exit"> {
  entry: RuntimeCriterion[];
  exit: RuntimeCriterion[];
}
export interface RuntimeClosedStage extends Omit<ClosedStage, "entry"> {
  entry: RuntimeCriterion[];
}
export interface RuntimeProcess {
  name: string;
  recordTypes: string[];
  stages: RuntimeOpenStage[];
  won: RuntimeClosedStage;
  lost: RuntimeClosedStage;
}
export interface RuntimeMap {
  bypassPermission: string;
  placeholders: string[];
  processes: RuntimeProcess[];
  /** How far ahead a waiver may run (waivers.maxDays); DEFAULT_WAIVER_MAX_DAYS when absent. */
  waiverMaxDays?: number;
  /** Where field criteria are enforced (the map's fieldCriteriaIn); validation rules when absent. */
  fieldCriteriaIn?: FieldCriteriaIn;
}

export function isRelatedCriterion<C extends Criterion>(
  c: C
): c is Extract<C, RelatedCriterion> {
  return (c as Criterion as RelatedCriterion).related !== undefined;
}

export function criterionMode(c: Criterion): CriterionMode {
  return c.mode ?? "enforce";
}

export function isFieldCondition(c: WhenCondition): c is FieldCondition {
  return (c as FieldCondition).field !== undefined;
}

/** The criterion's `when` as a list (empty: it always applies). */
export function whenConditions<C extends WhenCondition>(c: {
  when?: C | C[];
}): C[] {
  if (c.when === undefined) {
    return [];
  }
  return Array.isArray(c.when) ? c.when : [c.when];
}

/** Custom permissions the map's `when` conditions ask about, sorted. */
export function permissionsUsed(map: RuntimeMap): string[] {
  const names = new Set<string>();
  for (const c of allCriteria(map)) {
    for (const w of whenConditions(c)) {
      if ("permission" in w) {
        names.add(w.permission);
      } else if ("notPermission" in w) {
        names.add(w.notPermission);
      }
    }
  }
  return Array.from(names).sort();
}

/**
 * Builds the runtime map. `fieldTypeOf` answers the type of an Opportunity field;
 * the map must have been validated (unknown fields throw here).
 */
export function toRuntimeMap(
  map: StageGateMap,
  fieldTypeOf: (field: string) => FieldType | undefined
): RuntimeMap {
  const typeOf = (field: string, id: string): FieldType => {
    const fieldType = fieldTypeOf(field);
    if (!fieldType) {
      throw new Error(
        `Unknown Opportunity field "${field}" in criterion "${id}"`
      );
    }
    return fieldType;
  };
  const convertWhen = (c: Criterion): { when?: RuntimeWhenCondition[] } => {
    const list = whenConditions(c);
    return list.length === 0
      ? {}
      : {
          when: list.map((w): RuntimeWhenCondition => {
            if (isFieldCondition(w)) {
              return { ...w, fieldType: typeOf(w.field, c.id) };
            }
            return { ...w };
          })
        };
  };
  const convert = (list: Criterion[] | undefined): RuntimeCriterion[] =>
    (list ?? [])
      .filter((c) => criterionMode(c) !== "off")
      .map((c): RuntimeCriterion => {
        const when = convertWhen(c);
        const copy = { ...c };
        delete copy.when;
        if (isRelatedCriterion(copy)) {
          return { ...copy, ...when } as RuntimeRelatedCriterion;
        }
        return {
          ...copy,
          fieldType: typeOf(copy.field, c.id),
          ...when
        } as RuntimeFieldCriterion;
      });
  return {
    bypassPermission: map.bypassPermission,
    placeholders: normalizedPlaceholders(
      map.placeholders ?? DEFAULT_PLACEHOLDERS
    ),
    waiverMaxDays: map.waivers?.maxDays ?? DEFAULT_WAIVER_MAX_DAYS,
    ...(map.fieldCriteriaIn === "flow" ? { fieldCriteriaIn: "flow" } : {}),
    processes: map.processes.map((p) => ({
      name: p.name,
      recordTypes: p.recordTypes ?? [],
      stages: p.stages.map((s) => ({
        ...s,
        entry: convert(s.entry),
        exit: convert(s.exit)
      })),
      won: { ...p.won, entry: convert(p.won.entry) },
      lost: { ...p.lost, entry: convert(p.lost.entry) }
    }))
  };
}

// ---------------------------------------------------------------------------
// Process and transition rules
// ---------------------------------------------------------------------------

/** The process for a record type DeveloperName; records without a claimed type use the default process. */
export function selectProcess(
  map: RuntimeMap,
  recordType: string | null | undefined
): RuntimeProcess | undefined {
  if (recordType) {
    const byType = map.processes.find((p) =>
      p.recordTypes.includes(recordType)
    );
    if (byType) {
      return byType;
    }
  }
  return map.processes.find((p) => p.recordTypes.length === 0);
}

/** Position of a stage in the process order: 1..n open, n+1 won, 0 lost or not in the map. */
export function stageIndex(
  process: RuntimeProcess,
  stage: string | null | undefined
): number {
  if (stage === null || stage === undefined) {
    return 0;
  }
  const i = process.stages.findIndex((s) => s.name === stage);
  if (i >= 0) {
    return i + 1;
  }
  return stage === process.won.name ? process.stages.length + 1 : 0;
}

export type StageKind = "open" | "won" | "lost" | "unknown";

export function stageKind(
  process: RuntimeProcess,
  stage: string | null | undefined
): StageKind {
  if (stage === process.lost.name) {
    return "lost";
  }
  if (stage === process.won.name) {
    return "won";
  }
  return stageIndex(process, stage) > 0 ? "open" : "unknown";
}

export interface RequiredCriterion {
  criterion: RuntimeCriterion;
  /** The stage whose list it comes from. */
  stage: string;
  list: "entry" | "exit";
}

/**
 * The criteria a stage move requires, in map order.
 * `fromStage` is null for an insert. Unchanged stages require nothing.
 */
export function requiredForMove(
  process: RuntimeProcess,
  fromStage: string | null,
  toStage: string,
  isInsert: boolean
): RequiredCriterion[] {
  if (!isInsert && fromStage === toStage) {
    return [];
  }
  if (toStage === process.lost.name) {
    return process.lost.entry.map((criterion) => ({
      criterion,
      stage: process.lost.name,
      list: "entry"
    }));
  }
  const t = stageIndex(process, toStage);
  if (t === 0) {
    return [];
  }
  const p = isInsert ? 0 : stageIndex(process, fromStage);
  if (t <= p) {
    return [];
  }
  return requiredBetween(process, p, t);
}

/** Everything a record must meet to *be* in its stage: as if it had been inserted there. */
export function requiredToBeIn(
  process: RuntimeProcess,
  stage: string
): RequiredCriterion[] {
  return requiredForMove(process, null, stage, true);
}

function requiredBetween(
  process: RuntimeProcess,
  p: number,
  t: number
): RequiredCriterion[] {
  const out: RequiredCriterion[] = [];
  for (let k = Math.max(p, 1); k < t; k++) {
    const s = process.stages[k - 1];
    for (const criterion of s.exit) {
      out.push({ criterion, stage: s.name, list: "exit" });
    }
  }
  const target =
    t === process.stages.length + 1 ? process.won : process.stages[t - 1];
  for (const criterion of target.entry) {
    out.push({ criterion, stage: target.name, list: "entry" });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

export type Verdict = "met" | "unmet" | "unknown";

/** Field values by API name. `undefined` (absent) = not readable; `null` or "" = blank. */
export type FieldValues = Record<string, unknown>;
/** Related-record counts by criterion id; absent = not known. */
export type RelatedCounts = Record<string, number | undefined>;
/** Related records by object API name, each a record of field values. */
export type RelatedRecords = Partial<Record<string, Record<string, unknown>[]>>;

export function normalizedPlaceholders(list: readonly string[]): string[] {
  return Array.from(new Set(list.map(normalizeForPlaceholder)));
}

/** Case- and space-insensitive form used by `isMeaningful` (the generated formula uses LOWER(SUBSTITUTE(x, " ", ""))). */
export function normalizeForPlaceholder(value: string): string {
  return value.split(" ").join("").toLowerCase();
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/** Normalized placeholder lists by list, so bulk evaluation (the audit) does not rebuild them per value. */
const normalizedPlaceholderCache = new WeakMap<readonly string[], string[]>();

function blockedPlaceholders(placeholders: readonly string[]): string[] {
  let blocked = normalizedPlaceholderCache.get(placeholders);
  if (!blocked) {
    blocked = normalizedPlaceholders(placeholders);
    normalizedPlaceholderCache.set(placeholders, blocked);
  }
  return blocked;
}

/** The last date value resolved: "TODAY" is resolved once per evaluation run, not per record. */
let lastResolved: { value: Scalar; today: string; date: string } | undefined;

/** Resolves `TODAY`, `TODAY+N`, `TODAY-N` or an ISO date to YYYY-MM-DD. */
export function resolveDateValue(value: Scalar, today: string): string {
  if (
    lastResolved &&
    lastResolved.value === value &&
    lastResolved.today === today
  ) {
    return lastResolved.date;
  }
  const date = resolveDateValueUncached(value, today);
  lastResolved = { value, today, date };
  return date;
}

function resolveDateValueUncached(value: Scalar, today: string): string {
  const text = String(value).trim();
  const relative = /^TODAY\s*(?:([+-])\s*(\d+))?$/i.exec(text);
  if (relative) {
    const days = relative[2]
      ? Number(relative[2]) * (relative[1] === "-" ? -1 : 1)
      : 0;
    return addDays(today, days);
  }
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(text);
  if (!iso) {
    throw new Error(`Not a date: "${text}"`);
  }
  return iso[1];
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `fromIso` (date or date-time, UTC) to `toIso` (date). */
export function daysBetween(fromIso: string, toIso: string): number {
  const from = Date.parse(`${dateOnly(fromIso)}T00:00:00Z`);
  const to = Date.parse(`${toIso.slice(0, 10)}T00:00:00Z`);
  return Math.round((to - from) / 86400000);
}

/** The date part of a date or date-time value, in GMT (like DATEVALUE()). */
export function dateOnly(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return value;
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new Error(`Not a date or date-time: "${value}"`);
  }
  return new Date(t).toISOString().slice(0, 10);
}

function asList(value: Scalar | Scalar[] | undefined): Scalar[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function compareValues(
  kind: FieldKind,
  actual: unknown,
  expected: Scalar,
  today: string
): number {
  if (kind === "number") {
    return Number(actual) - Number(expected);
  }
  if (kind === "date" || kind === "datetime") {
    const a = dateOnly(String(actual));
    const e = resolveDateValue(expected, today);
    return a < e ? -1 : a > e ? 1 : 0;
  }
  const a = String(actual);
  const e = String(expected);
  return a < e ? -1 : a > e ? 1 : 0;
}

/** Salesforce checkboxes are never blank: a missing checkbox value is false. */
function checkboxValue(value: unknown): boolean {
  return value === true || value === "true";
}

/**
 * Evaluates a field criterion. A blank value never satisfies a comparison;
 * `undefined` means the value is not readable, so the verdict is "unknown".
 */
export function evaluateField(
  c: Pick<RuntimeFieldCondition, "operator" | "fieldType" | "value">,
  value: unknown,
  today: string,
  placeholders: readonly string[] = DEFAULT_PLACEHOLDERS
): Verdict {
  if (value === undefined) {
    return "unknown";
  }
  const kind = fieldKind(c.fieldType);
  const ok = (b: boolean): Verdict => (b ? "met" : "unmet");
  if (c.operator === "isTrue") {
    return ok(checkboxValue(value));
  }
  if (c.operator === "isFalse") {
    return ok(!checkboxValue(value));
  }
  if (isBlank(value)) {
    return "unmet";
  }
  const expected = asList(c.value);
  switch (c.operator) {
    case "isSet":
      return "met";
    case "isMeaningful": {
      const normalized = normalizeForPlaceholder(String(value));
      const blocked = blockedPlaceholders(placeholders);
      return ok(normalized !== "" && !blocked.includes(normalized));
    }
    case "equals":
      return ok(compareValues(kind, value, expected[0], today) === 0);
    case "notEquals":
      return ok(compareValues(kind, value, expected[0], today) !== 0);
    case "greaterThan":
      return ok(compareValues(kind, value, expected[0], today) > 0);
    case "greaterOrEqual":
      return ok(compareValues(kind, value, expected[0], today) >= 0);
    case "lessThan":
      return ok(compareValues(kind, value, expected[0], today) < 0);
    case "lessOrEqual":
      return ok(compareValues(kind, value, expected[0], today) <= 0);
    case "in":
      return ok(
        expected.some((e) => compareValues(kind, value, e, today) === 0)
      );
    case "notIn":
      return ok(
        !expected.some((e) => compareValues(kind, value, e, today) === 0)
      );
    case "includes": {
      const selected = String(value).split(";");
      return ok(expected.every((e) => selected.includes(String(e))));
    }
    default:
      return "unknown";
  }
}

/** Like SOQL: text compares case-insensitively, a null filter value matches a blank field. */
function whereValueMatches(actual: unknown, expected: Scalar): boolean {
  if (expected === null) {
    return isBlank(actual);
  }
  if (typeof expected === "boolean") {
    return checkboxValue(actual) === expected;
  }
  if (typeof expected === "number") {
    return !isBlank(actual) && Number(actual) === expected;
  }
  return (
    !isBlank(actual) && String(actual).toLowerCase() === expected.toLowerCase()
  );
}

/** Number of records matching every `where` condition (a list means any of its values). */
export function countMatching(
  records: readonly Record<string, unknown>[],
  where: RelatedCriterion["where"]
): number {
  const conditions = Object.entries(where ?? {});
  return records.filter((r) =>
    conditions.every(([field, expected]) =>
      asList(expected).some((e) => whereValueMatches(r[field], e))
    )
  ).length;
}

/** Counts for every related criterion of the map from related records grouped by object. */
export function countRelated(
  map: RuntimeMap,
  related: RelatedRecords
): RelatedCounts {
  const counts: RelatedCounts = {};
  for (const c of allCriteria(map)) {
    if (isRelatedCriterion(c)) {
      counts[c.id] = countMatching(related[c.related] ?? [], c.where);
    }
  }
  return counts;
}

export function evaluateRelated(
  c: RelatedCriterion,
  count: number | undefined
): Verdict {
  if (count === undefined) {
    return "unknown";
  }
  return count >= (c.minCount ?? 1) ? "met" : "unmet";
}

export interface EvaluationContext {
  values: FieldValues;
  counts: RelatedCounts;
  /** YYYY-MM-DD in the user's time zone. */
  today: string;
  placeholders?: readonly string[];
  /** Treat an absent field value as blank (a saved record) instead of unreadable (the checklist). */
  missingIsBlank?: boolean;
  /** Codes of the deal's approved, unexpired waivers (the waived list, Stage_Gate_Waived__c). */
  waived?: readonly string[];
  /** The running user's custom permissions; absent = not known (permission conditions can't be checked). */
  permissions?: readonly string[];
}

/**
 * Whether a criterion applies (its `when` holds on the record's new values): "met" = it applies,
 * "unmet" = it does not apply, "unknown" = a condition can't be checked (an unreadable field, or
 * permissions not known). Every condition must hold.
 */
export function criterionApplies(
  c: RuntimeCriterion,
  ctx: EvaluationContext
): Verdict {
  let verdict: Verdict = "met";
  for (const w of whenConditions(c)) {
    const v = conditionHolds(w, ctx);
    if (v === "unmet") {
      return "unmet";
    }
    if (v === "unknown") {
      verdict = "unknown";
    }
  }
  return verdict;
}

/** One `when` condition on the record's values and the running user's permissions. */
export function conditionHolds(
  w: RuntimeWhenCondition,
  ctx: EvaluationContext
): Verdict {
  if ("permission" in w || "notPermission" in w) {
    if (ctx.permissions === undefined) {
      return "unknown";
    }
    return "permission" in w
      ? ctx.permissions.includes(w.permission)
        ? "met"
        : "unmet"
      : ctx.permissions.includes(w.notPermission)
        ? "unmet"
        : "met";
  }
  const value = ctx.values[w.field];
  return evaluateField(
    w,
    value === undefined && ctx.missingIsBlank ? null : value,
    ctx.today,
    ctx.placeholders
  );
}

export function evaluateCriterion(
  c: RuntimeCriterion,
  ctx: EvaluationContext
): Verdict {
  if (isRelatedCriterion(c)) {
    return evaluateRelated(c, ctx.counts[c.id]);
  }
  const value = ctx.values[c.field];
  return evaluateField(
    c,
    value === undefined && ctx.missingIsBlank ? null : value,
    ctx.today,
    ctx.placeholders
  );
}

export function allCriteria(map: RuntimeMap): RuntimeCriterion[] {
  return map.processes.flatMap((p) => [
    ...p.stages.flatMap((s) => [...s.entry, ...s.exit]),
    ...p.won.entry,
    ...p.lost.entry
  ]);
}

/**
 * The ids of every related-record criterion of the map, each once, sorted: what the Apex
 * controller knows (StageGateRelatedCriteria) and what the checklist asks it to count.
 */
export function relatedCriterionIds(map: RuntimeMap): string[] {
  return Array.from(
    new Set(
      allCriteria(map)
        .filter(isRelatedCriterion)
        .map((c) => c.id)
    )
  ).sort();
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/** Salesforce's limit for a validation rule's error message. */
export const MAX_ERROR_MESSAGE_LENGTH = 255;

/**
 * The error a blocked move shows for one criterion, identical in the org (validation
 * rule or flow) and in the checklist: "[id] Label. Help"
 */
export function criterionMessage(c: Criterion): string {
  const label = c.label.trim().replace(/[.\s]+$/, "");
  const text =
    `[${c.id}] ${label}.${c.help ? ` ${c.help.trim()}` : ""}`.replace(
      /\s+/g,
      " "
    );
  return text.length <= MAX_ERROR_MESSAGE_LENGTH
    ? text
    : `${text.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`;
}

/** Opening of the flow's message when several criteria block (then their codes follow). */
export const FLOW_MESSAGE_PREFIX = "Stage gates not met:";
/** Closing of the flow's message when several criteria block. */
export const FLOW_MESSAGE_SUFFIX =
  ". The Stage Gate Checklist shows how to meet each.";
/** The flow lists at most this many criteria (so " +N more" has at most three digits). */
export const FLOW_MAX_CRITERIA = 999;
/** Room for the codes in the flow's message: 255 minus prefix, suffix and the longest " +999 more". */
export const FLOW_MESSAGE_CODE_BUDGET =
  MAX_ERROR_MESSAGE_LENGTH -
  FLOW_MESSAGE_PREFIX.length -
  FLOW_MESSAGE_SUFFIX.length -
  ` +${FLOW_MAX_CRITERIA} more`.length;

/** A criterion's code in the flow's message: " [id]". */
export function flowMessageToken(c: Criterion): string {
  return ` [${c.id}]`;
}

/**
 * The one Custom Error message the record-triggered flow shows for the
 * criteria it enforces, at most 255 characters whatever blocks: one criterion
 * shows its full message ("[id] Label. Help"); several show their codes in map
 * order, as many as fit, then " +N more" (the checklist has the help texts).
 * Empty when nothing blocks. The generated flow builds exactly this text.
 */
export function flowBlockedMessage(unmet: readonly Criterion[]): string {
  if (unmet.length === 0) {
    return "";
  }
  if (unmet.length === 1) {
    return criterionMessage(unmet[0]);
  }
  let codes = "";
  let omitted = 0;
  for (const c of unmet) {
    const token = flowMessageToken(c);
    if (
      omitted === 0 &&
      codes.length + token.length <= FLOW_MESSAGE_CODE_BUDGET
    ) {
      codes += token;
    } else {
      omitted += 1;
    }
  }
  return `${FLOW_MESSAGE_PREFIX}${codes}${omitted > 0 ? ` +${omitted} more` : ""}${FLOW_MESSAGE_SUFFIX}`;
}

/** The generated metadata that enforces a criterion: one validation rule per placement, or the one flow. */
export type Enforcer = "validationRule" | "flow";

/**
 * What enforces this criterion in the org: a related criterion is counted by the record-triggered
 * flow; a field criterion has its validation rule, or is checked by the flow too when the map
 * says `"fieldCriteriaIn": "flow"`. The generator writes exactly this split.
 */
export function enforcerOf(
  fieldCriteriaIn: FieldCriteriaIn | undefined,
  c: Criterion
): Enforcer {
  return isRelatedCriterion(c) || fieldCriteriaIn === "flow"
    ? "flow"
    : "validationRule";
}

/** One error a blocked save returns in the org. */
export interface OrgError {
  enforcedBy: Enforcer;
  /** The criteria (ids, map order) this error is for. */
  criteria: string[];
  message: string;
}

/**
 * The errors the org returns for these blocking criteria: the flow's one Custom Error for the
 * criteria it enforces (it runs first: before-save flows precede validation rules in the save
 * order), then one error per validation rule, in map order (ids are unique in the map, so each
 * criterion has one placement and one rule). Nothing blocks: none.
 */
export function orgErrors(
  map: Pick<RuntimeMap, "fieldCriteriaIn">,
  blocking: readonly Criterion[]
): OrgError[] {
  const byFlow = blocking.filter(
    (c) => enforcerOf(map.fieldCriteriaIn, c) === "flow"
  );
  const errors: OrgError[] = [];
  if (byFlow.length > 0) {
    errors.push({
      enforcedBy: "flow",
      criteria: byFlow.map((c) => c.id),
      message: flowBlockedMessage(byFlow)
    });
  }
  for (const c of blocking) {
    if (enforcerOf(map.fieldCriteriaIn, c) === "validationRule") {
      errors.push({
        enforcedBy: "validationRule",
        criteria: [c.id],
        message: criterionMessage(c)
      });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------
// Waivers
// ---------------------------------------------------------------------------

/**
 * The Opportunity field that lists the codes of the deal's approved, unexpired waivers, as
 * ";code;code;" (maintained by the waiver automation; the generated validation rules and flow
 * read it, so an enforced criterion it lists does not block).
 */
export const WAIVED_FIELD = "Stage_Gate_Waived__c";
export const WAIVED_SEPARATOR = ";";

/** What the waived list contains for one code: the code between separators. */
export function waivedToken(criterionId: string): string {
  return `${WAIVED_SEPARATOR}${criterionId}${WAIVED_SEPARATOR}`;
}

/**
 * The codes of a waived list (";a;b;"); blank or absent = none. Only a code with a separator on
 * both sides counts, as in the org, whose rules look for ";code;": "a" or ";a" waives nothing.
 */
export function parseWaivedList(value: unknown): string[] {
  if (typeof value !== "string") {
    return [];
  }
  return value
    .split(WAIVED_SEPARATOR)
    .slice(1, -1)
    .filter((code) => code !== "");
}

/** The waived list for these codes (sorted, no duplicates), null for none — as the automation writes it. */
export function formatWaivedList(codes: readonly string[]): string | null {
  const unique = Array.from(new Set(codes)).sort();
  return unique.length === 0
    ? null
    : `${WAIVED_SEPARATOR}${unique.join(WAIVED_SEPARATOR)}${WAIVED_SEPARATOR}`;
}

/**
 * True when the waived list lifts this criterion. The org compares the code as the map spells
 * it (CONTAINS is case-sensitive; the automation stores the map's spelling), so does this.
 */
export function isWaived(
  criterionId: string,
  waived: readonly string[] | undefined
): boolean {
  return (waived ?? []).includes(criterionId);
}

/**
 * True when the waived list lifts this criterion on the deal: only an enforced criterion can be
 * waived (a warning never blocks, so there is nothing to lift), as in the generated rules and flow.
 */
export function waiverLifts(
  c: RuntimeCriterion,
  waived: readonly string[] | undefined
): boolean {
  return criterionMode(c) !== "warn" && isWaived(c.id, waived);
}

// ---------------------------------------------------------------------------
// Transitions (the what-if engine) and checklists (the LWC)
// ---------------------------------------------------------------------------

export interface CriterionResult {
  criterion: RuntimeCriterion;
  stage: string;
  list: "entry" | "exit";
  verdict: Verdict;
  mode: "enforce" | "warn";
  /** An approved, unexpired waiver lifts this enforced criterion on this deal. */
  waived?: boolean;
}

/** An enforced criterion that is not met (unmet or not checkable) and not waived: it blocks the move. Warnings never do. */
export function isBlocking(result: CriterionResult): boolean {
  return (
    result.mode === "enforce" && result.verdict !== "met" && !result.waived
  );
}

export interface TransitionInput {
  /** Record type DeveloperName after the change. */
  recordType?: string | null;
  /** Field values before the change; null for an insert. */
  before: FieldValues | null;
  after: FieldValues;
  counts?: RelatedCounts;
  permissions?: readonly string[];
  today: string;
  /**
   * Codes of the deal's approved, unexpired waivers. Defaults to the waived list in
   * `after` (Stage_Gate_Waived__c), which is what the org's rules read.
   */
  waived?: readonly string[];
}

export interface TransitionResult {
  allowed: boolean;
  /** Unmet enforced criteria (ids), map order. */
  blocking: string[];
  /** Unmet warn-mode criteria (ids), map order. */
  warnings: string[];
  /** Unmet enforced criteria a waiver lifts (ids), map order: they do not block. */
  waived: string[];
  /** The errors the org returns for this save (the flow's, then each validation rule's). */
  errors: OrgError[];
  /** Those errors' messages, one per line. */
  message: string;
  results: CriterionResult[];
  process?: string;
}

export const STAGE_FIELD = "StageName";

/** Decides a save exactly as the generated validation rules and flow do. */
export function evaluateTransition(
  map: RuntimeMap,
  input: TransitionInput
): TransitionResult {
  const process = selectProcess(map, input.recordType);
  const allowedResult: TransitionResult = {
    allowed: true,
    blocking: [],
    warnings: [],
    waived: [],
    errors: [],
    message: "",
    results: []
  };
  if (!process) {
    return allowedResult;
  }
  if ((input.permissions ?? []).includes(map.bypassPermission)) {
    return { ...allowedResult, process: process.name };
  }
  const isInsert = input.before === null;
  const toStage = asStage(input.after[STAGE_FIELD]);
  const fromStage = isInsert ? null : asStage(input.before?.[STAGE_FIELD]);
  if (toStage === null) {
    return { ...allowedResult, process: process.name };
  }
  const ctx: EvaluationContext = {
    values: input.after,
    // Values absent from a saved record are blank, not unreadable.
    missingIsBlank: true,
    counts: input.counts ?? {},
    today: input.today,
    placeholders: map.placeholders,
    // A save knows its user: permissions not given are not held.
    permissions: input.permissions ?? [],
    waived: input.waived ?? parseWaivedList(input.after[WAIVED_FIELD])
  };
  const results = applicableResults(
    requiredForMove(process, fromStage, toStage, isInsert),
    ctx
  );
  const unmetEnforced = results.filter(isBlocking);
  const errors = orgErrors(
    map,
    unmetEnforced.map((r) => r.criterion)
  );
  return {
    allowed: unmetEnforced.length === 0,
    blocking: unmetEnforced.map((r) => r.criterion.id),
    warnings: results
      .filter((r) => r.mode === "warn" && r.verdict !== "met")
      .map((r) => r.criterion.id),
    waived: results
      .filter((r) => r.waived && r.verdict !== "met")
      .map((r) => r.criterion.id),
    errors,
    message: errors.map((e) => e.message).join("\n"),
    results,
    process: process.name
  };
}

function asStage(value: unknown): string | null {
  return value === null || value === undefined || value === ""
    ? null
    : String(value);
}

/**
 * The result of one required criterion, or undefined when its `when` does not hold (it does not
 * apply to this record). A met criterion is met whether or not it applies; an unmet one whose
 * `when` can't be checked is "unknown".
 */
function resultFor(
  r: RequiredCriterion,
  ctx: EvaluationContext
): CriterionResult | undefined {
  const applies = criterionApplies(r.criterion, ctx);
  if (applies === "unmet") {
    return undefined;
  }
  const verdict = evaluateCriterion(r.criterion, ctx);
  const mode = criterionMode(r.criterion) === "warn" ? "warn" : "enforce";
  const result: CriterionResult = {
    ...r,
    verdict: verdict === "met" || applies === "met" ? verdict : "unknown",
    mode
  };
  if (waiverLifts(r.criterion, ctx.waived)) {
    result.waived = true;
  }
  return result;
}

/** Results of the criteria that apply, in order. */
function applicableResults(
  required: readonly RequiredCriterion[],
  ctx: EvaluationContext
): CriterionResult[] {
  const out: CriterionResult[] = [];
  for (const r of required) {
    const result = resultFor(r, ctx);
    if (result) {
      out.push(result);
    }
  }
  return out;
}

export type ChecklistStatus =
  "open" | "won" | "lost" | "notInMap" | "noProcess" | "noStage";

export interface Checklist {
  status: ChecklistStatus;
  process?: string;
  stage?: string;
  guidance?: string;
  targetDays?: number;
  /** Exit criteria of the current stage. */
  items: CriterionResult[];
  met: number;
  total: number;
  /** All enforced exit criteria met (warnings never hold a deal back). */
  ready: boolean;
  /** The next open stage (or the won stage) this checklist leads to. */
  nextStage?: string;
  /** Criteria passed to reach the current stage that are no longer met. */
  regressions: CriterionResult[];
  /** Days since the last stage change, when known. */
  daysInStage?: number;
  overdue: boolean;
}

export interface ChecklistInput extends EvaluationContext {
  recordType?: string | null;
  stage: string | null | undefined;
  /** LastStageChangeDate (date-time) or null. */
  lastStageChange?: string | null;
}

/** The checklist for a record's current stage. */
export function buildChecklist(
  map: RuntimeMap,
  input: ChecklistInput
): Checklist {
  const empty: Checklist = {
    status: "noProcess",
    items: [],
    met: 0,
    total: 0,
    ready: false,
    regressions: [],
    overdue: false
  };
  const process = selectProcess(map, input.recordType);
  if (!process) {
    return empty;
  }
  const stage = asStage(input.stage);
  if (stage === null) {
    return { ...empty, status: "noStage", process: process.name };
  }
  const kind = stageKind(process, stage);
  const base = { ...empty, process: process.name, stage };
  if (kind === "won" || kind === "lost") {
    const closed = kind === "won" ? process.won : process.lost;
    return { ...base, status: kind, guidance: closed.guidance, ready: true };
  }
  if (kind === "unknown") {
    return { ...base, status: "notInMap" };
  }
  const t = stageIndex(process, stage);
  const current = process.stages[t - 1];
  const ctx: EvaluationContext = { ...input, placeholders: map.placeholders };
  const items = applicableResults(
    current.exit.map((criterion) => ({
      criterion,
      stage: current.name,
      list: "exit" as const
    })),
    ctx
  );
  const regressions = applicableResults(
    requiredToBeIn(process, stage),
    ctx
  ).filter((r) => r.verdict === "unmet");
  const daysInStage = input.lastStageChange
    ? daysBetween(input.lastStageChange, input.today)
    : undefined;
  const met = items.filter((i) => i.verdict === "met").length;
  return {
    ...base,
    status: "open",
    guidance: current.guidance,
    targetDays: current.targetDays,
    items,
    met,
    total: items.length,
    ready: !items.some(isBlocking),
    nextStage:
      t < process.stages.length ? process.stages[t].name : process.won.name,
    regressions,
    daysInStage,
    overdue:
      current.targetDays !== undefined &&
      daysInStage !== undefined &&
      daysInStage > current.targetDays
  };
}

/** What moving from the current stage to `toStage` would require, evaluated now. */
export function previewMove(
  map: RuntimeMap,
  input: ChecklistInput & { toStage: string }
): CriterionResult[] {
  const process = selectProcess(map, input.recordType);
  if (!process) {
    return [];
  }
  const ctx: EvaluationContext = { ...input, placeholders: map.placeholders };
  return applicableResults(
    requiredForMove(process, asStage(input.stage), input.toStage, false),
    ctx
  );
}

/** Later stages a rep can preview from the current one (open stages after it, then won). */
export function laterStages(
  process: RuntimeProcess,
  stage: string | null | undefined
): string[] {
  const p = stageIndex(process, stage);
  const kind = stageKind(process, stage);
  if (kind === "won") {
    return [];
  }
  const from = kind === "lost" || kind === "unknown" ? 0 : p;
  return [
    ...process.stages.slice(from).map((s) => s.name),
    process.won.name
  ].filter((s) => s !== stage);
}

/** Opportunity fields the map reads (for getRecord). */
export function fieldsUsed(map: RuntimeMap): string[] {
  const fields = new Set<string>();
  for (const c of allCriteria(map)) {
    if (!isRelatedCriterion(c)) {
      fields.add(c.field);
    }
    for (const w of whenConditions(c)) {
      if (isFieldCondition(w)) {
        fields.add(w.field);
      }
    }
  }
  return Array.from(fields).sort();
}

// ---------------------------------------------------------------------------
// Conditions in words ("applies because Amount ≥ 100,000")
// ---------------------------------------------------------------------------

/** Templates for conditions in words; {0} = the field (or permission), {1} = the value(s). */
export interface ConditionTexts {
  isSet: string;
  isMeaningful: string;
  in: string;
  notIn: string;
  includes: string;
  isTrue: string;
  isFalse: string;
  permission: string;
  notPermission: string;
  /** Joins two conditions: {0} and {1}. */
  and: string;
}

/** English texts (the checklist passes its custom labels, which default to these). */
export const DEFAULT_CONDITION_TEXTS: ConditionTexts = {
  isSet: "{0} is filled in",
  isMeaningful: "{0} is filled in",
  in: "{0} is {1}",
  notIn: "{0} is not {1}",
  includes: "{0} includes {1}",
  isTrue: "{0} is checked",
  isFalse: "{0} is not checked",
  permission: "you have the {0} permission",
  notPermission: "you don't have the {0} permission",
  and: "{0} and {1}"
};

const COMPARISON_SYMBOLS: Partial<Record<FieldOperator, string>> = {
  equals: "=",
  notEquals: "≠",
  greaterThan: ">",
  greaterOrEqual: "≥",
  lessThan: "<",
  lessOrEqual: "≤"
};

function fill(template: string, ...args: string[]): string {
  return template.replace(/\{(\d)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** A readable name for a field or permission API name: "Pain_Points__c" → "Pain Points". */
export function displayName(apiName: string): string {
  return apiName
    .replace(/__c$/i, "")
    .replace(/_/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A condition value as a rep reads it: numbers in the locale (Percent with %), dates as written. */
export function formatConditionValue(
  value: Scalar,
  fieldType: FieldType,
  locale = "en-US"
): string {
  if (typeof value === "number") {
    const text = new Intl.NumberFormat(locale).format(value);
    return fieldType === "Percent" ? `${text}%` : text;
  }
  return String(value);
}

/** One `when` condition in words, e.g. "Amount ≥ 100,000" or "you have the Deal Desk permission". */
export function describeCondition(
  w: RuntimeWhenCondition,
  texts: ConditionTexts = DEFAULT_CONDITION_TEXTS,
  locale = "en-US"
): string {
  if ("permission" in w) {
    return fill(texts.permission, displayName(w.permission));
  }
  if ("notPermission" in w) {
    return fill(texts.notPermission, displayName(w.notPermission));
  }
  const field = displayName(w.field);
  const values = asList(w.value).map((v) =>
    formatConditionValue(v, w.fieldType, locale)
  );
  const symbol = COMPARISON_SYMBOLS[w.operator];
  if (symbol) {
    return `${field} ${symbol} ${values[0] ?? ""}`.trim();
  }
  const template = texts[w.operator as keyof ConditionTexts] ?? "{0} {1}";
  return fill(template, field, values.join(", "));
}

/** The criterion's `when` in words, conditions joined with "and"; undefined when it always applies. */
export function describeWhen(
  c: RuntimeCriterion,
  texts: ConditionTexts = DEFAULT_CONDITION_TEXTS,
  locale = "en-US"
): string | undefined {
  const parts = whenConditions<RuntimeWhenCondition>(c).map((w) =>
    describeCondition(w, texts, locale)
  );
  if (parts.length === 0) {
    return undefined;
  }
  return parts.reduce((all, part) => fill(texts.and, all, part));
}
