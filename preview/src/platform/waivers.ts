/**
 * Waivers in the preview's in-memory org, as the org's waiver automation behaves
 * (force-app/main/default/classes/StageGateWaiverRules.cls and StageGateWaiverSync.cls): a
 * request names an enforced criterion of the map, gives a reason and a last day between today
 * and today + waivers.maxDays; one pending or active waiver per deal and criterion; its approver
 * is the deal owner's manager unless that is the requester (then nobody in the preview: the org
 * routes it to the approvers queue). Only the status moves (Requested to Approved or Rejected,
 * Approved to Revoked), decided by the approver or a holder of Stage_Gates_Approve_Waivers, never
 * by the requester; who decided and when is recorded. The deal's waived list
 * (Stage_Gate_Waived__c) is rewritten from the approved, unexpired waivers after every decision,
 * so the preview's enforcement (the core) honours it as the generated rules and flow do. Texts
 * are the Apex class's labels.
 */
import ALREADY_OPEN from "@salesforce/label/c.StageGate_WaiverAlreadyOpen";
import INVALID_TRANSITION from "@salesforce/label/c.StageGate_WaiverInvalidTransition";
import NOT_APPROVER from "@salesforce/label/c.StageGate_WaiverNotApprover";
import NOT_ENFORCED from "@salesforce/label/c.StageGate_WaiverNotEnforced";
import REASON_REQUIRED from "@salesforce/label/c.StageGate_WaiverReasonRequired";
import SELF_DECISION from "@salesforce/label/c.StageGate_WaiverSelfDecision";
import UNKNOWN_CRITERION from "@salesforce/label/c.StageGate_WaiverUnknownCriterion";
import {
  DEFAULT_WAIVER_MAX_DAYS,
  WAIVED_FIELD,
  addDays,
  allCriteria,
  criterionMode,
  formatWaivedList
} from "c/stageGateCore";
import { MAP, insertRecord, query, updateRecordFields } from "./org";
import { customPermission, managerOf, today, userId } from "./session";

export const WAIVER_OBJECT = "Stage_Gate_Waiver__c";
/** The custom permission that lets its holders decide any waiver (StageGateWaiverRules.APPROVE_PERMISSION). */
export const APPROVE_PERMISSION = "Stage_Gates_Approve_Waivers";

export type WaiverStatus = "Requested" | "Approved" | "Rejected" | "Revoked";

const MOVES: Record<string, WaiverStatus[]> = {
  Requested: ["Approved", "Rejected"],
  Approved: ["Revoked"]
};

export class WaiverError extends Error {}

