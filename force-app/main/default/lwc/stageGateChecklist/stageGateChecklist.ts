/**
 * The rep's view of the stage gate on an Opportunity record page: the current stage's exit
 * criteria as a live checklist, criteria the deal no longer meets, time in stage, a preview of
 * any later stage and the shortest way to fix each unmet criterion.
 *
 * Every verdict comes from c/stageGateCore (the same rules the org enforces); this component
 * only gathers the inputs (LDS field values, related-record counts from Apex, today's date in
 * the user's time zone) and presents the result.
 */
import { LightningElement, api, wire } from "lwc";
import {
  getFieldValue,
  getRecord,
  notifyRecordUpdateAvailable,
  type RecordRepresentation
} from "lightning/uiRecordApi";
import { refreshApex } from "@salesforce/apex";
import getRelatedCounts from "@salesforce/apex/StageGateController.getRelatedCounts";
import getWaivers from "@salesforce/apex/StageGateWaiverController.getWaivers";
import requestWaiver from "@salesforce/apex/StageGateWaiverController.requestWaiver";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import LOCALE from "@salesforce/i18n/locale";
import {
  RefreshEvent,
  registerRefreshHandler,
  unregisterRefreshHandler
} from "lightning/refresh";
import TIME_ZONE from "@salesforce/i18n/timeZone";
import STAGE_FIELD from "@salesforce/schema/Opportunity.StageName";
import RECORD_TYPE_FIELD from "@salesforce/schema/Opportunity.RecordType.DeveloperName";
import LAST_STAGE_CHANGE_FIELD from "@salesforce/schema/Opportunity.LastStageChangeDate";
import CREATED_DATE_FIELD from "@salesforce/schema/Opportunity.CreatedDate";
import WAIVED_LIST_FIELD from "@salesforce/schema/Opportunity.Stage_Gate_Waived__c";
import definition, { PERMISSIONS } from "c/stageGateDefinition";
import {
  DEFAULT_WAIVER_MAX_DAYS,
  addDays,
  buildChecklist,
  fieldsUsed,
  isBlocking,
  isRelatedCriterion,
  laterStages,
  parseWaivedList,
  previewMove,
  relatedCriterionIds,
  requiredToBeIn,
  selectProcess,
  stageIndex,
  type Checklist,
  type ChecklistInput,
  type CriterionResult,
  type FieldValues,
  type RelatedCounts,
  type RuntimeCriterion,
  type RuntimeProcess
} from "c/stageGateCore";
import LABELS, { formatLabel } from "./labels";
import {
  dateInTimeZone,
  errorMessages,
  isNotVisibleError,
  localDateOf,
  runsInLightningLocker
} from "./support";

const OBJECT = "Opportunity";

/** A calendar day in the user's locale; built once (an Intl formatter is costly to create). */
const CALENDAR_DAY_FORMAT = new Intl.DateTimeFormat(LOCALE, {
  dateStyle: "medium",
  timeZone: "UTC"
});

/** Opportunity fields the map's criteria read, as optional fields: one the user may not read comes back absent ("can't check"). */
const MAP_FIELDS: string[] = fieldsUsed(definition);

/**
 * Every related criterion of the map, counted in one call made together with the record load
 * rather than after it, so the checklist is complete one server round trip sooner and a stage
 * change or a previewed move needs no new call. The controller runs one aggregate query per
 * related object whatever the number of criteria (at most 6 queries per call, 1 for a closed
 * deal). Undefined when the map has none: no Apex call at all.
 */
const ALL_RELATED_IDS = relatedCriterionIds(definition);
const RELATED_CRITERION_IDS: string[] | undefined =
  ALL_RELATED_IDS.length > 0 ? ALL_RELATED_IDS : undefined;

const OPTIONAL_FIELDS: string[] = Array.from(
  new Set([
    `${OBJECT}.${RECORD_TYPE_FIELD.fieldApiName}`,
    `${OBJECT}.${LAST_STAGE_CHANGE_FIELD.fieldApiName}`,
    `${OBJECT}.${CREATED_DATE_FIELD.fieldApiName}`,
    // The deal's approved, unexpired waivers, as the org's rules read them.
    `${OBJECT}.${WAIVED_LIST_FIELD.fieldApiName}`,
    ...MAP_FIELDS.map((field) => `${OBJECT}.${field}`)
  ])
);

interface WiredResult<T> {
  data?: T;
  error?: unknown;
}

interface StageOption {
  label: string;
  value: string;
  /** The stage being previewed. */
  selected: boolean;
}

