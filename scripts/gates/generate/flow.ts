/**
 * The record-triggered flow that enforces related-record criteria (contact
 * roles, tasks, events, files, products), which validation rules cannot see,
 * and, with `"fieldCriteriaIn": "flow"`, the field criteria too:
 * flows/Stage_Gate_Related_Criteria.flow-meta.xml.
 *
 * Before-save, on create and update of Opportunity, entered only when the
 * record is new or its stage changed. Three phases, each on one path that
 * every interview of a batch takes:
 *
 * 1. Query: one Decision "does this save need related records?" (an existing
 *    record and some related criterion required), then one Get Records per
 *    related object in sequence on that same path, each filtered to the
 *    triggering record's children only (parent lookup = $Record.Id). Salesforce
 *    bulkifies a Get Records element across the interviews that reach it
 *    together, so a batch of up to 200 records costs at most one query per
 *    related object (FLOW_QUERIES_PER_SAVE), whatever the number of criteria.
 *    A failed query goes to its own Custom Error, never to a criterion's message.
 * 2. Count, in memory: a Loop over each object's records; per criterion of that
 *    object a Decision on a formula matching its `where` (text case-insensitive,
 *    as SOQL compares) and an Assignment adding 1 to its count.
 * 3. Collect, in map order: per criterion a Decision on its "unmet" formula
 *    (Unmet_<key>: required by the move, not bypassed, and not met), then the
 *    code is added to one message that stays within 255 characters by
 *    construction (the core's flowBlockedMessage). One Custom Error shows it.
 *
 * On insert a before-save $Record has no Id yet and no related record can
 * exist: nothing is queried and every related count is 0.
 *
 * Elements used, all available to before-save flows (Salesforce Help, "Before-Save
 * Record-Triggered Flows" and the Spring '20 release note "before-save updates in
 * flows": Assignment, Decision, Get Records and Loop; "Custom Error Element": the
 * before-save or after-save path of a record-triggered flow, up to 255 characters).
 */
