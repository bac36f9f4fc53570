/**
 * Stand-in for `lightning/uiRecordApi` backed by the in-memory org.
 *
 * Like Lightning Data Service: values are provisioned asynchronously and frozen;
 * a record saved through any path (updateRecord, a record form, the shell's stage
 * Save) is re-provisioned to every wire that shows it; `fields` that do not exist
 * provision an error while missing `optionalFields` are left out.
 */
import timeZone from "@salesforce/i18n/timeZone";
import {
  DmlError,
  fetchError,
  recordSaveError,
  type FetchError
} from "./errors";
import {
  describeField,
  deleteRecordById,
  fieldsOf,
  getRecordById,
  insertRecord,
  nameOf,
  onChange,
  updateRecordFields,
  type FieldMap,
  type StoredRecord
} from "./org";
import type { OrgField } from "./types";

export type FieldReference =
  string | { objectApiName: string; fieldApiName?: string };

export interface FieldValueRepresentation {
  displayValue: string | null;
  value: unknown;
}

export interface RecordRepresentation {
  apiName: string;
  id: string;
  childRelationships: Record<string, unknown>;
  eTag: string;
  fields: Record<string, FieldValueRepresentation>;
  lastModifiedById: string | null;
  lastModifiedDate: string | null;
  recordTypeId: string | null;
  recordTypeInfo: null;
  systemModstamp: string | null;
  weakEtag: number;
}

export interface RecordInput {
  apiName?: string;
  fields: Record<string, unknown>;
  allowSaveOnDuplicate?: boolean;
}

interface GetRecordConfig {
  recordId?: string | null;
  fields?: FieldReference | FieldReference[];
  optionalFields?: FieldReference | FieldReference[];
  layoutTypes?: string | string[];
  modes?: string | string[];
}

type DataCallback = (value: unknown) => void;

const MASTER_RECORD_TYPE_ID = "012000000000000AAA";

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** "Opportunity.StageName" or a schema import -> ["Opportunity", "StageName"] (field path may span lookups). */
function splitReference(ref: FieldReference): {
  objectApiName: string;
  fieldPath: string;
} {
  if (typeof ref === "string") {
    const dot = ref.indexOf(".");
    return dot < 0
      ? { objectApiName: ref, fieldPath: "" }
      : { objectApiName: ref.slice(0, dot), fieldPath: ref.slice(dot + 1) };
  }
  return {
    objectApiName: ref.objectApiName,
    fieldPath: ref.fieldApiName ?? ""
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) {
      deepFreeze(v);
    }
  }
  return value;
}

const currency = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD"
});

function displayValueOf(field: OrgField, value: unknown): string | null {
  if (value === null || value === undefined || value === "") {
    return null;
  }
  switch (field.type) {
    case "Picklist":
    case "MultiselectPicklist":
      return String(value);
    case "Currency":
      return currency.format(Number(value));
    case "Percent":
      return `${Number(value)}%`;
    case "Date": {
      const [y, m, d] = String(value).split("-");
      return `${Number(m)}/${Number(d)}/${y}`;
    }
    case "DateTime":
      return new Date(String(value)).toLocaleString("en-US", {
        timeZone
      });
    case "Reference":
      return nameOf(value);
    default:
      return null;
  }
}

/** The record representation with the requested field paths (missing ones reported back). */
function represent(
  record: StoredRecord,
  paths: string[]
): { rep: RecordRepresentation; missing: string[] } {
  const missing: string[] = [];
  const rep = baseRepresentation(record);
  for (const fieldPath of paths) {
    if (!addPath(rep, record, fieldPath.split("."))) {
      missing.push(fieldPath);
    }
  }
  return { rep, missing };
}

function baseRepresentation(record: StoredRecord): RecordRepresentation {
  const f = record.fields;
  const modstamp =
    typeof f.SystemModstamp === "string"
      ? f.SystemModstamp
      : typeof f.LastModifiedDate === "string"
        ? f.LastModifiedDate
        : null;
  return {
    apiName: record.sobject,
    id: String(f.Id),
    childRelationships: {},
    eTag: `${String(f.Id)}-${modstamp ?? ""}`,
    fields: {},
    lastModifiedById:
      typeof f.LastModifiedById === "string" ? f.LastModifiedById : null,
    lastModifiedDate:
      typeof f.LastModifiedDate === "string" ? f.LastModifiedDate : null,
    recordTypeId:
      "RecordTypeId" in fieldsOf(record.sobject)
        ? typeof f.RecordTypeId === "string"
          ? f.RecordTypeId
          : MASTER_RECORD_TYPE_ID
        : null,
    recordTypeInfo: null,
    systemModstamp: modstamp,
    weakEtag: modstamp ? Date.parse(modstamp) : 0
  };
}

