/**
 * How the record-form stand-ins (lightning-record-edit-form, lightning-input-field,
 * lightning-output-field, lightning-messages) find each other: a field or message
 * element announces itself with a bubbling event when it connects, and the
 * enclosing form answers by filling in `detail.form`.
 */
import type { OrgField } from "./types";

export const REGISTER_EVENT = "preview__recordformregister";

export interface FieldHandle {
  kind: "input" | "output";
  fieldName(): string;
  /** The saved record's value (after load or save). */
  setRecordValue(value: unknown, field: OrgField | undefined): void;
  /** The value the form submits. */
  currentValue(): unknown;
  setError(message: string | null): void;
  reset(): void;
}

export interface MessagesHandle {
  kind: "messages";
  setErrors(messages: string[]): void;
}

export interface FormHandle {
  unregister(handle: FieldHandle | MessagesHandle): void;
}

export interface RegisterDetail {
  handle: FieldHandle | MessagesHandle;
  form?: FormHandle;
}

/** A field name attribute may be a string or a schema import. */
export function fieldNameOf(value: unknown): string {
  if (value && typeof value === "object" && "fieldApiName" in value) {
    return String((value as { fieldApiName: unknown }).fieldApiName);
  }
  return typeof value === "string" ? value : "";
}

/** An objectApiName attribute may be a string or a schema import. */
export function objectNameOf(value: unknown): string {
  if (value && typeof value === "object" && "objectApiName" in value) {
    return String((value as { objectApiName: unknown }).objectApiName);
  }
  return typeof value === "string" ? value : "";
}
