/*
 * Ambient types for the platform modules an LWC imports that `@salesforce/lightning-types` does not
 * type: `@salesforce/apex*`, `@salesforce/schema/*`, `@salesforce/label/*`,
 * `@salesforce/customPermission/*`, `lightning/uiRecordApi`, `lightning/platformShowToastEvent`,
 * `lightning/navigation` and `lightning/refresh`. Base components and `@salesforce/user|client|...`
 * come from `@salesforce/lightning-types`, referenced below so every tsconfig that includes this
 * file sees them too.
 *
 * Wire adapters are typed with a loose value (`any`): LWC's `@wire` decorator requires the decorated
 * field's type to be exactly the adapter's value type, so a precise value type would force one
 * spelling of every wired field. Imperative calls are typed precisely or return `unknown`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- see above: wire values and mixin constructors */
/// <reference types="@salesforce/lightning-types" />

/** `import getThings from "@salesforce/apex/Class.method"`: callable, and usable with `@wire`. */
declare module "@salesforce/apex/*" {
  import type { WireAdapterConstructor } from "lwc";

  interface ApexMethod extends WireAdapterConstructor<
    Record<string, unknown>,
    any
  > {
    /** Imperative call: resolves with the method's return value (pass the type you expect). */
    <T = unknown>(params?: Record<string, unknown>): Promise<T>;
  }
  const apexMethod: ApexMethod;
  export default apexMethod;
}

/** `import startRequest from "@salesforce/apexContinuation/Class.method"` */
declare module "@salesforce/apexContinuation/*" {
  import type { WireAdapterConstructor } from "lwc";

  interface ApexContinuationMethod extends WireAdapterConstructor<
    Record<string, unknown>,
    any
  > {
    <T = unknown>(params?: Record<string, unknown>): Promise<T>;
  }
  const apexContinuationMethod: ApexContinuationMethod;
  export default apexContinuationMethod;
}

/** `import { refreshApex, getSObjectValue } from "@salesforce/apex"` */
declare module "@salesforce/apex" {
  /** Refreshes the value provisioned by an Apex `@wire` (pass the whole wired value). */
  export function refreshApex(wiredValue: unknown): Promise<void>;
  /** Reads a field (possibly spanning, `Account.Name`) from an sObject returned by Apex. */
  export function getSObjectValue(
    sObject: object | null | undefined,
    field: string | { objectApiName: string; fieldApiName?: string }
  ): unknown;
}

/** `import STAGE from "@salesforce/schema/Opportunity.StageName"` (or an object: `.../Opportunity`). */
declare module "@salesforce/schema/*" {
  const schemaRef: { objectApiName: string; fieldApiName?: string };
  export default schemaRef;
}

/** `import label from "@salesforce/label/c.My_Label"` */
declare module "@salesforce/label/*" {
  const label: string;
  export default label;
}

/** `import hasBypass from "@salesforce/customPermission/My_Permission"`: true when the user has it. */
declare module "@salesforce/customPermission/*" {
  const hasPermission: boolean;
  export default hasPermission;
}

declare module "lightning/uiRecordApi" {
  import type { WireAdapterConstructor } from "lwc";

  /** A field reference: a `@salesforce/schema` import or a qualified name such as `Opportunity.StageName`. */
  export type FieldReference =
    string | { objectApiName: string; fieldApiName?: string };

  export interface FieldValueRepresentation {
    displayValue: string | null;
    /** Scalar value, or a nested record for a relationship field. */
    value: unknown;
  }

  export interface RecordTypeInfo {
    available: boolean;
    defaultRecordTypeMapping: boolean;
    master: boolean;
    name: string;
    recordTypeId: string;
  }

  export interface RecordRepresentation {
    apiName: string;
    id: string;
    childRelationships: Record<string, unknown>;
    eTag?: string;
    fields: Record<string, FieldValueRepresentation>;
    lastModifiedById: string | null;
    lastModifiedDate: string | null;
    recordTypeId: string | null;
    recordTypeInfo: RecordTypeInfo | null;
    systemModstamp: string | null;
    weakEtag: number;
  }

  export interface GetRecordConfig {
    recordId: string | null | undefined;
    fields?: FieldReference | FieldReference[];
    optionalFields?: FieldReference | FieldReference[];
    layoutTypes?: "Compact" | "Full" | Array<"Compact" | "Full">;
    modes?: "Create" | "Edit" | "View" | Array<"Create" | "Edit" | "View">;
  }

  export interface GetRecordsConfig {
    records: Array<{
      recordIds: string[];
      fields?: FieldReference[];
      optionalFields?: FieldReference[];
    }>;
  }

  export interface RecordInput {
    apiName?: string;
    fields: Record<string, unknown>;
    allowSaveOnDuplicate?: boolean;
  }

