/**
 * The product's enforcement test, generated from the map so that it passes in any org with any
 * map: classes/StageGateGeneratedEnforcementTest.cls (+ meta).
 *
 * For every reachable process and every enforced criterion it writes one test: the smallest move
 * that requires the criterion, with every other criterion of that move met, is blocked naming the
 * criterion's code; once the criterion is met (a field value, or the related records via the
 * test data factory) the same move is saved. Per process: an insert that the gates allow, an
 * insert past a gate that they block, a backward move, the bypass user moving 200 records, and a
 * 200-record move whose query cost is asserted (Limits.getQueries()) against the bound below.
 *
 * Values that meet or miss a criterion are chosen here from the criterion's operator and value
 * and the field's type, and checked with the core's evaluateField (dates relative to TODAY, so
 * the output does not depend on the day it is generated). What cannot be generated (a lookup
 * other than AccountId, a read-only or formula field, a related criterion on a read-only field)
 * is listed in the class comment, and the tests it would need assert only what can be asserted.
 *
 * Every test body runs inside System.runAs with the gated user the factory creates (a Modify All
 * Data profile without the bypass, with Stage_Gates_User): the deploying user's permissions never
 * matter. Record types are set explicitly (StageGateTestDataFactory.recordTypeIdFor).
 */
import {
  addDays,
  countMatching,
  criterionMode,
  evaluateField,
  fieldKind,
  isRelatedCriterion,
  requiredForMove,
  whenConditions,
  requiredToBeIn,
  selectProcess,
  type RelatedCriterion,
  type RuntimeCriterion,
  type RuntimeFieldCriterion,
  type RuntimeMap,
  type RuntimeProcess,
  type Scalar
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { FieldCatalogue, FieldInfo, LoadedMap } from "../load";
import { flowQueriesPerSave, flowRelatedObjects } from "./flow";
import { APEX_API_VERSION, apexString, apexValue } from "./apex";
import { isReachable } from "./formula";
import { lineCommentHeader, xmlHeaderComment } from "./names";
import { mapRecordTypes } from "./permissions";
import type { Emitter } from "./types";

export const ENFORCEMENT_TEST_CLASS = "StageGateGeneratedEnforcementTest";
export const ENFORCEMENT_TEST_PATH = `classes/${ENFORCEMENT_TEST_CLASS}.cls`;
export const BULK_RECORD_COUNT = 200;

/** A fixed day for checking relative date values: the generated tests use Date.today() in the org. */
export const REFERENCE_TODAY = "2030-06-15";
/** Any well-formed Account Id: only its being set matters to the core. */
const SOME_ACCOUNT_ID = "001000000000000AAA";

/** A value the generated Apex sets on a field. */
export type TestValue =
  | { kind: "null" }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "date"; days: number }
  | { kind: "isoDate"; iso: string }
  | { kind: "datetime"; days: number }
  | { kind: "isoDatetime"; iso: string }
  | { kind: "account" };

/** The value as the core sees it on REFERENCE_TODAY. */
export function coreValue(v: TestValue): unknown {
  switch (v.kind) {
    case "null":
      return null;
    case "string":
    case "number":
    case "boolean":
      return v.value;
    case "date":
      return addDays(REFERENCE_TODAY, v.days);
    case "isoDate":
      return v.iso;
    case "datetime":
      return `${addDays(REFERENCE_TODAY, v.days)}T12:00:00.000Z`;
    case "isoDatetime":
      return `${v.iso}T12:00:00.000Z`;
    case "account":
      return SOME_ACCOUNT_ID;
  }
}

/** The Apex expression for the value. */
export function apexLiteral(v: TestValue): string {
  const ymd = (iso: string): string =>
    iso
      .split("-")
      .map((part) => String(Number(part)))
      .join(", ");
  switch (v.kind) {
    case "null":
      return "null";
    case "string":
      return apexString(v.value);
    case "number":
      return apexValue(v.value, "test value");
    case "boolean":
      return v.value ? "true" : "false";
    case "date":
      return v.days === 0 ? "Date.today()" : `Date.today().addDays(${v.days})`;
    case "isoDate":
      return `Date.newInstance(${ymd(v.iso)})`;
    case "datetime":
      return `Datetime.now().addDays(${v.days})`;
    case "isoDatetime":
      return `Datetime.newInstanceGmt(${ymd(v.iso)}, 12, 0, 0)`;
    case "account":
      return "accountId()";
  }
}

/** A lookup that may be blank: a test can leave it empty even when it cannot fill it. */
export function blankable(info: FieldInfo | undefined): boolean {
  return info?.type === "Reference" && info.required !== true;
}

