/**
 * `npm run org:create | org:deploy | org:delete [-- options]`: the admin's path to a
 * scratch org with the stage gates and sample data.
 *
 * Every step prints "[n/N] what it does" and the exact command; a failure names the
 * step and shows sf's own error (from its --json output) and exits non-zero.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  BYPASS_PERMISSION_SET,
  USER_PERMISSION_SET
} from "../gates/generate/permissions";
import {
  SF_ENV,
  describeSfFailure,
  formatCommand,
  npmBinary,
  parseSfJson,
  sfBinary,
  soqlString,
  spawnExec,
  type CommandResult,
  type Exec,
  type SfJson
} from "./sf";
import { formatProblem } from "../gates/load";
import { validateDataPlan } from "./validate-data-plan";
import { FLOW_NAME } from "../gates/generate/flow";
import {
  DEPLOY_AS_ACTIVE_LABEL,
  DEPLOY_AS_ACTIVE_SETTING,
  FLOW_SETTINGS_METADATA,
  FLOW_STATUS_QUERY,
  ORGANIZATION_QUERY,
  classifyOrganization,
  describeOrg,
  flowStatusOf,
  inactiveFlowWarning,
  readDeployAsActive,
  settingsRetrieveDir,
  type DeployAsActive,
  type OrgInfo
} from "./production";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const DEFAULT_ALIAS = "stage-gates";
export const DEFAULT_DURATION_DAYS = 7;
export const SCRATCH_DEF = "config/project-scratch-def.json";
export const DATA_PLAN = "data/sample-data-plan.json";
/** The generator's permission sets: the reps' one and the bypass. */
export const USER_PERMSET = USER_PERMISSION_SET;
export const BYPASS_PERMSET = BYPASS_PERMISSION_SET;
/** The deal the org opens on: mid-pipeline, with a checklist partly met. */
export const OPEN_ON_OPPORTUNITY =
  "Acme — Needs Analysis (in progress: budget not confirmed)";
/** Post-import anonymous Apex, run in this order while the bypass is assigned. */
export const POST_IMPORT_APEX: readonly { file: string; title: string }[] = [
  {
    file: "scripts/apex/set-enterprise-record-type.apex",
    title:
      "Set the Enterprise record type (by DeveloperName) on the enterprise sample deals"
  },
  {
    file: "scripts/apex/attach-sample-files.apex",
    title:
      "Attach sample files to opportunities (ContentVersion with FirstPublishLocationId)"
  },
  {
    file: "scripts/apex/add-sample-products.apex",
    title:
      "Add product lines to the sample deals that need them (standard price book)"
  }
];
export const REMOVE_BYPASS_APEX = "scripts/apex/remove-bypass-permission.apex";
/**
 * The daily jobs, scheduled once the bypass is removed (the stalled-deal alerts run as the user who
 * schedules them, and a bypass holder meets every gate). Each script schedules its job only when
 * no CronTrigger of that name exists, so re-running org:create keeps the schedules.
 */
export const SCHEDULE_APEX: readonly { file: string; title: string }[] = [
  {
    file: "scripts/admin/schedule-waiver-expiry.apex",
    title:
      "Schedule the daily waiver expiry (StageGateWaiverExpiry at 00:05; an existing schedule is kept)"
  },
  {
    file: "scripts/apex/alerts/schedule-stalled-deal-alerts.apex",
    title:
      "Schedule the daily stalled-deal alerts (StageGateStalledDealsJob at 06:00; an existing schedule is kept)"
  }
];

/** The product's package directory: what every org gets. */
export const PRODUCT_DIR = "force-app";
/** The example's package directory: the demo map's fields, record type, page; scratch orgs only. */
export const EXAMPLE_DIR = "example-app";

export type Command = "create" | "deploy" | "delete";

export interface OrgOptions {
  alias: string;
  durationDays: number;
  open: boolean;
  targetOrg?: string;
  devHub?: string;
  /** org:deploy: deploy the example (demo fields, record type, page) with the product. */
  withExample?: boolean;
  /** The data plan to check and import (tests point it elsewhere; the post-import Apex expects the sample data). */
  dataPlan?: string;
}

export class UsageError extends Error {}

