/**
 * One validation rule on Opportunity per enforced field criterion:
 * objects/Opportunity/validationRules/Stage_Gate_<Stage>_<Criterion>.validationRule-meta.xml
 *
 * Error condition = AND(not bypassed, record type in the process, stage changed
 * or new, the move requires the criterion, the criterion is unmet, no approved
 * waiver lifts it on this deal).
 */
import {
  STAGE_FIELD,
  criterionMessage,
  enforcerOf,
  type RuntimeFieldCriterion
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../load";
import {
  GenerationError,
  checkFormulaLength,
  enforcedPlacements,
  formulaString,
  notWaivedCondition,
  recordTypeCondition,
  stageIndexCase,
  transitionTerms,
  unmetCondition,
  whenTerms,
  type GatePlacement
} from "./formula";
import {
  MAX_VALIDATION_RULE_NAME,
  doNotEditSentence,
  isValidApiName,
  uniqueApiNames,
  validationRuleBaseName,
  validationRuleShortener
} from "./names";
import type { Emitter, GeneratedFile } from "./types";
import { el, metadataDocument, node } from "./xml";

export const VALIDATION_RULE_DIR = "objects/Opportunity/validationRules";
export const MAX_DESCRIPTION_LENGTH = 255;

export interface ValidationRuleSpec {
  name: string;
  criterionId: string;
  placement: GatePlacement;
  criterion: RuntimeFieldCriterion;
  formula: string;
  message: string;
  description: string;
  errorDisplayField?: string;
}

/** Identity of a placement, used for stable hashes of shortened names. */
function placementKey(p: GatePlacement): string {
  return `${p.process.name}\u0000${p.list}\u0000${p.stage}\u0000${p.criterion.id}`;
}

/** The bypass custom permission as a formula reference; it must be a valid API name. */
export function bypassReference(bypassPermission: string): string {
  if (!isValidApiName(bypassPermission, 80)) {
    throw new GenerationError(
      `bypassPermission "${bypassPermission}" is not a valid custom permission API name (letters, digits, underscores; starts with a letter)`
    );
  }
  return `$Permission.${bypassPermission}`;
}

/** The error condition formula of one placement (field criterion). */
export function errorConditionFormula(
  loaded: LoadedMap,
  placement: GatePlacement
): string {
  const runtime = loaded.runtime;
  const criterion = placement.criterion as RuntimeFieldCriterion;
  const process = placement.process;
  const terms: string[] = [`NOT(${bypassReference(runtime.bypassPermission)})`];
  const recordType = recordTypeCondition(
    runtime,
    process,
    "RecordType.DeveloperName"
  );
  if (recordType) {
    terms.push(recordType);
  }
  terms.push(`OR(ISNEW(), ISCHANGED(${STAGE_FIELD}))`);
  terms.push(
    ...transitionTerms(placement, {
      stageIndex: stageIndexCase(process, `TEXT(${STAGE_FIELD})`),
      priorIndex: `IF(ISNEW(), 0, ${stageIndexCase(process, `TEXT(PRIORVALUE(${STAGE_FIELD}))`)})`,
      stageIs: (name) => `ISPICKVAL(${STAGE_FIELD}, ${formulaString(name)})`
    })
  );
  terms.push(...whenTerms(criterion, runtime.placeholders));
  terms.push(unmetCondition(criterion, runtime.placeholders));
  terms.push(notWaivedCondition(criterion.id));
  const formula = `AND(\n  ${terms.join(",\n  ")}\n)`;
  return checkFormulaLength(
    formula,
    `criterion "${criterion.id}" (${placement.list} of ${placement.stage}, process ${process.name})`
  );
}

/** Standard fields that cannot show an inline error; the rule's error then shows at the top of the page. */
const NO_ERROR_DISPLAY = new Set([STAGE_FIELD, "Id", "IsClosed", "IsWon"]);

/**
 * The field the error is shown on: the criterion's field when it can host an
 * inline error (an editable field: custom or standard, not a formula, not
 * StageName). Otherwise the error shows at the top of the page.
 */
export function errorDisplayField(
  loaded: LoadedMap,
  field: string
): string | undefined {
  const info = loaded.fields.Opportunity?.[field];
  if (
    !info ||
    NO_ERROR_DISPLAY.has(field) ||
    info.formula === true ||
    info.updateable === false
  ) {
    return undefined;
  }
  return field;
}

function describe(configLabel: string, p: GatePlacement): string {
  const tail = ` ${doNotEditSentence()}`;
  const full = `Generated from ${configLabel} (criterion ${p.criterion.id}, ${p.list} of ${p.stage}, process ${p.process.name}).${tail}`;
  if (full.length <= MAX_DESCRIPTION_LENGTH) {
    return full;
  }
  const short = `Generated from ${configLabel} (criterion ${p.criterion.id}).${tail}`;
  return short.length <= MAX_DESCRIPTION_LENGTH
    ? short
    : `${short.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`;
}

/** Every validation rule the map produces, in map order, with unique names. */
export function validationRuleSpecs(
  loaded: LoadedMap,
  configLabel: string
): ValidationRuleSpec[] {
  // With fieldCriteriaIn "flow" the flow enforces the field criteria: no rule is written.
  const placements = enforcedPlacements(loaded.runtime).filter(
    (p) =>
      enforcerOf(loaded.map.fieldCriteriaIn, p.criterion) === "validationRule"
  );
  const names = uniqueApiNames(
    placements.map((p) => ({
      key: placementKey(p),
      base: validationRuleBaseName(p.stage, p.criterion.id),
      shorten: validationRuleShortener(p.stage, p.criterion.id)
    })),
    MAX_VALIDATION_RULE_NAME
  );
  return placements.map((placement) => {
    const criterion = placement.criterion as RuntimeFieldCriterion;
    return {
      name: names.get(placementKey(placement)) as string,
      criterionId: criterion.id,
      placement,
      criterion,
      formula: errorConditionFormula(loaded, placement),
      message: criterionMessage(criterion),
      description: describe(configLabel, placement),
      errorDisplayField: errorDisplayField(loaded, criterion.field)
    };
  });
}

/** The generated formulas (for benchmarks and differential tests). */
export function validationRuleFormulas(
  loaded: LoadedMap
): { name: string; criterionId: string; formula: string }[] {
  return validationRuleSpecs(loaded, "config").map(
    ({ name, criterionId, formula }) => ({
      name,
      criterionId,
      formula
    })
  );
}

export function validationRuleFile(
  spec: ValidationRuleSpec,
  configLabel: string
): GeneratedFile {
  const root = node("ValidationRule", [
    el("fullName", spec.name),
    el("active", true),
    el("description", spec.description),
    el("errorConditionFormula", spec.formula),
    spec.errorDisplayField !== undefined &&
      el("errorDisplayField", spec.errorDisplayField),
    el("errorMessage", spec.message)
  ]);
  return {
    path: `${VALIDATION_RULE_DIR}/${spec.name}.validationRule-meta.xml`,
    content: metadataDocument(root, configLabel, { headerInsideRoot: true })
  };
}

export const emitValidationRules: Emitter = (ctx) =>
  validationRuleSpecs(ctx.loaded, ctx.configLabel).map((spec) =>
    validationRuleFile(spec, ctx.configLabel)
  );
