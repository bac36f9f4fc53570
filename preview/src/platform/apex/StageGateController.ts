/**
 * The preview's StageGateController (force-app/main/default/classes/StageGateController.cls):
 * the same answers and errors, from the in-memory org. Counting is the core's
 * countRelated (the org's relatedCounts); nothing is decided here.
 */
import ERROR_DELETED from "@salesforce/label/c.StageGate_ErrorDeleted";
import ERROR_NO_RECORD_ID from "@salesforce/label/c.StageGate_ErrorNoRecordId";
import ERROR_UNKNOWN_CRITERIA from "@salesforce/label/c.StageGate_ErrorUnknownCriteria";
import { relatedCriterionIds } from "c/stageGateCore";
import { ApexException } from "../apexRuntime";
import { getRecordById, MAP, relatedCounts } from "../org";

/** The related-record criteria the Apex class knows (StageGateRelatedCriteria.CRITERIA: off criteria are not in the runtime map). */
const RELATED_IDS = new Set(relatedCriterionIds(MAP));

function readableError(message: string): ApexException {
  return new ApexException(message, "System.AuraHandledException", true);
}

/** getRelatedCounts(Id opportunityId, List<String> criterionIds): criterion id => count. */
export function getRelatedCounts(
  args: Record<string, unknown>
): Record<string, number> {
  const { opportunityId, criterionIds } = args;
  if (opportunityId === null || opportunityId === undefined) {
    throw readableError(ERROR_NO_RECORD_ID);
  }
  const requested = Array.isArray(criterionIds)
    ? criterionIds.map((id) => String(id))
    : [];
  const unknown = requested.filter((id) => !RELATED_IDS.has(id));
  if (unknown.length > 0) {
    throw readableError(
      ERROR_UNKNOWN_CRITERIA.replace("{0}", unknown.join(", "))
    );
  }
  if (requested.length === 0) {
    return {};
  }
  const opportunity = getRecordById(String(opportunityId));
  if (opportunity?.sobject !== "Opportunity") {
    throw readableError(ERROR_DELETED);
  }
  // As the controller: a closed deal shows no gates and is not counted.
  if (opportunity.fields.IsClosed === true) {
    return {};
  }
  const all = relatedCounts(String(opportunityId));
  const counts: Record<string, number> = {};
  for (const id of requested) {
    counts[id] = all[id] ?? 0;
  }
  return counts;
}
