/**
 * Waivers and the bypass log, from the map's `waivers`, `logBypassedMoves` and criteria:
 *
 * - classes/StageGateWaiverDefinitions.cls (+ meta): the codes a waiver may name (the map's
 *   enforced criteria; warn and off criteria never block, so waiving them is refused with its own
 *   message), waivers.maxDays and logBypassedMoves, for the hand-written waiver automation
 *   (StageGateWaiverRules, StageGateWaiverSync) and its tests.
 * - objects/Stage_Gate_Waiver__c/validationRules/Stage_Gate_Waiver_Expiry: a waiver's expiry
 *   is today or later and at most maxDays ahead, whenever it is set or changed.
 * - flows/Stage_Gate_Bypass_Log.flow-meta.xml: after-save, on create and update of
 *   Opportunity when the stage is new or changed; a Decision on the bypass custom permission; one
 *   Create Records element (Stage_Gate_Bypass_Log__c). Salesforce bulkifies the Create Records
 *   element across the interviews of a batch: 200 bypassed moves cost one insert. Generated
 *   inactive (status Draft) when `"logBypassedMoves": false`, so a deploy switches an earlier
 *   active version off (Metadata API: a flow's status activates or deactivates it).
 */
import {
  DEFAULT_WAIVER_MAX_DAYS,
  STAGE_FIELD,
  type Criterion,
  type StageGateMap
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../load";
import { APEX_API_VERSION, apexString } from "./apex";
import { FLOW_API_VERSION } from "./flow";
import { enforcedPlacements } from "./formula";
import {
  doNotEditSentence,
  lineCommentHeader,
  xmlHeaderComment
} from "./names";
import type { Emitter, GeneratedFile } from "./types";
import { bypassReference } from "./validation-rules";
import { el, metadataDocument, node, type XmlNode } from "./xml";

export const WAIVER_OBJECT = "Stage_Gate_Waiver__c";
export const BYPASS_LOG_OBJECT = "Stage_Gate_Bypass_Log__c";
/** The Opportunity field listing the active waived codes as `;code;code;`. */
export const WAIVED_FIELD = "Stage_Gate_Waived__c";
/** Salesforce's limit for a Text field: the waived list must fit. */
export const WAIVED_FIELD_LENGTH = 255;
export const WAIVER_DEFINITIONS_CLASS = "StageGateWaiverDefinitions";
export const WAIVER_DEFINITIONS_PATH = `classes/${WAIVER_DEFINITIONS_CLASS}.cls`;
export const WAIVER_EXPIRY_RULE = "Stage_Gate_Waiver_Expiry";
export const WAIVER_EXPIRY_RULE_PATH = `objects/${WAIVER_OBJECT}/validationRules/${WAIVER_EXPIRY_RULE}.validationRule-meta.xml`;
export const BYPASS_LOG_FLOW = "Stage_Gate_Bypass_Log";
export const BYPASS_LOG_FLOW_PATH = `flows/${BYPASS_LOG_FLOW}.flow-meta.xml`;
/** After-save flows on Opportunity run in this position (1-2000); explicit so the order is stable. */
export const BYPASS_LOG_TRIGGER_ORDER = 500;

/** waivers.maxDays, or the default. */
export function waiverMaxDays(map: StageGateMap): number {
  return map.waivers?.maxDays ?? DEFAULT_WAIVER_MAX_DAYS;
}

/** logBypassedMoves, default true. */
export function logsBypassedMoves(map: StageGateMap): boolean {
  return map.logBypassedMoves !== false;
}

/** Enforced criterion ids of the reachable processes, in map order (what a waiver may name). */
export function waivableCriterionIds(loaded: LoadedMap): string[] {
  return Array.from(
    new Set(enforcedPlacements(loaded.runtime).map((p) => p.criterion.id))
  );
}

/** Every criterion id of the map (any mode), in map order. */
function allMapCriterionIds(map: StageGateMap): string[] {
  const ids: string[] = [];
  const add = (list: Criterion[] | undefined): void => {
    for (const c of list ?? []) {
      if (!ids.includes(c.id)) ids.push(c.id);
    }
  };
  for (const p of map.processes) {
    for (const s of p.stages) {
      add(s.entry);
      add(s.exit);
    }
    add(p.won.entry);
    add(p.lost.entry);
  }
  return ids;
}

function codeMap(ids: string[]): string {
  if (ids.length === 0) {
    return "new Map<String, String>()";
  }
  const entries = ids.map(
    (id) => `    ${apexString(id.toLowerCase())} => ${apexString(id)}`
  );
  return `new Map<String, String>{\n${entries.join(",\n")}\n  }`;
}

function definitionsSource(loaded: LoadedMap, configLabel: string): string {
  const waivable = waivableCriterionIds(loaded);
  const nonBlocking = allMapCriterionIds(loaded.map).filter(
    (id) => !waivable.includes(id)
  );
  bypassReference(loaded.runtime.bypassPermission); // validates the API name
  return [
    lineCommentHeader(configLabel),
    "/**",
    " * The process map's waiver settings for the waiver automation: which criterion codes a",
    " * waiver may name, how far ahead it may run, and whether bypassed stage moves are logged.",
    " */",
    `public with sharing class ${WAIVER_DEFINITIONS_CLASS} {`,
    "  /** waivers.maxDays: a waiver's expiry is at most this many days ahead. */",
    `  public static final Integer MAX_DAYS = ${waiverMaxDays(loaded.map)};`,
    "",
    "  /** logBypassedMoves: the flow Stage_Gate_Bypass_Log is active. */",
    `  public static final Boolean LOG_BYPASSED_MOVES = ${logsBypassedMoves(loaded.map)};`,
    "",
    "  /** The custom permission that bypasses the gates. */",
    `  public static final String BYPASS_PERMISSION = ${apexString(loaded.runtime.bypassPermission)};`,
    "",
    "  /** The enforced criteria (a waiver may name them): lower-case code => the map's code. */",
    `  public static final Map<String, String> WAIVABLE_CRITERIA = ${codeMap(waivable)};`,
    "",
    "  /** Criteria of the map that never block (warn or off): lower-case code => the map's code. */",
    `  public static final Map<String, String> NON_BLOCKING_CRITERIA = ${codeMap(nonBlocking)};`,
    "}",
    ""
  ].join("\n");
}

function apexMeta(configLabel: string): string {
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

/** The expiry rule's error condition: set or changed, and before today or beyond maxDays. */
export function waiverExpiryFormula(maxDays: number): string {
  return `AND(\n  OR(ISNEW(), ISCHANGED(Expires_On__c)),\n  OR(Expires_On__c < TODAY(), Expires_On__c > TODAY() + ${maxDays})\n)`;
}

function expiryRule(loaded: LoadedMap, configLabel: string): GeneratedFile {
  const maxDays = waiverMaxDays(loaded.map);
  const root = node("ValidationRule", [
    el("fullName", WAIVER_EXPIRY_RULE),
    el("active", true),
    el(
      "description",
      `Generated from ${configLabel} (waivers.maxDays = ${maxDays}). ${doNotEditSentence()}`
    ),
    el("errorConditionFormula", waiverExpiryFormula(maxDays)),
    el("errorDisplayField", "Expires_On__c"),
    el(
      "errorMessage",
      `A waiver runs until a day between today and ${maxDays} days from today.`
    )
  ]);
  return {
    path: WAIVER_EXPIRY_RULE_PATH,
    content: metadataDocument(root, configLabel, { headerInsideRoot: true })
  };
}

function ref(name: string): string {
  return `{!${name}}`;
}

function assignment(field: string, valueNode: XmlNode): XmlNode {
  return node("inputAssignments", [el("field", field), valueNode]);
}

function refValue(reference: string): XmlNode {
  return node("value", [el("elementReference", reference)]);
}

/** The bypass log flow's XML. */
export function bypassLogFlowDocument(
  loaded: LoadedMap,
  configLabel: string
): string {
  const bypass = bypassReference(loaded.runtime.bypassPermission);
  const active = logsBypassedMoves(loaded.map);
  const metadataValue = (name: string, v: string): XmlNode =>
    node("processMetadataValues", [
      el("name", name),
      node("value", [el("stringValue", v)])
    ]);
  const root = node("Flow", [
    el("apiVersion", FLOW_API_VERSION),
    // A log row that cannot be written fails the save (Custom Error works after save from API
    // 59.0 and rolls back the change): no bypassed move goes unlogged.
    node("customErrors", [
      el(
        "description",
        "The log row could not be written: roll the stage change back and say why."
      ),
      el("name", "Log_Failed"),
      el("label", "The move could not be logged"),
      el("locationX", 314),
      el("locationY", 360),
      node("customErrorMessages", [
        el(
          "errorMessage",
          "The bypassed stage change could not be logged: {!$Flow.FaultMessage}"
        ),
        el("isFieldError", false)
      ])
    ]),
    node("decisions", [
      el(
        "description",
        `Only saves by a user with the ${loaded.runtime.bypassPermission} custom permission are logged: for everyone else the gates applied.`
      ),
      el("name", "Is_Bypassed"),
      el("label", "Saved with the bypass?"),
      el("locationX", 176),
      el("locationY", 120),
      el("defaultConnectorLabel", "Gates applied"),
      node("rules", [
        el("name", "Bypassed"),
        el("conditionLogic", "and"),
        node("conditions", [
          el("leftValueReference", "Has_Bypass"),
          el("operator", "EqualTo"),
          node("rightValue", [el("booleanValue", true)])
        ]),
        node("connector", [el("targetReference", "Log_Bypassed_Move")]),
        el("label", "Bypassed")
      ])
    ]),
    el(
      "description",
      `Generated from ${configLabel}: logs every stage change saved with the bypass permission (Stage_Gate_Bypass_Log__c: opportunity, from stage, to stage, user, time). ${active ? "Active" : "Inactive: logBypassedMoves is false"}. ${doNotEditSentence()}`
    ),
    node("formulas", [
      el(
        "description",
        "TRUE when the user who saved holds the bypass custom permission."
      ),
      el("name", "Has_Bypass"),
      el("dataType", "Boolean"),
      el("expression", ref(bypass))
    ]),
    el("interviewLabel", "Stage Gate Bypass Log {!$Flow.CurrentDateTime}"),
    el("label", "Stage Gate Bypass Log"),
    metadataValue("BuilderType", "LightningFlowBuilder"),
    metadataValue("CanvasMode", "AUTO_LAYOUT_CANVAS"),
    metadataValue("OriginBuilderType", "LightningFlowBuilder"),
    el("processType", "AutoLaunchedFlow"),
    node("recordCreates", [
      el(
        "description",
        "One log row per bypassed move; the interviews of a batch share one insert."
      ),
      el("name", "Log_Bypassed_Move"),
      el("label", "Log the bypassed move"),
      el("locationX", 50),
      el("locationY", 240),
      node("faultConnector", [el("targetReference", "Log_Failed")]),
      assignment("Changed_At__c", refValue("$Flow.CurrentDateTime")),
      assignment("Changed_By__c", refValue("$User.Id")),
      assignment("From_Stage__c", refValue(`$Record__Prior.${STAGE_FIELD}`)),
      assignment("Opportunity__c", refValue("$Record.Id")),
      assignment("To_Stage__c", refValue(`$Record.${STAGE_FIELD}`)),
      el("object", BYPASS_LOG_OBJECT),
      el("storeOutputAutomatically", true)
    ]),
    node("start", [
      el("locationX", 50),
      el("locationY", 0),
      node("connector", [el("targetReference", "Is_Bypassed")]),
      el(
        "filterFormula",
        `OR(ISNEW(), ISCHANGED(${ref(`$Record.${STAGE_FIELD}`)}))`
      ),
      el("object", "Opportunity"),
      el("recordTriggerType", "CreateAndUpdate"),
      el("triggerType", "RecordAfterSave")
    ]),
    el("status", active ? "Active" : "Draft"),
    el("triggerOrder", BYPASS_LOG_TRIGGER_ORDER)
  ]);
  return metadataDocument(root, configLabel);
}

export const emitWaivers: Emitter = (ctx) => [
  {
    path: WAIVER_DEFINITIONS_PATH,
    content: definitionsSource(ctx.loaded, ctx.configLabel)
  },
  {
    path: `${WAIVER_DEFINITIONS_PATH}-meta.xml`,
    content: apexMeta(ctx.configLabel)
  },
  expiryRule(ctx.loaded, ctx.configLabel),
  {
    path: BYPASS_LOG_FLOW_PATH,
    content: bypassLogFlowDocument(ctx.loaded, ctx.configLabel)
  }
];
