import { LightningElement, api } from "lwc";
import {
  createRecord,
  updateRecord,
  type RecordRepresentation
} from "lightning/uiRecordApi";
import { describeField, getRecordById, onChange } from "../../../platform/org";
import {
  saveErrorMessages,
  SAVE_FAILED_MESSAGE,
  type RecordErrorOutput,
  type RecordSaveError
} from "../../../platform/errors";
import {
  objectNameOf,
  REGISTER_EVENT,
  type FieldHandle,
  type FormHandle,
  type MessagesHandle,
  type RegisterDetail
} from "../../../platform/recordForms";

/**
 * Stand-in for lightning-record-edit-form (not in the base components package).
 * Loads the record from the preview org into its lightning-input-field children,
 * and saves through uiRecordApi, so a save meets the same rules as any other:
 * `submit` (cancelable, detail.fields), then `success` (the saved record) or
 * `error` (detail: message, detail, output { errors, fieldErrors }).
 */
export default class RecordEditForm extends LightningElement {
  @api recordTypeId?: string;
  @api density?: string;
  @api formClass?: string;
  private _recordId = "";
  private _objectApiName = "";
  private fields = new Set<FieldHandle>();
  private messages = new Set<MessagesHandle>();
  private stop?: () => void;
  private loaded = false;

  @api
  get recordId(): string {
    return this._recordId;
  }
  set recordId(value: string) {
    this._recordId = value ?? "";
    this.load();
  }

  @api
  get objectApiName(): unknown {
    return this._objectApiName;
  }
  set objectApiName(value: unknown) {
    this._objectApiName = objectNameOf(value);
  }

  private readonly formHandle: FormHandle = {
    unregister: (handle) => {
      if (handle.kind === "messages") {
        this.messages.delete(handle);
      } else {
        this.fields.delete(handle);
      }
    }
  };

  connectedCallback(): void {
    this.addEventListener(REGISTER_EVENT, (event) => {
      const detail = (event as CustomEvent<RegisterDetail>).detail;
      event.stopPropagation();
      detail.form = this.formHandle;
      if (detail.handle.kind === "messages") {
        this.messages.add(detail.handle);
      } else {
        this.fields.add(detail.handle);
        this.pushValue(detail.handle);
      }
      this.scheduleLoadEvent();
    });
    this.stop = onChange((ids) => {
      if (ids.includes(this._recordId)) {
        for (const field of this.fields) {
          this.pushValue(field);
        }
      }
    });
    this.load();
  }

  disconnectedCallback(): void {
    this.stop?.();
  }

  private objectName(): string {
    const record = this._recordId ? getRecordById(this._recordId) : undefined;
    return record?.sobject ?? this._objectApiName;
  }

  private pushValue(field: FieldHandle): void {
    const record = this._recordId ? getRecordById(this._recordId) : undefined;
    const name = field.fieldName();
    field.setRecordValue(
      record ? (record.fields[name] ?? null) : null,
      describeField(this.objectName(), name)
    );
  }

  private load(): void {
    for (const field of this.fields) {
      this.pushValue(field);
    }
    this.loaded = false;
    this.scheduleLoadEvent();
  }

  private loadScheduled = false;

  private scheduleLoadEvent(): void {
    if (this.loadScheduled || this.loaded) {
      return;
    }
    this.loadScheduled = true;
    setTimeout(() => {
      this.loadScheduled = false;
      if (this.loaded) {
        return;
      }
      this.loaded = true;
      const record = this._recordId ? getRecordById(this._recordId) : undefined;
      const records: Record<string, unknown> = {};
      if (record) {
        const fields: Record<string, { value: unknown; displayValue: null }> =
          {};
        for (const f of this.fields) {
          fields[f.fieldName()] = {
            value: record.fields[f.fieldName()] ?? null,
            displayValue: null
          };
        }
        records[this._recordId] = {
          apiName: record.sobject,
          id: this._recordId,
          fields
        };
      }
      this.dispatchEvent(
        new CustomEvent("load", {
          detail: { records, objectInfos: {}, picklistValues: {} }
        })
      );
    }, 0);
  }

  /** Submits the form programmatically (fields default to the form's current values). */
  @api
  submit(fields?: Record<string, unknown>): void {
    void this.save(fields ?? this.collect());
  }

  private collect(): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const f of this.fields) {
      if (f.kind === "input" && f.fieldName()) {
        fields[f.fieldName()] = f.currentValue();
      }
    }
    return fields;
  }

  handleSubmit(event: Event): void {
    event.preventDefault();
    // The native submit stays inside, as in the real component's shadow tree: under synthetic
    // shadow it would otherwise reach the host's onsubmit listeners without `detail`.
    event.stopPropagation();
    const fields = this.collect();
    const submit = new CustomEvent("submit", {
      detail: { fields },
      cancelable: true
    });
    this.dispatchEvent(submit);
    if (!submit.defaultPrevented) {
      void this.save(fields);
    }
  }

  private async save(fields: Record<string, unknown>): Promise<void> {
    this.showErrors({ errors: [], fieldErrors: {} });
    let saved: RecordRepresentation;
    try {
      saved = this._recordId
        ? await updateRecord({ fields: { ...fields, Id: this._recordId } })
        : await createRecord({
            apiName: this._objectApiName,
            fields: {
              ...fields,
              ...(this.recordTypeId ? { RecordTypeId: this.recordTypeId } : {})
            }
          });
    } catch (error) {
      const output: RecordErrorOutput = (error as RecordSaveError)?.body
        ?.output ?? {
        errors: [
          {
            constituentField: null,
            duplicateRecordError: null,
            errorCode: "UNKNOWN",
            field: null,
            fieldLabel: null,
            message: String(error)
          }
        ],
        fieldErrors: {}
      };
      this.showErrors(output);
      const messages = saveErrorMessages(output);
      this.dispatchEvent(
        new CustomEvent("error", {
          detail: {
            message: SAVE_FAILED_MESSAGE,
            detail: messages.join("\n"),
            output
          }
        })
      );
      return;
    }
    for (const field of this.fields) {
      this.pushValue(field);
    }
    this.dispatchEvent(new CustomEvent("success", { detail: saved }));
  }

  private showErrors(output: RecordErrorOutput): void {
    for (const field of this.fields) {
      const errors = output.fieldErrors[field.fieldName()] ?? [];
      field.setError(
        errors.length > 0 ? errors.map((e) => e.message).join("\n") : null
      );
    }
    const pageErrors = [
      ...output.errors.map((e) => e.message),
      ...Object.entries(output.fieldErrors)
        .filter(
          ([name]) =>
            !Array.from(this.fields).some((f) => f.fieldName() === name)
        )
        .flatMap(([, list]) => list.map((e) => e.message))
    ];
    for (const m of this.messages) {
      m.setErrors(pageErrors);
    }
  }
}
