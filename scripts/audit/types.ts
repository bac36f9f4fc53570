/**
 * Shared shapes of the pipeline audit: the opportunities read from an export
 * (JSON of `sf data query --json` or CSV) and the problems found on the way.
 */
import type {
  FieldValues,
  RelatedObject,
  RelatedRecords
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { WaiverRecord } from "./waivers";

/** Child relationship names on Opportunity, as used in SOQL subqueries and in the query JSON. */
export const RELATIONSHIP_NAMES: Readonly<Record<RelatedObject, string>> = {
  OpportunityContactRole: "OpportunityContactRoles",
  Task: "Tasks",
  Event: "Events",
  ContentDocumentLink: "ContentDocumentLinks",
  OpportunityLineItem: "OpportunityLineItems"
};

export const RELATED_OBJECTS = Object.keys(
  RELATIONSHIP_NAMES
) as RelatedObject[];

export type InputKind = "sf-query-json" | "records-json" | "csv";

/** One opportunity as read from an export, before any evaluation. */
export interface OpportunityRow {
  /** 1-based position among the export's records (CSV: data rows after the header). */
  row: number;
  /** Where it is in the file: a JSON path or "line N". */
  location: string;
  id: string | null;
  name: string | null;
  /** StageName; null when blank or absent. */
  stage: string | null;
  /** RecordType.DeveloperName; null = no record type, undefined = not in the export. */
  recordType: string | null | undefined;
  /** IsClosed; undefined when the export does not have it. */
  isClosed: boolean | undefined;
  /** LastStageChangeDate (date-time), null or undefined when absent. */
  lastStageChange: string | null | undefined;
  /** CreatedDate (date-time), null or undefined when absent. */
  createdDate: string | null | undefined;
  /** Field values by API name: a value absent from the export is undefined (not checkable). */
  values: FieldValues;
  /** Related records by object API name; an object absent = not in the export (not checkable). */
  related: RelatedRecords;
  /** Related objects whose subquery the export cut short (`done: false`). */
  partialRelated?: RelatedObject[];
  /** Fields whose value in the file could not be read as the field's type. */
  invalidFields?: string[];
  /** The deal's Stage_Gate_Waiver__c rows (./waivers.ts); undefined = no waiver subquery in the export. */
  waivers?: WaiverRecord[];
  /** The waiver subquery was cut short (`done: false`). */
  partialWaivers?: boolean;
  /** Waiver rows that could not be used: where and why (reported with the audit). */
  waiverProblems?: { location: string; message: string }[];
}

export type ProblemKind =
  "noStage" | "noProcess" | "invalidValue" | "incomplete" | "note";

/** A non-fatal problem in the input, reported with the audit. */
export interface InputProblem {
  kind: ProblemKind;
  message: string;
  /** JSON path or "line N"; absent for file-wide notes. */
  location?: string;
  row?: number;
  id?: string | null;
}

export interface AuditInput {
  /** The file (or "org ALIAS") the records come from, as shown in messages. */
  source: string;
  kind: InputKind;
  records: OpportunityRow[];
  problems: InputProblem[];
  /** Why related criteria cannot be checked for any record, when the input has no related data at all. */
  noRelatedReason?: string;
  /** Total records the query matched when the export is incomplete (sf's totalSize). */
  totalSize?: number;
}

/** The input is not an opportunity export (or cannot be read): fatal, exit non-zero. */
export class AuditInputError extends Error {
  constructor(
    public readonly source: string,
    public readonly detail: string,
    public readonly location?: string
  ) {
    super(`${source}${location ? `: ${location}` : ""}: ${detail}`);
    this.name = "AuditInputError";
  }
}

export const EXPECTED_INPUT =
  'expected the JSON output of "sf data query --json" on Opportunity ({"status":0,"result":{"records":[...]}}), ' +
  'a {"records":[...]} object or an array of Opportunity records, or a CSV export of Opportunity with a header row of field API names';

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