const USAGE = `Usage:
  npm run org:create [-- --alias A] [--duration-days N] [--dev-hub H] [--no-open]
  npm run org:deploy [-- --target-org A] [--with-example]   (production: validate with RunLocalTests, then deploy)
  npm run org:delete [-- --alias A | --target-org A]

  --alias          scratch org alias (default ${DEFAULT_ALIAS})
  --duration-days  days before the scratch org expires, 1-30 (default ${DEFAULT_DURATION_DAYS})
  --dev-hub        Dev Hub username or alias (default: the target-dev-hub config)
  --target-org     org to deploy to / delete (deploy default: your default org;
                   create: same as --alias)
  --with-example   deploy: also deploy ${EXAMPLE_DIR} (the demo map's fields, record type
                   and page); without it only the product (${PRODUCT_DIR}) is deployed
  --no-open        create: do not open the org in a browser at the end`;

export function parseOptions(args: string[]): {
  command: Command;
  options: OrgOptions;
} {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        alias: { type: "string", short: "a" },
        "duration-days": { type: "string", short: "y" },
        "dev-hub": { type: "string", short: "v" },
        "target-org": { type: "string", short: "o" },
        "no-open": { type: "boolean" },
        "with-example": { type: "boolean" },
        help: { type: "boolean", short: "h" }
      }
    });
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`
    );
  }
  const { values, positionals } = parsed;
  if (values.help) {
    throw new UsageError(USAGE);
  }
  const command = positionals[0];
  if (command !== "create" && command !== "deploy" && command !== "delete") {
    throw new UsageError(
      `Unknown or missing command "${command ?? ""}".\n\n${USAGE}`
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `Unexpected argument "${positionals[1]}".\n\n${USAGE}`
    );
  }
  const durationText = values["duration-days"] ?? String(DEFAULT_DURATION_DAYS);
  const durationDays = Number(durationText);
  if (!/^\d+$/.test(durationText) || durationDays < 1 || durationDays > 30) {
    throw new UsageError(
      `--duration-days must be a whole number from 1 to 30 (got "${durationText}").`
    );
  }
  // org:create names the org it creates: --target-org works there as --alias.
  const alias =
    values.alias ??
    (command === "create" ? values["target-org"] : undefined) ??
    DEFAULT_ALIAS;
  if (alias.trim() === "") {
    throw new UsageError("--alias must not be empty.");
  }
  return {
    command,
    options: {
      alias,
      durationDays,
      open: !values["no-open"],
      targetOrg: values["target-org"],
      devHub: values["dev-hub"],
      withExample: values["with-example"] === true
    }
  };
}

// ---------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------

/** A step failed: `lines` explain why (sf's error), `hint` what to do about it. */
export class StepFailure extends Error {
  constructor(
    public readonly lines: string[],
    public readonly hint?: string
  ) {
    super(lines.join("\n"));
  }
}

export interface SfCall {
  ok: boolean;
  json: SfJson | undefined;
  run: CommandResult;
}

export interface StepContext {
  options: OrgOptions;
  /** Prints an indented line under the current step. */
  note(line: string): void;
  /** Runs `sf <args> --json`; throws StepFailure on failure unless `allowFailure`. */
  sf(args: string[], opts?: { allowFailure?: boolean }): SfCall;
  /** Runs `npm <args>` with its output shown; throws StepFailure on failure. */
  npm(args: string[]): void;
  /** Values found by earlier steps. */
  /** Prints a warning under the current step and repeats it when the command ends. */
  warn(line: string): void;
  state: {
    username?: string;
    opportunityId?: string;
    bypassAssigned?: boolean;
    /** org:deploy: the target org's kind. */
    org?: OrgInfo;
    deployAsActive?: DeployAsActive["state"];
    validatedJobId?: string;
    warnings?: string[];
  };
}

export interface Step {
  title: string;
  run(ctx: StepContext): void;
}

/** Known sf errors and what the admin can do about them. */
const HINTS: readonly { match: RegExp; hint: string }[] = [
  {
    match: /NoDefaultDevHubError|No default dev hub/i,
    hint: "Authorize a Dev Hub first: sf org login web --set-default-dev-hub --alias devhub (or pass --dev-hub <alias>)."
  },
  {
    match: /NamedOrgNotFoundError|NoDefaultEnvError|No default environment/i,
    hint: "Pass --target-org <alias>, or create the scratch org first with npm run org:create."
  },
  {
    match: /LIMIT_EXCEEDED|signup.*limit|scratch org limit/i,
    hint: "The Dev Hub's scratch org limit is reached: delete scratch orgs you no longer need (sf org list, then sf org delete scratch --target-org <alias>)."
  }
];

function hintFor(lines: readonly string[]): string | undefined {
  const text = lines.join("\n");
  return HINTS.find((h) => h.match.test(text))?.hint;
}

function buildSteps(dataPlan?: string): Step[] {
  return [
    {
      title: "Compile the LWC TypeScript to JavaScript",
      run: (ctx) => ctx.npm(["run", "build"])
    },
    {
      title: dataPlan
        ? `Check that the generated metadata matches config/stage-gates.json and that ${dataPlan} is valid`
        : "Check that the generated metadata matches config/stage-gates.json",
      run: (ctx) => {
        ctx.npm(["run", "gates", "--", "generate", "--check"]);
        if (dataPlan) {
          // Offline, before an org is created: the import must not fail half-way.
          const { problems, records } = validateDataPlan(dataPlan, {
            projectDir: PROJECT_DIR
          });
          if (problems.length > 0) {
            throw new StepFailure(
              [`${dataPlan} has problems:`, ...problems.map(formatProblem)],
              "Fix the data files under data/ (npx tsx scripts/org/validate-data-plan.ts checks them)."
            );
          }
          ctx.note(`${dataPlan}: ${records.length} records, valid.`);
        }
      }
    }
  ];
}

function deploySteps(targetArgs: string[], sourceDirs: string[]): Step[] {
  return [
    {
      title: `Deploy ${sourceDirs.join(" and ")} to ${targetArgs.length ? `"${targetArgs[1]}"` : "the default org"}`,
      run: (ctx) => {
        ctx.sf([
          "project",
          "deploy",
          "start",
          ...sourceDirs.flatMap((dir) => ["--source-dir", dir]),
          ...targetArgs,
          "--wait",
          "30"
        ]);
      }
    }
  ];
}

function scratchOrgStep(options: OrgOptions): Step {
  const alias = options.alias;
  return {
    title: `Create the scratch org "${alias}" from ${SCRATCH_DEF} (or reuse it if it is active)`,
    run: (ctx) => {
      const existing = ctx.sf(["org", "display", "--target-org", alias], {
        allowFailure: true
      });
      const info =
        existing.ok && isRecord(existing.json?.result)
          ? existing.json.result
          : undefined;
      if (info) {
        if (!info.devHubId) {
          throw new StepFailure(
            [
              `The alias "${alias}" points to ${String(info.username ?? "an org")}, which is not a scratch org.`
            ],
            "Choose another alias with --alias: the sample data must never be loaded into a sandbox or production."
          );
        }
        if (info.status === "Active") {
          ctx.state.username =
            typeof info.username === "string" ? info.username : undefined;
          ctx.note(
            `Reusing the active scratch org ${String(info.username)} (expires ${String(info.expirationDate ?? "?")}).`
          );
          return;
        }
        ctx.note(
          `The scratch org behind "${alias}" is ${String(info.status ?? "not active")}: creating a new one.`
        );
      }
      const created = ctx.sf([
        "org",
        "create",
        "scratch",
        "--definition-file",
        SCRATCH_DEF,
        "--alias",
        alias,
        "--set-default",
        "--duration-days",
        String(options.durationDays),
        "--wait",
        "15",
        ...(options.devHub ? ["--target-dev-hub", options.devHub] : [])
      ]);
      const result = isRecord(created.json?.result) ? created.json.result : {};
      ctx.state.username =
        typeof result.username === "string" ? result.username : undefined;
      ctx.note(
        `Created ${ctx.state.username ?? "the scratch org"} as "${alias}" (default org), ${options.durationDays} days.`
      );
    }
  };
}

function findOpportunity(
  ctx: StepContext,
  alias: string,
  name: string
): string | undefined {
  const query = `SELECT Id FROM Opportunity WHERE Name = ${soqlString(name)} LIMIT 1`;
  const found = ctx.sf([
    "data",
    "query",
    "--query",
    query,
    "--target-org",
    alias
  ]);
  const result = isRecord(found.json?.result) ? found.json.result : {};
  const records = Array.isArray(result.records) ? result.records : [];
  const first: unknown = records[0];
  return isRecord(first) && typeof first.Id === "string" ? first.Id : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function apexStep(alias: string, file: string, title: string): Step {
  return {
    title,
    run: (ctx) => {
      ctx.sf(["apex", "run", "--file", file, "--target-org", alias]);
    }
  };
}

function removeBypassStep(alias: string): Step {
  return {
    title: `Remove ${BYPASS_PERMSET} from the admin again (it was needed only for the data load)`,
    run: (ctx) => {
      ctx.sf([
        "apex",
        "run",
        "--file",
        REMOVE_BYPASS_APEX,
        "--target-org",
        alias
      ]);
      ctx.state.bypassAssigned = false;
      ctx.note(
        `${BYPASS_PERMSET} removed: the gates apply to you from now on. Grant it again only for data loads.`
      );
    }
  };
}

export function createSteps(options: OrgOptions): Step[] {
  const alias = options.alias;
  const dataPlan = options.dataPlan ?? DATA_PLAN;
  return [
    ...buildSteps(dataPlan),
    scratchOrgStep(options),
    // The example first: the product's generated rules and permission sets reference its fields.
    ...deploySteps(["--target-org", alias], [EXAMPLE_DIR, PRODUCT_DIR]),
    {
      title: `Assign the permission sets ${USER_PERMSET} and ${BYPASS_PERMSET} (bypass only for the data load)`,
      run: (ctx) => {
        const call = ctx.sf(
          [
            "org",
            "assign",
            "permset",
            "--name",
            USER_PERMSET,
            "--name",
            BYPASS_PERMSET,
            "--target-org",
            alias
          ],
          { allowFailure: true }
        );
        ctx.state.bypassAssigned = true;
        if (call.ok) {
          return;
        }
        // Re-runs: an existing assignment is reported as a DUPLICATE_VALUE failure.
        const result = isRecord(call.json?.result) ? call.json.result : {};
        const failures = Array.isArray(result.failures)
          ? result.failures.filter(isRecord)
          : [];
        const allDuplicates =
          failures.length > 0 &&
          failures.every((f) => /duplicate/i.test(String(f.message ?? "")));
        if (!allDuplicates) {
          throw new StepFailure(describeSfFailure(call.json, call.run));
        }
        ctx.note("Already assigned.");
      }
    },
    {
      title: `Import the sample data (${dataPlan}) with the bypass: deals at late stages and deals that miss their gates`,
      run: (ctx) => {
        const existing = findOpportunity(ctx, alias, OPEN_ON_OPPORTUNITY);
        if (existing) {
          ctx.state.opportunityId = existing;
          ctx.note(
            "The sample data is already in the org: not importing it twice."
          );
          return;
        }
        const imported = ctx.sf([
          "data",
          "import",
          "tree",
          "--plan",
          dataPlan,
          "--target-org",
          alias
        ]);
        const records = Array.isArray(imported.json?.result)
          ? imported.json.result.length
          : undefined;
        ctx.note(`Imported ${records ?? "the"} records.`);
      }
    },
    ...POST_IMPORT_APEX.map((a) => apexStep(alias, a.file, a.title)),
    removeBypassStep(alias),
    ...SCHEDULE_APEX.map((a) => apexStep(alias, a.file, a.title)),
    {
      title: `Open the org on the opportunity "${OPEN_ON_OPPORTUNITY}"`,
      run: (ctx) => {
        if (!options.open) {
          ctx.note(
            `Skipped (--no-open). Open it later with: sf org open --target-org ${alias}`
          );
          return;
        }
        const id =
          ctx.state.opportunityId ??
          findOpportunity(ctx, alias, OPEN_ON_OPPORTUNITY);
        if (!id) {
          throw new StepFailure([
            `No opportunity named "${OPEN_ON_OPPORTUNITY}" in the org.`
          ]);
        }
        ctx.sf([
          "org",
          "open",
          "--target-org",
          alias,
          "--path",
          `/lightning/r/Opportunity/${id}/view`
        ]);
      }
    }
  ];
}

export function deployCommandSteps(options: OrgOptions): Step[] {
  const targetArgs = options.targetOrg
    ? ["--target-org", options.targetOrg]
    : [];
  const target = options.targetOrg
    ? `"${options.targetOrg}"`
    : "the default org";
  const sourceDirs = options.withExample
    ? [EXAMPLE_DIR, PRODUCT_DIR]
    : [PRODUCT_DIR];
  const sourceArgs = sourceDirs.flatMap((dir) => ["--source-dir", dir]);
  const isProduction = (ctx: StepContext): boolean =>
    ctx.state.org?.kind === "production";
  return [
    ...buildSteps(),
    {
      title: `Find out whether ${target} is production, a sandbox or a scratch org`,
      run: (ctx) => {
        const call = ctx.sf([
          "data",
          "query",
          "--query",
          ORGANIZATION_QUERY,
          ...targetArgs
        ]);
        const result = isRecord(call.json?.result) ? call.json.result : {};
        const records = Array.isArray(result.records) ? result.records : [];
        const info = classifyOrganization(records[0]);
        if (!info) {
          throw new StepFailure([
            `The Organization query returned no IsSandbox value for ${target}.`
          ]);
        }
        ctx.state.org = info;
        ctx.note(`${target} is ${describeOrg(info)}.`);
        if (info.kind !== "production") {
          return;
        }
        if (options.withExample) {
          throw new StepFailure(
            [
              `--with-example deploys ${EXAMPLE_DIR} (the demo map's fields, record type and record page), which never goes to production.`
            ],
            `Deploy the product alone: npm run org:deploy -- --target-org ${options.targetOrg ?? "<alias>"}`
          );
        }
        ctx.note(
          `In production Salesforce deploys flows INACTIVE unless ${DEPLOY_AS_ACTIVE_LABEL} is on; with it on, the deploy runs the Apex tests and needs them to cover the flow.`
        );
      }
    },
    {
      title: `Production only: read ${DEPLOY_AS_ACTIVE_LABEL} (FlowSettings.${DEPLOY_AS_ACTIVE_SETTING})`,
      run: (ctx) => {
        if (!isProduction(ctx)) {
          ctx.note("Skipped: not a production org; flows deploy active there.");
          return;
        }
        const dir = settingsRetrieveDir();
        try {
          const call = ctx.sf(
            [
              "project",
              "retrieve",
              "start",
              "--metadata",
              FLOW_SETTINGS_METADATA,
              "--output-dir",
              dir,
              ...targetArgs,
              "--wait",
              "10"
            ],
            { allowFailure: true }
          );
          const setting: DeployAsActive = call.ok
            ? readDeployAsActive(dir)
            : {
                state: "unknown",
                reason: describeSfFailure(call.json, call.run).join(" ")
              };
          ctx.state.deployAsActive = setting.state;
          if (setting.state === "unknown") {
            ctx.warn(
              `Could not read ${DEPLOY_AS_ACTIVE_SETTING} (${setting.reason}). Check ${DEPLOY_AS_ACTIVE_LABEL} yourself: when it is off, ${FLOW_NAME} arrives inactive.`
            );
          } else if (setting.state === "on") {
            ctx.note(
              `${DEPLOY_AS_ACTIVE_SETTING} is on: ${FLOW_NAME} deploys active if the Apex tests cover it (the next step runs them).`
            );
          } else {
            ctx.warn(
              `${DEPLOY_AS_ACTIVE_SETTING} is off in ${target}: ${FLOW_NAME} will arrive INACTIVE, and related-record criteria will not be enforced until it is activated. Turn on ${DEPLOY_AS_ACTIVE_LABEL} before deploying, or activate the flow in Setup → Flows after the deploy.`
            );
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    },
    {
      title: `Production only: validate the deploy of ${sourceDirs.join(" and ")} with the Apex tests (RunLocalTests)`,
      run: (ctx) => {
        if (!isProduction(ctx)) {
          ctx.note("Skipped: not a production org.");
          return;
        }
        const call = ctx.sf([
          "project",
          "deploy",
          "validate",
          ...sourceArgs,
          ...targetArgs,
          "--test-level",
          "RunLocalTests",
          "--wait",
          "60"
        ]);
        const result = isRecord(call.json?.result) ? call.json.result : {};
        if (typeof result.id !== "string" || result.id === "") {
          throw new StepFailure([
            "sf project deploy validate succeeded but returned no job id to deploy."
          ]);
        }
        ctx.state.validatedJobId = result.id;
        ctx.note(
          `Validated as job ${result.id}: every local Apex test passed and coverage is sufficient.`
        );
      }
    },
    {
      title: `Deploy ${sourceDirs.join(" and ")} to ${target}`,
      run: (ctx) => {
        if (isProduction(ctx) && ctx.state.validatedJobId) {
          ctx.sf([
            "project",
            "deploy",
            "quick",
            "--job-id",
            ctx.state.validatedJobId,
            ...targetArgs,
            "--wait",
            "30"
          ]);
          return;
        }
        ctx.sf([
          "project",
          "deploy",
          "start",
          ...sourceArgs,
          ...targetArgs,
          "--wait",
          "30"
        ]);
      }
    },
    {
      title: `Check that the flow ${FLOW_NAME} is active in ${target}`,
      run: (ctx) => {
        const call = ctx.sf([
          "data",
          "query",
          "--query",
          FLOW_STATUS_QUERY,
          ...targetArgs
        ]);
        const result = isRecord(call.json?.result) ? call.json.result : {};
        const status = flowStatusOf(result.records);
        if (status === "active") {
          ctx.note(
            `${FLOW_NAME} is active: related-record criteria are enforced.`
          );
        } else if (status === "inactive") {
          ctx.warn(inactiveFlowWarning(target));
        } else {
          ctx.warn(
            `${FLOW_NAME} is not in ${target}: the deploy did not include it.`
          );
        }
      }
    }
  ];
}

export function deleteSteps(options: OrgOptions): Step[] {
  const target = options.targetOrg ?? options.alias;
  return [
    {
      title: `Delete the scratch org "${target}"`,
      run: (ctx) => {
        const call = ctx.sf(
          ["org", "delete", "scratch", "--target-org", target, "--no-prompt"],
          {
            allowFailure: true
          }
        );
        if (call.ok) {
          ctx.note(
            `Deleted ${String((isRecord(call.json?.result) && call.json.result.username) || target)}.`
          );
          return;
        }
        if (
          call.json?.name === "NamedOrgNotFoundError" ||
          /No authorization information found/i.test(call.json?.message ?? "")
        ) {
          ctx.note(
            `No org "${target}" is known to the CLI: nothing to delete.`
          );
          return;
        }
        throw new StepFailure(describeSfFailure(call.json, call.run));
      }
    }
  ];
}

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

export interface RunEnvironment {
  exec: Exec;
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

function makeContext(options: OrgOptions, rt: RunEnvironment): StepContext {
  const sfBin = sfBinary(rt.env);
  const sfEnv: NodeJS.ProcessEnv = { ...rt.env, ...SF_ENV };
  const ctx: StepContext = {
    options,
    state: {},
    note: (line) => rt.out(`      ${line}`),
    warn: (line) => {
      rt.out(`      ⚠ ${line}`);
      (ctx.state.warnings ??= []).push(line);
    },
    sf: (args, opts = {}) => {
      const fullArgs = [...args, "--json"];
      rt.out(`      $ ${formatCommand("sf", fullArgs)}`);
      const run = rt.exec(sfBin, fullArgs, {
        cwd: rt.cwd,
        env: sfEnv,
        captureOutput: true
      });
      if (run.spawnError) {
        throw new StepFailure(
          [`Could not run "${sfBin}": ${run.spawnError.message}`],
          "Install the project's dependencies (npm ci): the Salesforce CLI comes with them and npm run puts it on PATH. Or set SF_BIN to an sf executable."
        );
      }
      const json = parseSfJson(run.stdout);
      const status = typeof json?.status === "number" ? json.status : run.code;
      const ok = run.code === 0 && (status === 0 || status === null);
      if (!ok && !opts.allowFailure) {
        const lines = describeSfFailure(json, run);
        if (lines.length === 0) {
          lines.push(`sf exited with code ${String(run.code)}.`);
        }
        throw new StepFailure(lines, hintFor(lines));
      }
      if (ok) {
        for (const warning of Array.isArray(json?.warnings)
          ? json.warnings
          : []) {
          if (typeof warning === "string" && warning.trim() !== "") {
            ctx.note(`sf warning: ${warning.trim()}`);
          }
        }
      }
      return { ok, json, run };
    },
    npm: (args) => {
      const npmBin = npmBinary(rt.env);
      rt.out(`      $ ${formatCommand("npm", args)}`);
      const run = rt.exec(npmBin, args, {
        cwd: rt.cwd,
        env: sfEnv,
        captureOutput: false
      });
      if (run.spawnError) {
        throw new StepFailure([
          `Could not run "${npmBin}": ${run.spawnError.message}`
        ]);
      }
      if (run.code !== 0) {
        throw new StepFailure([
          `npm ${args.join(" ")} exited with code ${String(run.code)} (its output is above).`
        ]);
      }
    }
  };
  return ctx;
}

function failureReport(
  step: Step,
  index: number,
  total: number,
  failure: unknown
): string[] {
  const lines =
    failure instanceof StepFailure
      ? failure.lines
      : [failure instanceof Error ? failure.message : String(failure)];
  const hint = failure instanceof StepFailure ? failure.hint : undefined;
  return [
    `✖ Step ${index}/${total} failed: ${step.title}`,
    ...lines.map((l) => `  ${l}`),
    ...(hint ? [`  Hint: ${hint}`] : [])
  ];
}

/** Runs the steps in order; stops at the first failure. Returns the exit code. */
export function runSteps(
  command: Command,
  steps: Step[],
  options: OrgOptions,
  rt: RunEnvironment
): number {
  const ctx = makeContext(options, rt);
  const total = steps.length;
  for (const [i, step] of steps.entries()) {
    rt.out(`[${i + 1}/${total}] ${step.title}`);
    try {
      step.run(ctx);
    } catch (failure) {
      for (const line of failureReport(step, i + 1, total, failure)) {
        rt.err(line);
      }
      if (ctx.state.bypassAssigned) {
        cleanUpBypass(ctx, options, rt);
      }
      return 1;
    }
  }
  rt.out(`✔ org:${command} finished (${total} steps).`);
  // Warnings scroll away under long sf output: repeat them where the admin looks last.
  for (const warning of ctx.state.warnings ?? []) {
    rt.out(`⚠ ${warning}`);
  }
  return 0;
}

/** After a failure between assigning and removing the bypass, the admin must not keep it. */
function cleanUpBypass(
  ctx: StepContext,
  options: OrgOptions,
  rt: RunEnvironment
): void {
  rt.err(`Cleaning up: removing ${BYPASS_PERMSET} from the admin.`);
  try {
    ctx.sf([
      "apex",
      "run",
      "--file",
      REMOVE_BYPASS_APEX,
      "--target-org",
      options.alias
    ]);
  } catch (failure) {
    const lines =
      failure instanceof StepFailure ? failure.lines : [String(failure)];
    rt.err(`  Could not remove ${BYPASS_PERMSET}: ${lines.join(" ")}`);
    rt.err(
      `  Remove it yourself: sf apex run --file ${REMOVE_BYPASS_APEX} --target-org ${options.alias}`
    );
  }
}

export function stepsFor(command: Command, options: OrgOptions): Step[] {
  switch (command) {
    case "create":
      return createSteps(options);
    case "deploy":
      return deployCommandSteps(options);
    case "delete":
      return deleteSteps(options);
  }
}

export function main(argv: string[], rt: RunEnvironment): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    rt.out(USAGE);
    return 0;
  }
  let parsed;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    rt.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  return runSteps(
    parsed.command,
    stepsFor(parsed.command, parsed.options),
    parsed.options,
    rt
  );
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    exec: spawnExec,
    env: process.env,
    cwd: PROJECT_DIR,
    out: (line) => console.log(line),
    err: (line) => console.error(line)
  });
}
