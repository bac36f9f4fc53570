/**
 * Shared shapes of the stage KPIs from OpportunityHistory: one deal's history as the
 * readers hand it over, the period, and the input error every reader throws.
 */

/** One OpportunityHistory row. */
export interface HistoryRow {
  /** CreatedDate in milliseconds since the epoch (UTC). */
  at: number;
  /** StageName at that change. */
  stage: string;
  /** CloseDate (YYYY-MM-DD) at that change; null when blank. */
  closeDate: string | null;
}

/** One opportunity with its history rows, as read (rows in input order). */
export interface DealHistory {
  id: string | null;
  /** The opportunity's CreatedDate, ms since the epoch. */
  created: number;
  /** RecordType.DeveloperName; null or undefined when none or not exported. */
  recordType: string | null | undefined;
  rows: HistoryRow[];
}

/** The reporting period and the date the report is as of. */
export interface Period {
  /** YYYY-MM-DD, inclusive (00:00 UTC). */
  from: string;
  /** YYYY-MM-DD, exclusive (00:00 UTC). */
  to: string;
  /** YYYY-MM-DD: history up to the end of this day (UTC) is taken into account. */
  today: string;
}

/** The input cannot be read as history: fatal, exit code 1. */
export class HistoryInputError extends Error {
  constructor(
    public readonly source: string,
    public readonly detail: string,
    public readonly location?: string
  ) {
    super(`${source}${location ? `: ${location}` : ""}: ${detail}`);
    this.name = "HistoryInputError";
  }
}

/** Something worth knowing about the input that does not stop the report (printed on stderr). */
export interface HistoryNote {
  message: string;
}

export const EXPECTED_HISTORY_INPUT =
  'expected the JSON output of "sf data query --json" on Opportunity with the OpportunityHistories subquery ' +
  "(see --soql), or --records R.csv with --history H.csv (CSV exports of Opportunity and OpportunityHistory)";

export const DAY_MS = 86_400_000;

/** Milliseconds of 00:00 UTC of an ISO date. */
export function dayStart(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

/** A strict YYYY-MM-DD calendar date. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The ISO date `days` after `isoDate`. */
export function shiftDate(isoDate: string, days: number): string {
  return new Date(dayStart(isoDate) + days * DAY_MS).toISOString().slice(0, 10);
}

const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A Salesforce date-time (`2026-01-05T10:00:00.000+0000` from the API,
 * `2026-01-05T10:00:00.000Z` from Bulk API CSV) in ms; NaN when it is not one.
 */
export function parseDateTime(value: string): number {
  if (!DATE_TIME.test(value)) {
    return Number.NaN;
  }
  // Date.parse reads "+0000" as well as "+00:00" and "Z".
  return Date.parse(value);
}
