/**
 * The record-triggered flow that enforces related-record criteria (contact
 * roles, tasks, events, files, products), which validation rules cannot see:
 * flows/Stage_Gate_Related_Criteria.flow-meta.xml.
 *
 * Before-save, on create and update of Opportunity, entered only when the
 * record is new or its stage changed. For each enforced related criterion, in
 * map order: a Decision "required and not bypassed" → Get Records (parent
 * lookup = $Record.Id plus the criterion's `where`) → Assignment (count) →
 * Decision "count < minCount" → Assignment (append criterionMessage); a failed
 * query takes the fault path to the same Assignment (fail closed). At the
 * end one Custom Error element shows the collected messages, one per line, in
 * the core's blockedMessage order. There is no Loop: Salesforce bulkifies each
 * Get Records element across the interviews of a batch (one query per element
 * for up to 200 records). On insert a before-save $Record has no Id yet and no
 * related record can exist, so the count is 0 without a query.
 */
import {
  RELATED_OBJECT_PARENT_FIELD,
  STAGE_FIELD,
  criterionMessage,
  isRelatedCriterion,
  type RelatedCriterion,
  type RuntimeProcess,
  type Scalar
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../load";
import {
  GenerationError,
  and,
  checkFormulaLength,
  enforcedPlacements,
  flowFormulaString,
  recordTypeCondition,
  stageIndexCase,
  transitionTerms,
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

const RECORD = "$Record";
const PRIOR = "$Record__Prior";

interface RelatedGate {
  placement: GatePlacement;
  criterion: RelatedCriterion;
  minCount: number;
  /** Sanitized, unique id segment for element names. */
  key: string;
}

/** Enforced related criteria that can block (minCount > 0), in map order. */
export function relatedGates(loaded: LoadedMap): RelatedGate[] {
  const placements = enforcedPlacements(loaded.runtime).filter((p) =>
    isRelatedCriterion(p.criterion)
  );
  // Longest element prefix is "Add_Message_" / "Assign_Count_" (13 characters).
  const keys = uniqueApiNames(
    placements.map((p) => ({
      key: p.criterion.id,
      base: sanitizeSegment(p.criterion.id)
    })),
    MAX_FLOW_NAME - 13
  );
  return placements
    .map((placement) => {
      const criterion = placement.criterion as RelatedCriterion;
      const minCount = criterion.minCount ?? 1;
      return {
        placement,
        criterion,
        minCount,
        key: keys.get(criterion.id) as string
      };
    })
    .filter((g) => g.minCount > 0);
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
  kind:
    | "booleanValue"
    | "numberValue"
    | "stringValue"
    | "elementReference"
    | "dateValue",
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

/** One Get Records filter value for a `where` condition. */
function filterFor(
  loaded: LoadedMap,
  object: string,
  field: string,
  expected: Scalar,
  criterionId: string
): XmlNode {
  if (expected === null) {
    return node("filters", [
      el("field", field),
      el("operator", "IsNull"),
      value("booleanValue", true)
    ]);
  }
  let v: XmlNode;
  if (typeof expected === "boolean") {
    v = value("booleanValue", expected);
  } else if (typeof expected === "number") {
    if (!Number.isFinite(expected)) {
      throw new GenerationError(
        `criterion "${criterionId}": where.${field} is not a finite number`
      );
    }
    v = value("numberValue", expected);
  } else if (
    loaded.fields[object]?.[field]?.type === "Date" &&
    /^\d{4}-\d{2}-\d{2}$/.test(expected)
  ) {
    v = value("dateValue", expected);
  } else {
    v = value("stringValue", expected);
  }
  return node("filters", [el("field", field), el("operator", "EqualTo"), v]);
}

/** Get Records filters: parent lookup = $Record.Id, then each `where` condition (a list = any of its values). */
function lookupFilters(
  loaded: LoadedMap,
  gate: RelatedGate
): { filters: XmlNode[]; logic: string } {
  const object = gate.criterion.related;
  const parent = RELATED_OBJECT_PARENT_FIELD[object];
  if (!parent) {
    throw new GenerationError(
      `criterion "${gate.criterion.id}": unknown related object "${String(object)}"`
    );
  }
  const filters: XmlNode[] = [
    node("filters", [
      el("field", parent),
      el("operator", "EqualTo"),
      value("elementReference", `${RECORD}.Id`)
    ])
  ];
  const groups: string[] = ["1"];
  for (const [field, expected] of Object.entries(gate.criterion.where ?? {})) {
    const list = Array.isArray(expected)
      ? Array.from(new Set(expected))
      : [expected];
    if (list.length === 0) {
      throw new GenerationError(
        `criterion "${gate.criterion.id}": where.${field} is an empty list (no record could match)`
      );
    }
    const numbers = list.map((v) => {
      filters.push(filterFor(loaded, object, field, v, gate.criterion.id));
      return String(filters.length);
    });
    groups.push(
      numbers.length === 1 ? numbers[0] : `(${numbers.join(" OR ")})`
    );
  }
  const simple = groups.every((g) => !g.startsWith("("));
  return { filters, logic: simple ? "and" : groups.join(" AND ") };
}

function describePlacement(p: GatePlacement): string {
  return `${p.list} of ${p.stage}, process ${p.process.name}`;
}

/** The flow's XML, or undefined when the map has no enforced related criterion. */
export function flowDocument(
  loaded: LoadedMap,
  configLabel: string
): string | undefined {
  const gates = relatedGates(loaded);
  if (gates.length === 0) {
    return undefined;
  }
  const runtime = loaded.runtime;
  const layout = new Layout();
  const str = flowFormulaString;
  const stageText = `TEXT(${ref(`${RECORD}.${STAGE_FIELD}`)})`;
  const priorStageText = `TEXT(${ref(`${PRIOR}.${STAGE_FIELD}`)})`;

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

  // Per process (only those with related gates): applies, stage index, prior stage index.
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
    node("variables", [
      el(
        "description",
        "The messages of the unmet related criteria, one per line."
      ),
      el("name", "Blocked_Messages"),
      el("dataType", "String"),
      el("isCollection", false),
      el("isInput", false),
      el("isOutput", false)
    ])
  ];
  const decisions: XmlNode[] = [];
  const lookups: XmlNode[] = [];
  const assignments: XmlNode[] = [];

  gates.forEach((gate, i) => {
    const { placement, criterion, key } = gate;
    const prefix = processPrefix.get(placement.process) as string;
    const where = describePlacement(placement);
    const next =
      i + 1 < gates.length
        ? `Check_${gates[i + 1].key}`
        : "Has_Blocked_Messages";
    const names = {
      required: `Required_${key}`,
      message: `Message_${key}`,
      count: `Count_${key}`,
      check: `Check_${key}`,
      query: `Query_${key}`,
      get: `Get_${key}`,
      assignCount: `Assign_Count_${key}`,
      unmet: `Unmet_${key}`,
      isUnmet: `Is_Unmet_${key}`,
      add: `Add_Message_${key}`
    };
    const transition = transitionTerms(placement, {
      stageIndex: ref(`${prefix}_Stage_Index`),
      priorIndex: ref(`${prefix}_Prior_Index`),
      stageIs: (name) => `${stageText} = ${str(name)}`
    });
    formulas.push(
      formula(
        names.required,
        "Boolean",
        and([ref(`${prefix}_Applies`), ...transition]),
        `TRUE when this save must meet criterion ${criterion.id} (${where}).`
      ),
      formula(
        names.message,
        "String",
        `IF(ISBLANK(${ref("Blocked_Messages")}), "", ${ref("Blocked_Messages")} & "\\n") & ${str(criterionMessage(criterion))}`,
        `The collected messages with the message of criterion ${criterion.id} appended.`
      )
    );
    variables.push(
      node("variables", [
        el(
          "description",
          `Number of matching ${criterion.related} records for criterion ${criterion.id}.`
        ),
        el("name", names.count),
        el("dataType", "Number"),
        el("isCollection", false),
        el("isInput", false),
        el("isOutput", false),
        el("scale", 0),
        value("numberValue", 0)
      ])
    );
    decisions.push(
      node("decisions", [
        ...nodeHead(
          names.check,
          `Required: ${criterion.id}`,
          `Does this save have to meet ${criterion.id} (${where})? On insert the record has no related records yet: no query, the count stays 0.`,
          layout
        ),
        node("defaultConnector", [el("targetReference", names.unmet)]),
        el("defaultConnectorLabel", "Not required or new record"),
        node("rules", [
          el("name", names.query),
          el("conditionLogic", "and"),
          condition(names.required, "EqualTo", value("booleanValue", true)),
          condition("Is_New", "EqualTo", value("booleanValue", false)),
          connector(names.get),
          el("label", "Required on an existing record")
        ])
      ])
    );
    const { filters, logic } = lookupFilters(loaded, gate);
    lookups.push(
      node("recordLookups", [
        ...nodeHead(
          names.get,
          `Get ${criterion.related}: ${criterion.id}`,
          `${criterion.related} records of this opportunity that count for ${criterion.id}.`,
          layout,
          264
        ),
        el("assignNullValuesIfNoRecordsFound", false),
        connector(names.assignCount),
        // A failed query cannot prove the criterion met: like the core's "unknown" verdict, it blocks.
        node("faultConnector", [
          el("isGoTo", true),
          el("targetReference", names.add)
        ]),
        el("filterLogic", logic),
        ...filters,
        el("getFirstRecordOnly", false),
        el("object", criterion.related),
        el("queriedFields", "Id"),
        el("queriedFields", RELATED_OBJECT_PARENT_FIELD[criterion.related]),
        el("storeOutputAutomatically", true)
      ])
    );
    assignments.push(
      node("assignments", [
        ...nodeHead(
          names.assignCount,
          `Count: ${criterion.id}`,
          `How many records the query found for ${criterion.id}.`,
          layout,
          264
        ),
        node("assignmentItems", [
          el("assignToReference", names.count),
          el("operator", "AssignCount"),
          value("elementReference", names.get)
        ]),
        connector(names.unmet)
      ])
    );
    decisions.push(
      node("decisions", [
        ...nodeHead(
          names.unmet,
          `Unmet: ${criterion.id}`,
          `Is ${criterion.id} required and are there fewer than ${gate.minCount} matching records?`,
          layout
        ),
        node("defaultConnector", [el("targetReference", next)]),
        el("defaultConnectorLabel", "Met or not required"),
        node("rules", [
          el("name", names.isUnmet),
          el("conditionLogic", "and"),
          condition(names.required, "EqualTo", value("booleanValue", true)),
          condition(
            names.count,
            "LessThan",
            value("numberValue", gate.minCount)
          ),
          connector(names.add),
          el("label", "Unmet")
        ])
      ])
    );
    assignments.push(
      node("assignments", [
        ...nodeHead(
          names.add,
          `Add message: ${criterion.id}`,
          `Collect the message of ${criterion.id}.`,
          layout,
          264
        ),
        node("assignmentItems", [
          el("assignToReference", "Blocked_Messages"),
          el("operator", "Assign"),
          value("elementReference", names.message)
        ]),
        connector(next)
      ])
    );
  });

  decisions.push(
    node("decisions", [
      ...nodeHead(
        "Has_Blocked_Messages",
        "Any unmet related criterion?",
        "Block the save when a related criterion is unmet.",
        layout
      ),
      el("defaultConnectorLabel", "All met"),
      node("rules", [
        el("name", "Blocked"),
        el("conditionLogic", "and"),
        condition("Blocked_Messages", "IsBlank", value("booleanValue", false)),
        connector("Block_Stage_Change"),
        el("label", "Blocked")
      ])
    ])
  );
  const customError = node("customErrors", [
    ...nodeHead(
      "Block_Stage_Change",
      "Block the stage change",
      "Rolls back the save and shows every unmet related criterion, one per line.",
      layout,
      264
    ),
    node("customErrorMessages", [
      el("errorMessage", ref("Blocked_Messages")),
      el("isFieldError", false)
    ])
  ]);

  const metadataValue = (name: string, v: string): XmlNode =>
    node("processMetadataValues", [el("name", name), value("stringValue", v)]);
  const root = node("Flow", [
    el("apiVersion", FLOW_API_VERSION),
    ...assignments,
    customError,
    ...decisions,
    el(
      "description",
      `Generated from ${configLabel}: enforces the related-record criteria of the stage gates (contact roles, activities, files, products) when an opportunity is created or changes stage. ${doNotEditSentence()}`
    ),
    ...formulas,
    el(
      "interviewLabel",
      "Stage Gate Related Criteria {!$Flow.CurrentDateTime}"
    ),
    el("label", "Stage Gate Related Criteria"),
    metadataValue("BuilderType", "LightningFlowBuilder"),
    metadataValue("CanvasMode", "AUTO_LAYOUT_CANVAS"),
    metadataValue("OriginBuilderType", "LightningFlowBuilder"),
    el("processType", "AutoLaunchedFlow"),
    ...lookups,
    node("start", [
      el("locationX", 50),
      el("locationY", 0),
      connector(`Check_${gates[0].key}`),
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

export const emitFlow: Emitter = (ctx) => {
  const content = flowDocument(ctx.loaded, ctx.configLabel);
  const files: GeneratedFile[] =
    content === undefined ? [] : [{ path: FLOW_PATH, content }];
  return files;
};
