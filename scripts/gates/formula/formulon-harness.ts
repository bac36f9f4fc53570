/**
 * Evaluates a Salesforce validation-rule formula offline with formulon, for
 * differential tests and benchmarks.
 *
 * formulon does not implement the functions that need a record's history, and
 * it differs from Salesforce in a few places (see KNOWN_DIFFERENCES). The
 * harness rewrites those parts of a formula into bound variables whose values
 * it computes with Salesforce's documented semantics, binds the record's field
 * values as typed literals, and calls formulon.parse.
 */
import { extract, parse, type FormulonLiteral } from "formulon";
import {
  dateOnly,
  fieldKind,
  type FieldType
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";

/**
 * Where formulon 6.25 and Salesforce disagree, and what the harness does about
 * it. Each entry is demonstrated by test/generator/formulon-harness.test.ts, so
 * the list cannot silently go stale.
 */
export const KNOWN_DIFFERENCES: readonly {
  id: string;
  salesforce: string;
  formulon: string;
  handling: string;
}[] = [
  {
    id: "history-functions",
    salesforce:
      "ISNEW(), ISCHANGED(field) and PRIORVALUE(field) read the record's prior version.",
    formulon: "Not implemented (unknown function).",
    handling:
      "Rewritten into bound variables: ISNEW() = insert; ISCHANGED(f) = FALSE on insert, else prior <> new; PRIORVALUE(f) = the current value on insert, else the prior value."
  },
  {
    id: "record-type",
    salesforce: "RecordType.DeveloperName follows the RecordTypeId lookup.",
    formulon: "No relationship traversal.",
    handling:
      "Rewritten into a bound text variable (blank when the record has no record type)."
  },
  {
    id: "today",
    salesforce: "TODAY() is the current date in the user's time zone.",
    formulon: "TODAY() is the machine's current UTC date.",
    handling: "Rewritten into a bound date, the same 'today' the core is given."
  },
  {
    id: "blank-text",
    salesforce:
      'A blank text or picklist field is "" in a formula (ISBLANK true, TEXT(p) = "").',
    formulon:
      'A null text/picklist gives TEXT(p) = "NULL", ISBLANK(TEXT(p)) false, and LEN/TRIM throw.',
    handling:
      'Blank text and picklist values are bound as "" (blank numbers and dates stay null).'
  },
  {
    id: "string-escapes",
    salesforce:
      'String literals accept backslash escapes (\\", \\\\, \\n, \\r, \\t).',
    formulon: "A literal containing a backslash escape is a syntax error.",
    handling:
      "Such literals are unescaped and lifted into bound text variables."
  },
  {
    id: "datevalue-null",
    salesforce: "DATEVALUE(blank date-time) is blank.",
    formulon:
      "DATEVALUE(null) is an ArgumentError (and OR/AND evaluate every argument).",
    handling:
      "DATEVALUE(field) is rewritten into a bound date: the GMT date of the value, or null."
  },
  {
    id: "isblank-multipicklist",
    salesforce: "ISBLANK(multi-select picklist) is supported.",
    formulon:
      "ISBLANK rejects a multipicklist argument (ArgumentError); INCLUDES(null, ...) throws.",
    handling:
      "ISBLANK(multipicklist field) is rewritten into a bound checkbox; a blank multi-select value is bound as an empty list."
  },
  {
    id: "null-date-compare",
    salesforce:
      "A comparison with a blank date is blank (false in a condition).",
    formulon:
      "A null date compared with TODAY() can be true; null + 1 is an error; LEN(null) throws.",
    handling:
      "Avoided: generated formulas test ISBLANK before every comparison, never add to a field and never use LEN; the harness binds TODAY() as a date so no null arithmetic happens."
  },
  {
    id: "comments",
    salesforce: "Formulas may contain /* comments */.",
    formulon: "Comments are a syntax error.",
    handling: "Avoided: the generator writes no comments."
  },
  {
    id: "division-by-zero",
    salesforce: "Division by zero is an error.",
    formulon: "1/0 is Infinity, not an error.",
    handling:
      "Avoided: generated formulas never divide (Percent values are divided by 100 when generating)."
  }
];

/** A record save as a formula sees it. */
export interface HarnessRecord {
  /** Field values after the change, by API name. Absent or null or "" = blank. */
  values: Record<string, unknown>;
  /** Field values before the change; null for an insert. */
  prior: Record<string, unknown> | null;
  /** Record type DeveloperName, or null for none. */
  recordType?: string | null;
  /** Custom permissions the user has. */
  permissions?: readonly string[];
  /** YYYY-MM-DD: what TODAY() returns. */
  today: string;
}

/** Opportunity field API name → Salesforce field type. */
export type HarnessFieldTypes = Readonly<Record<string, FieldType>>;

type Literal = FormulonLiteral;

/** A formula with its Salesforce-only parts rewritten into variables. */
export interface PreparedFormula {
  source: string;
  rewritten: string;
  /** Lifted string literals: variable name → text. */
  texts: Record<string, string>;
  identifiers: string[];
  /**
   * When the formula is AND(t1, ..., tn) at the top: each argument with its
   * identifiers, for evaluateTerms (short-circuit and memoisation).
   */
  terms?: { text: string; identifiers: string[] }[];
}

const IDENT = "[A-Za-z][A-Za-z0-9_]*";
const VAR = {
  isNew: "SfHarnessIsNew",
  recordType: "SfHarnessRecordTypeDeveloperName",
  today: "SfHarnessToday",
  changed: "SfHarnessChanged_",
  prior: "SfHarnessPrior_",
  dateValue: "SfHarnessDateValue_",
  isBlank: "SfHarnessIsBlank_",
  text: "SfHarnessText_"
};

function unescapeFormulaString(body: string): string {
  return body.replace(/\\(.)/gs, (_m, ch: string) => {
    switch (ch) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      default:
        return ch;
    }
  });
}

