/**
 * A small interpreter for the generated record-triggered flow, enough to run
 * it offline against a save and the opportunity's related records: start
 * filter formula, formula resources (evaluated by formulon through the
 * harness, including fields of record variables and $Flow.FaultMessage),
 * variables (Number, String, SObject), Decisions, Get Records (a model of SOQL
 * equality filters: text case-insensitive, IsNull for blank; a query can be
 * made to fail, which takes the fault connector), Loops, Assignments (Assign,
 * Add, AssignCount) and Custom Error elements. It throws on anything else, so
 * a flow that uses more than it models fails the tests instead of passing them.
 *
 * runBatch models Salesforce's bulkification of a save of many records: the
 * interviews advance together, and all interviews waiting at the same Get
 * Records element in the same round share one SOQL query; interviews waiting
 * at different elements cost one query per element.
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
  /** The message of the Custom Error element that ran (undefined when none ran). */
  error?: string;
  /** The Custom Error element that ran. */
  errorElement?: string;
  /** Get Records elements run, in order. */
  queries: string[];
  /** Every element visited, in order. */
  path: string[];
  /** Rows the interview's Get Records elements returned. */
  rowsFetched?: number;
}

export interface RunOptions {
  /** Objects whose Get Records fails (the fault connector runs) with this fault message. */
  failingQueries?: Record<string, string>;
}

/** What a batch of interviews cost, as Salesforce counts it. */
export interface BatchRun {
  runs: FlowRun[];
  /** SOQL queries: one per Get Records element per round in which interviews wait at it. */
  soqlQueries: number;
  /** Rows the queries returned (every row of every interview's lookups). */
  rows: number;
  /** Rounds of the batch that ran at least one query. */
  queryRounds: number;
}

const FLOW_DATA_TYPES: Record<string, FieldType> = {
  Boolean: "Checkbox",
  Number: "Number",
  String: "Text"
};

export const RECORD_ID = "006000000000001AAA";

type Step = { lookup: string };

export class FlowModel {
  readonly flow: Xml;
  private readonly formulas = new Map<
    string,
    { dataType: string; expression: string }
  >();
  private readonly variables = new Map<
    string,
    { dataType: string; initial: unknown; objectType?: string }
  >();
  private readonly elements = new Map<string, { type: string; element: Xml }>();
  private readonly prepared = new Map<string, PreparedFormula>();
  private readonly cache: ValueCache = new Map();
  /** Formula identifiers standing for a record variable's field: identifier → [variable, field]. */
  private readonly recordFields = new Map<string, [string, string]>();