export interface RowView {
  key: string;
  result: CriterionResult;
  /** Where the criterion comes from ("Required to leave Qualification"), when that helps. */
  context?: string;
  /** Its related records are being counted. */
  pending: boolean;
  /** The criterion's latest waiver as a sentence. */
  waiverNote?: string;
  /** The rep may request a waiver for it. */
  canRequestWaiver: boolean;
  /** Why the rep's last request for it failed. */
  waiverError?: string;
}

/** A waiver as StageGateWaiverController.getWaivers returns it. */
export interface WaiverInfo {
  id: string;
  criterion: string;
  status: "Requested" | "Approved" | "Rejected" | "Revoked";
  reason?: string;
  expiresOn?: string;
  active?: boolean;
  requestedBy?: string;
  decidedBy?: string;
  decidedAt?: string;
}

interface PreviewView {
  /** The core's results for the move (what c-stage-gate-move asks for). */
  results: CriterionResult[];
  summary: string;
  verdict?: string;
  allowed: boolean;
  skipped?: string;
  rows: RowView[];
}

interface View {
  /** A calm message instead of a checklist (closed, not in the map, no process, no stage). */
  message?: string;
  stage?: string;
  process?: string;
  guidance?: string;
  isOpen: boolean;
  daysText?: string;
  targetText?: string;
  overdueText?: string;
  metText?: string;
  progress: number;
  /** The progress bar's filled width. */
  progressStyle: string;
  readyText?: string;
  ready: boolean;
  checking: boolean;
  noCriteria: boolean;
  items: RowView[];
  regressions: RowView[];
  regressionIntro?: string;
  showPreview: boolean;
  previewOptions: StageOption[];
  /** No stage is being previewed: the placeholder option is selected. */
  noPreviewChosen: boolean;
  preview?: PreviewView;
  countsError?: string;
  /** The gates in view count related records: say whose records they are. */
  countsNote: boolean;
}

function contextOf(result: CriterionResult): string {
  return formatLabel(
    result.list === "exit" ? LABELS.requiredToLeave : LABELS.requiredToEnter,
    result.stage
  );
}

export default class StageGateChecklist extends LightningElement {
  @api recordId?: string;

  labels = LABELS;

  record?: RecordRepresentation;
  recordError?: unknown;

  /** The counts wire's criteria: all of the map's related criteria (undefined: none, no call). */
  countsCriterionIds = RELATED_CRITERION_IDS;
  /** Counts are on their way (from the first request until the wire answers). */
  countsLoading = RELATED_CRITERION_IDS !== undefined;
  counts?: RelatedCounts;
  countsError?: unknown;
  countsWire?: WiredResult<Record<string, number>>;

  previewStage?: string;
  view?: View;

  /** The deal's waivers, newest first (getWaivers), and the wire's value for refreshApex. */
  waivers: WaiverInfo[] = [];
  waiversWire?: WiredResult<WaiverInfo[]>;
  /** Why a request failed, by criterion id. */
  waiverErrors: Record<string, string> = {};
  /** First and last day a waiver may run until, for the request form. */
  waiverMin?: string;
  waiverMax?: string;
  waiverRangeMessage?: string;

  private refreshHandlerId?: number;

  @wire(getRecord, {
    recordId: "$recordId",
    fields: [STAGE_FIELD],
    optionalFields: OPTIONAL_FIELDS
  })
  wiredRecord(result: WiredResult<RecordRepresentation>): void {
    if (result.data) {
      const isUpdate = this.record !== undefined;
      this.record = result.data;
      this.recordError = undefined;
      this.recompute();
      // The record changed elsewhere on the page: related records may have changed with it.
      if (isUpdate) {
        this.refreshCounts();
      }
    } else if (result.error) {
      this.record = undefined;
      this.recordError = result.error;
      this.recompute();
    }
  }

  @wire(getRelatedCounts, {
    opportunityId: "$recordId",
    criterionIds: "$countsCriterionIds"
  })
  wiredCounts(result: WiredResult<Record<string, number>>): void {
    this.countsWire = result;
    if (result.data) {
      this.counts = { ...result.data };
      this.countsError = undefined;
      this.countsLoading = false;
    } else if (result.error) {
      this.counts = undefined;
      this.countsError = result.error;
      this.countsLoading = false;
    } else {
      return;
    }
    this.recompute();
  }

  @wire(getWaivers, { opportunityId: "$recordId" })
  wiredWaivers(result: WiredResult<WaiverInfo[]>): void {
    this.waiversWire = result;
    if (result.data) {
      this.waivers = result.data;
    } else if (result.error) {
      // Waivers the rep cannot read are not shown; the checklist itself still works.
      this.waivers = [];
    } else {
      return;
    }
    this.recompute();
  }

