import { LightningElement, api, wire } from "lwc";
import {
  getRecord,
  updateRecord,
  type RecordRepresentation
} from "lightning/uiRecordApi";
import { fieldsUsed, selectProcess } from "c/stageGateCore";
import { describeField, MAP, recordTypeOf } from "../../../platform/org";
import {
  saveErrorMessages,
  type RecordSaveError
} from "../../../platform/errors";

/** Fields every Opportunity detail shows, before the ones the process map reads. */
const STANDARD_FIELDS = [
  "Name",
  "AccountId",
  "StageName",
  "Amount",
  "CloseDate",
  "Probability",
  "ForecastCategoryName",
  "Type",
  "LeadSource",
  "NextStep",
  "LastStageChangeDate"
];

interface FieldRow {
  name: string;
  label: string;
  display: string;
}

function isSaveError(error: unknown): error is RecordSaveError {
  return (
    !!error &&
    typeof error === "object" &&
    "body" in error &&
    !!(error as RecordSaveError).body?.output
  );
}

/**
 * The record page's highlights and details: the deal's fields through getRecord,
 * the Stage picklist with Save (a rep's stage move, saved through updateRecord
 * like any other save), and an edit form for the fields the process map reads.
 */
export default class RecordDetail extends LightningElement {
  private _recordId = "";

  @api
  get recordId(): string {
    return this._recordId;
  }
  set recordId(value: string) {
    if (value !== this._recordId) {
      // Another record page: nothing of the previous one's edits or errors carries over.
      this.saveErrors = [];
      this.editing = false;
    }
    this._recordId = value;
  }

  record?: RecordRepresentation;
  loadError = "";
  selectedStage = "";
  saving = false;
  saveErrors: string[] = [];
  editing = false;

  get fieldRefs(): string[] {
    const names = Array.from(
      new Set([...STANDARD_FIELDS, ...fieldsUsed(MAP), "RecordTypeId"])
    );
    return names
      .filter((n) => describeField("Opportunity", n))
      .map((n) => `Opportunity.${n}`);
  }

  /** Fields the deal's own process reads (the core's fieldsUsed over that process). */
  private get processFields(): string[] {
    const record = this.record;
    const process = record
      ? selectProcess(
          MAP,
          recordTypeOf({ RecordTypeId: record.fields.RecordTypeId?.value })
        )
      : undefined;
    return process ? fieldsUsed({ ...MAP, processes: [process] }) : [];
  }

  get editableFields(): string[] {
    return this.processFields.filter(
      (n) => describeField("Opportunity", n)?.updateable
    );
  }

  @wire(getRecord, { recordId: "$recordId", optionalFields: "$fieldRefs" })
  wiredRecord({
    data,
    error
  }: {
    data?: RecordRepresentation;
    error?: unknown;
  }): void {
    if (data) {
      const stageChanged =
        this.record?.id !== data.id ||
        this.record?.fields.StageName?.value !== data.fields.StageName?.value;
      this.record = data;
      this.loadError = "";
      if (stageChanged) {
        this.selectedStage = String(data.fields.StageName?.value ?? "");
      }
    } else if (error) {
      this.loadError = JSON.stringify(error);
    }
  }

  get title(): string {
    return String(this.record?.fields.Name?.value ?? "");
  }

  get currentStage(): string {
    return String(this.record?.fields.StageName?.value ?? "");
  }

  get rows(): FieldRow[] {
    const record = this.record;
    if (!record) {
      return [];
    }
    const shown = new Set([
      ...STANDARD_FIELDS,
      "RecordTypeId",
      ...this.processFields
    ]);
    return Object.keys(record.fields)
      .filter((name) => shown.has(name) && name !== "Name")
      .map((name) => {
        const entry = record.fields[name];
        const field = describeField("Opportunity", name);
        const value = entry.value;
        const display =
          entry.displayValue ??
          (typeof value === "boolean"
            ? value
              ? "Yes"
              : "No"
            : value === null || value === undefined || value === ""
              ? "—"
              : String(value));
        return { name, label: field?.label ?? name, display };
      });
  }

  get stageOptions(): { label: string; value: string }[] {
    const values = new Set<string>();
    const record = this.record;
    if (record) {
      const process = selectProcess(
        MAP,
        recordTypeOf({ RecordTypeId: record.fields.RecordTypeId?.value })
      );
      if (process) {
        [
          ...process.stages.map((s) => s.name),
          process.won.name,
          process.lost.name
        ].forEach((s) => values.add(s));
      }
      values.add(this.currentStage);
    }
    if (values.size === 0) {
      (describeField("Opportunity", "StageName")?.values ?? []).forEach((s) =>
        values.add(s)
      );
    }
    return Array.from(values).map((v) => ({ label: v, value: v }));
  }

  get saveDisabled(): boolean {
    return (
      this.saving || !this.record || this.selectedStage === this.currentStage
    );
  }

  get hasSaveErrors(): boolean {
    return this.saveErrors.length > 0;
  }

  handleStageChange(event: CustomEvent<{ value: string }>): void {
    this.selectedStage = event.detail.value;
    this.saveErrors = [];
  }

  async handleSaveStage(): Promise<void> {
    this.saving = true;
    this.saveErrors = [];
    try {
      await updateRecord({
        fields: { Id: this.recordId, StageName: this.selectedStage }
      });
      this.dispatchEvent(
        new CustomEvent("lightning__showtoast", {
          bubbles: true,
          composed: true,
          detail: {
            title: `Opportunity "${this.title}" was saved.`,
            variant: "success"
          }
        })
      );
    } catch (error) {
      this.saveErrors = isSaveError(error)
        ? saveErrorMessages(error.body.output)
        : [String(error)];
    } finally {
      this.saving = false;
    }
  }

  handleEdit(): void {
    this.editing = true;
  }

  handleCancelEdit(): void {
    this.editing = false;
  }

  handleEditSuccess(): void {
    this.editing = false;
  }
}
