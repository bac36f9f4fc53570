/**
 * One criterion of the stage gate: its status, how to meet it and the shortest way to fix it
 * (edit the field right here, upload a file, or open the new-record page or related list), and
 * its waiver: waived (by whom, until when, why), pending, rejected, revoked or expired, or a
 * form to request one. The verdict comes in with `result` (computed by c/stageGateCore) and the
 * waiver texts from the checklist; nothing is evaluated here. A request is sent up as a
 * `waiverrequest` event ({ criterionId, reason, expiresOn }); the checklist submits it.
 */
import { LightningElement, api } from "lwc";
import { NavigationMixin } from "lightning/navigation";
import { encodeDefaultFieldValues } from "lightning/pageReferenceUtils";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import FORM_FACTOR from "@salesforce/client/formFactor";
import {
  describeWhen,
  RELATED_OBJECT_PARENT_FIELD,
  isRelatedCriterion,
  type CriterionResult,
  type RelatedCriterion,
  type RelatedObject,
  type Scalar
} from "c/stageGateCore";
import LOCALE from "@salesforce/i18n/locale";
import LABELS, { CONDITION_TEXTS, type LabelName } from "./labels";

const OBJECT = "Opportunity";

/**
 * The Salesforce mobile app (phone "Small", tablet "Medium"). lightning/pageReferenceUtils, which
 * pre-fills a new record, "is not supported in Lightning Out, Experience Builder sites, or the
 * Salesforce mobile app" (Lightning Component Reference); record relationship pages and
 * lightning-file-upload are. There, the related list (whose New links the record to the deal)
 * and the deal's own actions replace the pre-filled form.
 */
export const IN_MOBILE_APP = FORM_FACTOR !== "Large";

interface RelatedFix {
  /** New record of the related object, with the criterion's conditions as default values. */
  create?: LabelName;
  /** What to do instead in the mobile app, where records cannot be pre-filled. */
  mobileHint?: LabelName;
  /** Upload a file right here. */
  upload?: boolean;
  /** The Opportunity related list where such records live. */
  relationship: string;
  list: LabelName;
}

const RELATED_FIXES: Readonly<Record<RelatedObject, RelatedFix>> = {
  OpportunityContactRole: {
    create: "addContactRole",
    relationship: "OpportunityContactRoles",
    list: "viewContactRoles"
  },
  Task: {
    create: "newTask",
    mobileHint: "mobileLogActivity",
    relationship: "ActivityHistories",
    list: "viewActivities"
  },
  Event: {
    create: "newEvent",
    mobileHint: "mobileLogActivity",
    relationship: "ActivityHistories",
    list: "viewActivities"
  },
  ContentDocumentLink: {
    upload: true,
    relationship: "AttachedContentDocuments",
    list: "viewFiles"
  },
  // Products are added from their related list (Add Products picks price book entries);
  // pageReferenceUtils does not support default values for OpportunityLineItem.
  OpportunityLineItem: {
    relationship: "OpportunityLineItems",
    list: "addProducts"
  }
};

/** Default field values for a new related record that meets the criterion's conditions. */
export function defaultsFor(
  criterion: RelatedCriterion,
  recordId: string
): Record<string, string | number | boolean> {
  const defaults: Record<string, string | number | boolean> = {
    [RELATED_OBJECT_PARENT_FIELD[criterion.related]]: recordId
  };
  for (const [field, expected] of Object.entries(criterion.where ?? {})) {
    const values: Scalar[] = Array.isArray(expected) ? expected : [expected];
    const first = values.find((v) => v !== null);
    if (first !== undefined && first !== null) {
      defaults[field] = first;
    }
  }
  return defaults;
}

/** SLDS form element, in its error state when the field is invalid. */
function formElementClass(invalid: boolean): string {
  return invalid ? "slds-form-element slds-has-error" : "slds-form-element";
}

