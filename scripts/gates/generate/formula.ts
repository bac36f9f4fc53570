/**
 * Formula building: the gate semantics of the core (stage order, insert,
 * backward, lost, record type, bypass, blank values) written as Salesforce
 * formula expressions, for validation rules and for the flow's formula
 * resources. The differential tests (test/generator) evaluate these formulas
 * with formulon and compare them with the core's evaluateTransition.
 */
import {
  OPERATORS_BY_KIND,
  criterionMode,
  daysBetween,
  fieldKind,
  resolveDateValue,
  selectProcess,
  type FieldKind,
  type RuntimeCriterion,
  type RuntimeFieldCriterion,
  type RuntimeMap,
  type RuntimeProcess,
  type RuntimeWhenCondition,
  type Scalar,
  isFieldCondition,
  whenConditions,
  WAIVED_FIELD,
  waivedToken
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";

/** Salesforce's limit for a validation rule's error condition formula (and a flow formula). */
export const MAX_FORMULA_LENGTH = 3900;

/** A map the generator cannot turn into metadata; the message names the criterion. */
export class GenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenerationError";
  }
}

// ---------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------

/**
 * A Salesforce formula string literal: backslash, double quote and line breaks
 * escaped (`\\`, `\"`, `\n`, `\r`, `\t`).
 */
export function formulaString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${escaped}"`;
}

/**
 * A string literal for a flow formula: like formulaString, and a literal `{!`
 * is split so Flow does not read it as a merge field. A line break cannot be
 * written (formulas have no escape for it), so it is a generation error.
 */
export function flowFormulaString(text: string): string {
  if (/[\r\n]/.test(text)) {
    throw new GenerationError(
      `the text ${JSON.stringify(text)} contains a line break, which a flow formula string cannot hold`
    );
  }
  return text
    .split("{!")
    .map((part) => formulaString(part))
    .join(' & "{" & "!" & ')
    .replace(/^"" & /, "")
    .replace(/ & ""$/, "");
}

/** Places a decimal point into a digit string (`pointAt` digits from the left), trimmed. */
function placePoint(digits: string, pointAt: number): string {
  let intPart: string;
  let fracPart: string;
  if (pointAt <= 0) {
    intPart = "0";
    fracPart = "0".repeat(-pointAt) + digits;
  } else if (pointAt >= digits.length) {
    intPart = digits + "0".repeat(pointAt - digits.length);
    fracPart = "";
  } else {
    intPart = digits.slice(0, pointAt);
    fracPart = digits.slice(pointAt);
  }
  intPart = intPart.replace(/^0+(?=\d)/, "");
  fracPart = fracPart.replace(/0+$/, "");
  return fracPart ? `${intPart}.${fracPart}` : intPart;
}

/**
 * A number as a plain decimal literal (never exponent notation), optionally
 * divided by 100 exactly (decimal shift, no floating-point division).
 */
export function decimalLiteral(value: number, divideBy100 = false): string {
  if (!Number.isFinite(value)) {
    throw new GenerationError(`not a finite number: ${value}`);
  }
  const text = String(Math.abs(value));
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) {
    throw new GenerationError(`cannot write ${value} as a decimal`);
  }
  const intDigits = m[1];
  const fracDigits = m[2] ?? "";
  const exponent = Number(m[3] ?? 0) - (divideBy100 ? 2 : 0);
  const plain = placePoint(intDigits + fracDigits, intDigits.length + exponent);
  const negative = value < 0 && plain !== "0";
  return negative ? `(-${plain})` : plain;
}

/** `DATE(y, m, d)` for a YYYY-MM-DD date. */
export function formulaDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) {
    throw new GenerationError(`not a date: "${iso}"`);
  }
  return `DATE(${Number(m[1])}, ${Number(m[2])}, ${Number(m[3])})`;
}

/**
 * A date value of the map (`TODAY`, `TODAY+N`, `TODAY-N` or an ISO date) as a
 * formula. The core's resolveDateValue decides what the value means: resolved
 * against two different days, a relative value moves with "today", an absolute
 * one does not.
 */
export function formulaDateValue(value: Scalar, today = "TODAY()"): string {
  const a = "2001-01-01";
  const b = "2001-03-01";
  const ra = resolveDateValue(value, a);
  const rb = resolveDateValue(value, b);
  if (ra === rb) {
    return formulaDate(ra);
  }
  const offset = daysBetween(a, ra);
  if (daysBetween(b, rb) !== offset) {
    throw new GenerationError(
      `cannot write the date value "${String(value)}" as a formula`
    );
  }
  return offset === 0
    ? today
    : `${today} ${offset > 0 ? "+" : "-"} ${Math.abs(offset)}`;
}

