/**
 * A small interpreter for the generated record-triggered flow, enough to run
 * it offline against a save and the opportunity's related records: start
 * filter formula, formula resources (evaluated by formulon through the
 * harness), variables, Decisions, Get Records (a model of SOQL equality
 * filters: text case-insensitive, IsNull for blank), Assignments (Assign,
 * AssignCount) and the Custom Error element. It throws on anything else, so a
 * flow that uses more than it models fails the tests instead of passing them.
 */
import { XMLParser } from "fast-xml-parser";
import type {
  FieldType,
  FieldValues
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  evaluatePreparedValue,
  prepareFormula,
  type HarnessFieldTypes,
  type PreparedFormula,
  type ValueCache
} from "../../scripts/gates/formula/formulon-harness";

type Xml = Record<string, unknown>;

const LISTS = new Set([
  "assignments",
  "decisions",
  "formulas",
  "variables",
  "recordLookups",
  "customErrors",
  "loops",
  "rules",
  "conditions",
  "filters",
  "assignmentItems",
  "customErrorMessages",
  "queriedFields",
  "processMetadataValues"
]);

export function parseFlowXml(xml: string): Xml {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => LISTS.has(name)
  });
  const doc = dropLayoutText(parser.parse(xml)) as { Flow?: Xml };
  if (!doc.Flow) {
    throw new Error("not a Flow document");
  }
  return doc.Flow;
}

/** Removes the whitespace between elements ("#text" of elements that have children). */
function dropLayoutText(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(dropLayoutText);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Xml)
        .filter(
          ([key, v]) =>
            !(key === "#text" && typeof v === "string" && v.trim() === "")
        )
        .map(([key, v]) => [key, dropLayoutText(v)])
    );
  }
  return value;
}

function list(x: unknown): Xml[] {
  return Array.isArray(x) ? (x as Xml[]) : x === undefined ? [] : [x as Xml];
}
function text(x: unknown): string {
  return typeof x === "string" ? x : x === undefined ? "" : String(x);
}

/** The value element of a condition or filter: { kind, value }. */
function literalOf(v: unknown): { kind: string; value: string } {
  const entries = Object.entries((v ?? {}) as Xml);
  if (entries.length !== 1) {
    throw new Error(`expected one value, got ${JSON.stringify(v)}`);
  }
  return { kind: entries[0][0], value: text(entries[0][1]) };
}

/** Evaluates a filter logic such as "1 AND (2 OR 3)" (or "and") over filter results. */
export function evaluateFilterLogic(
  logic: string,
  results: boolean[]
): boolean {
  if (logic.trim().toLowerCase() === "and") {
    return results.every(Boolean);
  }
  const tokens = logic.match(/\d+|AND|OR|NOT|\(|\)/gi) ?? [];
  let i = 0;
  const expr = (): boolean => {
    let value = term();
    while (tokens[i]?.toUpperCase() === "OR") {
      i += 1;
      const right = term();
      value = value || right;
    }
    return value;
  };
  const term = (): boolean => {
    let value = factor();
    while (tokens[i]?.toUpperCase() === "AND") {
      i += 1;
      const right = factor();
      value = value && right;
    }
    return value;
  };
  const factor = (): boolean => {
    const token = tokens[i++];
    if (token === "(") {
      const value = expr();
      if (tokens[i++] !== ")") {
        throw new Error(`bad filter logic: ${logic}`);
      }
      return value;
    }
    if (token?.toUpperCase() === "NOT") {
      return !factor();
    }
    const n = Number(token);
    if (!Number.isInteger(n) || n < 1 || n > results.length) {
      throw new Error(`bad filter logic: ${logic}`);
    }
    return results[n - 1];
  };
  const value = expr();
  if (i !== tokens.length) {
    throw new Error(`bad filter logic: ${logic}`);
  }
  return value;
}

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === "";
}

/** SOQL-style equality filter on one record. */
function filterMatches(
  record: Xml,
  filter: Xml,
  recordId: string | null
): boolean {
  const field = text(filter.field);
  const operator = text(filter.operator);
  const { kind, value } = literalOf(filter.value);
  const actual = record[field];
  if (operator === "IsNull") {
    return isBlank(actual) === (value === "true");
  }
  if (operator !== "EqualTo") {
    throw new Error(`filter operator ${operator} is not modelled`);
  }
  switch (kind) {
    case "elementReference":
      if (value !== "$Record.Id") {
        throw new Error(`filter reference ${value} is not modelled`);
      }
      return recordId !== null && actual === recordId;
    case "stringValue":
      return (
        !isBlank(actual) && String(actual).toLowerCase() === value.toLowerCase()
      );
    case "booleanValue":
      return (actual === true || actual === "true") === (value === "true");
    case "numberValue":
      return !isBlank(actual) && Number(actual) === Number(value);
    default:
      throw new Error(`filter value ${kind} is not modelled`);
  }
}

export interface FlowSave {
  before: FieldValues | null;
  after: FieldValues;
  recordType: string | null;
  permissions: string[];
  today: string;
}