/** Why no value of this field can be generated, or undefined when values can be. */
export function unsettableReason(
  field: string,
  info: FieldInfo | undefined
): string | undefined {
  if (!info) {
    return `${field} is not in the field catalogue`;
  }
  if (info.formula === true || info.updateable === false) {
    return `${field} is a formula or read-only field: a test cannot set it`;
  }
  if (info.type === "Id") {
    return `${field} is an Id field: a test cannot set it`;
  }
  if (info.type === "Reference" && field !== "AccountId") {
    return `${field} is a lookup: the generator cannot create the record it points to (only AccountId, the factory's account)`;
  }
  return undefined;
}

function dateOffset(value: Scalar): number | undefined {
  const m = /^TODAY\s*(?:([+-])\s*(\d+))?$/i.exec(String(value).trim());
  if (!m) return undefined;
  return m[2] ? Number(m[2]) * (m[1] === "-" ? -1 : 1) : 0;
}

function isoOf(value: Scalar): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(value));
  return m ? m[1] : undefined;
}

function values(c: RuntimeFieldCriterion): Scalar[] {
  if (c.value === undefined) return [];
  return Array.isArray(c.value) ? c.value : [c.value];
}

/** Candidate values for a field, in order of preference (away from boundaries first). */
function candidates(
  criteria: RuntimeFieldCriterion[],
  field: string,
  info: FieldInfo
): TestValue[] {
  const out: TestValue[] = [];
  const kind = fieldKind(criteria[0].fieldType);
  const all = criteria.flatMap(values);
  if (field === "AccountId") {
    out.push({ kind: "account" });
  } else if (kind === "checkbox") {
    out.push(
      { kind: "boolean", value: true },
      { kind: "boolean", value: false }
    );
  } else if (kind === "number") {
    const numbers = all.map(Number).filter((n) => Number.isFinite(n));
    for (const n of numbers) {
      out.push(
        { kind: "number", value: n + 1000 },
        { kind: "number", value: n - 1000 },
        { kind: "number", value: n + 1 },
        { kind: "number", value: n - 1 },
        { kind: "number", value: n }
      );
    }
    for (const n of [1000, 1, 0, -1]) out.push({ kind: "number", value: n });
  } else if (kind === "date" || kind === "datetime") {
    const rel = kind === "date" ? "date" : "datetime";
    const abs = kind === "date" ? "isoDate" : "isoDatetime";
    // Datetimes are compared by their date in GMT: stay two days away from any boundary.
    const steps =
      kind === "date"
        ? [30, -30, 7, -7, 2, -2, 1, -1, 0]
        : [30, -30, 7, -7, 2, -2];
    for (const v of all) {
      const offset = dateOffset(v);
      const iso = isoOf(v);
      for (const step of steps) {
        if (offset !== undefined) {
          out.push({ kind: rel, days: offset + step });
        } else if (iso) {
          out.push({ kind: abs, iso: addDays(iso, step) });
        }
      }
    }
    for (const step of steps) out.push({ kind: rel, days: step });
  } else if (kind === "multipicklist") {
    const texts = all.map(String);
    if (texts.length > 0) out.push({ kind: "string", value: texts.join(";") });
    for (const v of [...texts, ...(info.values ?? [])])
      out.push({ kind: "string", value: v });
  } else if (kind === "picklist") {
    for (const v of [...all.map(String), ...(info.values ?? [])])
      out.push({ kind: "string", value: v });
  } else {
    const typed: Record<string, string[]> = {
      Email: ["gate.met@example.com", "gate.other@example.com"],
      Phone: ["+1 415 555 0100", "+1 415 555 0199"],
      Url: ["https://example.com/met", "https://example.com/other"]
    };
    for (const v of all) out.push({ kind: "string", value: String(v) });
    for (const v of typed[String(info.type)] ?? [
      "Agreed",
      "Confirmed",
      "Documented"
    ])
      out.push({ kind: "string", value: v });
  }
  if (info.required !== true && kind !== "checkbox") {
    out.push({ kind: "null" });
  }
  return out;
}

function meets(
  c: RuntimeFieldCriterion,
  v: TestValue,
  placeholders: readonly string[]
): boolean {
  return (
    evaluateField(c, coreValue(v), REFERENCE_TODAY, placeholders) === "met"
  );
}

/** The custom permission a criterion's `when` requires the user to hold, if any. */
export function requiredPermission(c: RuntimeCriterion): string | undefined {
  for (const w of whenConditions(c)) {
    if ("permission" in w) return w.permission;
  }
  return undefined;
}

/** A field criterion or a related one, enforced, that can block the move. */
export function blocking(c: RuntimeCriterion): boolean {
  if (criterionMode(c) !== "enforce") return false;
  return !isRelatedCriterion(c) || (c.minCount ?? 1) > 0;
}

export interface FieldSetting {
  field: string;
  value: TestValue;
}

