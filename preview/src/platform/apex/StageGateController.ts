/**
 * The preview's StageGateController: the same answers as the Apex class, from the
 * in-memory org. Counting is the core's countRelated (via the org's relatedCounts);
 * nothing is decided here.
 */
import { ApexException } from "../apexRuntime";
import { getRecordById, relatedCounts } from "../org";

/** getRelatedCounts(Id opportunityId, List<String> criterionIds): counts by criterion id. */
export function getRelatedCounts(
  args: Record<string, unknown>
): Record<string, number> {
  const opportunityId = args.opportunityId;
  const criterionIds = args.criterionIds;
  if (
    typeof opportunityId !== "string" ||
    getRecordById(opportunityId)?.sobject !== "Opportunity"
  ) {
    throw new ApexException(
      "No opportunity with this id is visible to you.",
      "System.AuraHandledException",
      true
    );
  }
  const all = relatedCounts(opportunityId);
  const wanted = Array.isArray(criterionIds)
    ? criterionIds.map(String)
    : Object.keys(all);
  const out: Record<string, number> = {};
  for (const id of wanted) {
    const count = all[id];
    if (count !== undefined) {
      out[id] = count;
    }
  }
  return out;
}
