import { LightningElement, api } from "lwc";
import { nameOf, query } from "../../../platform/org";
import {
  fieldNameOf,
  REGISTER_EVENT,
  type FieldHandle,
  type FormHandle,
  type RegisterDetail
} from "../../../platform/recordForms";
import type { OrgField } from "../../../platform/types";

/**
 * Stand-in for lightning-input-field: an editable field of the enclosing
 * lightning-record-edit-form, rendered with the base input matching its type.
 */
export default class InputField extends LightningElement {
  @api disabled = false;
  @api required = false;
  @api readOnly = false;
  @api variant?: string;
  private _fieldName = "";
  private _value: unknown = null;
  private valueSetByParent = false;
  private form?: FormHandle;
  field?: OrgField;
  error: string | null = null;

  @api
  get fieldName(): unknown {
    return this._fieldName;
  }
  set fieldName(value: unknown) {
    this._fieldName = fieldNameOf(value);
  }

  @api
  get value(): unknown {
    return this._value;
  }
  set value(v: unknown) {
    // An unset attribute (undefined) keeps the record's value.
    if (v !== undefined) {
      this._value = v;
      this.valueSetByParent = true;
    }
  }

  private readonly handle: FieldHandle = {
    kind: "input",
    fieldName: () => this._fieldName,
    setRecordValue: (value, field) => {
      this.field = field;
      if (!this.valueSetByParent) {
        this._value = value;
      }
    },
    currentValue: () => this._value,
    setError: (message) => {
      this.error = message;
    },
    reset: () => this.reset()
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

  @api
  reset(): void {
    this.valueSetByParent = false;
    this.error = null;
  }

  @api
  reportValidity(): boolean {
    return !this.required || (this._value !== null && this._value !== "");
  }

  get label(): string {
    return this.field?.label ?? this._fieldName;
  }
  get type(): string {
    return this.field?.type ?? "Text";
  }
  get isDisabled(): boolean {
    return this.disabled || this.readOnly || this.field?.updateable === false;
  }
  get isPicklist(): boolean {
    return this.type === "Picklist";
  }
  get isReference(): boolean {
    return this.type === "Reference";
  }
  get isCheckbox(): boolean {
    return this.type === "Checkbox";
  }
  get isTextArea(): boolean {
    return this.type === "TextArea" || this.type === "LongTextArea";
  }
  get isInput(): boolean {
    return (
      !this.isPicklist &&
      !this.isReference &&
      !this.isCheckbox &&
      !this.isTextArea
    );
  }
  get inputType(): string {
    switch (this.type) {
      case "Currency":
      case "Number":
      case "Percent":
        return "number";
      case "Date":
        return "date";
      case "DateTime":
        return "datetime";
      case "Email":
        return "email";
      case "Phone":
        return "tel";
      case "Url":
        return "url";
      default:
        return "text";
    }
  }
  get formatter(): string | undefined {
    return this.type === "Currency"
      ? "currency"
      : this.type === "Percent"
        ? "percent-fixed"
        : undefined;
  }
  get step(): string | undefined {
    return this.inputType === "number" ? "any" : undefined;
  }
  get textValue(): string {
    return this._value === null || this._value === undefined
      ? ""
      : String(this._value);
  }
  get checked(): boolean {
    return this._value === true;
  }
  get picklistOptions(): { label: string; value: string }[] {
    return [
      { label: "--None--", value: "" },
      ...(this.field?.values ?? []).map((v) => ({ label: v, value: v }))
    ];
  }
  get referenceOptions(): { label: string; value: string }[] {
    const target = this.field?.referenceTo;
    const records = target ? query(target) : [];
    return [
      { label: "--None--", value: "" },
      ...records.map((r) => ({
        label: nameOf(r.fields.Id) ?? String(r.fields.Id),
        value: String(r.fields.Id)
      }))
    ];
  }
  get hasError(): boolean {
    return this.error !== null;
  }

  handleChange(
    event: CustomEvent<{ value?: unknown; checked?: boolean }>
  ): void {
    event.stopPropagation();
    if (this.isCheckbox) {
      this._value = !!event.detail.checked;
    } else {
      const raw = event.detail.value;
      this._value =
        raw === "" || raw === undefined
          ? null
          : this.inputType === "number"
            ? Number(raw)
            : raw;
    }
    this.valueSetByParent = false;
    this.error = null;
    this.dispatchEvent(
      new CustomEvent("change", {
        detail: {
          value: this._value,
          checked: this.isCheckbox ? this._value : undefined
        }
      })
    );
  }
}