import {
  FLOW_MAX_CRITERIA,
  FLOW_MESSAGE_CODE_BUDGET,
  FLOW_MESSAGE_PREFIX,
  FLOW_MESSAGE_SUFFIX,
  MAX_ERROR_MESSAGE_LENGTH,
  RELATED_OBJECT_PARENT_FIELD,
  STAGE_FIELD,
  WAIVED_FIELD,
  criterionMessage,
  enforcerOf,
  fieldKind,
  type FieldCriteriaIn,
  flowMessageToken,
  isRelatedCriterion,
  type FieldType,
  type RelatedCriterion,
  type RuntimeRelatedCriterion,
  type RelatedObject,
  type RuntimeCriterion,
  type RuntimeFieldCriterion,
  type RuntimeProcess,
  type Scalar
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../load";
import {
  GenerationError,
  and,
  checkFormulaLength,
  decimalLiteral,
  enforcedPlacements,
  flowFormulaString,
  formulaDate,
  or,
  notWaivedCondition,
  recordTypeCondition,
  stageIndexCase,
  transitionTerms,
  whenTerms,
  unmetCondition,
  type GatePlacement
} from "./formula";
import {
  GENERATED_NAME_PREFIX,
  MAX_FLOW_NAME,
  doNotEditSentence,
  sanitizeSegment,
  uniqueApiNames
} from "./names";
import type { Emitter, GeneratedFile } from "./types";
import { bypassReference } from "./validation-rules";
import { el, metadataDocument, node, type XmlNode } from "./xml";

export const FLOW_API_VERSION = "66.0";
export const FLOW_NAME = `${GENERATED_NAME_PREFIX}Related_Criteria`;
export const FLOW_PATH = `flows/${FLOW_NAME}.flow-meta.xml`;
/** Position among the before-save flows on Opportunity (1-2000); explicit so the run order is stable. */
export const FLOW_TRIGGER_ORDER = 500;
/** Code of the message a failed related-records query shows. */
export const QUERY_FAILED_CODE = "stage_gate_error";
/** Opening of that message; the query's fault message follows, cut to stay within 255 characters. */
export const QUERY_FAILED_PREFIX = `[${QUERY_FAILED_CODE}] Could not check related records: `;

const RECORD = "$Record";
const PRIOR = "$Record__Prior";

/** Where the map enforces its field criteria (default: validation rules). */
export function fieldCriteriaIn(loaded: LoadedMap): FieldCriteriaIn {
  return loaded.map.fieldCriteriaIn ?? "validationRules";
}

/** One criterion the flow enforces, with its place in the process. */
export interface FlowGate {
  placement: GatePlacement;
  criterion: RuntimeCriterion;
  /** For a related-record criterion: its object and the count it needs. */
  related?: { criterion: RuntimeRelatedCriterion; minCount: number };
  /** Sanitized, unique id segment for element names. */
  key: string;
}

/** Longest element-name prefix put before a gate key ("Count_Blocked_", "First_Message_"). */
const LONGEST_KEY_PREFIX = 14;

/**
 * The criteria the flow enforces, in map order: every enforced related
 * criterion that can block (minCount > 0), and with fieldCriteriaIn "flow"
 * every enforced field criterion.
 */
export function flowGates(loaded: LoadedMap): FlowGate[] {
  const placements = enforcedPlacements(loaded.runtime).filter(
    (p) =>
      enforcerOf(fieldCriteriaIn(loaded), p.criterion) === "flow" &&
      // A related criterion needing no record never blocks.
      (!isRelatedCriterion(p.criterion) || (p.criterion.minCount ?? 1) > 0)
  );
  const keys = uniqueApiNames(
    placements.map((p) => ({
      key: p.criterion.id,
      base: sanitizeSegment(p.criterion.id)
    })),
    MAX_FLOW_NAME - LONGEST_KEY_PREFIX
  );
  return placements.map((placement) => {
    const c = placement.criterion;
    return {
      placement,
      criterion: c,
      related: isRelatedCriterion(c)
        ? { criterion: c, minCount: c.minCount ?? 1 }
        : undefined,
      key: keys.get(c.id) as string
    };
  });
}

/** The flow's related-record criteria (map order). */
export function relatedGates(loaded: LoadedMap): FlowGate[] {
  return flowGates(loaded).filter((g) => g.related !== undefined);
}

/** The related objects the flow queries, one Get Records each, in order of first use. */
export function flowRelatedObjects(loaded: LoadedMap): RelatedObject[] {
  const out: RelatedObject[] = [];
  for (const g of relatedGates(loaded)) {
    const object = g.related?.criterion.related as RelatedObject;
    if (!out.includes(object)) {
      out.push(object);
    }
  }
  return out;
}

/**
 * SOQL queries the flow costs per save of up to 200 records (one bulkified
 * Get Records per related object); the Apex enforcement test asserts it.
 */
export function flowQueriesPerSave(loaded: LoadedMap): number {
  return flowRelatedObjects(loaded).length;
}

function ref(name: string): string {
  return `{!${name}}`;
}

function formula(
  name: string,
  dataType: "Boolean" | "Number" | "String",
  expression: string,
  description: string
): XmlNode {
  checkFormulaLength(expression, `flow formula ${name}`);
  return node("formulas", [
    el("description", description),
    el("name", name),
    el("dataType", dataType),
    el("expression", expression),
    dataType === "Number" && el("scale", 0)
  ]);
}

function connector(target: string): XmlNode {
  return node("connector", [el("targetReference", target)]);
}

function value(
  kind: "booleanValue" | "numberValue" | "stringValue" | "elementReference",
  v: string | number | boolean
): XmlNode {
  return node("value", [el(kind, v)]);
}

function condition(left: string, operator: string, right: XmlNode): XmlNode {
  return node("conditions", [
    el("leftValueReference", left),
    el("operator", operator),
    { ...right, name: "rightValue" }
  ]);
}

function isTrue(name: string): XmlNode {
  return condition(name, "EqualTo", value("booleanValue", true));
}

function variable(
  name: string,
  description: string,
  dataType: "Number" | "String" | "SObject",
  extra: { objectType?: string; initial?: number } = {}
): XmlNode {
  return node("variables", [
    el("description", description),
    el("name", name),
    el("dataType", dataType),
    el("isCollection", false),
    el("isInput", false),
    el("isOutput", false),
    extra.objectType !== undefined && el("objectType", extra.objectType),
    dataType === "Number" && el("scale", 0),
    extra.initial !== undefined && value("numberValue", extra.initial)
  ]);
}

/** Layout for Flow Builder's auto-layout canvas (it recomputes positions; these keep the file valid and readable). */
class Layout {
  private y = 0;
  next(x = 176): XmlNode[] {
    this.y += 120;
    return [el("locationX", x), el("locationY", this.y)];
  }
}

function nodeHead(
  name: string,
  label: string,
  description: string,
  layout: Layout,
  x?: number
): XmlNode[] {
  return [
    el("description", description),
    el("name", name),
    el("label", label.slice(0, 80)),
    ...layout.next(x)
  ];
}

function describePlacement(p: GatePlacement): string {
  return `${p.list} of ${p.stage}, process ${p.process.name}`;
}

/** Adds the criterion to a generation error that does not name it yet. */
function forCriterion<T>(c: RuntimeCriterion, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (
      error instanceof GenerationError &&
      !error.message.includes(`"${c.id}"`)
    ) {
      throw new GenerationError(`criterion "${c.id}": ${error.message}`);
    }
    throw error;
  }
}