// ---------------------------------------------------------------------------
// Where each enforced criterion sits
// ---------------------------------------------------------------------------

/** One enforced criterion with its place in the process order. */
export interface GatePlacement {
  process: RuntimeProcess;
  /** Position of the process in the map (0-based). */
  processIndex: number;
  /** The stage whose list holds the criterion. */
  stage: string;
  list: "entry" | "exit";
  /** 1..n for open stages, n+1 for the won stage, 0 for the lost stage. */
  index: number;
  kind: "open" | "won" | "lost";
  criterion: RuntimeCriterion;
}

/** True when some record can be governed by this process (the core's selectProcess picks it). */
export function isReachable(
  runtime: RuntimeMap,
  process: RuntimeProcess
): boolean {
  if (selectProcess(runtime, null) === process) {
    return true;
  }
  return process.recordTypes.some(
    (rt) => selectProcess(runtime, rt) === process
  );
}

/** Every enforced criterion of every reachable process, in map order. `warn` criteria never block. */
export function enforcedPlacements(runtime: RuntimeMap): GatePlacement[] {
  const out: GatePlacement[] = [];
  runtime.processes.forEach((process, processIndex) => {
    if (!isReachable(runtime, process)) {
      return;
    }
    const push = (
      list: RuntimeCriterion[],
      stage: string,
      which: "entry" | "exit",
      index: number,
      kind: GatePlacement["kind"]
    ): void => {
      for (const criterion of list) {
        if (criterionMode(criterion) === "enforce") {
          out.push({
            process,
            processIndex,
            stage,
            list: which,
            index,
            kind,
            criterion
          });
        }
      }
    };
    process.stages.forEach((s, i) => {
      push(s.entry, s.name, "entry", i + 1, "open");
      push(s.exit, s.name, "exit", i + 1, "open");
    });
    push(
      process.won.entry,
      process.won.name,
      "entry",
      process.stages.length + 1,
      "won"
    );
    push(process.lost.entry, process.lost.name, "entry", 0, "lost");
  });
  return out;
}

// ---------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------

/** `AND(...)` / `OR(...)` of terms, or the single term. */
export function and(terms: string[]): string {
  return terms.length === 1 ? terms[0] : `AND(${terms.join(", ")})`;
}
export function or(terms: string[]): string {
  return terms.length === 1 ? terms[0] : `OR(${terms.join(", ")})`;
}

/**
 * The record type part of a process: its own record types (those the core
 * actually assigns to it), or for the default process "none of the record
 * types other processes claim". Undefined when every record qualifies.
 */
export function recordTypeCondition(
  runtime: RuntimeMap,
  process: RuntimeProcess,
  recordTypeExpr: string,
  str: (text: string) => string = formulaString
): string | undefined {
  const equals = (rt: string): string => `${recordTypeExpr} = ${str(rt)}`;
  if (process.recordTypes.length > 0) {
    const own = unique(
      process.recordTypes.filter((rt) => selectProcess(runtime, rt) === process)
    );
    return own.length > 0 ? or(own.map(equals)) : "FALSE";
  }
  const claimed = unique(
    runtime.processes
      .flatMap((p) => p.recordTypes)
      .filter((rt) => selectProcess(runtime, rt) !== process)
  );
  return claimed.length > 0 ? `NOT(${or(claimed.map(equals))})` : undefined;
}

/** Stage names of a process in order with their index: open stages 1..n, then won n+1. */
export function stageOrder(
  process: RuntimeProcess
): { name: string; index: number }[] {
  const seen = new Set<string>();
  const out: { name: string; index: number }[] = [];
  [...process.stages.map((s) => s.name), process.won.name].forEach(
    (name, i) => {
      // The core's stageIndex takes the first match; a repeated name keeps its first index.
      if (!seen.has(name)) {
        seen.add(name);
        out.push({ name, index: i + 1 });
      }
    }
  );
  return out;
}

/** `CASE(<stageText>, "S1", 1, ..., "Won", n+1, 0)`: the stage's position, 0 when lost or not in the map. */
export function stageIndexCase(
  process: RuntimeProcess,
  stageText: string,
  str: (text: string) => string = formulaString
): string {
  const pairs = stageOrder(process)
    .filter((s) => s.name !== process.lost.name)
    .map((s) => `${str(s.name)}, ${s.index}`);
  return `CASE(${stageText}, ${pairs.join(", ")}, 0)`;
}

