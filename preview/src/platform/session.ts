/**
 * The preview's running user and page context: who is logged in, which custom
 * permissions they hold, which record page is open, and what "today" is for them.
 *
 * Permission imports (`@salesforce/customPermission/*`) are read once when a module
 * loads, as on the platform, so switching the user reloads the page with
 * `?bypass=1` (see the shell's "Current user" toggle).
 */
import timeZone from "@salesforce/i18n/timeZone";
import { seed } from "./buildData";

export const userId: string = seed.userId;
export const userName: string = seed.userName;
export const isGuest = false;

function readParams(): URLSearchParams {
  return new URLSearchParams(
    typeof location === "undefined" ? "" : location.search
  );
}

/** Custom permissions assigned to the running user (through a permission set). */
const assigned = new Set<string>();
let bypassPermissionName: string | undefined;

/** Called by the org once it knows the map's bypass permission. */
export function configureBypass(permission: string): void {
  bypassPermissionName = permission;
  if (readParams().get("bypass") === "1") {
    assigned.add(permission);
  }
}

export function bypassPermission(): string | undefined {
  return bypassPermissionName;
}

export function hasBypass(): boolean {
  return (
    bypassPermissionName !== undefined && assigned.has(bypassPermissionName)
  );
}

/** Permissions as the generated rules see them ($Permission.X). */
export function permissions(): string[] {
  return Array.from(assigned);
}

/** `@salesforce/customPermission/X`: true when assigned, otherwise undefined (as on the platform). */
export function customPermission(name: string): true | undefined {
  return assigned.has(name) ? true : undefined;
}

/** `@salesforce/userPermission/X`: the preview user is a standard sales user without system permissions. */
export function userPermission(name: string): true | undefined {
  void name;
  return undefined;
}

/** Today as YYYY-MM-DD in the user's time zone (`@salesforce/i18n/timeZone`). */
export function today(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit"
  }).formatToParts(now);
  const get = (type: string): string =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

// ---------------------------------------------------------------------------
// The open record page (for CurrentPageReference and navigation)
// ---------------------------------------------------------------------------

export interface PageReference {
  type: string;
  attributes?: Record<string, unknown>;
  state?: Record<string, unknown>;
}

type PageListener = (ref: PageReference) => void;
const pageListeners = new Set<PageListener>();
let currentPage: PageReference = {
  type: "standard__namedPage",
  attributes: { pageName: "home" },
  state: {}
};

export function currentPageReference(): PageReference {
  return currentPage;
}

export function setCurrentPage(ref: PageReference): void {
  currentPage = ref;
  for (const listener of Array.from(pageListeners)) {
    listener(ref);
  }
}

export function onPageChange(listener: PageListener): () => void {
  pageListeners.add(listener);
  return () => pageListeners.delete(listener);
}
