/**
 * Salesforce's native Path from the map: pathAssistants/<name>.pathAssistant-meta.xml.
 *
 * One PathAssistant per record type the map's processes claim, and one for the master record
 * type (`__MASTER__`) from the default process: "Only one path can be created per record type
 * for each object, including __Master__ record type" (Metadata API Developer Guide,
 * PathAssistant). Each stage of the process is a step (`picklistValueName`) whose guidance for
 * success (`info`, rich text) is the stage's guidance and whose key fields (`fieldNames`) are the
 * fields of its exit field criteria (enforced first, then warn mode, in map order), at most five
 * per step, the platform's limit for key fields. The won and lost stages get their guidance and
 * the fields of their entry criteria. Path and checklist then say the same.
 *
 * A map with `"path": false` generates no path (an org that keeps its own Path for Opportunity);
 * the generated files are then stale and `generate` deletes them from the project.
 */
import {
  criterionMode,
  isFieldCondition,
  isRelatedCriterion,
  whenConditions,
  type RuntimeCriterion,
  type RuntimeProcess
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { GenerationError } from "./formula";
import { sanitizeSegment, stableHash } from "./names";
import type { Emitter, GeneratedFile } from "./types";
import { el, metadataDocument, node, type XmlNode } from "./xml";

export const PATH_DIR = "pathAssistants";
/** The record type name of the master (default) record type in PathAssistant metadata. */
export const MASTER_RECORD_TYPE = "__MASTER__";
/** Key fields a Path step can show. */
export const MAX_KEY_FIELDS = 5;
/** Assumed limits of a PathAssistant's API name and label (those of other setup names). */
export const MAX_PATH_NAME = 40;
export const MAX_PATH_LABEL = 80;
const NAME_PREFIX = "Stage_Gates_";

export interface PathStep {
  stage: string;
  /** The guidance as rich text, or undefined. */
  info?: string;
  fieldNames: string[];
}

export interface PathAssistantSpec {
  fullName: string;
  masterLabel: string;
  recordTypeName: string;
  process: string;
  steps: PathStep[];
}

/** Text as HTML (the Path's guidance is rich text). */
export function htmlText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .split(/\r?\n/)
    .join("<br>");
}

/** Key fields of a step: the fields of its field criteria, enforced before warn, then the fields of their `when` conditions; unique, at most five. */
export function keyFields(criteria: readonly RuntimeCriterion[]): string[] {
  const fields: string[] = [];
  const ranked = [
    ...criteria.filter((c) => criterionMode(c) === "enforce"),
    ...criteria.filter((c) => criterionMode(c) === "warn")
  ];
  for (const c of ranked) {
    if (isRelatedCriterion(c) || c.field === "StageName") continue;
    if (!fields.includes(c.field)) fields.push(c.field);
  }
  // Then the fields that decide whether a conditional criterion applies (its `when`).
  for (const c of ranked) {
    for (const w of whenConditions(c)) {
      if (
        isFieldCondition(w) &&
        w.field !== "StageName" &&
        !fields.includes(w.field)
      ) {
        fields.push(w.field);
      }
    }
  }
  return fields.slice(0, MAX_KEY_FIELDS);
}

function stepsOf(process: RuntimeProcess): PathStep[] {
  const step = (
    stage: string,
    guidance: string | undefined,
    criteria: readonly RuntimeCriterion[]
  ): PathStep => ({
    stage,
    info: guidance ? `<p>${htmlText(guidance)}</p>` : undefined,
    fieldNames: keyFields(criteria)
  });
  return [
    ...process.stages.map((s) => step(s.name, s.guidance, s.exit)),
    step(process.won.name, process.won.guidance, process.won.entry),
    step(process.lost.name, process.lost.guidance, process.lost.entry)
  ].filter((s) => s.info !== undefined || s.fieldNames.length > 0);
}

function pathName(recordTypeName: string): string {
  const name = `${NAME_PREFIX}${sanitizeSegment(recordTypeName === MASTER_RECORD_TYPE ? "Master" : recordTypeName)}`;
  return name.length <= MAX_PATH_NAME
    ? name
    : `${name.slice(0, MAX_PATH_NAME - 7).replace(/_+$/, "")}_${stableHash(recordTypeName)}`;
}

function pathLabel(process: string, recordTypeName: string): string {
  const label =
    recordTypeName === MASTER_RECORD_TYPE
      ? `Stage Gates: ${process}`
      : `Stage Gates: ${process} (${recordTypeName})`;
  return label.length <= MAX_PATH_LABEL
    ? label
    : `${label.slice(0, MAX_PATH_LABEL - 1)}…`;
}

/** The paths the map describes, in map order (empty with `"path": false`). */
export function pathAssistantSpecs(
  ctx: Parameters<Emitter>[0]
): PathAssistantSpec[] {
  if (ctx.loaded.map.path === false) {
    return [];
  }
  const specs: PathAssistantSpec[] = [];
  const names = new Map<string, string>();
  for (const process of ctx.loaded.runtime.processes) {
    const recordTypes =
      process.recordTypes.length > 0
        ? process.recordTypes
        : [MASTER_RECORD_TYPE];
    const steps = stepsOf(process);
    for (const recordTypeName of recordTypes) {
      const fullName = pathName(recordTypeName);
      const clash = names.get(fullName.toLowerCase());
      if (clash !== undefined) {
        throw new GenerationError(
          `record types "${clash}" and "${recordTypeName}" would both get the path ${fullName}`
        );
      }
      names.set(fullName.toLowerCase(), recordTypeName);
      specs.push({
        fullName,
        masterLabel: pathLabel(process.name, recordTypeName),
        recordTypeName,
        process: process.name,
        steps
      });
    }
  }
  return specs;
}

function pathXml(spec: PathAssistantSpec, configLabel: string): string {
  const steps: XmlNode[] = spec.steps.map((s) =>
    node("pathAssistantSteps", [
      ...s.fieldNames.map((f) => el("fieldNames", f)),
      s.info !== undefined && el("info", s.info),
      el("picklistValueName", s.stage)
    ])
  );
  // Element order is the WSDL's xsd:sequence for PathAssistant.
  return metadataDocument(
    node("PathAssistant", [
      el("active", true),
      el("entityName", "Opportunity"),
      el("fieldName", "StageName"),
      el("masterLabel", spec.masterLabel),
      ...steps,
      el("recordTypeName", spec.recordTypeName)
    ]),
    configLabel
  );
}

export const emitPathAssistants: Emitter = (ctx): GeneratedFile[] =>
  pathAssistantSpecs(ctx).map((spec) => ({
    path: `${PATH_DIR}/${spec.fullName}.pathAssistant-meta.xml`,
    content: pathXml(spec, ctx.configLabel)
  }));