  constructor(
    xml: string,
    private readonly fieldTypes: HarnessFieldTypes,
    private readonly relatedFieldTypes: Record<string, HarnessFieldTypes> = {}
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
      this.variables.set(text(v.name), {
        dataType: text(v.dataType),
        initial,
        objectType: v.objectType === undefined ? undefined : text(v.objectType)
      });
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

  element(name: string): Xml | undefined {
    return this.elements.get(name)?.element;
  }

  /** Targets of an element's connectors (normal, default, rules, fault, loop). */
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
        const dotted =
          /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)$/.exec(ref);
        if (ref === "$Record.RecordType.DeveloperName") {
          out += "RecordType.DeveloperName";
        } else if (ref.startsWith("$Record.")) {
          out += ref.slice("$Record.".length);
        } else if (ref.startsWith("$Record__Prior.")) {
          out += `FlowPrior_${ref.slice("$Record__Prior.".length)}`;
        } else if (ref.startsWith("$Permission.")) {
          out += ref;
        } else if (ref === "$Flow.FaultMessage") {
          out += "FlowFaultMessage";
        } else if (
          dotted &&
          this.variables.get(dotted[1])?.dataType === "SObject"
        ) {
          const id = `FlowRec${this.recordFields.size}_${dotted[2]}`;
          const existing = [...this.recordFields].find(
            ([, [v, f]]) => v === dotted[1] && f === dotted[2]
          );
          if (existing) {
            out += existing[0];
          } else {
            this.recordFields.set(id, [dotted[1], dotted[2]]);
            out += id;
          }
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

  /** The harness type of a record variable's field. */
  private recordFieldType(variable: string, field: string): FieldType {
    const object = this.variables.get(variable)?.objectType ?? "";
    const type = this.relatedFieldTypes[object]?.[field];
    if (!type) {
      throw new Error(
        `no field type for ${object}.${field} (record variable ${variable})`
      );
    }
    return type;
  }

  /** Runs one interview to its end. */
  run(
    save: FlowSave,
    related: Record<string, Xml[]>,
    options: RunOptions = {}
  ): FlowRun {
    const interview = this.interview(save, related, options);
    for (;;) {
      const step = interview.next();
      if (step.done) {
        return step.value;
      }
    }
  }

  /**
   * Runs one interview per save, together, as Salesforce runs the interviews
   * of one DML operation (up to 200 records), and counts the SOQL queries.
   */
  runBatch(
    items: { save: FlowSave; related: Record<string, Xml[]> }[],
    options: RunOptions = {}
  ): BatchRun {
    const interviews = items.map((item) =>
      this.interview(item.save, item.related, options)
    );
    const runs: FlowRun[] = new Array(items.length);
    let waiting = interviews.map((it, i) => ({ i, step: it.next() }));
    let soqlQueries = 0;
    let queryRounds = 0;
    let rows = 0;
    while (waiting.length > 0) {
      const next: typeof waiting = [];
      const elementsThisRound = new Set<string>();
      for (const { i, step } of waiting) {
        if (step.done) {
          runs[i] = step.value;
          continue;
        }
        elementsThisRound.add(step.value.lookup);
      }
      if (elementsThisRound.size > 0) {
        queryRounds += 1;
        soqlQueries += elementsThisRound.size;
      }
      for (const { i, step } of waiting) {
        if (!step.done) {
          next.push({ i, step: interviews[i].next() });
        }
      }
      waiting = next;
    }
    for (const run of runs) {
      rows += run.rowsFetched ?? 0;
    }
    return { runs, soqlQueries, rows, queryRounds };
  }

  /** One interview; yields before each Get Records element runs (the point where Salesforce batches interviews). */
  *interview(
    save: FlowSave,
    related: Record<string, Xml[]>,
    options: RunOptions = {}
  ): Generator<Step, FlowRun, void> {
    const isNew = save.before === null;
    const state = new Map<string, unknown>();
    for (const [name, v] of this.variables) {
      state.set(name, v.initial);
    }
    const formulaValues = new Map<string, unknown>();
    const lookups = new Map<string, Xml[]>();
    const loopPositions = new Map<string, number>();
    let faultMessage = "";
    let rowsFetched = 0;

    const types: Record<string, FieldType> = {
      ...this.fieldTypes,
      FlowPrior_Id: "Id",
      FlowPrior_StageName: "Picklist",
      FlowFaultMessage: "Text"
    };
    const typeOfIdentifier = (id: string): FieldType | undefined => {
      if (id.startsWith("FlowVar_")) {
        const name = id.slice("FlowVar_".length);
        const dataType =
          this.formulas.get(name)?.dataType ??
          this.variables.get(name)?.dataType ??
          "";
        return FLOW_DATA_TYPES[dataType];
      }
      const field = this.recordFields.get(id);
      if (field) {
        return this.recordFieldType(field[0], field[1]);
      }
      return types[id];
    };
    const evaluate = (expression: string): unknown => {
      const converted = this.convert(expression);
      let prepared = this.prepared.get(converted);
      const typeMap: Record<string, FieldType> = { ...types };
      if (!prepared) {
        const extract = prepareFormula(converted, {
          ...types,
          ...Object.fromEntries(
            [...this.recordFields.keys()].map((id) => [
              id,
              typeOfIdentifier(id) as FieldType
            ])
          ),
          ...Object.fromEntries(
            [...this.formulas].map(([n, f]) => [
              `FlowVar_${n}`,
              FLOW_DATA_TYPES[f.dataType]
            ])
          ),
          ...Object.fromEntries(
            [...this.variables]
              .filter(([, v]) => FLOW_DATA_TYPES[v.dataType] !== undefined)
              .map(([n, v]) => [`FlowVar_${n}`, FLOW_DATA_TYPES[v.dataType]])
          )
        });
        prepared = extract;
        this.prepared.set(converted, prepared);
      }
      const values: FieldValues = {
        ...save.after,
        FlowPrior_Id: isNew ? null : RECORD_ID,
        FlowPrior_StageName: save.before?.StageName ?? null,
        FlowFaultMessage: faultMessage
      };
      for (const id of prepared.identifiers) {
        if (id.startsWith("FlowVar_")) {
          values[id] = valueOf(id.slice("FlowVar_".length));
        }
        const field = this.recordFields.get(id);
        if (field) {
          const record = state.get(field[0]) as Xml | null;
          if (!record) {
            throw new Error(
              `${field[0]}.${field[1]} read while ${field[0]} holds no record`
            );
          }
          values[id] = record[field[1]] ?? null;
        }
        const type = typeOfIdentifier(id);
        if (type) {
          typeMap[id] = type;
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
    const literalValue = (v: unknown): unknown => {
      const { kind, value } = literalOf(v);
      switch (kind) {
        case "elementReference":
          return valueOf(value);
        case "numberValue":
          return Number(value);
        case "stringValue":
          return value;
        case "booleanValue":
          return value === "true";
        default:
          throw new Error(`value ${kind} is not modelled`);
      }
    };
    const compare = (c: Xml): boolean => {
      const left = valueOf(text(c.leftValueReference));
      const right = literalOf(c.rightValue);
      const r =
        right.kind === "booleanValue"
          ? right.value === "true"
          : right.kind === "numberValue"
            ? Number(right.value)
            : right.kind === "elementReference"
              ? valueOf(right.value)
              : right.value;
      const number = (x: unknown): number => {
        if (x === null || x === undefined || x === "") {
          throw new Error(`number comparison with a blank value`);
        }
        return Number(x);
      };
      switch (text(c.operator)) {
        case "EqualTo":
          return typeof r === "number" ? number(left) === r : left === r;
        case "LessThan":
          return number(left) < number(r);
        case "LessThanOrEqualTo":
          return number(left) <= number(r);
        case "GreaterThan":
          return number(left) > number(r);
        case "IsBlank":
          return isBlank(left) === (r === true);
        default:
          throw new Error(`operator ${text(c.operator)} is not modelled`);
      }
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
      if (++steps > 200000) {
        throw new Error("the flow does not terminate");
      }
      result.path.push(current);
      const entry = this.elements.get(current);
      if (!entry) {
        throw new Error(`connector to unknown element ${current}`);
      }
      const e = entry.element;
      const target = (c: unknown): string =>
        text((c as Xml | undefined)?.targetReference);
      let next = "";
      switch (entry.type) {
        case "decisions": {
          next = target(e.defaultConnector);
          for (const rule of list(e.rules)) {
            if (text(rule.conditionLogic) !== "and") {
              throw new Error(
                `condition logic ${text(rule.conditionLogic)} is not modelled`
              );
            }
            if (list(rule.conditions).every(compare)) {
              next = target(rule.connector);
              break;
            }
          }
          break;
        }
        case "recordLookups": {
          yield { lookup: current };
          result.queries.push(current);
          const object = text(e.object);
          const failure = options.failingQueries?.[object];
          if (failure !== undefined) {
            faultMessage = failure;
            formulaValues.clear();
            next = target(e.faultConnector);
            if (!next) {
              throw new Error(`${current} failed and has no fault connector`);
            }
            break;
          }
          const recordId = isNew ? null : RECORD_ID;
          const filters = list(e.filters);
          const logic = text(e.filterLogic) || "and";
          const queried = new Set(list(e.queriedFields).map(text));
          const rows = (related[object] ?? [])
            .filter((r) =>
              evaluateFilterLogic(
                logic,
                filters.map((f) => filterMatches(r, f, recordId))
              )
            )
            // Only the queried fields come back, as from SOQL.
            .map((r) =>
              Object.fromEntries(
                Object.entries(r).filter(([field]) => queried.has(field))
              )
            );
          rowsFetched += rows.length;
          lookups.set(current, rows);
          next = target(e.connector);
          break;
        }
        case "loops": {
          const collection = text(e.collectionReference);
          const rows = lookups.get(collection);
          if (!rows) {
            throw new Error(
              `${current} loops over ${collection}, which did not run`
            );
          }
          if (text(e.iterationOrder) !== "Asc") {
            throw new Error(
              `iteration order ${text(e.iterationOrder)} is not modelled`
            );
          }
          const position = loopPositions.get(current) ?? 0;
          if (position < rows.length) {
            loopPositions.set(current, position + 1);
            setVariable(text(e.assignNextValueToReference), rows[position]);
            next = target(e.nextValueConnector);
          } else {
            loopPositions.delete(current);
            next = target(e.noMoreValuesConnector);
          }
          break;
        }
        case "assignments": {
          for (const item of list(e.assignmentItems)) {
            const targetName = text(item.assignToReference);
            const operator = text(item.operator);
            if (operator === "AssignCount") {
              const { value } = literalOf(item.value);
              const rows = lookups.get(value);
              if (!rows) {
                throw new Error(`AssignCount of ${value}, which did not run`);
              }
              setVariable(targetName, rows.length);
            } else if (operator === "Assign") {
              setVariable(targetName, literalValue(item.value));
            } else if (operator === "Add") {
              const before = valueOf(targetName);
              const add = literalValue(item.value);
              const dataType = this.variables.get(targetName)?.dataType;
              if (dataType === "Number") {
                setVariable(targetName, Number(before ?? 0) + Number(add));
              } else if (dataType === "String") {
                setVariable(
                  targetName,
                  `${isBlank(before) ? "" : String(before)}${String(add)}`
                );
              } else {
                throw new Error(`Add to a ${String(dataType)} is not modelled`);
              }
            } else {
              throw new Error(
                `assignment operator ${operator} is not modelled`
              );
            }
          }
          next = target(e.connector);
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
          if (result.error !== undefined) {
            throw new Error(`a second Custom Error ran: ${current}`);
          }
          result.error = messages.join("\n");
          result.errorElement = current;
          next = target(e.connector);
          break;
        }
        default:
          throw new Error(`element type ${entry.type} is not modelled`);
      }
      current = next;
    }
    return { ...result, rowsFetched };
  }
}
