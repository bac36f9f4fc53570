/**
 * org:deploy's production path. Before anything is deployed, the target org's kind is read
 * from its Organization record; a production org then gets what Salesforce requires there:
 *
 * - Flows arrive INACTIVE in production unless Process Automation Settings → "Deploy processes
 *   and flows as active" is on (Metadata API: FlowSettings.enableFlowDeployAsActiveEnabled,
 *   "false for production orgs" by default). With it on, the deploy runs the Apex tests and is
 *   rolled back unless they cover the org's required share of active flows (Metadata API
 *   Developer Guide, FlowSettings; Tooling API, FlowTestCoverage). The setting is read with a
 *   metadata retrieve of Settings:Flow; what it means for Stage_Gate_Related_Criteria is said.
 * - The product is validated first with RunLocalTests (`sf project deploy validate`), then the
 *   validated job is deployed without running the tests again (`sf project deploy quick`).
 * - After the deploy, FlowDefinitionView says whether the flow is active.
 *
 * Sandboxes, scratch orgs, Developer Edition and trial orgs are development environments
 * (Metadata API: "By default, no tests are run in a deployment to a non-production organization,
 * such as a sandbox or a Developer Edition organization"): they deploy as before.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { FLOW_NAME } from "../gates/generate/flow";
import { soqlString } from "./sf";

/** The fields of Organization that tell a production org from the others (sfdx-core classifies the same way). */
export const ORGANIZATION_QUERY =
  "SELECT Name, IsSandbox, OrganizationType, TrialExpirationDate FROM Organization";

/** The flow setting that decides whether flows deploy to production active (WSDL v66: FlowSettings). */
export const DEPLOY_AS_ACTIVE_SETTING = "enableFlowDeployAsActiveEnabled";
export const FLOW_SETTINGS_METADATA = "Settings:Flow";
export const DEPLOY_AS_ACTIVE_LABEL =
  'Setup → Process Automation Settings → "Deploy processes and flows as active"';

export type OrgKind =
  "production" | "sandbox" | "scratch" | "developer" | "trial";

export interface OrgInfo {
  kind: OrgKind;
  name?: string;
  edition?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The org's kind from its Organization record: IsSandbox with a TrialExpirationDate is a
 * scratch org, IsSandbox without one a sandbox; otherwise a Developer Edition or trial org
 * (OrganizationType "Developer Edition", or a TrialExpirationDate) or production.
 */
export function classifyOrganization(record: unknown): OrgInfo | undefined {
  if (!isRecord(record) || typeof record.IsSandbox !== "boolean") {
    return undefined;
  }
  const edition =
    typeof record.OrganizationType === "string"
      ? record.OrganizationType
      : undefined;
  const name = typeof record.Name === "string" ? record.Name : undefined;
  const trial =
    typeof record.TrialExpirationDate === "string" &&
    record.TrialExpirationDate !== "";
  let kind: OrgKind;
  if (record.IsSandbox) {
    kind = trial ? "scratch" : "sandbox";
  } else if (edition === "Developer Edition") {
    kind = "developer";
  } else {
    kind = trial ? "trial" : "production";
  }
  return { kind, name, edition };
}

export function describeOrg(info: OrgInfo): string {
  const what: Record<OrgKind, string> = {
    production: "a production org",
    sandbox: "a sandbox",
    scratch: "a scratch org",
    developer: "a Developer Edition org",
    trial: "a trial org"
  };
  const details = [info.name, info.edition].filter(Boolean).join(", ");
  return `${what[info.kind]}${details ? ` (${details})` : ""}`;
}

/** Every file under `dir`, depth first. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

export type DeployAsActive =
  { state: "on" | "off"; file: string } | { state: "unknown"; reason: string };

/**
 * Reads enableFlowDeployAsActiveEnabled from a retrieved Flow.settings file (source format
 * `Flow.settings-meta.xml`, or metadata format `Flow.settings`) somewhere under `dir`.
 * An absent element is the platform's default, which is off in production.
 */
export function readDeployAsActive(dir: string): DeployAsActive {
  const file = filesUnder(dir).find((f) =>
    /^Flow\.settings(-meta\.xml)?$/.test(path.basename(f))
  );
  if (!file) {
    return {
      state: "unknown",
      reason: "the retrieve returned no Flow.settings file"
    };
  }
  const parsed: unknown = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true
  }).parse(fs.readFileSync(file, "utf8"));
  const settings = isRecord(parsed) ? parsed.FlowSettings : undefined;
  if (!isRecord(settings) && settings !== "") {
    return {
      state: "unknown",
      reason: `${path.basename(file)} has no <FlowSettings> element`
    };
  }
  const value = isRecord(settings)
    ? settings[DEPLOY_AS_ACTIVE_SETTING]
    : undefined;
  return { state: value === "true" ? "on" : "off", file };
}

/** A fresh folder for the settings retrieve, outside the package directories. */
export function settingsRetrieveDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "stage-gates-flow-settings-"));
}

/** Whether the generated flow is active in the org (FlowDefinitionView, API 46+). */
export const FLOW_STATUS_QUERY = `SELECT ApiName, IsActive, ActiveVersionId FROM FlowDefinitionView WHERE ApiName = ${soqlString(FLOW_NAME)}`;

export type FlowStatus = "active" | "inactive" | "missing";

export function flowStatusOf(records: unknown): FlowStatus {
  const first: unknown = Array.isArray(records) ? records[0] : undefined;
  if (!isRecord(first)) {
    return "missing";
  }
  return typeof first.ActiveVersionId === "string" &&
    first.ActiveVersionId !== ""
    ? "active"
    : "inactive";
}

/** What an inactive flow means for the admin, and how to fix it. */
export function inactiveFlowWarning(target: string): string {
  return (
    `The flow ${FLOW_NAME} is INACTIVE in ${target}: related-record criteria (contact roles, tasks, events, files, products) are NOT enforced; ` +
    `validation rules (field criteria) are. Activate it in Setup → Flows → ${FLOW_NAME} → Activate, ` +
    `or turn on ${DEPLOY_AS_ACTIVE_LABEL} and run npm run org:deploy again.`
  );
}