export interface FlowRun {
  /** False when the start element's entry condition did not hold. */
  entered: boolean;
  /** The Custom Error element's message, when it ran. */
  error?: string;
  /** Get Records elements run, in order. */
  queries: string[];
  /** Every element visited, in order. */
  path: string[];
}

const FLOW_DATA_TYPES: Record<string, FieldType> = {
  Boolean: "Checkbox",
  Number: "Number",
  String: "Text"
};

export const RECORD_ID = "006000000000001AAA";

export class FlowModel {
  readonly flow: Xml;
  private readonly formulas = new Map<
    string,
    { dataType: string; expression: string }
  >();
  private readonly variables = new Map<
    string,
    { dataType: string; initial: unknown }
  >();
  private readonly elements = new Map<string, { type: string; element: Xml }>();
  private readonly prepared = new Map<string, PreparedFormula>();
  private readonly cache: ValueCache = new Map();

  constructor(
    xml: string,
    private readonly fieldTypes: HarnessFieldTypes
  ) {
    this.flow = parseFlowXml(xml);
    for (const f of list(this.flow.formulas)) {
      this.formulas.set(text(f.name), {
        dataType: text(f.dataType),
        expression: text(f.expression)
      });
    }
    for (const v of list(this.flow.variables)) {
      const value = v.value === undefined ? undefined : literalOf(v.value);
      const initial =
        value === undefined
          ? null
          : value.kind === "numberValue"
            ? Number(value.value)
            : value.value;
      this.variables.set(text(v.name), { dataType: text(v.dataType), initial });
    }
    for (const type of [
      "assignments",
      "decisions",
      "recordLookups",
      "customErrors",
      "loops"
    ]) {
      for (const element of list(this.flow[type])) {
        const name = text(element.name);
        if (this.elements.has(name)) {
          throw new Error(`duplicate element name ${name}`);
        }
        this.elements.set(name, { type, element });
      }
    }
  }

  elementNames(type: string): string[] {
    return Array.from(this.elements.entries())
      .filter(([, e]) => e.type === type)
      .map(([name]) => name);
  }

  /** Targets of an element's connectors (normal, default, rules, fault). */
  targets(name: string): string[] {
    const entry = this.elements.get(name);
    if (!entry) {
      return [];
    }
    const e = entry.element;
    const refs = [
      e.connector,
      e.defaultConnector,
      e.faultConnector,
      e.nextValueConnector,
      e.noMoreValuesConnector
    ]
      .concat(list(e.rules).map((r) => r.connector))
      .map((c) => text((c as Xml | undefined)?.targetReference))
      .filter((t) => t !== "");
    return refs;
  }

  /** Converts a flow formula to the harness's validation-rule syntax (outside string literals). */
  private convert(expression: string): string {
    let out = "";
    let i = 0;
    while (i < expression.length) {
      const ch = expression[i];
      if (ch === '"' || ch === "'") {
        let j = i + 1;
        while (j < expression.length && expression[j] !== ch) {
          j += expression[j] === "\\" ? 2 : 1;
        }
        out += expression.slice(i, j + 1);
        i = j + 1;
      } else if (expression.startsWith("{!", i)) {
        const end = expression.indexOf("}", i);
        const ref = expression.slice(i + 2, end);
        i = end + 1;
        if (ref === "$Record.RecordType.DeveloperName") {
          out += "RecordType.DeveloperName";
        } else if (ref.startsWith("$Record.")) {
          out += ref.slice("$Record.".length);
        } else if (ref.startsWith("$Record__Prior.")) {
          out += `FlowPrior_${ref.slice("$Record__Prior.".length)}`;
        } else if (ref.startsWith("$Permission.")) {
          out += ref;
        } else if (/^[A-Za-z][A-Za-z0-9_]*$/.test(ref)) {
          out += `FlowVar_${ref}`;
        } else {
          throw new Error(`merge field {!${ref}} is not modelled`);
        }
      } else {
        out += ch;
        i += 1;
      }
    }
    return out;
  }