/** Splits a formula into code and string-literal segments (double or single quoted). */
function segments(formula: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  let i = 0;
  let start = 0;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === '"' || ch === "'") {
      if (i > start) {
        out.push({ code: true, text: formula.slice(start, i) });
      }
      let j = i + 1;
      while (j < formula.length && formula[j] !== ch) {
        j += formula[j] === "\\" ? 2 : 1;
      }
      if (j >= formula.length) {
        throw new Error(
          `Unterminated string literal at ${i} in formula: ${formula}`
        );
      }
      out.push({ code: false, text: formula.slice(i, j + 1) });
      i = j + 1;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start < formula.length) {
    out.push({ code: true, text: formula.slice(start) });
  }
  return out;
}

/** Rewrites the parts formulon cannot evaluate like Salesforce (once per formula). */
export function prepareFormula(
  formula: string,
  fieldTypes: HarnessFieldTypes
): PreparedFormula {
  const texts: Record<string, string> = {};
  let lifted = 0;
  const multipicklists = new Set(
    Object.entries(fieldTypes)
      .filter(([, t]) => t === "MultiselectPicklist")
      .map(([f]) => f)
  );
  const rewritten = segments(formula)
    .map((s) => {
      if (!s.code) {
        if (!s.text.includes("\\")) {
          return s.text;
        }
        const name = `${VAR.text}${lifted++}`;
        texts[name] = unescapeFormulaString(s.text.slice(1, -1));
        return name;
      }
      return s.text
        .replace(/\bISNEW\s*\(\s*\)/gi, VAR.isNew)
        .replace(
          new RegExp(`\\bISCHANGED\\s*\\(\\s*(${IDENT})\\s*\\)`, "gi"),
          (_m, f: string) => `${VAR.changed}${f}`
        )
        .replace(
          new RegExp(`\\bPRIORVALUE\\s*\\(\\s*(${IDENT})\\s*\\)`, "gi"),
          (_m, f: string) => `${VAR.prior}${f}`
        )
        .replace(/\bRecordType\s*\.\s*DeveloperName\b/g, VAR.recordType)
        .replace(/\bTODAY\s*\(\s*\)/gi, VAR.today)
        .replace(
          new RegExp(`\\bDATEVALUE\\s*\\(\\s*(${IDENT})\\s*\\)`, "gi"),
          (m, f: string) =>
            fieldTypes[f] === "DateTime" ? `${VAR.dateValue}${f}` : m
        )
        .replace(
          new RegExp(`\\bISBLANK\\s*\\(\\s*(${IDENT})\\s*\\)`, "gi"),
          (m, f: string) => (multipicklists.has(f) ? `${VAR.isBlank}${f}` : m)
        );
    })
    .join("");
  const identifiers = extract(rewritten);
  const args = topLevelAndArguments(rewritten);
  const terms = args?.map((text) => ({ text, identifiers: extract(text) }));
  return { source: formula, rewritten, texts, identifiers, terms };
}