  connectedCallback(): void {
    // Standard actions on the record page (related list New, Add Contact Roles, Upload Files)
    // end with a view refresh; LDS refreshes the record, the handler refreshes the counts.
    // registerRefreshHandler takes the component itself with Lightning Web Security, but the
    // host element and a bound handler in orgs still on Lightning Locker (LWC Developer Guide,
    // "Use RefreshView API"); the handler is bound in both.
    this.refreshHandlerId = registerRefreshHandler(
      (runsInLightningLocker() && this.template?.host) || this,
      this.handleRefreshView.bind(this)
    );
  }

  disconnectedCallback(): void {
    if (this.refreshHandlerId !== undefined) {
      unregisterRefreshHandler(this.refreshHandlerId);
      this.refreshHandlerId = undefined;
    }
  }

  get isLoading(): boolean {
    return !this.record && !this.recordError;
  }

  get errorText(): string | undefined {
    if (!this.recordError) {
      return undefined;
    }
    if (isNotVisibleError(this.recordError)) {
      return LABELS.errorDeleted;
    }
    return errorMessages(this.recordError).join(" ") || LABELS.errorUnexpected;
  }

  get readyBadgeClass(): string {
    return this.view?.ready
      ? "slds-badge slds-theme_success"
      : "slds-badge slds-badge_lightest";
  }

  get previewVerdictClass(): string {
    return this.view?.preview?.allowed
      ? "slds-text-color_success"
      : "slds-text-color_error";
  }

  handlePreviewChange(event: Event): void {
    this.previewStage =
      (event.target as HTMLSelectElement | null)?.value || undefined;
    this.recompute();
  }

  handleRefreshClick(): void {
    if (this.recordId) {
      notifyRecordUpdateAvailable([{ recordId: this.recordId }]).catch(
        () => undefined
      );
    }
    this.refreshCounts();
    this.refreshWaivers();
  }

  /** A criterion asks for a waiver: create the request and submit it for approval. */
  handleWaiverRequest(
    event: CustomEvent<{
      criterionId: string;
      reason: string;
      expiresOn: string;
    }>
  ): void {
    const { criterionId, reason, expiresOn } = event.detail;
    const errors = { ...this.waiverErrors };
    delete errors[criterionId];
    this.waiverErrors = errors;
    requestWaiver({
      opportunityId: this.recordId,
      criterionId,
      reason,
      expiresOn
    })
      .then(() => {
        this.dispatchEvent(
          new ShowToastEvent({
            title: LABELS.waiverRequested,
            message: `[${criterionId}]`,
            variant: "success"
          })
        );
        return this.refreshWaivers();
      })
      .catch((error: unknown) => {
        this.waiverErrors = {
          ...this.waiverErrors,
          [criterionId]: formatLabel(
            LABELS.waiverRequestFailed,
            errorMessages(error).join(" ") || LABELS.errorUnexpected
          )
        };
        this.recompute();
      });
  }

  /** Reloads the deal's waivers (after a request, or when the page refreshes). */
  refreshWaivers(): Promise<void> {
    if (this.waiversWire) {
      return refreshApex(this.waiversWire).catch(() => undefined);
    }
    return Promise.resolve();
  }

  /** A fix action changed related records (a file was uploaded). */
  handleRelatedChange(): void {
    this.refreshCounts();
    // Let the page's own related lists show the change too.
    this.dispatchEvent(new RefreshEvent());
  }

  handleRefreshView(): Promise<boolean> {
    return Promise.all([this.refreshCounts(), this.refreshWaivers()]).then(
      () => true
    );
  }

  /** Re-counts related records (the map has related criteria and the counts wire has answered). */
  refreshCounts(): Promise<void> {
    if (this.countsWire && this.countsCriterionIds) {
      return refreshApex(this.countsWire).catch(() => undefined);
    }
    return Promise.resolve();
  }

