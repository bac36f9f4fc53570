import { LightningElement, api } from "lwc";
import { nameOf } from "../../../platform/org";
import {
  fieldNameOf,
  REGISTER_EVENT,
  type FieldHandle,
  type FormHandle,
  type RegisterDetail
} from "../../../platform/recordForms";
import type { OrgField } from "../../../platform/types";

/** Stand-in for lightning-output-field: a read-only field of the enclosing record form. */
export default class OutputField extends LightningElement {
  @api variant?: string;
  private _fieldName = "";
  private form?: FormHandle;
  field?: OrgField;
  value: unknown = null;

  @api
  get fieldName(): unknown {
    return this._fieldName;
  }
  set fieldName(value: unknown) {
    this._fieldName = fieldNameOf(value);
  }

  private readonly handle: FieldHandle = {
    kind: "output",
    fieldName: () => this._fieldName,
    setRecordValue: (value, field) => {
      this.value = value;
      this.field = field;
    },
    currentValue: () => this.value,
    setError: () => undefined,
    reset: () => undefined
  };

  connectedCallback(): void {
    const detail: RegisterDetail = { handle: this.handle };
    this.dispatchEvent(
      new CustomEvent(REGISTER_EVENT, { bubbles: true, composed: true, detail })
    );
    this.form = detail.form;
  }

  disconnectedCallback(): void {
    this.form?.unregister(this.handle);
  }

  get label(): string {
    return this.field?.label ?? this._fieldName;
  }
  get showLabel(): boolean {
    return this.variant !== "label-hidden";
  }
  get display(): string {
    const v = this.value;
    if (v === null || v === undefined || v === "") {
      return "";
    }
    if (this.field?.type === "Reference") {
      return nameOf(v) ?? String(v);
    }
    if (typeof v === "boolean") {
      return v ? "Yes" : "No";
    }
    return String(v);
  }
}
