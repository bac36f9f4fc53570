import { LightningElement, api } from "lwc";
import timeZone from "@salesforce/i18n/timeZone";
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
 * Stand-in for lightning-input-field (not in the base components package): an
 * editable field of the enclosing lightning-record-edit-form, rendered as the
 * SLDS form-element blueprint with the native control matching its type, so a
 * page holding a record form loads no input base components.
 */
export default class InputField extends LightningElement {
  @api disabled = false;
  @api required = false;
  @api readOnly = false;
  @api variant?: string;
  private _fieldName = "";
  private _value: unknown = null;
  private valueSetByParent = false;
  /** The control's text after the rep's last edit (see textValue). */
  private draft?: string;
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

  renderedCallback(): void {
    // The options' `selected` and the textarea's text only set the initial value (as in
    // HTML): once the rep has edited, a new value (reset, save) shows through the property.
    const control = this.refs?.control as
      HTMLSelectElement | HTMLTextAreaElement | undefined;
    if (control && control.value !== this.textValue) {
      control.value = this.textValue;
    }
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
  get isSelect(): boolean {
    return this.isPicklist || this.isReference;
  }
  get isCheckbox(): boolean {
    return this.type === "Checkbox";
  }
  get isTextArea(): boolean {
    return this.type === "TextArea" || this.type === "LongTextArea";
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
        return "datetime-local";
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
  /** The id the label's `for` names (LWC scopes both alike within the template). */
  get controlId(): string {
    return this.isSelect ? "select" : this.isTextArea ? "textarea" : "input";
  }
  get step(): string | undefined {
    return this.inputType === "number" ? "any" : undefined;
  }

  get formElementClass(): string {
    const classes = ["slds-form-element", "slds-m-bottom_x-small"];
    if (this.variant === "label-inline") {
      classes.push("slds-form-element_horizontal");
    }
    if (this.hasError) {
      classes.push("slds-has-error");
    }
    return classes.join(" ");
  }
  get labelHidden(): boolean {
    return this.variant === "label-hidden";
  }
  get labelClass(): string {
    return this.labelHidden
      ? "slds-assistive-text"
      : "slds-form-element__label";
  }

  get textValue(): string {
    // While the rep types, the control keeps their text when it still means the value:
    // re-rendering 1000 for "1e3" or 5 for "05" would rewrite what they typed.
    if (this.draft !== undefined && this.fromText(this.draft) === this._value) {
      return this.draft;
    }
    if (this._value === null || this._value === undefined) {
      return "";
    }
    return this.type === "DateTime"
      ? toWallTime(String(this._value))
      : String(this._value);
  }
  get checked(): boolean {
    return this._value === true;
  }
  get options(): { label: string; value: string; selected: boolean }[] {
    const target = this.isReference ? this.field?.referenceTo : undefined;
    const choices = this.isReference
      ? (target ? query(target) : []).map((r) => ({
          label: nameOf(r.fields.Id) ?? String(r.fields.Id),
          value: String(r.fields.Id)
        }))
      : (this.field?.values ?? []).map((v) => ({ label: v, value: v }));
    const current = this.textValue;
    return [{ label: "--None--", value: "" }, ...choices].map((o) => ({
      ...o,
      selected: o.value === current
    }));
  }
  get hasError(): boolean {
    return this.error !== null;
  }
  get invalid(): string | undefined {
    return this.hasError ? "true" : undefined;
  }
  get describedBy(): string | undefined {
    return this.hasError ? "field-error" : undefined;
  }

  /** The field's value for a control's text: "" is no value, numbers stay numbers. */
  private fromText(text: string): unknown {
    if (text === "") {
      return null;
    }
    if (this.inputType === "number") {
      return Number(text);
    }
    return this.type === "DateTime" ? fromWallTime(text) : text;
  }

  /** Native `change` (checkbox, select) or `input` (typed controls): the value is on the control. */
  handleChange(event: Event): void {
    event.stopPropagation();
    const control = event.target as
      HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (this.isCheckbox) {
      this._value = (control as HTMLInputElement).checked;
    } else {
      this.draft = control.value;
      this._value = this.fromText(control.value);
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

/** An ISO date-time as a datetime-local control shows it: the wall time in the user's time zone. */
function toWallTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return "";
  }
  const p = wallParts(t);
  const seconds = p.second === "00" ? "" : `:${p.second}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}${seconds}`;
}

/** A datetime-local control's wall time in the user's time zone, as the ISO instant the org stores. */
function fromWallTime(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) {
    return null;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // The zone's offset at the instant itself: a second pass settles wall times near a DST change.
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return new Date(t).toISOString();
}

function offsetAt(t: number): number {
  const p = wallParts(t);
  return (
    Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second)
    ) -
    Math.floor(t / 1000) * 1000
  );
}

function wallParts(t: number): Record<string, string> {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit"
  }).formatToParts(t);
  return Object.fromEntries(parts.map((part) => [part.type, part.value]));
}
