/**
 * The preview's "org": an in-memory database seeded from the project's sample data.
 *
 * Saving an Opportunity runs the stage gate core's `evaluateTransition` over the
 * runtime map the component itself imports (`c/stageGateDefinition`): the same rule
 * the generated validation rules and flow enforce in a real org, with the same
 * message. Related-record counts come from the core's `countRelated`. This module
 * holds data and platform bookkeeping only (ids, system fields, field checks); it
 * decides nothing about gates itself.
 */
import definition from "c/stageGateDefinition";
import {
  countRelated,
  evaluateTransition,
  RELATED_OBJECT_PARENT_FIELD,
  selectProcess,
  stageKind,
  STAGE_FIELD,
  type RelatedCounts,
  type RelatedObject,
  type RelatedRecords,
  type RuntimeMap
} from "c/stageGateCore";
import { schema, seed } from "./buildData";
import { DmlError, errorEntry, type RecordErrorEntry } from "./errors";
import { makeId } from "./ids";
import { configureBypass, permissions, today, userId } from "./session";
import type { OrgField, SeedRecord } from "./types";

export const MAP: RuntimeMap = definition;
configureBypass(MAP.bypassPermission);

export type FieldMap = Record<string, unknown>;

export interface StoredRecord {
  sobject: string;
  fields: FieldMap;
}

const records = new Map<string, StoredRecord>();

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

let nextSerial = 900000;

/** A new 18-character Id with the object's key prefix (serials above the seeded ones). */
export function newId(sobject: string): string {
  return makeId(sobject, nextSerial++);
}

// ---------------------------------------------------------------------------
// Change notifications
// ---------------------------------------------------------------------------

type ChangeListener = (recordIds: string[]) => void;
const listeners = new Set<ChangeListener>();

