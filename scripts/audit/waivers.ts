/**
 * The deal's waivers in an audit export: Stage_Gate_Waiver__c rows under each opportunity (the
 * child relationship Stage_Gate_Waivers__r, a subquery like OpportunityContactRoles) and the
 * deal's waived list Opportunity.Stage_Gate_Waived__c (";code;code;"), which is what the org's
 * validation rules and flow read.
 *
 * Which one counts: the waiver rows, when the export has them. The waived list is derived from
 * them (StageGateWaiverSync writes the codes of the approved waivers whose Expires_On__c is today
 * or later; the daily StageGateWaiverExpiry run removes expired ones), so the rows say the same as
 * the list on the day of the export, and they also say it for the audit's --today, and who decided,
 * until when and why. Without rows (a CSV export, or a query without the subquery) the audit reads
 * the waived list exactly as the org's rules do (core parseWaivedList). When both are present and
 * disagree, the audit goes by the rows and reports the difference as a note.
 */
import {
  parseWaivedList,
  WAIVED_FIELD
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { isIsoDate } from "./types";
import { isJsonObject as isObject, type JsonObject } from "./json-records";

/** The waiver object and its child relationship on Opportunity (Opportunity__c's relationshipName + __r). */
export const WAIVER_OBJECT = "Stage_Gate_Waiver__c";
export const WAIVER_RELATIONSHIP = "Stage_Gate_Waivers__r";

/** What the audit selects of each waiver (user lookups by name, as the checklist shows them). */
export const WAIVER_FIELDS = [
  "Id",
  "Criterion__c",
  "Status__c",
  "Reason__c",
  "Expires_On__c",
  "Approver__r.Name",
  "Decided_By__r.Name",
  "Decided_At__c",
  "CreatedBy.Name"
] as const;

export { WAIVED_FIELD };

export const WAIVER_STATUSES = [
  "Requested",
  "Approved",
  "Rejected",
  "Revoked"
] as const;
export type WaiverStatus = (typeof WAIVER_STATUSES)[number];

/**
 * What a waiver does on the audit's day: "active" (approved, Expires_On__c on or after today: the
 * criterion does not block) or why it does not — "expired" (approved, last day before today),
 * "requested" (awaiting approval), "rejected", "revoked".
 */
export type WaiverState =
  "active" | "expired" | "requested" | "rejected" | "revoked";

/** One waiver row as read from the export. */
export interface WaiverRecord {
  /** JSON path of the row. */
  location: string;
  id: string | null;
  criterion: string;
  status: WaiverStatus;
  reason: string | null;
  /** Expires_On__c, YYYY-MM-DD: the last day the waiver holds. */
  until: string;
  approver: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  requestedBy: string | null;
}

/** A waiver in the report. */
export interface WaiverAudit {
  criterion: string;
  state: WaiverState;
  /** "record": a Stage_Gate_Waivers__r row; "field": a code of Stage_Gate_Waived__c (no details). */
  source: "record" | "field";
  /** Status__c; null for the waived list. */
  status: WaiverStatus | null;
  id: string | null;
  reason: string | null;
  until: string | null;
  approver: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  requestedBy: string | null;
  /** Active and it lifts a criterion the deal needs and does not meet (or that cannot be checked). */
  lifts: boolean;
}

/**
 * The state of a waiver on `today` (YYYY-MM-DD) — the rule of the Is_Active__c formula
 * `AND(ISPICKVAL(Status__c, "Approved"), Expires_On__c >= TODAY())` and of
 * StageGateWaiverSync.expectedLists: a waiver "until D" holds through D.
 */
export function waiverState(
  status: WaiverStatus,
  until: string,
  today: string
): WaiverState {
  switch (status) {
    case "Approved":
      return until >= today ? "active" : "expired";
    case "Requested":
      return "requested";
    case "Rejected":
      return "rejected";
    default:
      return "revoked";
  }
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** `Decided_By__r.Name`: the related record's Name, null when the lookup is blank. */
function nameOf(record: JsonObject, relationship: string): string | null {
  const related = record[relationship];
  return isObject(related) ? text(related.Name) : null;
}

/**
 * Reads one waiver row; a row the audit cannot use (no code, a status it does not know, no valid
 * Expires_On__c) is returned as the reason, and the caller reports it.
 */
export function readWaiver(
  record: JsonObject,
  location: string
): WaiverRecord | { problem: string; at: string } {
  const criterion = text(record.Criterion__c);
  if (criterion === null) {
    return {
      at: `${location}.Criterion__c`,
      problem:
        "waiver without Criterion__c (the query must select it): the waiver is ignored"
    };
  }
  const status = record.Status__c;
  if (!WAIVER_STATUSES.includes(status as WaiverStatus)) {
    return {
      at: `${location}.Status__c`,
      problem: `waiver status ${
        typeof status === "string" ? `"${status}"` : String(status)
      } is not one of ${WAIVER_STATUSES.join(", ")}: the waiver for ${criterion} is ignored`
    };
  }
  const until = record.Expires_On__c;
  if (typeof until !== "string" || !isIsoDate(until)) {
    return {
      at: `${location}.Expires_On__c`,
      problem: `waiver Expires_On__c ${
        typeof until === "string"
          ? `"${until}" is not a date YYYY-MM-DD`
          : "missing (the query must select it)"
      }: the waiver for ${criterion} is ignored`
    };
  }
  return {
    location,
    id: text(record.Id),
    criterion,
    status: status as WaiverStatus,
    reason: text(record.Reason__c),
    until,
    approver: nameOf(record, "Approver__r"),
    decidedBy: nameOf(record, "Decided_By__r"),
    decidedAt: text(record.Decided_At__c),
    requestedBy: nameOf(record, "CreatedBy")
  };
}

export interface DealWaivers {
  /** Every waiver of the deal, in export order (the waived list's codes when there are no rows). */
  waivers: WaiverAudit[];
  /** Codes of the active waivers: what lifts criteria on this deal. */
  active: string[];
  /** Set when the waived list and the rows disagree (the audit goes by the rows). */
  mismatch?: string;
}

function fromField(code: string): WaiverAudit {
  return {
    criterion: code,
    state: "active",
    source: "field",
    status: null,
    id: null,
    reason: null,
    until: null,
    approver: null,
    decidedBy: null,
    decidedAt: null,
    requestedBy: null,
    lifts: false
  };
}

/**
 * The deal's waivers on `today`. `records` undefined: the export has no waiver rows for it, so the
 * waived list decides. `partial`: the rows were cut short (done: false), so codes of the waived
 * list that no row shows are added (a lower bound cannot prove a waiver absent).
 */
export function dealWaivers(
  values: Readonly<Record<string, unknown>>,
  records: readonly WaiverRecord[] | undefined,
  partial: boolean,
  today: string
): DealWaivers {
  const listed = parseWaivedList(values[WAIVED_FIELD]);
  if (records === undefined) {
    const waivers = Array.from(new Set(listed)).map(fromField);
    return { waivers, active: waivers.map((w) => w.criterion) };
  }
  const waivers: WaiverAudit[] = records.map((r) => ({
    criterion: r.criterion,
    state: waiverState(r.status, r.until, today),
    source: "record",
    status: r.status,
    id: r.id,
    reason: r.reason,
    until: r.until,
    approver: r.approver,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    requestedBy: r.requestedBy,
    lifts: false
  }));
  const active = new Set(
    waivers.filter((w) => w.state === "active").map((w) => w.criterion)
  );
  if (partial) {
    for (const code of listed) {
      if (!active.has(code)) {
        active.add(code);
        waivers.push(fromField(code));
      }
    }
  }
  const result: DealWaivers = { waivers, active: Array.from(active) };
  if (WAIVED_FIELD in values && !partial) {
    const fieldCodes = Array.from(new Set(listed)).sort();
    const recordCodes = Array.from(active).sort();
    if (fieldCodes.join("\u0000") !== recordCodes.join("\u0000")) {
      const show = (codes: string[]) =>
        codes.length ? codes.join(", ") : "none";
      result.mismatch =
        `${WAIVED_FIELD} lists ${show(fieldCodes)} but the deal's active waivers on ${today} are ${show(recordCodes)}: ` +
        "the audit goes by the waivers; the org's rules read the field until StageGateWaiverSync updates it " +
        "(the daily expiry run, or the next decision on one of the deal's waivers)";
    }
  }
  return result;
}