  private recompute(): void {
    const record = this.record;
    if (!record) {
      this.view = undefined;
      return;
    }
    const values: FieldValues = {};
    for (const field of MAP_FIELDS) {
      values[field] = getFieldValue(record, `${OBJECT}.${field}`);
    }
    const recordType = getFieldValue(record, RECORD_TYPE_FIELD) as
      string | null | undefined;
    const stage = getFieldValue(record, STAGE_FIELD) as string | null;
    const lastStageChange =
      localDateOf(getFieldValue(record, LAST_STAGE_CHANGE_FIELD), TIME_ZONE) ??
      localDateOf(getFieldValue(record, CREATED_DATE_FIELD), TIME_ZONE) ??
      null;
    const today = dateInTimeZone(new Date(Date.now()), TIME_ZONE);
    const input: ChecklistInput = {
      values,
      counts: this.counts ?? {},
      today,
      recordType,
      stage,
      lastStageChange,
      // The running user's custom permissions that `when` conditions ask about.
      permissions: PERMISSIONS,
      waived: parseWaivedList(getFieldValue(record, WAIVED_LIST_FIELD))
    };
    this.waiverMin = today;
    this.waiverMax = addDays(
      today,
      definition.waiverMaxDays ?? DEFAULT_WAIVER_MAX_DAYS
    );
    this.waiverRangeMessage = formatLabel(
      LABELS.waiverUntilRange,
      this.formatDate(this.waiverMax)
    );
    const checklist = buildChecklist(definition, input);
    const process = selectProcess(definition, recordType);

    const showPreview =
      !!process &&
      (checklist.status === "open" || checklist.status === "notInMap");
    const previewOptions =
      process && showPreview ? this.previewOptionsFor(process, stage) : [];
    if (
      this.previewStage &&
      !previewOptions.some((o) => o.value === this.previewStage)
    ) {
      this.previewStage = undefined;
    }
    const previewResults =
      this.previewStage !== undefined
        ? previewMove(definition, { ...input, toStage: this.previewStage })
        : undefined;

    // The gates in view that count related records: the current stage's checklist, what it
    // took to reach the stage (regressions) and the previewed move.
    const related = new Set<string>();
    const addRelated = (criterion: RuntimeCriterion): void => {
      if (isRelatedCriterion(criterion)) {
        related.add(criterion.id);
      }
    };
    checklist.items.forEach((item) => addRelated(item.criterion));
    if (process && checklist.status === "open" && checklist.stage) {
      requiredToBeIn(process, checklist.stage).forEach((r) =>
        addRelated(r.criterion)
      );
    }
    previewResults?.forEach((r) => addRelated(r.criterion));

    this.view = this.viewOf(checklist, process, previewOptions, previewResults);
    this.view.countsNote = related.size > 0;
  }

  private previewOptionsFor(
    process: RuntimeProcess,
    stage: string | null
  ): StageOption[] {
    const stages = laterStages(process, stage);
    // Closing a deal as lost has its own requirements (e.g. a loss reason): offer it too.
    if (stage !== process.lost.name && !stages.includes(process.lost.name)) {
      stages.push(process.lost.name);
    }
    return stages.map((name) => ({
      label: name,
      value: name,
      selected: name === this.previewStage
    }));
  }

  private rowOf(result: CriterionResult, withContext: boolean): RowView {
    const id = result.criterion.id;
    // getWaivers returns the newest first: the first one for the criterion is its state.
    const waiver = this.waivers.find((w) => w.criterion === id);
    const pending =
      this.countsLoading &&
      result.verdict === "unknown" &&
      isRelatedCriterion(result.criterion);
    return {
      key: `${result.list}:${result.stage}:${id}`,
      result,
      context: withContext ? contextOf(result) : undefined,
      pending,
      waiverNote: this.waiverNoteOf(result, waiver),
      canRequestWaiver:
        !!this.recordId &&
        result.mode === "enforce" &&
        result.verdict === "unmet" &&
        !result.waived &&
        waiver?.status !== "Requested" &&
        !(waiver?.status === "Approved" && waiver.active === true),
      waiverError: this.waiverErrors[id]
    };
  }

  /** What the criterion's latest waiver says, or nothing. */
  private waiverNoteOf(
    result: CriterionResult,
    waiver: WaiverInfo | undefined
  ): string | undefined {
    if (!waiver) {
      return undefined;
    }
    const until = this.formatDate(waiver.expiresOn);
    const by = (name: string | undefined): string => name ?? "";
    switch (waiver.status) {
      case "Requested":
        return formatLabel(
          LABELS.waiverPending,
          by(waiver.requestedBy),
          until,
          waiver.reason ?? ""
        );
      case "Approved":
        return waiver.active
          ? formatLabel(
              result.verdict === "met" ? LABELS.waiverUnused : LABELS.waivedBy,
              by(waiver.decidedBy),
              until,
              waiver.reason ?? ""
            )
          : formatLabel(LABELS.waiverExpired, until);
      case "Rejected":
        return formatLabel(LABELS.waiverRejected, by(waiver.decidedBy));
      case "Revoked":
        return formatLabel(LABELS.waiverRevoked, by(waiver.decidedBy));
      default:
        return undefined;
    }
  }