export default class StageGateCriterion extends NavigationMixin(
  LightningElement
) {
  @api recordId?: string;
  @api result?: CriterionResult;
  /** Where the criterion comes from, e.g. "Required to leave Qualification". */
  @api context?: string;
  /** Its related records are being counted. */
  @api pending = false;
  /** The criterion's latest waiver, as a sentence (waived by…, requested by…, rejected…). */
  @api waiverNote?: string;
  /** Why the last request failed, from the checklist. */
  @api
  get waiverError(): string | undefined {
    return this._waiverError;
  }
  set waiverError(value: string | undefined) {
    this._waiverError = value;
    if (value) {
      this.submitting = false;
    }
  }
  /** First and last day a waiver may run until (YYYY-MM-DD), and the message for other days. */
  @api waiverMin?: string;
  @api waiverMax?: string;
  @api waiverRangeMessage?: string;
  /** The rep may ask for a waiver: an enforced criterion, unmet, not waived, none pending. */
  @api
  get canRequestWaiver(): boolean {
    return this._canRequestWaiver;
  }
  set canRequestWaiver(value: boolean) {
    this._canRequestWaiver = value;
    if (!value) {
      // The request went through (or the criterion is met now): close the form.
      this.requesting = false;
      this.submitting = false;
      this.waiverReason = "";
      this.waiverUntil = undefined;
      this.reasonFlagged = false;
      this.untilFlagged = false;
    }
  }

  labels = LABELS;
  editing = false;
  requesting = false;
  submitting = false;
  waiverReason = "";
  waiverUntil?: string;
  /** The field failed the last submit; it is checked again as the rep edits it. */
  private reasonFlagged = false;
  private untilFlagged = false;
  private _waiverError?: string;
  private _canRequestWaiver = false;

  get criterion(): CriterionResult["criterion"] | undefined {
    return this.result?.criterion;
  }

  get code(): string {
    return this.criterion ? `[${this.criterion.id}]` : "";
  }

  get label(): string {
    return this.criterion?.label ?? "";
  }

  private get isMet(): boolean {
    return this.result?.verdict === "met";
  }

  private get isWarning(): boolean {
    return this.result?.mode === "warn";
  }

  private get isUnknown(): boolean {
    return this.result?.verdict === "unknown";
  }

  /** Not met, but an approved waiver lifts it: it does not block. */
  private get isWaived(): boolean {
    return !this.isMet && this.result?.waived === true;
  }

  get statusLabel(): string {
    if (this.isMet) {
      return LABELS.statusMet;
    }
    if (this.isWaived) {
      return LABELS.statusWaived;
    }
    if (this.isUnknown) {
      return this.pending ? LABELS.statusChecking : LABELS.statusUnknown;
    }
    return this.isWarning ? LABELS.statusWarning : LABELS.statusUnmet;
  }

  get iconName(): string {
    if (this.isMet) {
      return "utility:success";
    }
    if (this.isWaived) {
      return "utility:approval";
    }
    if (this.isUnknown) {
      return this.pending ? "utility:clock" : "utility:lock";
    }
    return this.isWarning ? "utility:warning" : "utility:error";
  }

  get iconVariant(): string | undefined {
    if (this.isMet) {
      return "success";
    }
    if (this.isUnknown || this.isWaived) {
      return undefined;
    }
    return this.isWarning ? "warning" : "error";
  }

  get statusClass(): string {
    if (this.isMet) {
      return "slds-text-color_success";
    }
    if (this.isUnknown || this.isWaived) {
      return "slds-text-color_weak";
    }
    return this.isWarning ? "slds-text-color_default" : "slds-text-color_error";
  }

  /** Why a conditional criterion applies, e.g. "Applies because Amount ≥ 100,000". */
  get appliesBecause(): string | undefined {
    const text = this.criterion
      ? describeWhen(this.criterion, CONDITION_TEXTS, LOCALE)
      : undefined;
    return text ? LABELS.appliesBecause.replace("{0}", text) : undefined;
  }

  /** How to meet it: shown while it is not met. */
  get help(): string | undefined {
    return this.isMet ? undefined : this.criterion?.help;
  }

  /** Why it is only a warning, or why it cannot be checked. */
  get note(): string | undefined {
    if (this.isMet || this.pending) {
      return undefined;
    }
    if (this.isUnknown) {
      return this.criterion && isRelatedCriterion(this.criterion)
        ? LABELS.unknownRelated
        : LABELS.unknownField;
    }
    return this.isWarning ? LABELS.warnHint : undefined;
  }

  private get needsFix(): boolean {
    return !!this.result && !this.isMet && !this.pending;
  }

  private get relatedFix(): RelatedFix | undefined {
    const c = this.criterion;
    return c && isRelatedCriterion(c) ? RELATED_FIXES[c.related] : undefined;
  }

  /** The field to edit inline: only for a field the user can read (an unreadable one is "can't check"). */
  get fieldName(): string | undefined {
    const c = this.criterion;
    return c && !isRelatedCriterion(c) && this.needsFix && !this.isUnknown
      ? c.field
      : undefined;
  }

  get showEditButton(): boolean {
    return !!this.fieldName && !this.editing;
  }

  get showEditor(): boolean {
    return !!this.fieldName && this.editing;
  }

  /** The edit button's tooltip: which criterion it fixes. */
  get editTitle(): string {
    return this.label;
  }

  get createLabel(): string | undefined {
    const fix = this.relatedFix;
    return this.needsFix && fix?.create && !IN_MOBILE_APP
      ? LABELS[fix.create]
      : undefined;
  }

  /** In the mobile app: how to add the record without the pre-filled form. */
  get mobileHint(): string | undefined {
    const fix = this.relatedFix;
    return this.needsFix && fix?.create && IN_MOBILE_APP
      ? LABELS[fix.mobileHint ?? "mobileAddFromList"]
      : undefined;
  }

  get showUpload(): boolean {
    return this.needsFix && !!this.relatedFix?.upload;
  }

  get listLabel(): string | undefined {
    const fix = this.relatedFix;
    return this.needsFix && fix ? LABELS[fix.list] : undefined;
  }

  get showRequestWaiver(): boolean {
    return this.canRequestWaiver && !this.requesting && !this.pending;
  }

  get showWaiverForm(): boolean {
    return this.canRequestWaiver && this.requesting;
  }

  get hasActions(): boolean {
    return (
      this.showEditButton ||
      !!this.createLabel ||
      this.showUpload ||
      !!this.listLabel ||
      this.showRequestWaiver
    );
  }

  /** A reason other than blanks (the textarea's own `required` accepts blanks). */
  private get reasonValid(): boolean {
    return this.waiverReason.trim() !== "";
  }

  /** A day from waiverMin to waiverMax (ISO dates compare as text). */
  private get untilValid(): boolean {
    const until = this.waiverUntil;
    return (
      !!until &&
      (!this.waiverMin || until >= this.waiverMin) &&
      (!this.waiverMax || until <= this.waiverMax)
    );
  }

  /** The message at the reason field, once a submit found it missing. */
  get reasonError(): string | undefined {
    return this.reasonFlagged ? LABELS.waiverReasonMissing : undefined;
  }

  get untilError(): string | undefined {
    return this.untilFlagged ? this.waiverRangeMessage : undefined;
  }

  get reasonClass(): string {
    return formElementClass(this.reasonFlagged);
  }

  get untilClass(): string {
    return formElementClass(this.untilFlagged);
  }

  get reasonInvalid(): string | undefined {
    return this.reasonFlagged ? "true" : undefined;
  }

  get untilInvalid(): string | undefined {
    return this.untilFlagged ? "true" : undefined;
  }

  get reasonDescribedBy(): string | undefined {
    return this.reasonError ? "waiver-reason-help" : undefined;
  }

  get untilDescribedBy(): string | undefined {
    return this.untilError ? "waiver-until-help" : undefined;
  }

  handleRequestWaiver(): void {
    this.requesting = true;
    this._waiverError = undefined;
    this.reasonFlagged = false;
    this.untilFlagged = false;
    // Default: the last day allowed, so the rep shortens it rather than guessing the limit.
    this.waiverUntil = this.waiverUntil ?? this.waiverMax;
  }

  handleWaiverReason(event: Event): void {
    this.waiverReason = (event.target as HTMLTextAreaElement).value;
    if (this.reasonFlagged) {
      this.reasonFlagged = !this.reasonValid;
    }
  }

  /** `change` comes when a day is picked or fully typed, or the field is cleared. */
  handleWaiverUntil(event: Event): void {
    this.waiverUntil = (event.target as HTMLInputElement).value || undefined;
    if (this.untilFlagged) {
      this.untilFlagged = !this.untilValid;
    }
  }

  handleWaiverCancel(): void {
    this.requesting = false;
    this._waiverError = undefined;
    this.reasonFlagged = false;
    this.untilFlagged = false;
  }

  /**
   * Sends the request up once the reason is given and the day is in range; otherwise marks the
   * invalid fields with their message, repeats the first in the alert and moves focus there.
   */
  handleWaiverSubmit(): void {
    const reason = this.waiverReason.trim();
    const until = this.waiverUntil;
    this.reasonFlagged = !this.reasonValid;
    this.untilFlagged = !this.untilValid;
    // untilFlagged already covers a missing day: `!until` is there for the type checker.
    if (!until || this.reasonFlagged || this.untilFlagged || !this.criterion) {
      this._waiverError = this.reasonFlagged
        ? LABELS.waiverReasonMissing
        : this.waiverRangeMessage;
      const first = this.reasonFlagged ? "waiver-reason" : "waiver-until";
      this.template
        ?.querySelector<HTMLElement>(`[data-id="${first}"]`)
        ?.focus();
      return;
    }
    this._waiverError = undefined;
    this.submitting = true;
    this.dispatchEvent(
      new CustomEvent("waiverrequest", {
        detail: {
          criterionId: this.criterion.id,
          reason,
          expiresOn: until
        }
      })
    );
  }

  handleEdit(): void {
    this.editing = true;
  }

  handleCancel(): void {
    this.editing = false;
  }

  handleSaved(): void {
    // Lightning Data Service updates the record everywhere on the page, the checklist included.
    this.editing = false;
    this.dispatchEvent(
      new ShowToastEvent({
        title: LABELS.saved,
        message: this.label,
        variant: "success"
      })
    );
  }

  handleCreate(): void {
    const c = this.criterion;
    if (!c || !isRelatedCriterion(c) || !this.recordId || IN_MOBILE_APP) {
      return;
    }
    this[NavigationMixin.Navigate]({
      type: "standard__objectPage",
      attributes: { objectApiName: c.related, actionName: "new" },
      state: {
        defaultFieldValues: encodeDefaultFieldValues(
          defaultsFor(c, this.recordId)
        )
      }
    });
  }

  handleOpenList(): void {
    const fix = this.relatedFix;
    if (!fix || !this.recordId) {
      return;
    }
    this[NavigationMixin.Navigate]({
      type: "standard__recordRelationshipPage",
      attributes: {
        recordId: this.recordId,
        objectApiName: OBJECT,
        relationshipApiName: fix.relationship,
        actionName: "view"
      }
    });
  }

  handleUploadFinished(): void {
    this.dispatchEvent(
      new ShowToastEvent({
        title: LABELS.uploaded,
        message: this.label,
        variant: "success"
      })
    );
    this.dispatchEvent(new CustomEvent("relatedchange"));
  }
}