function format(label: string, ...args: string[]): string {
  return label.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** The rule StageGateWaiverRules.codeProblem applies: why a code cannot be waived, or null. */
function codeProblem(criterionId: string): string | null {
  if (waivable().has(criterionId.trim().toLowerCase())) {
    return null;
  }
  return nonBlocking(criterionId)
    ? format(NOT_ENFORCED, criterionId)
    : format(UNKNOWN_CRITERION, criterionId);
}

/** Enforced criteria by lower-case code (what StageGateWaiverDefinitions.WAIVABLE_CRITERIA lists). */
function waivable(): Map<string, string> {
  return new Map(
    allCriteria(MAP)
      .filter((c) => criterionMode(c) === "enforce")
      .map((c) => [c.id.toLowerCase(), c.id])
  );
}

function nonBlocking(code: string): boolean {
  return allCriteria(MAP).some(
    (c) =>
      c.id.toLowerCase() === code.toLowerCase() &&
      criterionMode(c) !== "enforce"
  );
}

export function maxDays(): number {
  return MAP.waiverMaxDays ?? DEFAULT_WAIVER_MAX_DAYS;
}

/** Active: approved and holding through today. */
export function isActive(fields: Record<string, unknown>): boolean {
  return (
    fields.Status__c === "Approved" &&
    typeof fields.Expires_On__c === "string" &&
    fields.Expires_On__c >= today()
  );
}

export function waiversOf(opportunityId: string): Record<string, unknown>[] {
  return query(WAIVER_OBJECT, (f) => f.Opportunity__c === opportunityId)
    .map((r) => r.fields)
    .sort(
      (a, b) =>
        String(b.CreatedDate ?? "").localeCompare(
          String(a.CreatedDate ?? "")
        ) || String(b.Id).localeCompare(String(a.Id))
    );
}

export function requestWaiver(
  opportunityId: string,
  criterionId: string,
  reason: string,
  expiresOn: string
): Record<string, unknown> {
  const code = waivable().get(
    String(criterionId ?? "")
      .trim()
      .toLowerCase()
  );
  if (!code) {
    throw new WaiverError(codeProblem(String(criterionId)) ?? "");
  }
  if (!reason || !reason.trim()) {
    throw new WaiverError(REASON_REQUIRED);
  }
  const last = addDays(today(), maxDays());
  if (!expiresOn || expiresOn < today() || expiresOn > last) {
    throw new WaiverError(
      `A waiver runs until a day between today and ${maxDays()} days from today.`
    );
  }
  const open = waiversOf(opportunityId).some(
    (w) =>
      w.Criterion__c === code && (w.Status__c === "Requested" || isActive(w))
  );
  if (open) {
    throw new WaiverError(format(ALREADY_OPEN, code));
  }
  // The approver: the deal owner's manager, unless the requester is that manager.
  const owner = query("Opportunity", (f) => f.Id === opportunityId)[0]?.fields
    .OwnerId;
  const manager = managerOf(owner);
  return insertRecord(WAIVER_OBJECT, {
    Opportunity__c: opportunityId,
    Criterion__c: code,
    Reason__c: reason.trim(),
    Expires_On__c: expiresOn,
    Status__c: "Requested",
    Approver__c: manager !== undefined && manager !== userId ? manager : null
  }).fields;
}

/**
 * Why the running user may not move a waiver to a status (StageGateWaiverRules.beforeUpdate, in
 * its order), or null when they may.
 */
export function decisionProblem(
  waiver: Record<string, unknown>,
  status: WaiverStatus
): string | null {
  const from = String(waiver.Status__c);
  if (!(MOVES[from] ?? []).includes(status)) {
    return format(INVALID_TRANSITION, from, status);
  }
  if (userId === waiver.CreatedById) {
    return SELF_DECISION;
  }
  if (
    userId !== waiver.Approver__c &&
    customPermission(APPROVE_PERMISSION) !== true
  ) {
    return NOT_APPROVER;
  }
  if (status === "Approved") {
    // The map changed since the request: the criterion no longer blocks.
    return codeProblem(String(waiver.Criterion__c));
  }
  return null;
}

/** The running user decides (approve, reject, revoke); the deal's waived list follows. */
export function decide(waiverId: string, status: WaiverStatus): void {
  const waiver = query(WAIVER_OBJECT, (f) => f.Id === waiverId)[0]?.fields;
  if (!waiver) {
    throw new WaiverError(`No waiver ${waiverId}`);
  }
  const problem = decisionProblem(waiver, status);
  if (problem !== null) {
    throw new WaiverError(problem);
  }
  updateRecordFields({
    Id: waiverId,
    Status__c: status,
    Decided_By__c: userId,
    Decided_At__c: new Date().toISOString()
  });
  syncWaivedList(String(waiver.Opportunity__c));
}

/** Rewrites the deal's waived list from its approved, unexpired waivers (StageGateWaiverSync). */
export function syncWaivedList(opportunityId: string): void {
  const codes = waiversOf(opportunityId)
    .filter(isActive)
    .map((w) => String(w.Criterion__c));
  const deal = query("Opportunity", (f) => f.Id === opportunityId)[0];
  const list = formatWaivedList(codes);
  if (deal && (deal.fields[WAIVED_FIELD] ?? null) !== list) {
    updateRecordFields({ Id: opportunityId, [WAIVED_FIELD]: list });
  }
}