export interface MovePlan {
  process: RuntimeProcess;
  from: string | null;
  to: string;
  /** Every blocking criterion the move requires, map order. */
  required: RuntimeCriterion[];
  /** The `when` conditions of those criteria on the record's fields: met, so that each applies. */
  conditions: RuntimeFieldCriterion[];
  /** Field values with every required field criterion met (except the one under test, if any). */
  fields: FieldSetting[];
  /** Related criteria to meet before the move (id → minCount). */
  related: { id: string; count: number }[];
  /** Why the move cannot be saved with every criterion met, if it cannot. */
  limits: string[];
}

export function relatedLimit(
  c: RelatedCriterion,
  fields: FieldCatalogue
): string | undefined {
  const where = Object.keys(c.where ?? {});
  if (c.related === "ContentDocumentLink" && where.length > 0) {
    return `criterion ${c.id}: files are uploaded as ContentVersion; the generator cannot make a ContentDocumentLink with ${where.join(", ")}`;
  }
  for (const field of where) {
    const info = fields[c.related]?.[field];
    if (info && (info.updateable === false || info.formula === true)) {
      return `criterion ${c.id}: ${c.related}.${field} is read-only: a test cannot set it`;
    }
  }
  return undefined;
}

/**
 * Values for a move: every required field criterion met, except `unmet` (its field gets a value
 * that misses it and, where possible, meets the other criteria on the same field).
 */
export function planMove(
  runtime: RuntimeMap,
  fields: FieldCatalogue,
  process: RuntimeProcess,
  from: string | null,
  to: string,
  unmet?: RuntimeCriterion
): MovePlan {
  const required = requiredForMove(process, from, to, from === null)
    .map((r) => r.criterion)
    .filter(blocking)
    // The test users hold no custom permission but the bypass: such criteria never apply to them.
    .filter((c) => requiredPermission(c) === undefined);
  const limits: string[] = [];
  const byField = new Map<string, RuntimeFieldCriterion[]>();
  for (const c of required) {
    if (!isRelatedCriterion(c)) {
      byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
    }
  }
  // Every required criterion must apply: its `when` conditions on the record hold too.
  const conditions = whenConstraints(required);
  for (const w of conditions) {
    byField.set(w.field, [...(byField.get(w.field) ?? []), w]);
  }
  const isCondition = (c: RuntimeFieldCriterion): boolean =>
    conditions.includes(c);
  const settings: FieldSetting[] = [];
  for (const [field, criteria] of byField) {
    const info = fields.Opportunity?.[field];
    const reason = unsettableReason(field, info);
    const target =
      unmet && !isRelatedCriterion(unmet) && unmet.field === field
        ? unmet
        : undefined;
    if (target && reason && blankable(info)) {
      // A lookup the generator cannot fill can still be left blank: that misses the criterion.
      settings.push({ field, value: { kind: "null" } });
      continue;
    }
    if (reason || !info) {
      limits.push(reason ?? field);
      continue;
    }
    const list = candidates(criteria, field, info);
    let chosen: TestValue | undefined;
    if (target) {
      const others = criteria.filter((c) => c !== target);
      const misses = (v: TestValue): boolean =>
        !meets(target, v, runtime.placeholders);
      const ordered = [...list.filter((v) => v.kind === "null"), ...list];
      chosen =
        ordered.find(
          (v) =>
            misses(v) && others.every((c) => meets(c, v, runtime.placeholders))
        ) ??
        ordered.find(
          (v) =>
            misses(v) &&
            others
              .filter(isCondition)
              .every((c) => meets(c, v, runtime.placeholders))
        );
      if (!chosen) {
        limits.push(`no value of ${field} misses criterion ${target.id}`);
        continue;
      }
    } else {
      chosen = list.find((v) =>
        criteria.every((c) => meets(c, v, runtime.placeholders))
      );
      if (!chosen) {
        limits.push(
          `no value of ${field} meets ${criteria.map((c) => c.id).join(" and ")} at once`
        );
        continue;
      }
    }
    settings.push({ field, value: chosen });
  }
  const related: { id: string; count: number }[] = [];
  for (const c of required) {
    if (isRelatedCriterion(c)) {
      const reason = relatedLimit(c, fields);
      if (reason) {
        limits.push(reason);
      } else if (c !== unmet) {
        related.push({ id: c.id, count: c.minCount ?? 1 });
      }
    }
  }
  return {
    process,
    from,
    to,
    required,
    conditions,
    fields: settings,
    related,
    limits
  };
}

/**
 * The `when` conditions of the required criteria, as field criteria the values must meet (so
 * that every criterion applies).
 */
function whenConstraints(
  required: RuntimeCriterion[]
): RuntimeFieldCriterion[] {
  const out: RuntimeFieldCriterion[] = [];
  for (const c of required) {
    for (const w of whenConditions(c)) {
      if (!("permission" in w) && !("notPermission" in w)) {
        out.push({
          id: `${c.id} (when)`,
          label: `when of ${c.id}`,
          field: w.field,
          operator: w.operator,
          value: w.value,
          fieldType: w.fieldType
        });
      }
    }
  }
  return out;
}

