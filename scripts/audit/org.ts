/**
 * `audit --org ALIAS`: builds the SOQL the audit needs from the map and runs it through
 * the Salesforce CLI (`sf data query --json`), then reads the result like an export file.
 *
 * The query contains only identifiers taken from the validated map and fixed names; no
 * value from the command line is put into it. It runs as the alias's user: the API applies that
 * user's object permissions, field-level security and sharing to every query (there is no system
 * mode outside Apex), so the export holds the deals and waivers that user may read.
 */
import { spawn } from "node:child_process";
import {
  allCriteria,
  fieldsUsed,
  isRelatedCriterion,
  type RelatedObject,
  type RuntimeMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { readJsonExport } from "./read-json";
import { WAIVED_FIELD, WAIVER_FIELDS, WAIVER_RELATIONSHIP } from "./waivers";
import {
  AuditInputError,
  RELATED_OBJECTS,
  RELATIONSHIP_NAMES,
  type AuditInput
} from "./types";

/** Fields every audit reads besides those the criteria use. */
export const BASE_FIELDS = [
  "Id",
  "Name",
  "StageName",
  "IsClosed",
  "LastStageChangeDate",
  "CreatedDate"
];
export const RECORD_TYPE_FIELD = "RecordType.DeveloperName";

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkedIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(
      `Not a field API name, refusing to put it in SOQL: "${name}"`
    );
  }
  return name;
}

function uniqueFields(names: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    const key = name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}

/**
 * The SOQL for the open opportunities with everything the map's criteria read: the fields
 * (core `fieldsUsed`), RecordType.DeveloperName when a process claims record types, and one
 * subquery per related object with the fields its criteria's `where` uses, and the deal's
 * waivers: the waived list Stage_Gate_Waived__c and the Stage_Gate_Waivers__r rows.
 */
export function buildAuditQuery(runtime: RuntimeMap): string {
  const fields = uniqueFields([
    ...BASE_FIELDS,
    ...fieldsUsed(runtime).map(checkedIdentifier),
    WAIVED_FIELD
  ]);
  if (runtime.processes.some((p) => p.recordTypes.length > 0)) {
    fields.push(RECORD_TYPE_FIELD);
  }
  const relatedFields = new Map<RelatedObject, string[]>();
  for (const c of allCriteria(runtime)) {
    if (isRelatedCriterion(c)) {
      const list = relatedFields.get(c.related) ?? ["Id"];
      list.push(...Object.keys(c.where ?? {}).map(checkedIdentifier));
      relatedFields.set(c.related, list);
    }
  }
  const subqueries = RELATED_OBJECTS.filter((o) => relatedFields.has(o)).map(
    (o) =>
      `(SELECT ${uniqueFields(relatedFields.get(o) ?? []).join(", ")} FROM ${RELATIONSHIP_NAMES[o]})`
  );
  subqueries.push(
    `(SELECT ${WAIVER_FIELDS.join(", ")} FROM ${WAIVER_RELATIONSHIP})`
  );
  return `SELECT ${[...fields, ...subqueries].join(", ")} FROM Opportunity WHERE IsClosed = false`;
}

export interface SfRun {
  /** The executable: env SF_BIN, else "sf" from PATH. */
  bin: string;
  args: string[];
}

export function sfQueryCommand(
  alias: string,
  soql: string,
  env: NodeJS.ProcessEnv = process.env
): SfRun {
  return {
    bin: env.SF_BIN || "sf",
    args: ["data", "query", "--query", soql, "--target-org", alias, "--json"]
  };
}

/** The environment for every sf call: no telemetry, no version check, no auto-update. */
export function sfEnvironment(
  env: NodeJS.ProcessEnv = process.env
): NodeJS.ProcessEnv {
  return {
    ...env,
    SF_DISABLE_TELEMETRY: "true",
    SF_SKIP_NEW_VERSION_CHECK: "true",
    SF_DISABLE_AUTOUPDATE: "true"
  };
}

function runProcess(
  run: SfRun,
  env: NodeJS.ProcessEnv,
  source: string
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.bin, run.args, {
      env,
      stdio: ["ignore", "pipe", "pipe"]
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new AuditInputError(
          source,
          error.code === "ENOENT"
            ? `cannot run "${run.bin}": not found. Install the Salesforce CLI (npm install) and run through npm run, or set SF_BIN to the sf executable`
            : `cannot run "${run.bin}": ${error.message}`
        )
      );
    });
    child.on("close", (code) => {
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8")
      });
    });
  });
}

/** Runs the audit query against an org alias and reads the result. */
export async function queryOrg(
  alias: string,
  runtime: RuntimeMap,
  env: NodeJS.ProcessEnv = process.env
): Promise<{ input: AuditInput; soql: string }> {
  const source = `org ${alias}`;
  if (!alias || alias.startsWith("-")) {
    throw new AuditInputError(
      source,
      "an org alias or username is required after --org"
    );
  }
  const soql = buildAuditQuery(runtime);
  const run = sfQueryCommand(alias, soql, env);
  const result = await runProcess(run, sfEnvironment(env), source);
  if (result.stdout.trim() === "") {
    const tail = result.stderr.trim().split("\n").slice(-5).join("\n");
    throw new AuditInputError(
      source,
      `sf data query printed nothing (exit code ${result.code})${tail ? `:\n${tail}` : ""}`
    );
  }
  try {
    return { input: readJsonExport(result.stdout, source), soql };
  } catch (error) {
    if (error instanceof AuditInputError && WAIVER_NAMES.test(error.detail)) {
      throw new AuditInputError(
        error.source,
        `${error.detail}\n${WAIVERS_HINT}`,
        error.location
      );
    }
    throw error;
  }
}

const WAIVER_NAMES = /Stage_Gate_Waive(d__c|rs__r|r__c)/;

/** What to do when the org (or the user) does not have the waivers the query selects. */
export const WAIVERS_HINT =
  "The audit reads the deals' waivers (Opportunity.Stage_Gate_Waived__c and Stage_Gate_Waiver__c): " +
  "deploy the product (npm run org:deploy -- --target-org <alias>) before auditing the org, and run the " +
  "audit as a user who may read them (Stage_Gates_User or Stage_Gates_Approver grants it).";
