/**
 * The preview's running user and page context: who is logged in, which custom
 * permissions they hold, which record page is open, and what "today" is for them.
 *
 * The org has two users: the rep who owns the sample deals and their manager. The
 * user (`@salesforce/user/Id`) and permission imports (`@salesforce/customPermission/*`)
 * are read once when a module loads, as on the platform, so logging in as someone else
 * reloads the page: `?manager=1` logs in as the manager, `?bypass=1` gives the running
 * user the bypass permission (see the shell's toggles).
 */
import timeZone from "@salesforce/i18n/timeZone";
import { seed } from "./buildData";

export interface PreviewUser {
  id: string;
  name: string;
}

/** The sample data's user: owns the deals, reports to MANAGER. */
export const REP: PreviewUser = { id: seed.userId, name: seed.userName };
/** The deal owner's manager (User.ManagerId of REP), who decides the rep's waivers. */
export const MANAGER: PreviewUser = {
  id: seed.managerId,
  name: seed.managerName
};

function readParams(): URLSearchParams {
  return new URLSearchParams(
    typeof location === "undefined" ? "" : location.search
  );
}

/** Logged in as the manager (the shell's manager toggle, `?manager=1`). */
export const isManager: boolean = readParams().get("manager") === "1";
const running: PreviewUser = isManager ? MANAGER : REP;
export const userId: string = running.id;
export const userName: string = running.name;
export const isGuest = false;

/** A user's name, or undefined for users the preview does not have. */
export function userNameOf(id: unknown): string | undefined {
  return [REP, MANAGER].find((u) => u.id === id)?.name;
}

/** User.ManagerId: the rep reports to the manager; the manager has none. */
export function managerOf(id: unknown): string | undefined {
  return id === REP.id ? MANAGER.id : undefined;
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