/**
 * TRUE when a related record (the loop's current record, `recordVar`) meets
 * one criterion's `where`, with the core's countMatching semantics: a list
 * means any of its values, text compares case-insensitively, null matches a
 * blank field, a blank field never equals a value.
 */
export function whereCondition(
  loaded: LoadedMap,
  criterion: RelatedCriterion,
  recordVar: string
): string | undefined {
  const object = criterion.related;
  const terms = Object.entries(criterion.where ?? {}).map(
    ([field, expected]) => {
      const list = Array.from(
        new Set(Array.isArray(expected) ? expected : [expected])
      );
      if (list.length === 0) {
        throw new GenerationError(
          `criterion "${criterion.id}": where.${field} is an empty list (no record could match)`
        );
      }
      const type = loaded.fields[object]?.[field]?.type as
        FieldType | undefined;
      if (!type) {
        throw new GenerationError(
          `criterion "${criterion.id}": no field "${field}" on ${object}`
        );
      }
      const f = ref(`${recordVar}.${field}`);
      return or(
        list.map((v) => whereValueTerm(criterion.id, field, type, f, v))
      );
    }
  );
  return terms.length === 0 ? undefined : and(terms);
}

function whereValueTerm(
  id: string,
  field: string,
  type: FieldType,
  f: string,
  expected: Scalar
): string {
  const kind = fieldKind(type);
  const fail = (why: string): never => {
    throw new GenerationError(`criterion "${id}": where.${field} ${why}`);
  };
  const blank = kind === "picklist" ? `ISBLANK(TEXT(${f}))` : `ISBLANK(${f})`;
  if (expected === null) {
    return kind === "checkbox" ? "FALSE" : blank;
  }
  switch (kind) {
    case "checkbox":
      if (typeof expected !== "boolean") {
        return fail(`is a Checkbox: the value must be true or false`);
      }
      return expected ? f : `NOT(${f})`;
    case "number": {
      if (typeof expected !== "number" || !Number.isFinite(expected)) {
        return fail(`is a number field: the value must be a finite number`);
      }
      return `AND(NOT(${blank}), ${f} = ${decimalLiteral(expected, type === "Percent")})`;
    }
    case "date":
      if (
        typeof expected !== "string" ||
        !/^\d{4}-\d{2}-\d{2}$/.test(expected)
      ) {
        return fail(`is a Date: the value must be an ISO date (YYYY-MM-DD)`);
      }
      return `AND(NOT(${blank}), ${f} = ${formulaDate(expected)})`;
    case "datetime":
    case "multipicklist":
      return fail(`(${type}) cannot be matched by the flow`);
    default: {
      const text = String(expected);
      if (text === "") {
        return "FALSE";
      }
      const x = kind === "picklist" ? `TEXT(${f})` : f;
      return `LOWER(${x}) = ${flowFormulaString(text.toLowerCase())}`;
    }
  }
}