  run(save: FlowSave, related: Record<string, Xml[]>): FlowRun {
    const isNew = save.before === null;
    const state = new Map<string, unknown>();
    for (const [name, v] of this.variables) {
      state.set(name, v.initial);
    }
    const formulaValues = new Map<string, unknown>();
    const lookups = new Map<string, Xml[]>();

    const types: Record<string, FieldType> = {
      ...this.fieldTypes,
      FlowPrior_Id: "Id",
      FlowPrior_StageName: "Picklist"
    };
    const evaluate = (expression: string): unknown => {
      const converted = this.convert(expression);
      let prepared = this.prepared.get(converted);
      if (!prepared) {
        prepared = prepareFormula(converted, {
          ...types,
          ...Object.fromEntries(
            [...this.formulas].map(([n, f]) => [
              `FlowVar_${n}`,
              FLOW_DATA_TYPES[f.dataType]
            ])
          ),
          ...Object.fromEntries(
            [...this.variables].map(([n, v]) => [
              `FlowVar_${n}`,
              FLOW_DATA_TYPES[v.dataType]
            ])
          )
        });
        this.prepared.set(converted, prepared);
      }
      const values: FieldValues = {
        ...save.after,
        FlowPrior_Id: isNew ? null : RECORD_ID,
        FlowPrior_StageName: save.before?.StageName ?? null
      };
      for (const id of prepared.identifiers) {
        if (id.startsWith("FlowVar_")) {
          values[id] = valueOf(id.slice("FlowVar_".length));
        }
      }
      const typeMap: Record<string, FieldType> = { ...types };
      for (const id of prepared.identifiers) {
        if (id.startsWith("FlowVar_")) {
          const name = id.slice("FlowVar_".length);
          const dataType =
            this.formulas.get(name)?.dataType ??
            this.variables.get(name)?.dataType ??
            "";
          typeMap[id] = FLOW_DATA_TYPES[dataType];
        }
      }
      return evaluatePreparedValue(
        prepared,
        typeMap,
        {
          values,
          prior: isNew ? null : { ...save.before },
          recordType: save.recordType,
          permissions: save.permissions,
          today: save.today
        },
        this.cache
      );
    };
    const valueOf = (name: string): unknown => {
      if (this.formulas.has(name)) {
        if (!formulaValues.has(name)) {
          formulaValues.set(
            name,
            evaluate(
              (this.formulas.get(name) as { expression: string }).expression
            )
          );
        }
        return formulaValues.get(name);
      }
      if (state.has(name)) {
        return state.get(name);
      }
      throw new Error(`unknown resource ${name}`);
    };
    const setVariable = (name: string, value: unknown): void => {
      if (!this.variables.has(name)) {
        throw new Error(`assignment to unknown variable ${name}`);
      }
      state.set(name, value);
      // Formulas are evaluated when referenced: drop the ones computed before this change.
      formulaValues.clear();
    };

    const start = this.flow.start as Xml;
    const entered = evaluate(text(start.filterFormula)) === true;
    const result: FlowRun = { entered, queries: [], path: [] };
    if (!entered) {
      return result;
    }
    let current = text((start.connector as Xml | undefined)?.targetReference);
    let steps = 0;
    while (current) {
      if (++steps > 10000) {
        throw new Error("the flow does not terminate");
      }
      result.path.push(current);
      const entry = this.elements.get(current);
      if (!entry) {
        throw new Error(`connector to unknown element ${current}`);
      }
      const e = entry.element;
      let next = "";
      switch (entry.type) {
        case "decisions": {
          next = text((e.defaultConnector as Xml | undefined)?.targetReference);
          for (const rule of list(e.rules)) {
            if (text(rule.conditionLogic) !== "and") {
              throw new Error(
                `condition logic ${text(rule.conditionLogic)} is not modelled`
              );
            }
            const holds = list(rule.conditions).every((c) => {
              const left = valueOf(text(c.leftValueReference));
              const right = literalOf(c.rightValue);
              switch (text(c.operator)) {
                case "EqualTo":
                  return right.kind === "booleanValue"
                    ? left === (right.value === "true")
                    : Number(left) === Number(right.value);
                case "LessThan":
                  return Number(left) < Number(right.value);
                case "IsBlank":
                  return isBlank(left) === (right.value === "true");
                default:
                  throw new Error(
                    `operator ${text(c.operator)} is not modelled`
                  );
              }
            });
            if (holds) {
              next = text((rule.connector as Xml | undefined)?.targetReference);
              break;
            }
          }
          break;
        }
        case "recordLookups": {
          result.queries.push(current);
          const recordId = isNew ? null : RECORD_ID;
          const filters = list(e.filters);
          const logic = text(e.filterLogic) || "and";
          const rows = (related[text(e.object)] ?? []).filter((r) =>
            evaluateFilterLogic(
              logic,
              filters.map((f) => filterMatches(r, f, recordId))
            )
          );
          lookups.set(current, rows);
          next = text((e.connector as Xml | undefined)?.targetReference);
          break;
        }
        case "assignments": {
          for (const item of list(e.assignmentItems)) {
            const target = text(item.assignToReference);
            const { kind, value } = literalOf(item.value);
            if (kind !== "elementReference") {
              throw new Error(`assignment value ${kind} is not modelled`);
            }
            if (text(item.operator) === "AssignCount") {
              const rows = lookups.get(value);
              if (!rows) {
                throw new Error(`AssignCount of ${value}, which did not run`);
              }
              setVariable(target, rows.length);
            } else if (text(item.operator) === "Assign") {
              setVariable(target, valueOf(value));
            } else {
              throw new Error(
                `assignment operator ${text(item.operator)} is not modelled`
              );
            }
          }
          next = text((e.connector as Xml | undefined)?.targetReference);
          break;
        }
        case "customErrors": {
          const messages = list(e.customErrorMessages).map((m) =>
            text(m.errorMessage).replace(
              /\{!([A-Za-z][A-Za-z0-9_]*)\}/g,
              (_m, name: string) => {
                const v = valueOf(name);
                return isBlank(v) ? "" : String(v);
              }
            )
          );
          result.error = messages.join("\n");
          next = text((e.connector as Xml | undefined)?.targetReference);
          break;
        }
        default:
          throw new Error(`element type ${entry.type} is not modelled`);
      }
      current = next;
    }
    return result;
  }
}