/** The smallest move that requires a criterion placed on a stage's entry or exit. */
export function moveFor(
  process: RuntimeProcess,
  stage: string,
  list: "entry" | "exit"
): { from: string; to: string } {
  const names = process.stages.map((s) => s.name);
  const k = names.indexOf(stage);
  if (stage === process.lost.name && list === "entry") {
    return { from: names[0] ?? process.won.name, to: process.lost.name };
  }
  if (stage === process.won.name && list === "entry") {
    return {
      from: names[names.length - 1] ?? process.lost.name,
      to: process.won.name
    };
  }
  if (list === "exit") {
    return { from: stage, to: names[k + 1] ?? process.won.name };
  }
  // Entry of an open stage: from the stage before it; for the first one, reopened from the lost stage.
  return { from: k > 0 ? names[k - 1] : process.lost.name, to: stage };
}

interface CriterionCase {
  criterion: RuntimeCriterion;
  stage: string;
  list: "entry" | "exit";
  plan: MovePlan;
  /** The move can be saved once the criterion is met. */
  canMeet: boolean;
  meetValue?: TestValue;
}

/** The fields the factory gives a related record before the criterion's `where` (createMatching). */
const FACTORY_DEFAULTS: Readonly<Record<string, Record<string, unknown>>> = {
  OpportunityContactRole: { IsPrimary: false, Role: null },
  Task: { Status: "Not Started", Priority: "Normal", Type: null },
  Event: { Type: null },
  ContentDocumentLink: {},
  OpportunityLineItem: { Quantity: 1, TotalPrice: 1000 }
};

/** The record the factory makes to meet a criterion: its defaults, then the first non-null value of each condition. */
export function factoryRecord(c: RelatedCriterion): Record<string, unknown> {
  const record: Record<string, unknown> = { ...FACTORY_DEFAULTS[c.related] };
  for (const [field, expected] of Object.entries(c.where ?? {})) {
    const first = (Array.isArray(expected) ? expected : [expected]).find(
      (v) => v !== null
    );
    if (first !== undefined) record[field] = first;
  }
  return record;
}

/**
 * True when the related records made for the move's other criteria already meet `c` (e.g. two
 * file criteria without `where`): its blocked move cannot be produced.
 */
export function metByOthers(
  runtime: RuntimeMap,
  plan: MovePlan,
  c: RelatedCriterion
): boolean {
  const byId = new Map(
    plan.required.filter(isRelatedCriterion).map((r) => [r.id, r])
  );
  const records = plan.related.flatMap((r) => {
    const other = byId.get(r.id);
    return other && other.related === c.related
      ? Array.from({ length: r.count }, () => factoryRecord(other))
      : [];
  });
  return countMatching(records, c.where) >= (c.minCount ?? 1);
}

/** The value that meets a field criterion, given the other criteria on its field in the move. */
export function meetingValue(
  runtime: RuntimeMap,
  fields: FieldCatalogue,
  plan: MovePlan,
  c: RuntimeFieldCriterion
): TestValue | undefined {
  const info = fields.Opportunity?.[c.field];
  if (!info || unsettableReason(c.field, info)) return undefined;
  const same = [
    ...plan.required.filter(
      (r): r is RuntimeFieldCriterion =>
        !isRelatedCriterion(r) && r.field === c.field
    ),
    ...plan.conditions.filter((w) => w.field === c.field)
  ];
  return candidates(same, c.field, info).find((v) =>
    same.every((r) => meets(r, v, runtime.placeholders))
  );
}

// ---------------------------------------------------------------------------
// Apex source
// ---------------------------------------------------------------------------

export function camel(text: string): string {
  const parts = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return parts.map((p) => p[0].toUpperCase() + p.slice(1)).join("") || "X";
}

/** Unique method names (Apex names are case-insensitive). */
export class MethodNames {
  private readonly taken = new Set<string>();
  name(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name.toLowerCase()); i++)
      name = `${base}${i}`;
    this.taken.add(name.toLowerCase());
    return name;
  }
}

export function stringList(items: readonly string[]): string {
  return items.length === 0
    ? "new List<String>()"
    : `new List<String>{ ${items.map(apexString).join(", ")} }`;
}

export function valuesMap(settings: FieldSetting[]): string {
  return settings.length === 0
    ? "new Map<String, Object>()"
    : `new Map<String, Object>{ ${settings
        .map((s) => `${apexString(s.field)} => ${apexLiteral(s.value)}`)
        .join(", ")} }`;
}

export function relatedMap(related: { id: string; count: number }[]): string {
  return related.length === 0
    ? "new Map<String, Integer>()"
    : `new Map<String, Integer>{ ${related.map((r) => `${apexString(r.id)} => ${r.count}`).join(", ")} }`;
}