/** The flow's XML, or undefined when the map gives the flow nothing to enforce. */
export function flowDocument(
  loaded: LoadedMap,
  configLabel: string
): string | undefined {
  const gates = flowGates(loaded);
  if (gates.length === 0) {
    return undefined;
  }
  if (gates.length > FLOW_MAX_CRITERIA) {
    throw new GenerationError(
      `the flow would enforce ${gates.length} criteria, more than the ${FLOW_MAX_CRITERIA} its message can count`
    );
  }
  const runtime = loaded.runtime;
  const layout = new Layout();
  const str = flowFormulaString;
  const stageText = `TEXT(${ref(`${RECORD}.${STAGE_FIELD}`)})`;
  const priorStageText = `TEXT(${ref(`${PRIOR}.${STAGE_FIELD}`)})`;
  const related = gates.filter((g) => g.related !== undefined);
  const objects = flowRelatedObjects(loaded);
  const withFields = fieldCriteriaIn(loaded) === "flow";

  const formulas: XmlNode[] = [
    formula(
      "Is_New",
      "Boolean",
      `ISBLANK(${ref(`${PRIOR}.Id`)})`,
      "TRUE when the record is being created (no prior version)."
    ),
    formula(
      "Stage_Changed",
      "Boolean",
      `OR(${ref("Is_New")}, ${stageText} <> ${priorStageText})`,
      "TRUE when the record is new or its stage changed."
    )
  ];

  // Per process (only those with gates): applies, stage index, prior stage index.
  const processes: RuntimeProcess[] = [];
  for (const g of gates) {
    if (!processes.includes(g.placement.process)) {
      processes.push(g.placement.process);
    }
  }
  const processPrefix = new Map<RuntimeProcess, string>();
  for (const process of processes) {
    const i = runtime.processes.indexOf(process) + 1;
    const prefix = `Process_${i}`;
    processPrefix.set(process, prefix);
    const terms = [`NOT(${ref(bypassReference(runtime.bypassPermission))})`];
    const rt = recordTypeCondition(
      runtime,
      process,
      ref(`${RECORD}.RecordType.DeveloperName`),
      str
    );
    if (rt) {
      terms.push(rt);
    }
    terms.push(ref("Stage_Changed"));
    formulas.push(
      formula(
        `${prefix}_Applies`,
        "Boolean",
        and(terms),
        `TRUE when process "${process.name}" governs the record, the user does not bypass the gates, and the stage changed or the record is new.`
      ),
      formula(
        `${prefix}_Stage_Index`,
        "Number",
        stageIndexCase(process, stageText, str),
        `Position of the new stage in process "${process.name}" (0: lost or not in the map).`
      ),
      formula(
        `${prefix}_Prior_Index`,
        "Number",
        `IF(${ref("Is_New")}, 0, ${stageIndexCase(process, priorStageText, str)})`,
        `Position of the prior stage in process "${process.name}" (0 on insert).`
      )
    );
  }

  const variables: XmlNode[] = [
    variable(
      "Blocked_Count",
      "How many enforced criteria this save does not meet.",
      "Number",
      { initial: 0 }
    ),
    variable(
      "Blocked_Codes",
      "The codes of the unmet criteria that fit in the message, each as ' [id]'.",
      "String"
    ),
    variable(
      "Codes_Length",
      "Characters in Blocked_Codes (kept as a number so the 255-character bound needs no LEN).",
      "Number",
      { initial: 0 }
    ),
    variable(
      "Omitted_Count",
      "Unmet criteria whose codes did not fit: shown as +N more.",
      "Number",
      { initial: 0 }
    ),
    variable(
      "First_Message",
      "The full message of the first unmet criterion (shown when it is the only one).",
      "String"
    )
  ];
  const decisions: XmlNode[] = [];
  const lookups: XmlNode[] = [];
  const loops: XmlNode[] = [];
  const assignments: XmlNode[] = [];
  const customErrors: XmlNode[] = [];

  // The "unmet" condition of each gate: the one place a criterion's blocking condition is built.
  for (const gate of gates) {
    const { placement, criterion, key } = gate;
    const prefix = processPrefix.get(placement.process) as string;
    const where = describePlacement(placement);
    const transition = transitionTerms(placement, {
      stageIndex: ref(`${prefix}_Stage_Index`),
      priorIndex: ref(`${prefix}_Prior_Index`),
      stageIs: (name) => `${stageText} = ${str(name)}`
    });
    formulas.push(
      formula(
        `Required_${key}`,
        "Boolean",
        and([
          ref(`${prefix}_Applies`),
          ...transition,
          // The criterion's `when`, on the record's new values and the running user.
          ...whenTerms(
            criterion,
            loaded.runtime.placeholders,
            (field) => ref(`${RECORD}.${field}`),
            (name) => ref(`$Permission.${name}`),
            flowFormulaString
          ),
          notWaivedCondition(
            criterion.id,
            ref(`${RECORD}.${WAIVED_FIELD}`),
            str
          )
        ]),
        `TRUE when this save must meet criterion ${criterion.id} (${where}) and no approved waiver lifts it on this deal.`
      ),
      formula(
        `Unmet_${key}`,
        "Boolean",
        forCriterion(criterion, () => unmetFormula(loaded, gate)),
        `TRUE when this save must meet criterion ${criterion.id} and does not: it blocks.`
      )
    );
    if (gate.related) {
      variables.push(
        variable(
          `Count_${key}`,
          `Number of matching ${gate.related.criterion.related} records for criterion ${criterion.id}.`,
          "Number",
          { initial: 0 }
        )
      );
    }
  }

  const collectStart = `Check_${gates[0].key}`;
  let firstElement = collectStart;

  // Phase 1 and 2: query each related object once, then count in memory.
  if (related.length > 0) {
    firstElement = "Needs_Related_Records";
    formulas.push(
      formula(
        "Related_Required",
        "Boolean",
        or(related.map((g) => ref(`Required_${g.key}`))),
        "TRUE when this save must meet at least one related-record criterion."
      ),
      formula(
        "Query_Failed_Message",
        "String",
        `${str(QUERY_FAILED_PREFIX)} & LEFT(${ref("$Flow.FaultMessage")}, ${MAX_ERROR_MESSAGE_LENGTH - QUERY_FAILED_PREFIX.length})`,
        "The message of a failed related-records query, within 255 characters."
      )
    );
    decisions.push(
      node("decisions", [
        ...nodeHead(
          "Needs_Related_Records",
          "Needs related records?",
          "Does this save have to meet a related-record criterion? On insert the record has no related records yet: no query, every count stays 0. All interviews that need records take the same path, so each Get Records below is reached by all of them together (one bulkified query per object).",
          layout
        ),
        node("defaultConnector", [el("targetReference", collectStart)]),
        el("defaultConnectorLabel", "No related check"),
        node("rules", [
          el("name", "Query_Related_Records"),
          el("conditionLogic", "and"),
          isTrue("Related_Required"),
          condition("Is_New", "EqualTo", value("booleanValue", false)),
          connector(`Get_${objects[0]}`),
          el("label", "Existing record, related criteria required")
        ])
      ])
    );
    objects.forEach((object, i) => {
      const parent = RELATED_OBJECT_PARENT_FIELD[object];
      if (!parent) {
        throw new GenerationError(`unknown related object "${String(object)}"`);
      }
      const fields = new Set<string>(["Id", parent]);
      for (const g of related) {
        if (g.related?.criterion.related === object) {
          Object.keys(g.related.criterion.where ?? {}).forEach((f) =>
            fields.add(f)
          );
        }
      }
      lookups.push(
        node("recordLookups", [
          ...nodeHead(
            `Get_${object}`,
            `Get ${object}`,
            `Every ${object} record of this opportunity (children of the triggering record only), with the fields the criteria match on.`,
            layout,
            264
          ),
          el("assignNullValuesIfNoRecordsFound", false),
          connector(
            i + 1 < objects.length
              ? `Get_${objects[i + 1]}`
              : `Loop_${objects[0]}`
          ),
          // A failed query blocks with its own message, never with a criterion's.
          node("faultConnector", [
            el("isGoTo", true),
            el("targetReference", "Query_Failed")
          ]),
          el("filterLogic", "and"),
          node("filters", [
            el("field", parent),
            el("operator", "EqualTo"),
            value("elementReference", `${RECORD}.Id`)
          ]),
          el("getFirstRecordOnly", false),
          el("object", object),
          ...Array.from(fields).map((f) => el("queriedFields", f)),
          el("storeOutputAutomatically", true)
        ])
      );
    });
    objects.forEach((object, i) => {
      const current = `Current_${object}`;
      const loopName = `Loop_${object}`;
      const after =
        i + 1 < objects.length ? `Loop_${objects[i + 1]}` : collectStart;
      variables.push(
        variable(
          current,
          `The ${object} record the count loop is looking at.`,
          "SObject",
          { objectType: object }
        )
      );
      const own = related.filter(
        (g) => g.related?.criterion.related === object
      );
      // Per criterion: Match_<key> (if it has a where) → Add_Match_<key> → the next criterion → back to the loop.
      const entryOf = (g: FlowGate): string =>
        g.related?.criterion.where &&
        Object.keys(g.related.criterion.where).length > 0
          ? `Match_${g.key}`
          : `Add_Match_${g.key}`;
      own.forEach((g, j) => {
        const next = j + 1 < own.length ? entryOf(own[j + 1]) : loopName;
        const c = g.related?.criterion as RuntimeRelatedCriterion;
        const matches = forCriterion(c, () =>
          whereCondition(loaded, c, current)
        );
        if (matches !== undefined) {
          formulas.push(
            formula(
              `Matches_${g.key}`,
              "Boolean",
              matches,
              `TRUE when the current ${object} record counts for ${c.id}.`
            )
          );
          decisions.push(
            node("decisions", [
              ...nodeHead(
                `Match_${g.key}`,
                `Counts for ${c.id}?`,
                `Does the current ${object} record meet the conditions of ${c.id}?`,
                layout,
                352
              ),
              node("defaultConnector", [el("targetReference", next)]),
              el("defaultConnectorLabel", "No match"),
              node("rules", [
                el("name", `Is_Match_${g.key}`),
                el("conditionLogic", "and"),
                isTrue(`Matches_${g.key}`),
                connector(`Add_Match_${g.key}`),
                el("label", "Match")
              ])
            ])
          );
        }
        assignments.push(
          node("assignments", [
            ...nodeHead(
              `Add_Match_${g.key}`,
              `Count for ${c.id}`,
              `One more ${object} record counts for ${c.id}.`,
              layout,
              440
            ),
            node("assignmentItems", [
              el("assignToReference", `Count_${g.key}`),
              el("operator", "Add"),
              value("numberValue", 1)
            ]),
            connector(next)
          ])
        );
      });
      loops.push(
        node("loops", [
          ...nodeHead(
            loopName,
            `Count ${object} records`,
            `Counts, in memory, the ${object} records that meet each criterion's conditions.`,
            layout,
            264
          ),
          el("assignNextValueToReference", current),
          el("collectionReference", `Get_${object}`),
          el("iterationOrder", "Asc"),
          node("nextValueConnector", [el("targetReference", entryOf(own[0]))]),
          node("noMoreValuesConnector", [el("targetReference", after)])
        ])
      );
    });
    customErrors.push(
      node("customErrors", [
        ...nodeHead(
          "Query_Failed",
          "Related records could not be checked",
          "A related-records query failed: block the save with that reason, not with a criterion's message.",
          layout,
          616
        ),
        node("customErrorMessages", [
          el("errorMessage", ref("Query_Failed_Message")),
          el("isFieldError", false)
        ])
      ])
    );
  }

  // Phase 3: collect the unmet criteria into one message within 255 characters.
  gates.forEach((gate, i) => {
    const { criterion, key } = gate;
    const next =
      i + 1 < gates.length ? `Check_${gates[i + 1].key}` : "Has_Blocked";
    const token = flowMessageToken(criterion);
    formulas.push(
      formula(
        `First_Message_${key}`,
        "String",
        `IF(${ref("Blocked_Count")} = 0, ${str(criterionMessage(criterion))}, ${ref("First_Message")})`,
        `The message of ${criterion.id} when it is the first unmet criterion.`
      ),
      formula(
        `Codes_With_${key}`,
        "String",
        `${ref("Blocked_Codes")} & ${str(token)}`,
        `The collected codes with ${criterion.id} added.`
      )
    );
    decisions.push(
      node("decisions", [
        ...nodeHead(
          `Check_${key}`,
          `Unmet: ${criterion.id}`,
          `Does this save have to meet ${criterion.id} (${describePlacement(gate.placement)}) and fail to?`,
          layout
        ),
        node("defaultConnector", [el("targetReference", next)]),
        el("defaultConnectorLabel", "Met or not required"),
        node("rules", [
          el("name", `Is_Unmet_${key}`),
          el("conditionLogic", "and"),
          isTrue(`Unmet_${key}`),
          connector(`Count_Blocked_${key}`),
          el("label", "Unmet")
        ])
      ])
    );
    assignments.push(
      node("assignments", [
        ...nodeHead(
          `Count_Blocked_${key}`,
          `Blocked by ${criterion.id}`,
          `Count ${criterion.id} as unmet (and keep its full message if it is the first).`,
          layout,
          264
        ),
        node("assignmentItems", [
          el("assignToReference", "First_Message"),
          el("operator", "Assign"),
          value("elementReference", `First_Message_${key}`)
        ]),
        node("assignmentItems", [
          el("assignToReference", "Blocked_Count"),
          el("operator", "Add"),
          value("numberValue", 1)
        ]),
        connector(`Fits_${key}`)
      ])
    );
    decisions.push(
      node("decisions", [
        ...nodeHead(
          `Fits_${key}`,
          `Code fits: ${criterion.id}`,
          `Does the code of ${criterion.id} still fit in the 255-character message (${FLOW_MESSAGE_CODE_BUDGET} characters for codes)?`,
          layout,
          264
        ),
        node("defaultConnector", [el("targetReference", `Omit_${key}`)]),
        el("defaultConnectorLabel", "No room"),
        node("rules", [
          el("name", `Has_Room_${key}`),
          el("conditionLogic", "and"),
          condition("Omitted_Count", "EqualTo", value("numberValue", 0)),
          condition(
            "Codes_Length",
            "LessThanOrEqualTo",
            value("numberValue", FLOW_MESSAGE_CODE_BUDGET - token.length)
          ),
          connector(`Add_Code_${key}`),
          el("label", "Fits")
        ])
      ])
    );
    assignments.push(
      node("assignments", [
        ...nodeHead(
          `Add_Code_${key}`,
          `List ${criterion.id}`,
          `Add the code of ${criterion.id} to the message.`,
          layout,
          264
        ),
        node("assignmentItems", [
          el("assignToReference", "Blocked_Codes"),
          el("operator", "Assign"),
          value("elementReference", `Codes_With_${key}`)
        ]),
        node("assignmentItems", [
          el("assignToReference", "Codes_Length"),
          el("operator", "Add"),
          value("numberValue", token.length)
        ]),
        connector(next)
      ]),
      node("assignments", [
        ...nodeHead(
          `Omit_${key}`,
          `More: ${criterion.id}`,
          `No room for the code of ${criterion.id}: it counts in +N more.`,
          layout,
          352
        ),
        node("assignmentItems", [
          el("assignToReference", "Omitted_Count"),
          el("operator", "Add"),
          value("numberValue", 1)
        ]),
        connector(next)
      ])
    );
  });

  formulas.push(
    formula(
      "Blocked_Message",
      "String",
      `IF(${ref("Blocked_Count")} = 1, ${ref("First_Message")}, ${str(FLOW_MESSAGE_PREFIX)} & ${ref("Blocked_Codes")} & IF(${ref("Omitted_Count")} > 0, " +" & TEXT(${ref("Omitted_Count")}) & " more", "") & ${str(FLOW_MESSAGE_SUFFIX)})`,
      "The save's message: the full message of a single unmet criterion, or the codes of several (at most 255 characters)."
    )
  );
  decisions.push(
    node("decisions", [
      ...nodeHead(
        "Has_Blocked",
        "Any unmet criterion?",
        "Block the save when an enforced criterion is unmet.",
        layout
      ),
      el("defaultConnectorLabel", "All met"),
      node("rules", [
        el("name", "Blocked"),
        el("conditionLogic", "and"),
        condition("Blocked_Count", "GreaterThan", value("numberValue", 0)),
        connector("Block_Stage_Change"),
        el("label", "Blocked")
      ])
    ])
  );
  customErrors.unshift(
    node("customErrors", [
      ...nodeHead(
        "Block_Stage_Change",
        "Block the stage change",
        "Rolls back the save and names every unmet criterion by its code (one message, at most 255 characters).",
        layout,
        264
      ),
      node("customErrorMessages", [
        el("errorMessage", ref("Blocked_Message")),
        el("isFieldError", false)
      ])
    ])
  );

  const what = withFields
    ? "the field and related-record criteria of the stage gates"
    : "the related-record criteria of the stage gates (contact roles, activities, files, products)";
  const metadataValue = (name: string, v: string): XmlNode =>
    node("processMetadataValues", [el("name", name), value("stringValue", v)]);
  const root = node("Flow", [
    el("apiVersion", FLOW_API_VERSION),
    ...assignments,
    ...customErrors,
    ...decisions,
    el(
      "description",
      `Generated from ${configLabel}: enforces ${what} when an opportunity is created or changes stage. ${doNotEditSentence()}`
    ),
    ...formulas,
    el(
      "interviewLabel",
      "Stage Gate Related Criteria {!$Flow.CurrentDateTime}"
    ),
    el("label", "Stage Gate Related Criteria"),
    ...loops,
    metadataValue("BuilderType", "LightningFlowBuilder"),
    metadataValue("CanvasMode", "AUTO_LAYOUT_CANVAS"),
    metadataValue("OriginBuilderType", "LightningFlowBuilder"),
    el("processType", "AutoLaunchedFlow"),
    ...lookups,
    node("start", [
      el("locationX", 50),
      el("locationY", 0),
      connector(firstElement),
      el(
        "filterFormula",
        `OR(ISNEW(), ISCHANGED(${ref(`${RECORD}.${STAGE_FIELD}`)}))`
      ),
      el("object", "Opportunity"),
      el("recordTriggerType", "CreateAndUpdate"),
      el("triggerType", "RecordBeforeSave")
    ]),
    el("status", "Active"),
    el("triggerOrder", FLOW_TRIGGER_ORDER),
    ...variables
  ]);
  return metadataDocument(root, configLabel);
}

/**
 * The "unmet" condition of one gate as a flow formula: required by the move
 * and not met. Related: fewer matching records than minCount. Field: the same
 * condition the validation rule uses, on $Record.
 */
export function unmetFormula(loaded: LoadedMap, gate: FlowGate): string {
  const required = ref(`Required_${gate.key}`);
  if (gate.related) {
    return and([
      required,
      `${ref(`Count_${gate.key}`)} < ${gate.related.minCount}`
    ]);
  }
  return and([
    required,
    unmetCondition(
      gate.criterion as RuntimeFieldCriterion,
      loaded.runtime.placeholders,
      (field) => ref(`${RECORD}.${field}`),
      flowFormulaString
    )
  ]);
}

export const emitFlow: Emitter = (ctx) => {
  const content = flowDocument(ctx.loaded, ctx.configLabel);
  const files: GeneratedFile[] =
    content === undefined ? [] : [{ path: FLOW_PATH, content }];
  return files;
};