/** Adds one (possibly spanning) field path to a representation; false when the field does not exist. */
function addPath(
  rep: RecordRepresentation,
  record: StoredRecord,
  parts: string[]
): boolean {
  const [head, ...rest] = parts;
  if (rest.length === 0) {
    const field = describeField(record.sobject, head);
    if (!field) {
      return false;
    }
    const value =
      record.fields[head] ?? (field.type === "Checkbox" ? false : null);
    rep.fields[head] = { displayValue: displayValueOf(field, value), value };
    return true;
  }
  const lookup = Object.entries(fieldsOf(record.sobject)).find(
    ([, f]) => f.relationshipName === head
  );
  if (!lookup) {
    return false;
  }
  const targetId = record.fields[lookup[0]];
  const target =
    typeof targetId === "string" ? getRecordById(targetId) : undefined;
  if (!target) {
    // A blank lookup: the relationship is provisioned as null.
    const ok = lookup[1].referenceTo !== undefined;
    if (ok) {
      rep.fields[head] = { displayValue: null, value: null };
    }
    return ok;
  }
  const existing = rep.fields[head]?.value as
    RecordRepresentation | null | undefined;
  const nested = existing ?? baseRepresentation(target);
  if (!addPath(nested, target, rest)) {
    return false;
  }
  rep.fields[head] = { displayValue: nameOf(target.fields.Id), value: nested };
  return true;
}

function notFound(recordId: string): FetchError {
  return fetchError(
    404,
    "NOT_FOUND",
    `The requested resource does not exist (record ${recordId})`
  );
}

function provision(config: GetRecordConfig): {
  data?: RecordRepresentation;
  error?: FetchError;
} {
  const recordId = String(config.recordId);
  const record = getRecordById(recordId);
  if (!record) {
    return { error: notFound(recordId) };
  }
  const pathsFor = (refs: FieldReference[]): string[] =>
    refs
      .map(splitReference)
      .filter((r) => r.objectApiName === record.sobject && r.fieldPath !== "")
      .map((r) => r.fieldPath);
  const required = pathsFor(asList(config.fields));
  const optional = pathsFor(asList(config.optionalFields));
  const otherObject = asList(config.fields)
    .map(splitReference)
    .find((r) => r.objectApiName !== record.sobject);
  if (otherObject) {
    return {
      error: fetchError(
        400,
        "INVALID_FIELD",
        `Field ${otherObject.objectApiName}.${otherObject.fieldPath} does not belong to ${record.sobject} ${recordId}`
      )
    };
  }
  if (
    required.length === 0 &&
    optional.length === 0 &&
    config.layoutTypes === undefined
  ) {
    return {
      error: fetchError(
        400,
        "INVALID_INPUT",
        "getRecord needs fields, optionalFields or layoutTypes"
      )
    };
  }
  const { rep, missing } = represent(record, [...required, ...optional]);
  const missingRequired = missing.filter((m) => required.includes(m));
  if (missingRequired.length > 0) {
    return {
      error: fetchError(
        400,
        "INVALID_FIELD",
        `No such column '${missingRequired.join(", ")}' on entity '${record.sobject}'`
      )
    };
  }
  return { data: rep };
}

function isReady(
  config: GetRecordConfig | undefined
): config is GetRecordConfig {
  return (
    !!config && typeof config.recordId === "string" && config.recordId !== ""
  );
}

/** `@wire(getRecord, { recordId, fields, optionalFields })` */
export class getRecord {
  private config?: GetRecordConfig;
  private connected = false;
  private unsubscribe?: () => void;
  private pending = false;

  constructor(private readonly callback: DataCallback) {}

  connect(): void {
    this.connected = true;
    this.unsubscribe = onChange((ids) => {
      if (this.config?.recordId && ids.includes(this.config.recordId)) {
        this.schedule();
      }
    });
    this.unsubscribe = chainUnsubscribe(
      this.unsubscribe,
      onRefresh((ids) => {
        if (
          this.config?.recordId &&
          (ids === "all" || ids.includes(this.config.recordId))
        ) {
          this.schedule();
        }
      })
    );
    this.schedule();
  }

  update(config: GetRecordConfig): void {
    this.config = config;
    this.schedule();
  }

  disconnect(): void {
    this.connected = false;
    this.unsubscribe?.();
  }

  private schedule(): void {
    if (this.pending) {
      return;
    }
    this.pending = true;
    // LDS provisions asynchronously (a network round trip, or a resolved promise from its cache).
    setTimeout(() => {
      this.pending = false;
      if (this.connected && isReady(this.config)) {
        this.callback(deepFreeze({ ...provision(this.config) }));
      }
    }, 0);
  }
}

