/**
 * The preview's StageGateWaiverController (force-app/main/default/classes/StageGateWaiverController.cls):
 * the deal's waivers newest first, a rep's request, a revocation (the waiver rules decide who
 * may: the approver, never the requester) — from the in-memory org's waivers (../waivers), with
 * the Apex class's readable errors.
 */
import { ApexException } from "../apexRuntime";
import { userNameOf } from "../session";
import {
  WaiverError,
  decide,
  isActive,
  requestWaiver as request,
  waiversOf,
  WAIVER_OBJECT
} from "../waivers";
import { query } from "../org";

interface WaiverView {
  id: string;
  criterion: string;
  status: string;
  reason: string;
  expiresOn: string;
  active: boolean;
  requestedBy?: string;
  decidedBy?: string;
  decidedAt?: string;
}

function view(fields: Record<string, unknown>): WaiverView {
  return {
    id: String(fields.Id),
    criterion: String(fields.Criterion__c),
    status: String(fields.Status__c),
    reason: String(fields.Reason__c ?? ""),
    expiresOn: String(fields.Expires_On__c ?? ""),
    active: isActive(fields),
    requestedBy: userNameOf(fields.CreatedById),
    decidedBy: userNameOf(fields.Decided_By__c),
    decidedAt:
      typeof fields.Decided_At__c === "string"
        ? fields.Decided_At__c
        : undefined
  };
}

function readable(error: unknown): never {
  if (error instanceof WaiverError) {
    throw new ApexException(error.message, "System.AuraHandledException", true);
  }
  throw error;
}

/** getWaivers(Id opportunityId) */
export function getWaivers(args: Record<string, unknown>): WaiverView[] {
  return waiversOf(String(args.opportunityId)).map(view);
}

/** requestWaiver(Id opportunityId, String criterionId, String reason, Date expiresOn) */
export function requestWaiver(args: Record<string, unknown>): WaiverView {
  try {
    return view(
      request(
        String(args.opportunityId),
        String(args.criterionId ?? ""),
        String(args.reason ?? ""),
        String(args.expiresOn ?? "")
      )
    );
  } catch (error) {
    return readable(error);
  }
}

/** revokeWaiver(Id waiverId) */
export function revokeWaiver(args: Record<string, unknown>): WaiverView {
  try {
    decide(String(args.waiverId), "Revoked");
  } catch (error) {
    readable(error);
  }
  return view(
    query(WAIVER_OBJECT, (f) => f.Id === String(args.waiverId))[0].fields
  );
}