/** How a formula refers to the stage positions (validation rule vs flow resources). */
export interface TransitionRefs {
  /** Number: the new stage's position. */
  stageIndex: string;
  /** Number: the prior stage's position, 0 on insert. */
  priorIndex: string;
  /** Boolean: the new stage is this one. */
  stageIs(name: string): string;
}

/**
 * When the move requires the criterion (the stage changed or the record is new
 * is checked separately): exit of S_k ⇔ t > k and p <= k; entry of S_i (or won,
 * i = n+1) ⇔ t = i and p < i; lost entry ⇔ the new stage is the lost stage.
 */
export function transitionTerms(
  placement: GatePlacement,
  refs: TransitionRefs
): string[] {
  if (placement.kind === "lost") {
    return [refs.stageIs(placement.stage)];
  }
  const k = placement.index;
  if (placement.list === "exit") {
    return [`${refs.stageIndex} > ${k}`, `${refs.priorIndex} <= ${k}`];
  }
  return [refs.stageIs(placement.stage), `${refs.priorIndex} < ${k}`];
}

// ---------------------------------------------------------------------------
// Field criteria: "criterion unmet"
// ---------------------------------------------------------------------------

function unique<T>(list: T[]): T[] {
  return Array.from(new Set(list));
}

function asList(value: Scalar | Scalar[] | undefined): Scalar[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function negate(condition: string): string {
  const m = /^NOT\((.*)\)$/s.exec(condition);
  if (m && balanced(m[1])) {
    return m[1];
  }
  return `NOT(${condition})`;
}

/** True when the parentheses of an expression (outside string literals) balance. */
function balanced(expr: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (inString) {
      if (ch === "\\") {
        i += 1;
      } else if (ch === '"') {
        inString = false;
      }
    } else if (ch === '"') {
      inString = true;
    } else if (ch === "(") {
      depth += 1;
    } else if (ch === ")") {
      depth -= 1;
      if (depth < 0) {
        return false;
      }
    }
  }
  return depth === 0;
}

/**
 * A boolean formula that is TRUE when a field criterion is NOT met, with the
 * core's semantics: a blank value never satisfies a criterion (except isFalse,
 * checkboxes are never blank), placeholders do not count as meaningful, and
 * Percent values are compared as the formula sees them (50 % = 0.5).
 */