export function scenario(
  processConst: string,
  plan: MovePlan,
  withSettings = true
): string {
  return (
    `new StageGateMoveScenario(${processConst}, CLAIMED_RECORD_TYPES, ${plan.from === null ? "null" : apexString(plan.from)}, ${apexString(plan.to)})` +
    (withSettings
      ? `\n      .withValues(${valuesMap(plan.fields)})\n      .meeting(${relatedMap(plan.related)})`
      : "")
  );
}

export function comment(text: string): string {
  return text.replace(/\*\//g, "* /");
}

function criterionTest(
  processConst: string,
  method: string,
  c: CriterionCase
): string {
  const { criterion, plan } = c;
  const what = isRelatedCriterion(criterion)
    ? `${criterion.related} records (at least ${criterion.minCount ?? 1})`
    : `${criterion.field} ${criterion.operator}${criterion.value === undefined ? "" : ` ${JSON.stringify(criterion.value)}`}`;
  const moveText = `${plan.from ?? "(insert)"} → ${plan.to}`;
  const lines = [
    `  /** [${comment(criterion.id)}] ${comment(c.list)} of ${comment(c.stage)}, process ${comment(plan.process.name)}: ${comment(what)}. Move ${comment(moveText)}. */`,
    "  @IsTest",
    `  static void ${method}() {`,
    `    StageGateMoveScenario move = ${scenario(processConst, plan)};`,
    "    List<Opportunity> records = move.place(1);",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    "      Test.startTest();",
    `      StageGateMoveScenario.assertBlockedBy(move.move(records), ${apexString(criterion.id)});`
  ];
  if (c.canMeet) {
    if (isRelatedCriterion(criterion)) {
      lines.push(
        `      StageGateMoveScenario.meet(records, ${apexString(criterion.id)}, ${criterion.minCount ?? 1});`
      );
    } else {
      lines.push(
        `      StageGateMoveScenario.setField(records, ${apexString(criterion.field)}, ${apexLiteral(c.meetValue as TestValue)});`
      );
    }
    lines.push("      StageGateMoveScenario.assertSaved(move.move(records));");
  }
  lines.push("      Test.stopTest();", "    }");
  if (c.canMeet) {
    lines.push(
      `    Assert.areEqual(1, move.countInTargetStage(records), ${apexString(`Met, the move to ${plan.to} is saved`)});`
    );
  }
  lines.push("  }");
  return lines.join("\n");
}

interface ProcessTests {
  source: string[];
  limits: string[];
}

function processTests(
  runtime: RuntimeMap,
  fields: FieldCatalogue,
  process: RuntimeProcess,
  processConst: string,
  names: MethodNames
): ProcessTests {
  const out: string[] = [];
  const limits: string[] = [];
  const prefix = camel(process.name);
  const lower = prefix[0].toLowerCase() + prefix.slice(1);
  const placements: {
    criterion: RuntimeCriterion;
    stage: string;
    list: "entry" | "exit";
  }[] = [];
  for (const s of process.stages) {
    for (const c of s.entry)
      placements.push({ criterion: c, stage: s.name, list: "entry" });
    for (const c of s.exit)
      placements.push({ criterion: c, stage: s.name, list: "exit" });
  }
  for (const c of process.won.entry)
    placements.push({ criterion: c, stage: process.won.name, list: "entry" });
  for (const c of process.lost.entry)
    placements.push({ criterion: c, stage: process.lost.name, list: "entry" });

  for (const p of placements) {
    if (!blocking(p.criterion)) continue;
    const permission = requiredPermission(p.criterion);
    if (permission) {
      limits.push(
        `criterion ${p.criterion.id} is not tested: it applies only to holders of the custom permission ${permission}, which the test users do not hold`
      );
      continue;
    }
    if (!isRelatedCriterion(p.criterion)) {
      const info = fields.Opportunity?.[p.criterion.field];
      const reason = unsettableReason(p.criterion.field, info);
      if (reason && !blankable(info)) {
        limits.push(`criterion ${p.criterion.id} is not tested: ${reason}`);
        continue;
      }
    }
    const { from, to } = moveFor(process, p.stage, p.list);
    const plan = planMove(runtime, fields, process, from, to, p.criterion);
    if (
      isRelatedCriterion(p.criterion) &&
      metByOthers(runtime, plan, p.criterion)
    ) {
      limits.push(
        `criterion ${p.criterion.id} is not tested: the records that meet the other criteria of its move (${plan.related.map((r) => r.id).join(", ")}) meet it too`
      );
      continue;
    }
    let canMeet = plan.limits.length === 0;
    let meetValue: TestValue | undefined;
    if (isRelatedCriterion(p.criterion)) {
      const reason = relatedLimit(p.criterion, fields);
      if (reason) canMeet = false;
    } else {
      meetValue = meetingValue(runtime, fields, plan, p.criterion);
      if (!meetValue) canMeet = false;
    }
    const method = names.name(`enforces${camel(p.criterion.id)}`);
    if (!canMeet) {
      const why = [
        ...plan.limits,
        ...(meetValue || isRelatedCriterion(p.criterion)
          ? []
          : [
              unsettableReason(
                p.criterion.field,
                fields.Opportunity?.[p.criterion.field]
              ) ?? `no value meets ${p.criterion.id}`
            ])
      ];
      limits.push(
        `${method}: only the blocked move is asserted (${[...new Set(why)].join("; ")})`
      );
    }
    out.push(
      criterionTest(processConst, method, { ...p, plan, canMeet, meetValue })
    );
  }

  const first = process.stages[0]?.name;
  const farthest = [
    process.won.name,
    ...process.stages
      .slice(1)
      .map((s) => s.name)
      .reverse()
  ];

  // Bulk: the longest forward move that can be saved with everything met; its query cost.
  if (first) {
    const bulk = farthest
      .map((to) => planMove(runtime, fields, process, first, to))
      .find((plan) => plan.limits.length === 0 && plan.to !== first);
    if (bulk) {
      const method = names.name(`${lower}BulkMoveCostsAtMostTheQueryBound`);
      out.push(
        [
          `  /** ${BULK_RECORD_COUNT} records of ${comment(process.name)} move ${comment(first)} → ${comment(bulk.to)} with every criterion met: saved, and the gates cost at most FLOW_QUERY_BOUND queries more than the same move by the bypass user (other automation in the org costs the same in both). */`,
          "  @IsTest",
          `  static void ${method}() {`,
          `    StageGateMoveScenario move = ${scenario(processConst, bulk)};`,
          "    List<Opportunity> gated = move.place(BULK_RECORD_COUNT);",
          // The baseline needs the same records, not their related records: the bypass skips the gates.
          `    List<Opportunity> bypassed = ${scenario(processConst, { ...bulk, related: [] })}.place(BULK_RECORD_COUNT);`,
          "    Integer baseline;",
          "    System.runAs(StageGateTestDataFactory.bypassUser()) {",
          "      Integer before = Limits.getQueries();",
          "      StageGateMoveScenario.assertSaved(move.move(bypassed));",
          "      baseline = Limits.getQueries() - before;",
          "    }",
          "    Integer used;",
          "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
          "      assertGated();",
          "      Test.startTest();",
          "      Integer before = Limits.getQueries();",
          "      List<Database.SaveResult> results = move.move(gated);",
          "      used = Limits.getQueries() - before;",
          "      Test.stopTest();",
          "      StageGateMoveScenario.assertSaved(results);",
          "    }",
          "    Assert.areEqual(BULK_RECORD_COUNT, move.countInTargetStage(gated), 'Every record moved');",
          "    Assert.isTrue(",
          "      used - baseline <= FLOW_QUERY_BOUND,",
          "      'The gates cost ' + (used - baseline) + ' queries for ' + BULK_RECORD_COUNT + ' records (' + used + ' with them, ' + baseline + ' with the bypass); the bound is ' + FLOW_QUERY_BOUND",
          "    );",
          "  }"
        ].join("\n")
      );
    } else {
      limits.push(
        `${process.name}: no forward move from ${first} can be saved with every criterion met, so no bulk query-cost test`
      );
    }

    // The bypass moves everything, met or not.
    const method = names.name(`${lower}BypassUserMovesAnything`);
    const bypassPlan: MovePlan = {
      process,
      from: first,
      to: process.won.name,
      required: [],
      conditions: [],
      fields: [],
      related: [],
      limits: []
    };
    out.push(
      [
        `  /** The bypass user moves ${BULK_RECORD_COUNT} records of ${comment(process.name)} from ${comment(first)} to ${comment(process.won.name)} with nothing met. */`,
        "  @IsTest",
        `  static void ${method}() {`,
        `    StageGateMoveScenario move = ${scenario(processConst, bypassPlan, false)};`,
        "    List<Opportunity> records = move.place(BULK_RECORD_COUNT);",
        "    System.runAs(StageGateTestDataFactory.bypassUser()) {",
        "      Test.startTest();",
        "      StageGateMoveScenario.assertSaved(move.move(records));",
        "      Test.stopTest();",
        "    }",
        "    Assert.areEqual(BULK_RECORD_COUNT, move.countInTargetStage(records), 'The bypass moved every record');",
        "  }"
      ].join("\n")
    );
  }

  // Inserts: in the first stage (allowed when its entry is met) and past a gate (blocked).
  const stagesInOrder = [
    ...process.stages.map((s) => s.name),
    process.won.name
  ];
  const insertOk = stagesInOrder
    .map((to) => planMove(runtime, fields, process, null, to))
    .filter(
      (plan) =>
        plan.limits.length === 0 &&
        plan.required.every((c) => !isRelatedCriterion(c))
    )
    .pop();
  if (insertOk) {
    const method = names.name(`${lower}InsertsAt${camel(insertOk.to)}`);
    out.push(
      [
        `  /** An insert is gated as a move from before the first stage: ${BULK_RECORD_COUNT} records created in ${comment(insertOk.to)} (${comment(process.name)}) with every field criterion up to it met are saved. */`,
        "  @IsTest",
        `  static void ${method}() {`,
        `    StageGateMoveScenario move = ${scenario(processConst, insertOk)};`,
        "    List<Opportunity> records = move.place(BULK_RECORD_COUNT);",
        "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
        "      assertGated();",
        "      Test.startTest();",
        "      StageGateMoveScenario.assertSaved(move.move(records));",
        "      Test.stopTest();",
        "    }",
        "    Assert.areEqual(BULK_RECORD_COUNT, move.countInTargetStage(records), 'Every record was inserted');",
        "  }"
      ].join("\n")
    );
  }
  const pastGate = stagesInOrder
    .map((to) => ({
      to,
      related: requiredToBeIn(process, to)
        .map((r) => r.criterion)
        .filter(
          (c) =>
            blocking(c) &&
            isRelatedCriterion(c) &&
            requiredPermission(c) === undefined
        )
    }))
    .find((x) => x.related.length > 0);
  if (pastGate) {
    const plan = planMove(runtime, fields, process, null, pastGate.to);
    const method = names.name(`${lower}BlocksAnInsertAt${camel(pastGate.to)}`);
    out.push(
      [
        `  /** A new record has no related records yet: ${BULK_RECORD_COUNT} records inserted in ${comment(pastGate.to)} (${comment(process.name)}) are blocked by ${comment(pastGate.related.map((c) => c.id).join(", "))}. */`,
        "  @IsTest",
        `  static void ${method}() {`,
        `    StageGateMoveScenario move = ${scenario(processConst, plan)};`,
        "    List<Opportunity> records = move.place(BULK_RECORD_COUNT);",
        "    List<Database.SaveResult> results;",
        "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
        "      assertGated();",
        "      Test.startTest();",
        "      results = move.move(records);",
        "      Test.stopTest();",
        "    }",
        // With several unmet criteria the flow lists codes as long as they fit in 255 characters: the first always does.
        `    StageGateMoveScenario.assertBlockedBy(results, ${apexString(pastGate.related[0].id)});`,
        "  }"
      ].join("\n")
    );
  }

  // Backward moves need nothing.
  if (process.stages.length >= 2) {
    const method = names.name(`${lower}AllowsMovingBackward`);
    const back: MovePlan = {
      process,
      from: process.stages[1].name,
      to: process.stages[0].name,
      required: [],
      conditions: [],
      fields: [],
      related: [],
      limits: []
    };
    out.push(
      [
        `  /** Moving back from ${comment(back.from as string)} to ${comment(back.to)} (${comment(process.name)}) requires nothing. */`,
        "  @IsTest",
        `  static void ${method}() {`,
        `    StageGateMoveScenario move = ${scenario(processConst, back, false)};`,
        "    List<Opportunity> records = move.place(1);",
        "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
        "      assertGated();",
        "      Test.startTest();",
        "      StageGateMoveScenario.assertSaved(move.move(records));",
        "      Test.stopTest();",
        "    }",
        "  }"
      ].join("\n")
    );
  }
  return { source: out, limits };
}

/**
 * The stage gates' query bound for one save of up to 200 records: the flow's own bound
 * (StageGateRelatedCriteria.FLOW_QUERIES_PER_SAVE, one bulkified Get Records per related object),
 * plus one when a process is chosen by record type (in a before-save flow,
 * $Record.RecordType.DeveloperName may cost a lookup of its own).
 */
export function flowQueryBound(loaded: LoadedMap): {
  bound: number;
  perSave: number;
  objects: string[];
  recordTypeLookup: number;
} {
  const objects = flowRelatedObjects(loaded);
  const perSave = flowQueriesPerSave(loaded);
  const recordTypeLookup =
    perSave > 0 &&
    loaded.runtime.processes.some((p) => p.recordTypes.length > 0)
      ? 1
      : 0;
  return {
    bound: perSave + recordTypeLookup,
    perSave,
    objects,
    recordTypeLookup
  };
}

export function enforcementTestSource(
  loaded: LoadedMap,
  configLabel: string,
  claimedRecordTypes: string[]
): string {
  const { runtime, fields } = loaded;
  const names = new MethodNames();
  names.name("setup");
  names.name("assertGated");
  names.name("accountId");
  const constants: string[] = [];
  const tests: string[] = [];
  const limits: string[] = [];
  runtime.processes.forEach((process, i) => {
    if (!isReachable(runtime, process)) return;
    const own = process.recordTypes.filter(
      (rt) => selectProcess(runtime, rt) === process
    );
    const constName = `PROCESS_${i + 1}_RECORD_TYPES`;
    constants.push(
      `  /** Record types of process "${comment(process.name)}"${own.length === 0 ? " (none: the default process, tested with a record type no process claims)" : ""}. */`,
      `  private static final List<String> ${constName} = ${stringList(own)};`
    );
    const result = processTests(runtime, fields, process, constName, names);
    tests.push(...result.source);
    limits.push(...result.limits);
  });
  const { objects, recordTypeLookup } = flowQueryBound(loaded);
  const usesAccount = tests.some((t) => t.includes("accountId()"));
  const header = [
    lineCommentHeader(configLabel),
    "/**",
    " * The stage gates of the map, enforced by the generated validation rules and flow, tested in any",
    " * org: for every enforced criterion the smallest move that requires it is blocked naming the",
    " * criterion's code and saved once it is met; per process an insert, an insert past a gate, a",
    " * backward move, the bypass and a 200-record move with its query cost. Every test body runs as",
    " * the factory's gated user (no bypass, whatever the deploying user holds); record types are set",
    " * explicitly.",
    ...(limits.length > 0
      ? [
          " *",
          " * Not generated (the generator cannot make such values):",
          ...limits.map((l) => ` * - ${comment(l)}`)
        ]
      : []),
    " */",
    "@IsTest",
    `private class ${ENFORCEMENT_TEST_CLASS} {`,
    `  private static final String BYPASS_PERMISSION = ${apexString(runtime.bypassPermission)};`,
    `  private static final Integer BULK_RECORD_COUNT = ${BULK_RECORD_COUNT};`,
    "  /**",
    `   * Queries the stage gates may cost for one save of up to ${BULK_RECORD_COUNT} records: the flow's bound, one per`,
    `   * related object of its criteria (${objects.length > 0 ? comment(objects.join(", ")) : "none"})${recordTypeLookup > 0 ? ", plus one for the record type lookup a before-save flow may make" : ""}.`,
    "   */",
    `  private static final Integer FLOW_QUERY_BOUND = StageGateRelatedCriteria.FLOW_QUERIES_PER_SAVE${recordTypeLookup > 0 ? ` + ${recordTypeLookup}` : ""};`,
    `  /** Every record type the map's processes claim. */`,
    `  private static final Set<String> CLAIMED_RECORD_TYPES = new Set<String>(${stringList(claimedRecordTypes)});`,
    ...constants,
    "",
    "  @TestSetup",
    "  static void setup() {",
    "    StageGateTestDataFactory.createGatedUser(BYPASS_PERMISSION);",
    "    StageGateTestDataFactory.createBypassUser(BYPASS_PERMISSION);",
    "    Account account = StageGateTestDataFactory.createAccount();",
    "    StageGateTestDataFactory.createContact(account.Id);",
    "  }",
    "",
    "  /** The running user holds no bypass: the gates apply. */",
    "  private static void assertGated() {",
    "    Assert.isFalse(",
    "      FeatureManagement.checkPermission(BYPASS_PERMISSION),",
    "      'The gated test user must not hold ' + BYPASS_PERMISSION",
    "    );",
    "  }",
    ...accountIdHelper(usesAccount)
  ];
  return [...header, "", tests.join("\n\n"), "}", ""].join("\n");
}

export function metaSource(configLabel: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlHeaderComment(configLabel),
    '<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">',
    `    <apiVersion>${APEX_API_VERSION}</apiVersion>`,
    "    <status>Active</status>",
    "</ApexClass>",
    ""
  ].join("\n");
}

/** The test class and its meta file, from a generator of its source. */
export function apexTestClassEmitter(
  path: string,
  source: (
    loaded: LoadedMap,
    configLabel: string,
    recordTypes: ReturnType<typeof mapRecordTypes>
  ) => string
): Emitter {
  return (ctx) => [
    {
      path,
      content: source(ctx.loaded, ctx.configLabel, mapRecordTypes(ctx.loaded))
    },
    { path: `${path}-meta.xml`, content: metaSource(ctx.configLabel) }
  ];
}

/** The test class's accountId() helper, when a test needs the set-up account. */
export function accountIdHelper(usesAccount: boolean): string[] {
  return usesAccount
    ? [
        "",
        "  private static Id accountId() {",
        "    return [SELECT Id FROM Account ORDER BY CreatedDate LIMIT 1].Id;",
        "  }"
      ]
    : [];
}

export const emitEnforcementTest: Emitter = apexTestClassEmitter(
  ENFORCEMENT_TEST_PATH,
  enforcementTestSource
);