  /** `@wire(getRecord, { recordId: "$recordId", fields: [STAGE] }) record;` provisions `{ data?: RecordRepresentation, error? }`. */
  export const getRecord: WireAdapterConstructor<GetRecordConfig, any>;
  export const getRecords: WireAdapterConstructor<GetRecordsConfig, any>;
  export const getRecordCreateDefaults: WireAdapterConstructor<
    {
      objectApiName: FieldReference;
      formFactor?: string;
      recordTypeId?: string;
      optionalFields?: FieldReference[];
    },
    any
  >;

  /** The field's value from a provisioned record, or undefined when the record does not hold it. */
  export function getFieldValue(
    record: RecordRepresentation | null | undefined,
    field: FieldReference
  ): unknown;
  /** The field's display value (formatted, translated), or undefined. */
  export function getFieldDisplayValue(
    record: RecordRepresentation | null | undefined,
    field: FieldReference
  ): string | null | undefined;

  export function createRecord(
    recordInput: RecordInput
  ): Promise<RecordRepresentation>;
  /** `recordInput.fields` must hold `Id`. */
  export function updateRecord(
    recordInput: RecordInput,
    clientOptions?: { ifUnmodifiedSince?: string }
  ): Promise<RecordRepresentation>;
  export function deleteRecord(recordId: string): Promise<void>;
  /** Tells Lightning Data Service that these records changed on the server, so wires refresh. */
  export function notifyRecordUpdateAvailable(
    recordIds: Array<{ recordId: string }>
  ): Promise<void>;
  /** Deprecated by Salesforce in favour of notifyRecordUpdateAvailable. */
  export function getRecordNotifyChange(
    recordIds: Array<{ recordId: string }>
  ): void;
  export function generateRecordInputForCreate(
    record: RecordRepresentation,
    objectInfo?: unknown
  ): RecordInput;
  export function generateRecordInputForUpdate(
    record: RecordRepresentation,
    objectInfo?: unknown
  ): RecordInput;
}

declare module "lightning/platformShowToastEvent" {
  export interface ShowToastEventInit {
    title: string;
    message?: string;
    /** Replaces `{0}`, `{1}`... in the message; a `{ url, label }` renders a link. */
    messageData?: Array<string | { url: string; label: string }>;
    variant?: "info" | "success" | "warning" | "error";
    mode?: "dismissible" | "pester" | "sticky";
  }

  /** `this.dispatchEvent(new ShowToastEvent({ title, message, variant }))` */
  export class ShowToastEvent extends CustomEvent<ShowToastEventInit> {
    constructor(toast: ShowToastEventInit);
  }
}

declare module "lightning/navigation" {
  import type { LightningElement, WireAdapterConstructor } from "lwc";

  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
  }

  const Navigate: unique symbol;
  const GenerateUrl: unique symbol;

  export interface NavigationCapable {
    [Navigate](pageReference: PageReference, replace?: boolean): void;
    [GenerateUrl](pageReference: PageReference): Promise<string>;
  }

  interface NavigationMixinFunction {
    // Mixins need `any[]` constructor arguments (a TypeScript rule for classes that extend them).
    <T extends new (...args: any[]) => LightningElement>(
      base: T
    ): T & (new (...args: any[]) => NavigationCapable);
    readonly Navigate: typeof Navigate;
    readonly GenerateUrl: typeof GenerateUrl;
  }

  /** `class X extends NavigationMixin(LightningElement)`, then `this[NavigationMixin.Navigate](pageRef)`. */
  export const NavigationMixin: NavigationMixinFunction;
  /** `@wire(CurrentPageReference) pageRef;` */
  export const CurrentPageReference: WireAdapterConstructor<
    Record<string, never>,
    any
  >;
}

declare module "lightning/refresh" {
  /** Dispatch to ask the enclosing record page to refresh its data (`this.dispatchEvent(new RefreshEvent())`). */
  export class RefreshEvent extends CustomEvent<undefined> {
    constructor();
  }
  export const RefreshEventName: string;
  export function registerRefreshHandler(
    contextElement: EventTarget,
    handler: () => Promise<boolean> | boolean | void
  ): number;
  export function unregisterRefreshHandler(id: number): void;
  export function registerRefreshContainer(
    contextElement: EventTarget,
    handler: (event: CustomEvent) => void
  ): number;
  export function unregisterRefreshContainer(id: number): void;
}

declare module "lightning/pageReferenceUtils" {
  /** Encodes `{ Field: value }` for `state.defaultFieldValues` of a `standard__objectPage` `new` page reference. */
  export function encodeDefaultFieldValues(
    defaultFieldValues: Record<string, string | number | boolean | null>
  ): string;
  /** Decodes an encoded string back into field values (every value comes back as a string). */
  export function decodeDefaultFieldValues(
    encodedDefaultFieldValues: string
  ): Record<string, string>;
}

/** `import timeZone from "@salesforce/i18n/timeZone"` (an IANA name), `.../locale`, `.../lang`, `.../currency`... */
declare module "@salesforce/i18n/*" {
  const value: string;
  export default value;
}

declare module "@salesforce/i18n/firstDayOfWeek" {
  /** 0 = Sunday ... 6 = Saturday. */
  const firstDayOfWeek: number;
  export default firstDayOfWeek;
}