/** The arguments of a formula that is one AND(...) call (split at top-level commas), else undefined. */
export function topLevelAndArguments(formula: string): string[] | undefined {
  const text = formula.trim();
  const open = /^AND\s*\(/i.exec(text);
  if (!open || !text.endsWith(")")) {
    return undefined;
  }
  const args: string[] = [];
  let depth = 0;
  let start = open[0].length;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") {
        i += 1;
      } else if (ch === quote) {
        quote = undefined;
      }
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "(") {
      depth += 1;
    } else if (ch === ")") {
      if (depth === 0) {
        if (i !== text.length - 1) {
          return undefined; // AND(...) is only part of the formula
        }
        args.push(text.slice(start, i).trim());
      } else {
        depth -= 1;
      }
    } else if (ch === "," && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args.length > 0 && args.every((a) => a !== "") ? args : undefined;
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/** Number of digits after the decimal point in a number's plain decimal form. */
function scaleOf(n: number): number {
  const text = n.toFixed(20).replace(/0+$/, "");
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** value / 100 computed on the decimal digits (no binary rounding): the formula's view of a Percent. */
export function percentForFormula(value: number): number {
  const text = String(Math.abs(value));
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) {
    return value / 100;
  }
  const digits = `${m[1]}${m[2] ?? ""}`;
  const point = m[1].length + Number(m[3] ?? 0) - 2;
  const plain =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : `${digits.slice(0, point)}.${digits.slice(point) || "0"}`;
  return (value < 0 ? -1 : 1) * Number(plain);
}

function utcDate(iso: string): Date {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`);
}

/** A field value as the typed literal Salesforce's formula engine would see. */
export function fieldLiteral(type: FieldType, value: unknown): Literal {
  const kind = fieldKind(type);
  switch (kind) {
    case "checkbox":
      return {
        type: "literal",
        dataType: "checkbox",
        value: value === true || value === "true"
      };
    case "number": {
      if (isBlank(value)) {
        return {
          type: "literal",
          dataType: "number",
          value: null,
          options: { length: 18, scale: 0 }
        };
      }
      const raw = Number(value);
      const n = type === "Percent" ? percentForFormula(raw) : raw;
      return {
        type: "literal",
        dataType: "number",
        value: n,
        options: { length: 18, scale: scaleOf(n) }
      };
    }
    case "date":
      return {
        type: "literal",
        dataType: "date",
        value: isBlank(value) ? null : utcDate(String(value))
      };
    case "datetime":
      return {
        type: "literal",
        dataType: "datetime",
        value: isBlank(value) ? null : new Date(String(value))
      };
    case "picklist": {
      const text = isBlank(value) ? "" : String(value);
      return {
        type: "literal",
        dataType: "picklist",
        value: text,
        options: { values: text ? [text] : [] }
      };
    }
    case "multipicklist": {
      const list = isBlank(value) ? [] : String(value).split(";");
      return {
        type: "literal",
        dataType: "multipicklist",
        value: list,
        options: { values: list }
      };
    }
    default: {
      const text = isBlank(value) ? "" : String(value);
      return {
        type: "literal",
        dataType: "text",
        value: text,
        options: { length: text.length }
      };
    }
  }
}

function textLiteral(text: string): Literal {
  return {
    type: "literal",
    dataType: "text",
    value: text,
    options: { length: text.length }
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isBlank(a) && isBlank(b)) {
    return true;
  }
  return String(a) === String(b);
}

/** The variables of a prepared formula for one record save. */
export function bindRecord(
  prepared: PreparedFormula,
  fieldTypes: HarnessFieldTypes,
  record: HarnessRecord
): Record<string, Literal> {
  const isNew = record.prior === null;
  const current = (field: string): unknown => record.values[field];
  const prior = (field: string): unknown =>
    isNew ? current(field) : record.prior?.[field];
  const typeOf = (field: string): FieldType => {
    const type = fieldTypes[field];
    if (!type) {
      throw new Error(
        `The formula reads "${field}", which has no field type in the harness: ${prepared.source}`
      );
    }
    return type;
  };
  const vars: Record<string, Literal> = {};
  for (const name of prepared.identifiers) {
    if (name in prepared.texts) {
      vars[name] = textLiteral(prepared.texts[name]);
    } else if (name === VAR.isNew) {
      vars[name] = { type: "literal", dataType: "checkbox", value: isNew };
    } else if (name === VAR.recordType) {
      vars[name] = textLiteral(record.recordType ?? "");
    } else if (name === VAR.today) {
      vars[name] = {
        type: "literal",
        dataType: "date",
        value: utcDate(record.today)
      };
    } else if (name.startsWith(VAR.changed)) {
      const field = name.slice(VAR.changed.length);
      typeOf(field);
      vars[name] = {
        type: "literal",
        dataType: "checkbox",
        value: !isNew && !sameValue(prior(field), current(field))
      };
    } else if (name.startsWith(VAR.prior)) {
      const field = name.slice(VAR.prior.length);
      vars[name] = fieldLiteral(typeOf(field), prior(field));
    } else if (name.startsWith(VAR.dateValue)) {
      const field = name.slice(VAR.dateValue.length);
      typeOf(field);
      const v = current(field);
      vars[name] = {
        type: "literal",
        dataType: "date",
        value: isBlank(v) ? null : utcDate(dateOnly(String(v)))
      };
    } else if (name.startsWith(VAR.isBlank)) {
      const field = name.slice(VAR.isBlank.length);
      typeOf(field);
      vars[name] = {
        type: "literal",
        dataType: "checkbox",
        value: isBlank(current(field))
      };
    } else if (name.startsWith("$Permission.")) {
      const permission = name.slice("$Permission.".length);
      vars[name] = {
        type: "literal",
        dataType: "checkbox",
        value: (record.permissions ?? []).includes(permission)
      };
    } else {
      vars[name] = fieldLiteral(typeOf(name), current(name));
    }
  }
  return vars;
}

/** Evaluates a prepared boolean formula; throws on any formulon error or a non-boolean result. */
export function evaluatePrepared(
  prepared: PreparedFormula,
  fieldTypes: HarnessFieldTypes,
  record: HarnessRecord
): boolean {
  const result = parse(
    prepared.rewritten,
    bindRecord(prepared, fieldTypes, record)
  );
  if (result.type === "error") {
    throw new Error(`formulon: ${result.message} in: ${prepared.rewritten}`);
  }
  if (result.dataType !== "checkbox") {
    throw new Error(
      `The formula is not boolean (${String(result.dataType)}): ${prepared.source}`
    );
  }
  return result.value === true;
}

/** Memoised formulon results: formula text and bound values → value. */
export type ValueCache = Map<string, unknown>;

/**
 * Evaluates a prepared formula of any type (number, text, checkbox, date) and
 * returns formulon's value; results are memoised in `cache` by the formula and
 * the values bound to its identifiers. Throws on a formulon error.
 */
export function evaluatePreparedValue(
  prepared: PreparedFormula,
  fieldTypes: HarnessFieldTypes,
  record: HarnessRecord,
  cache?: ValueCache
): unknown {
  const vars = bindRecord(prepared, fieldTypes, record);
  const key = cache
    ? `${prepared.rewritten}\u0000${JSON.stringify(prepared.identifiers.map((id) => [vars[id].dataType, vars[id].value]))}`
    : "";
  if (cache?.has(key)) {
    return cache.get(key);
  }
  const result = parse(prepared.rewritten, vars);
  if (result.type === "error") {
    throw new Error(`formulon: ${result.message} in: ${prepared.rewritten}`);
  }
  if (cache) {
    if (cache.size > 200000) {
      cache.clear();
    }
    cache.set(key, result.value);
  }
  return result.value;
}

/** Memoised term results: term text and bound values → formulon's result. */
export type TermCache = Map<string, boolean>;

/**
 * Like evaluatePrepared, for a formula of the form AND(t1, ..., tn): evaluates
 * the terms in order with formulon, stops at the first FALSE, and memoises each
 * term's result by its text and the values bound to its identifiers (formulon
 * is deterministic). The whole formula was parsed by formulon in
 * prepareFormula, so its syntax is still checked. Falls back to
 * evaluatePrepared for other formulas.
 */
export function evaluateTerms(
  prepared: PreparedFormula,
  fieldTypes: HarnessFieldTypes,
  record: HarnessRecord,
  cache: TermCache = new Map()
): boolean {
  if (!prepared.terms) {
    return evaluatePrepared(prepared, fieldTypes, record);
  }
  const vars = bindRecord(prepared, fieldTypes, record);
  for (const term of prepared.terms) {
    const bound: Record<string, Literal> = {};
    for (const id of term.identifiers) {
      bound[id] = vars[id];
    }
    const key = `${term.text}\u0000${JSON.stringify(term.identifiers.map((id) => [vars[id].dataType, vars[id].value]))}`;
    let value = cache.get(key);
    if (value === undefined) {
      const result = parse(term.text, bound);
      if (result.type === "error") {
        throw new Error(`formulon: ${result.message} in: ${term.text}`);
      }
      if (result.dataType !== "checkbox") {
        throw new Error(
          `A term is not boolean (${result.dataType}): ${term.text}`
        );
      }
      value = result.value === true;
      if (cache.size > 200000) {
        cache.clear();
      }
      cache.set(key, value);
    }
    if (!value) {
      return false;
    }
  }
  return true;
}

/** Evaluates a Salesforce boolean formula (validation rule error condition) for one record save. */
export function evaluateFormula(
  formula: string,
  fieldTypes: HarnessFieldTypes,
  record: HarnessRecord
): boolean {
  return evaluatePrepared(
    prepareFormula(formula, fieldTypes),
    fieldTypes,
    record
  );
}