function chainUnsubscribe(
  a: (() => void) | undefined,
  b: () => void
): () => void {
  return () => {
    a?.();
    b();
  };
}

// LDS refreshes wires when told that server data changed (notifyRecordUpdateAvailable, refresh events).
type RefreshListener = (ids: string[] | "all") => void;
const refreshListeners = new Set<RefreshListener>();
function onRefresh(listener: RefreshListener): () => void {
  refreshListeners.add(listener);
  return () => refreshListeners.delete(listener);
}
/** Re-provisions record wires (all of them, or those of the given records). */
export function refreshRecords(ids: string[] | "all"): void {
  for (const listener of Array.from(refreshListeners)) {
    listener(ids);
  }
}

/** The field's value from a provisioned record; undefined when the record does not hold it. */
export function getFieldValue(
  record: RecordRepresentation | null | undefined,
  field: FieldReference
): unknown {
  return fieldEntry(record, field)?.value;
}

export function getFieldDisplayValue(
  record: RecordRepresentation | null | undefined,
  field: FieldReference
): string | null | undefined {
  return fieldEntry(record, field)?.displayValue;
}

function fieldEntry(
  record: RecordRepresentation | null | undefined,
  field: FieldReference
): FieldValueRepresentation | undefined {
  if (!record) {
    return undefined;
  }
  const { fieldPath } = splitReference(field);
  const parts = fieldPath.split(".");
  let current: RecordRepresentation | null | undefined = record;
  for (let i = 0; i < parts.length; i++) {
    const entry: FieldValueRepresentation | undefined =
      current?.fields?.[parts[i]];
    if (i === parts.length - 1 || entry === undefined) {
      return entry;
    }
    current = entry.value as RecordRepresentation | null;
    if (current === null) {
      return undefined;
    }
  }
  return undefined;
}

function savedRepresentation(
  saved: StoredRecord,
  requested: string[]
): RecordRepresentation {
  const paths = Array.from(
    new Set([
      ...requested,
      ...Object.keys(saved.fields).filter((f) =>
        describeField(saved.sobject, f)
      )
    ])
  );
  return deepFreeze(represent(saved, paths).rep);
}

function rejectWith(error: unknown): never {
  if (error instanceof DmlError) {
    throw recordSaveError(error.output);
  }
  throw error;
}

/** Updates a record; rejects with the UI API's record error when a rule blocks the save. */
export async function updateRecord(
  recordInput: RecordInput,
  clientOptions?: { ifUnmodifiedSince?: string }
): Promise<RecordRepresentation> {
  void clientOptions;
  await Promise.resolve();
  try {
    const saved = updateRecordFields({ ...recordInput.fields });
    return savedRepresentation(saved, Object.keys(recordInput.fields));
  } catch (error) {
    return rejectWith(error);
  }
}

export async function createRecord(
  recordInput: RecordInput
): Promise<RecordRepresentation> {
  await Promise.resolve();
  if (!recordInput.apiName) {
    throw fetchError(
      400,
      "INVALID_INPUT",
      "createRecord needs recordInput.apiName"
    );
  }
  try {
    const saved = insertRecord(recordInput.apiName, { ...recordInput.fields });
    return savedRepresentation(saved, Object.keys(recordInput.fields));
  } catch (error) {
    return rejectWith(error);
  }
}

export async function deleteRecord(recordId: string): Promise<void> {
  await Promise.resolve();
  try {
    deleteRecordById(recordId);
  } catch (error) {
    rejectWith(error);
  }
}

/** Tells LDS that records changed on the server: their wires re-provision. */
export async function notifyRecordUpdateAvailable(
  recordIds: { recordId: string }[]
): Promise<void> {
  refreshRecords(recordIds.map((r) => r.recordId));
}

export function getRecordNotifyChange(recordIds: { recordId: string }[]): void {
  refreshRecords(recordIds.map((r) => r.recordId));
}

export function generateRecordInputForUpdate(
  record: RecordRepresentation
): RecordInput {
  const fields: FieldMap = { Id: record.id };
  for (const [name, entry] of Object.entries(record.fields)) {
    const field = describeField(record.apiName, name);
    if (
      field?.updateable &&
      (entry.value === null || typeof entry.value !== "object")
    ) {
      fields[name] = entry.value;
    }
  }
  return { fields };
}

export function generateRecordInputForCreate(
  record: RecordRepresentation
): RecordInput {
  const { fields } = generateRecordInputForUpdate(record);
  delete fields.Id;
  return { apiName: record.apiName, fields };
}