/** Called with the ids of records created, updated or deleted. */
export function onChange(listener: ChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(ids: string[]): void {
  persist();
  for (const listener of Array.from(listeners)) {
    listener(ids);
  }
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

export function fieldsOf(sobject: string): Record<string, OrgField> {
  return schema[sobject] ?? {};
}

export function describeField(
  sobject: string,
  field: string
): OrgField | undefined {
  return schema[sobject]?.[field];
}

export function getRecordById(id: string): StoredRecord | undefined {
  const r = records.get(id);
  return r ? { sobject: r.sobject, fields: { ...r.fields } } : undefined;
}

export function query(
  sobject: string,
  where: (fields: FieldMap) => boolean = () => true
): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (const r of records.values()) {
    if (r.sobject === sobject && where(r.fields)) {
      out.push({ sobject: r.sobject, fields: { ...r.fields } });
    }
  }
  return out;
}

/** The record's display name (Name, Subject or Title), as a lookup shows it. */
export function nameOf(id: unknown): string | null {
  if (typeof id !== "string") {
    return null;
  }
  const r = records.get(id);
  if (!r) {
    return null;
  }
  const f = r.fields;
  if (r.sobject === "Contact") {
    return [f.FirstName, f.LastName]
      .filter((x) => typeof x === "string" && x !== "")
      .join(" ");
  }
  const name = f.Name ?? f.Subject ?? f.Title ?? f.DeveloperName;
  return typeof name === "string" ? name : null;
}

/** A value reached through lookups, e.g. "RecordType.DeveloperName" or "Account.Name". */
export function pathValue(
  sobject: string,
  fields: FieldMap,
  fieldPath: string
): unknown {
  const [head, ...rest] = fieldPath.split(".");
  if (rest.length === 0) {
    return fields[head];
  }
  const lookup = Object.entries(fieldsOf(sobject)).find(
    ([, f]) => f.relationshipName === head
  );
  if (!lookup) {
    return undefined;
  }
  const target = records.get(String(fields[lookup[0]]));
  if (!target) {
    return null;
  }
  return pathValue(target.sobject, target.fields, rest.join("."));
}

/** The record type DeveloperName of an Opportunity's field values, or null (the master record type). */
export function recordTypeOf(fields: FieldMap): string | null {
  const rt = records.get(String(fields.RecordTypeId));
  const name = rt?.fields.DeveloperName;
  return typeof name === "string" ? name : null;
}

/**
 * Related records of an Opportunity by object, each with its own fields plus the
 * fields of the records its lookups point at ("Contact.Title", "ContentDocument.FileType"),
 * as a relationship query would return them.
 */
export function relatedRecords(opportunityId: string): RelatedRecords {
  const related: RelatedRecords = {};
  for (const [object, parentField] of Object.entries(
    RELATED_OBJECT_PARENT_FIELD
  ) as [RelatedObject, string][]) {
    related[object] = query(
      object,
      (f) => f[parentField] === opportunityId
    ).map((r) => withLookups(r));
  }
  return related;
}

function withLookups(r: StoredRecord): FieldMap {
  const out: FieldMap = { ...r.fields };
  for (const [name, field] of Object.entries(fieldsOf(r.sobject))) {
    const target = field.relationshipName
      ? records.get(String(r.fields[name]))
      : undefined;
    if (target && field.relationshipName) {
      for (const [targetField, value] of Object.entries(target.fields)) {
        out[`${field.relationshipName}.${targetField}`] = value;
      }
    }
  }
  return out;
}

/** Related-record counts by criterion id, as the Apex controller computes them. */
export function relatedCounts(opportunityId: string): RelatedCounts {
  return countRelated(MAP, relatedRecords(opportunityId));
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/** Default OpportunityStage values (probability, forecast category) of a new org. */
const DEFAULT_STAGES: Record<
  string,
  { probability: number; forecast: string }
> = {
  Prospecting: { probability: 10, forecast: "Pipeline" },
  Qualification: { probability: 10, forecast: "Pipeline" },
  "Needs Analysis": { probability: 20, forecast: "Pipeline" },
  "Value Proposition": { probability: 50, forecast: "Pipeline" },
  "Id. Decision Makers": { probability: 60, forecast: "Pipeline" },
  "Perception Analysis": { probability: 70, forecast: "Pipeline" },
  "Proposal/Price Quote": { probability: 75, forecast: "Pipeline" },
  "Negotiation/Review": { probability: 90, forecast: "Pipeline" },
  "Closed Won": { probability: 100, forecast: "Closed" },
  "Closed Lost": { probability: 0, forecast: "Omitted" }
};

function coerce(
  sobject: string,
  name: string,
  field: OrgField,
  value: unknown
): { value: unknown } | { error: RecordErrorEntry } {
  const bad = (what: string) => ({
    error: errorEntry(
      `${field.label}: value not of required type: ${String(value)}${what}`,
      "INVALID_TYPE_ON_FIELD_IN_RECORD",
      name,
      field.label
    )
  });
  if (value === null || value === undefined || value === "") {
    return { value: field.type === "Checkbox" ? false : null };
  }
  switch (field.type) {
    case "Currency":
    case "Number":
    case "Percent": {
      const n =
        typeof value === "number"
          ? value
          : Number(String(value).replace(/,/g, ""));
      return Number.isFinite(n) ? { value: n } : bad("");
    }
    case "Checkbox":
      return { value: value === true || value === "true" };
    case "Date": {
      const text = String(value);
      return /^\d{4}-\d{2}-\d{2}$/.test(text)
        ? { value: text }
        : bad(" (expected YYYY-MM-DD)");
    }
    case "DateTime": {
      const t = Date.parse(String(value));
      return Number.isNaN(t) ? bad("") : { value: new Date(t).toISOString() };
    }
    case "Reference":
    case "Id": {
      const id = String(value);
      // Objects the preview holds records of must hold this one; others (User, Product2...) need a well-formed Id.
      const modelled =
        field.referenceTo !== undefined &&
        Array.from(records.values()).some(
          (r) => r.sobject === field.referenceTo
        );
      const ok = modelled
        ? records.has(id)
        : /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id);
      if (!ok) {
        return {
          error: errorEntry(
            `${field.label}: id value of incorrect type: ${String(value)}`,
            "MALFORMED_ID",
            name,
            field.label
          )
        };
      }
      return { value: String(value) };
    }
    default:
      void sobject;
      return { value: String(value) };
  }
}

function checkFields(
  sobject: string,
  input: FieldMap,
  isInsert: boolean
): FieldMap {
  const fields = fieldsOf(sobject);
  const errors: RecordErrorEntry[] = [];
  const fieldErrors: Record<string, RecordErrorEntry[]> = {};
  const out: FieldMap = {};
  for (const [name, value] of Object.entries(input)) {
    if (name === "Id") {
      continue;
    }
    const field = fields[name];
    if (!field) {
      errors.push(
        errorEntry(
          `No such column '${name}' on sobject of type ${sobject}`,
          "INVALID_FIELD"
        )
      );
      continue;
    }
    const createOnly =
      isInsert &&
      (name === "FirstPublishLocationId" ||
        name === "LinkedEntityId" ||
        name === "OpportunityId" ||
        name === "ContentDocumentId");
    if (!field.updateable && !createOnly) {
      errors.push(
        errorEntry(
          `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          "INVALID_FIELD_FOR_INSERT_UPDATE"
        )
      );
      continue;
    }
    const result = coerce(sobject, name, field, value);
    if ("error" in result) {
      (fieldErrors[name] ??= []).push(result.error);
      continue;
    }
    out[name] = result.value;
  }
  if (errors.length > 0 || Object.keys(fieldErrors).length > 0) {
    throw new DmlError({ errors, fieldErrors });
  }
  return out;
}

/** Runs the stage gates on an Opportunity save; throws what the org's rules would. */
function enforceGates(
  id: string,
  before: FieldMap | null,
  after: FieldMap
): void {
  const result = evaluateTransition(MAP, {
    recordType: recordTypeOf(after),
    before,
    after,
    counts: relatedCounts(id),
    permissions: permissions(),
    today: today()
  });
  if (!result.allowed) {
    throw new DmlError({
      // Each of the org's errors: the flow's Custom Error, then each validation rule's.
      errors: result.errors.map((e) =>
        errorEntry(e.message, "FIELD_CUSTOM_VALIDATION_EXCEPTION")
      ),
      fieldErrors: {}
    });
  }
}

/** What the org derives from the stage: LastStageChangeDate, default probability and forecast, IsClosed/IsWon. */
function applyStageSideEffects(
  before: FieldMap | null,
  after: FieldMap,
  now: string | null
): void {
  const stage = after[STAGE_FIELD];
  if (before !== null && before[STAGE_FIELD] === stage) {
    return;
  }
  if (now !== null) {
    after.LastStageChangeDate = now;
  }
  const defaults =
    typeof stage === "string" ? DEFAULT_STAGES[stage] : undefined;
  if (defaults) {
    after.Probability = defaults.probability;
    after.ForecastCategoryName = defaults.forecast;
  }
  const process = selectProcess(MAP, recordTypeOf(after));
  const kind = process
    ? stageKind(process, typeof stage === "string" ? stage : null)
    : "unknown";
  after.IsClosed = kind === "won" || kind === "lost";
  after.IsWon = kind === "won";
}

function systemFields(
  sobject: string,
  after: FieldMap,
  now: string,
  isInsert: boolean
): void {
  if (isInsert) {
    after.CreatedDate = now;
    after.CreatedById = userId;
    if ("OwnerId" in fieldsOf(sobject) && !after.OwnerId) {
      after.OwnerId = userId;
    }
  }
  after.LastModifiedDate = now;
  after.LastModifiedById = userId;
  after.SystemModstamp = now;
  if (sobject === "Task") {
    // The default TaskStatus "Completed" is the closed status.
    after.IsClosed = after.Status === "Completed";
  }
}

/** DML update of one record (`fields.Id` required). Returns the saved record. */
export function updateRecordFields(input: FieldMap): StoredRecord {
  const id = typeof input.Id === "string" ? input.Id : "";
  const stored = records.get(id);
  if (!stored) {
    throw new DmlError({
      errors: [
        errorEntry(
          id
            ? `entity is deleted or does not exist: ${id}`
            : "Id not specified in an update call",
          id ? "ENTITY_IS_DELETED" : "MISSING_ARGUMENT"
        )
      ],
      fieldErrors: {}
    });
  }
  const changes = checkFields(stored.sobject, input, false);
  const before = { ...stored.fields };
  const after = { ...before, ...changes };
  const now = new Date().toISOString();
  if (stored.sobject === "Opportunity") {
    enforceGates(id, before, after);
    applyStageSideEffects(before, after, now);
  }
  systemFields(stored.sobject, after, now, false);
  records.set(id, { sobject: stored.sobject, fields: after });
  notify([id]);
  return getRecordById(id) as StoredRecord;
}

/** DML insert. Returns the new record. ContentVersion also creates its ContentDocument and link. */
export function insertRecord(sobject: string, input: FieldMap): StoredRecord {
  if (!schema[sobject]) {
    throw new DmlError({
      errors: [
        errorEntry(
          `sObject type '${sobject}' is not supported.`,
          "INVALID_TYPE"
        )
      ],
      fieldErrors: {}
    });
  }
  const fields = checkFields(sobject, input, true);
  const id = newId(sobject);
  const after: FieldMap = { ...fields, Id: id };
  const now = new Date().toISOString();
  if (sobject === "Opportunity") {
    enforceGates(id, null, after);
    applyStageSideEffects(null, after, now);
  }
  systemFields(sobject, after, now, true);
  const created = [id];
  if (sobject === "ContentVersion") {
    created.push(...publishContentVersion(after, now));
  }
  records.set(id, { sobject, fields: after });
  notify(created);
  return getRecordById(id) as StoredRecord;
}

/** A new ContentVersion creates a ContentDocument, and a link to FirstPublishLocationId when set. */
function publishContentVersion(version: FieldMap, now: string): string[] {
  const documentId = newId("ContentDocument");
  const title = String(version.Title ?? version.PathOnClient ?? "Untitled");
  const extension =
    /\.([A-Za-z0-9]+)$/
      .exec(String(version.PathOnClient ?? ""))?.[1]
      ?.toLowerCase() ?? null;
  version.ContentDocumentId = documentId;
  records.set(documentId, {
    sobject: "ContentDocument",
    fields: {
      Id: documentId,
      Title: title,
      FileExtension: extension,
      FileType: extension ? extension.toUpperCase() : "UNKNOWN",
      LatestPublishedVersionId: version.Id,
      CreatedDate: now,
      OwnerId: userId
    }
  });
  const ids = [documentId];
  if (
    typeof version.FirstPublishLocationId === "string" &&
    version.FirstPublishLocationId !== userId
  ) {
    const linkId = newId("ContentDocumentLink");
    records.set(linkId, {
      sobject: "ContentDocumentLink",
      fields: {
        Id: linkId,
        LinkedEntityId: version.FirstPublishLocationId,
        ContentDocumentId: documentId,
        ShareType: "I",
        Visibility: "AllUsers"
      }
    });
    ids.push(linkId);
  }
  return ids;
}

export function deleteRecordById(id: string): void {
  if (!records.delete(id)) {
    throw new DmlError({
      errors: [
        errorEntry(
          `entity is deleted or does not exist: ${id}`,
          "ENTITY_IS_DELETED"
        )
      ],
      fieldErrors: {}
    });
  }
  notify([id]);
}

// ---------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------

function loadSeed(): void {
  // Seeded records are loaded as they are: the sample data set is data, not a sequence of saves.
  for (const r of seed.records) {
    const id = String(r.fields.Id);
    const fields: FieldMap = {
      CreatedDate: seed.loadedAt,
      LastModifiedDate: seed.loadedAt,
      ...r.fields
    };
    if ("OwnerId" in fieldsOf(r.sobject) && !fields.OwnerId) {
      fields.OwnerId = seed.userId;
    }
    if (r.sobject === "Task") {
      fields.IsClosed = fields.Status === "Completed";
    }
    records.set(id, { sobject: r.sobject, fields });
  }
  for (const r of seed.records.filter(
    (x: SeedRecord) => x.sobject === "Opportunity"
  )) {
    const stored = records.get(String(r.fields.Id));
    if (stored) {
      // As inserted: probability, forecast category and closed flags follow the stage (unless the data sets them).
      const derived: FieldMap = { ...stored.fields };
      applyStageSideEffects(null, derived, null);
      stored.fields = {
        ...derived,
        ...r.fields,
        LastStageChangeDate: r.fields.LastStageChangeDate ?? seed.loadedAt
      };
    }
  }
  for (const r of seed.records.filter(
    (x: SeedRecord) => x.sobject === "ContentVersion"
  )) {
    const version = records.get(String(r.fields.Id));
    if (version && !version.fields.ContentDocumentId) {
      publishContentVersion(version.fields, seed.loadedAt);
    }
  }
}

// ---------------------------------------------------------------------------
// Persistence: the org survives a reload of the tab (switching the running user
// reloads the page) until the sample data is reset or the preview rebuilt.
// ---------------------------------------------------------------------------

const STORAGE_KEY = "stage-gates-preview-org";

interface Snapshot {
  version: string;
  nextSerial: number;
  records: [string, StoredRecord][];
}

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === "undefined" ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

function seedVersion(): string {
  return `${seed.source}@${seed.loadedAt}`;
}

function persist(): void {
  const snapshot: Snapshot = {
    version: seedVersion(),
    nextSerial,
    records: Array.from(records.entries())
  };
  storage()?.setItem(STORAGE_KEY, JSON.stringify(snapshot));
}

function restore(): boolean {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) {
    return false;
  }
  const snapshot = JSON.parse(raw) as Snapshot;
  if (snapshot.version !== seedVersion()) {
    return false;
  }
  nextSerial = snapshot.nextSerial;
  for (const [id, record] of snapshot.records) {
    records.set(id, record);
  }
  return true;
}

/** Forgets every change: the next load starts again from the sample data. */
export function resetToSampleData(): void {
  storage()?.removeItem(STORAGE_KEY);
}

if (!restore()) {
  loadSeed();
}