export function unmetCondition(
  c: RuntimeFieldCriterion,
  placeholders: readonly string[],
  fieldRef: (field: string) => string = (f) => f,
  str: (text: string) => string = formulaString
): string {
  const kind: FieldKind = fieldKind(c.fieldType);
  const fail = (why: string): never => {
    throw new GenerationError(
      `criterion "${c.id}" (field ${c.field}, ${c.fieldType}): ${why}`
    );
  };
  if (!OPERATORS_BY_KIND[kind].includes(c.operator)) {
    fail(`operator "${c.operator}" does not apply to this field type`);
  }
  const f = fieldRef(c.field);
  const x =
    kind === "picklist"
      ? `TEXT(${f})`
      : kind === "datetime"
        ? `DATEVALUE(${f})`
        : f;
  const blank = kind === "picklist" ? `ISBLANK(TEXT(${f}))` : `ISBLANK(${f})`;
  const values = asList(c.value);
  const first = (): Scalar => {
    if (values.length === 0 || values[0] === undefined) {
      fail(`operator "${c.operator}" needs a value`);
    }
    return values[0];
  };
  const literal = (v: Scalar): string => {
    switch (kind) {
      case "number": {
        const n = Number(v);
        if (
          v === null ||
          typeof v === "boolean" ||
          (typeof v === "string" && v.trim() === "") ||
          Number.isNaN(n)
        ) {
          return fail(`"${String(v)}" is not a number`);
        }
        return decimalLiteral(n, c.fieldType === "Percent");
      }
      case "date":
      case "datetime":
        try {
          return formulaDateValue(v as Scalar);
        } catch (error) {
          return fail((error as Error).message);
        }
      default:
        // The core compares String(value).
        return str(String(v));
    }
  };
  const unmetUnlessBlank = (met: string): string =>
    `OR(${blank}, ${negate(met)})`;
  switch (c.operator) {
    case "isSet":
      return blank;
    case "isMeaningful": {
      const squeezed = `SUBSTITUTE(${x}, " ", "")`;
      const list = unique(placeholders.filter((p) => p !== ""));
      const empty = `ISBLANK(${squeezed})`;
      if (list.length === 0) {
        return empty;
      }
      const pairs = list.map((p) => `${str(p)}, 1`).join(", ");
      return `OR(${empty}, CASE(LOWER(${squeezed}), ${pairs}, 0) = 1)`;
    }
    case "equals":
      return kind === "picklist"
        ? unmetUnlessBlank(`ISPICKVAL(${f}, ${literal(first())})`)
        : unmetUnlessBlank(`${x} = ${literal(first())}`);
    case "notEquals":
      return kind === "picklist"
        ? unmetUnlessBlank(`NOT(ISPICKVAL(${f}, ${literal(first())}))`)
        : unmetUnlessBlank(`${x} <> ${literal(first())}`);
    case "greaterThan":
      return unmetUnlessBlank(`${x} > ${literal(first())}`);
    case "greaterOrEqual":
      return unmetUnlessBlank(`${x} >= ${literal(first())}`);
    case "lessThan":
      return unmetUnlessBlank(`${x} < ${literal(first())}`);
    case "lessOrEqual":
      return unmetUnlessBlank(`${x} <= ${literal(first())}`);
    case "in":
    case "notIn": {
      const list = unique(values.map(literal));
      if (list.length === 0) {
        // Nothing is "in" an empty list; everything non-blank is "not in" it.
        return c.operator === "in" ? "TRUE" : blank;
      }
      const member = `CASE(${x}, ${list.map((v) => `${v}, 1`).join(", ")}, 0) = 1`;
      return c.operator === "in"
        ? unmetUnlessBlank(member)
        : `OR(${blank}, ${member})`;
    }
    case "includes": {
      const list = unique(values.map((v) => str(String(v))));
      if (list.length === 0) {
        return blank;
      }
      return `NOT(${and(list.map((v) => `INCLUDES(${f}, ${v})`))})`;
    }
    case "isTrue":
      return `NOT(${f})`;
    case "isFalse":
      return f;
    default:
      return fail(`unknown operator "${String(c.operator)}"`);
  }
}

/**
 * The criterion's `when` as formula terms, every one TRUE when its condition holds: a field
 * condition is "met" (NOT of its unmet condition, so a blank value never satisfies a comparison),
 * a permission condition reads $Permission. Empty when the criterion always applies.
 */
export function whenTerms(
  c: RuntimeCriterion,
  placeholders: readonly string[],
  fieldRef: (field: string) => string = (f) => f,
  permissionRef: (name: string) => string = (name) => `$Permission.${name}`,
  str: (text: string) => string = formulaString
): string[] {
  return whenConditions<RuntimeWhenCondition>(c).map((w) => {
    if ("permission" in w) {
      return permissionRef(w.permission);
    }
    if ("notPermission" in w) {
      return `NOT(${permissionRef(w.notPermission)})`;
    }
    if (!isFieldCondition(w)) {
      throw new GenerationError(`criterion "${c.id}": unknown when condition`);
    }
    return negate(
      unmetCondition(
        { ...w, id: c.id, label: c.label },
        placeholders,
        fieldRef,
        str
      )
    );
  });
}

/**
 * TRUE when no approved, unexpired waiver lifts the criterion on this deal: the deal's waived
 * list (Stage_Gate_Waived__c, ";code;code;") does not contain ";<id>;". The blank case is
 * written out: Salesforce Help (CONTAINS, article 000385300) warns that CONTAINS and NOT on
 * blank values do not behave as plain text does, so a blank list is "not waived" explicitly.
 * The code is compared as the map spells it; the waiver automation stores that spelling.
 */
export function notWaivedCondition(
  criterionId: string,
  waivedRef: string = WAIVED_FIELD,
  str: (text: string) => string = formulaString
): string {
  return `OR(ISBLANK(${waivedRef}), NOT(CONTAINS(${waivedRef}, ${str(waivedToken(criterionId))})))`;
}

/** Fails generation when a formula exceeds Salesforce's limit. */
export function checkFormulaLength(formula: string, what: string): string {
  if (formula.length > MAX_FORMULA_LENGTH) {
    throw new GenerationError(
      `${what}: the generated formula has ${formula.length} characters, more than Salesforce's limit of ${MAX_FORMULA_LENGTH}. ` +
        "Shorten the stage names, the value lists or the placeholders, or split the process."
    );
  }
  return formula;
}