  /** A YYYY-MM-DD date in the user's locale (a calendar day: no time zone shift). */
  private formatDate(isoDate: string | undefined): string {
    if (!isoDate) {
      return "";
    }
    return CALENDAR_DAY_FORMAT.format(new Date(`${isoDate}T00:00:00Z`));
  }

  private viewOf(
    checklist: Checklist,
    process: RuntimeProcess | undefined,
    previewOptions: StageOption[],
    previewResults: CriterionResult[] | undefined
  ): View {
    const view: View = {
      stage: checklist.stage,
      process: checklist.process,
      guidance: checklist.guidance,
      isOpen: checklist.status === "open",
      progress: 0,
      progressStyle: "width: 0%",
      ready: checklist.ready,
      checking: false,
      noCriteria: checklist.total === 0,
      items: [],
      regressions: [],
      showPreview: previewOptions.length > 0,
      previewOptions,
      noPreviewChosen: !previewOptions.some((o) => o.selected),
      countsNote: false
    };
    switch (checklist.status) {
      case "won":
        view.message = LABELS.closedWon;
        break;
      case "lost":
        view.message = LABELS.closedLost;
        break;
      case "notInMap":
        view.message = formatLabel(
          LABELS.notInMap,
          checklist.stage ?? "",
          checklist.process ?? ""
        );
        break;
      case "noProcess":
        view.message = LABELS.noProcess;
        break;
      case "noStage":
        view.message = LABELS.noStage;
        break;
      default:
        break;
    }
    if (this.countsError) {
      view.countsError = formatLabel(
        LABELS.countsError,
        errorMessages(this.countsError).join(" ") || LABELS.errorUnexpected
      );
    }
    if (checklist.status === "open") {
      view.items = checklist.items.map((item) => this.rowOf(item, false));
      view.regressions = checklist.regressions.map((r) => this.rowOf(r, true));
      view.regressionIntro = formatLabel(
        LABELS.regressionIntro,
        checklist.stage ?? ""
      );
      view.checking = view.items.some((row) => row.pending);
      view.metText = formatLabel(
        LABELS.metCount,
        checklist.met,
        checklist.total
      );
      view.progress =
        checklist.total === 0
          ? 100
          : Math.round((checklist.met / checklist.total) * 100);
      view.progressStyle = `width: ${view.progress}%`;
      view.readyText = formatLabel(
        checklist.ready ? LABELS.ready : LABELS.notReady,
        checklist.nextStage ?? ""
      );
      if (checklist.daysInStage !== undefined) {
        view.daysText = formatLabel(LABELS.daysInStage, checklist.daysInStage);
      }
      if (checklist.targetDays !== undefined) {
        view.targetText = formatLabel(LABELS.targetDays, checklist.targetDays);
      }
      if (
        checklist.overdue &&
        checklist.daysInStage !== undefined &&
        checklist.targetDays !== undefined
      ) {
        const over = checklist.daysInStage - checklist.targetDays;
        view.overdueText =
          over === 1
            ? LABELS.overdueOne
            : formatLabel(LABELS.overdueMany, over);
      }
    }
    if (process && previewResults && this.previewStage) {
      view.preview = this.previewViewOf(
        process,
        checklist.stage,
        this.previewStage,
        previewResults
      );
    }
    return view;
  }

  private previewViewOf(
    process: RuntimeProcess,
    stage: string | undefined,
    target: string,
    results: CriterionResult[]
  ): PreviewView {
    const rows = results.map((r) => this.rowOf(r, true));
    const met = results.filter((r) => r.verdict === "met").length;
    const blocking = results.filter(isBlocking);
    const pending = rows.some((row) => row.pending);
    const from = stageIndex(process, stage);
    const to = stageIndex(process, target);
    const skipped =
      to > from + 1
        ? process.stages.slice(from, to - 1).map((s) => s.name)
        : [];
    return {
      results,
      summary:
        results.length === 0
          ? formatLabel(LABELS.previewNothing, target)
          : formatLabel(LABELS.previewSummary, target, results.length, met),
      verdict: pending
        ? undefined
        : formatLabel(
            blocking.length === 0
              ? LABELS.previewAllowed
              : LABELS.previewBlocked,
            target
          ),
      allowed: blocking.length === 0,
      skipped:
        skipped.length > 0
          ? formatLabel(LABELS.previewSkipped, skipped.join(", "))
          : undefined,
      rows
    };
  }
}
