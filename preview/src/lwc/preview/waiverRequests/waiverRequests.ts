import { LightningElement, api } from "lwc";
import { onChange } from "../../../platform/org";
import { userName, userNameOf } from "../../../platform/session";
import {
  decide,
  isActive,
  waiversOf,
  type WaiverStatus
} from "../../../platform/waivers";

interface Row {
  id: string;
  criterion: string;
  code: string;
  status: string;
  summary: string;
  pending: boolean;
  active: boolean;
}

/**
 * The deal owner's manager's view in the preview (the header's manager toggle): the deal's
 * waiver requests with Approve and Reject, approved waivers with Revoke — what the approval
 * page and StageGateWaiverController.revokeWaiver do in the org. The waiver rules decide as the
 * running user (../../../platform/waivers): a refused decision (their own request, say) shows
 * the rules' message and changes nothing.
 */
export default class WaiverRequests extends LightningElement {
  @api recordId = "";
  readonly userName = userName;
  error = "";
  private version = 0;
  private stop?: () => void;

  connectedCallback(): void {
    this.stop = onChange(() => {
      this.version += 1;
    });
  }

  disconnectedCallback(): void {
    this.stop?.();
  }

  get rows(): Row[] {
    void this.version;
    return waiversOf(this.recordId).map((w) => ({
      id: String(w.Id),
      criterion: String(w.Criterion__c),
      code: `[${String(w.Criterion__c)}]`,
      summary: [
        `${String(w.Status__c)}${w.Status__c === "Approved" && !isActive(w) ? " (expired)" : ""}`,
        `requested by ${userNameOf(w.CreatedById) ?? "another user"}`,
        ...(w.Decided_By__c
          ? [`decided by ${userNameOf(w.Decided_By__c) ?? "another user"}`]
          : []),
        `until ${String(w.Expires_On__c)}`,
        String(w.Reason__c)
      ].join(" · "),
      status: String(w.Status__c),
      pending: w.Status__c === "Requested",
      active: isActive(w)
    }));
  }

  get hasRows(): boolean {
    return this.rows.length > 0;
  }

  handleDecision(event: Event): void {
    const target = event.currentTarget as HTMLElement;
    const status = target.dataset.status as WaiverStatus;
    try {
      decide(String(target.dataset.waiverId), status);
      this.error = "";
      this.dispatchEvent(new CustomEvent("decided", { detail: { status } }));
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}
