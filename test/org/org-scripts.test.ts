/**
 * The org scripts, dry-run against a fake `sf` (and a fake `npm`) first on PATH that
 * record their arguments: exact call sequences, idempotent re-runs, failures that
 * name the step and sf's reason.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DEFAULT_ALIAS,
  DEFAULT_DURATION_DAYS,
  createSteps,
  main,
  runSteps,
  OPEN_ON_OPPORTUNITY,
  type RunEnvironment
} from "../../scripts/org/org";
import {
  FLOW_STATUS_QUERY,
  ORGANIZATION_QUERY,
  classifyOrganization,
  readDeployAsActive
} from "../../scripts/org/production";
import { spawnExec } from "../../scripts/org/sf";

// Child processes (tsx, the fake sf): slow on a loaded machine.
jest.setTimeout(60_000);

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const FAKE_DIR = path.join(PROJECT_DIR, "test", "fixtures", "fake-sf");

interface LoggedCall {
  tool: "sf" | "npm";
  argv: string[];
  env?: Record<string, string>;
}

interface Run {
  code: number;
  out: string;
  err: string;
  calls: LoggedCall[];
}

let tmp: string;
let logFile: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "org-scripts-"));
  logFile = path.join(tmp, "calls.jsonl");
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function readCalls(): LoggedCall[] {
  if (!fs.existsSync(logFile)) {
    return [];
  }
  return fs
    .readFileSync(logFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedCall);
}

function fakeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SF_BIN;
  delete env.NPM_BIN;
  delete env.FAKE_SF_FAIL;
  delete env.FAKE_NPM_FAIL;
  return {
    ...env,
    PATH: `${FAKE_DIR}${path.delimiter}${process.env.PATH ?? ""}`,
    FAKE_SF_LOG: logFile,
    ...extra
  };
}

/** Runs org.ts's main in-process; every sf/npm call is a real child process (the fakes). */
function runOrg(args: string[], extra: Record<string, string> = {}): Run {
  const out: string[] = [];
  const err: string[] = [];
  fs.rmSync(logFile, { force: true });
  const rt: RunEnvironment = {
    exec: spawnExec,
    env: fakeEnv(extra),
    cwd: PROJECT_DIR,
    out: (l) => out.push(l),
    err: (l) => err.push(l)
  };
  const code = main(args, rt);
  return { code, out: out.join("\n"), err: err.join("\n"), calls: readCalls() };
}

const commands = (calls: LoggedCall[]): string[] =>
  calls.map((c) => `${c.tool} ${c.argv.join(" ")}`);

const OPEN_QUERY = `SELECT Id FROM Opportunity WHERE Name = '${OPEN_ON_OPPORTUNITY}' LIMIT 1`;

const CREATE_SEQUENCE = [
  "npm run build",
  "npm run gates -- generate --check",
  "sf org display --target-org stage-gates --json",
  "sf org create scratch --definition-file config/project-scratch-def.json --alias stage-gates --set-default --duration-days 7 --wait 15 --json",
  "sf project deploy start --source-dir example-app --source-dir force-app --target-org stage-gates --wait 30 --json",
  "sf org assign permset --name Stage_Gates_User --name Stage_Gates_Bypass --target-org stage-gates --json",
  `sf data query --query ${OPEN_QUERY} --target-org stage-gates --json`,
  "sf data import tree --plan data/sample-data-plan.json --target-org stage-gates --json",
  "sf apex run --file scripts/apex/set-enterprise-record-type.apex --target-org stage-gates --json",
  "sf apex run --file scripts/apex/attach-sample-files.apex --target-org stage-gates --json",
  "sf apex run --file scripts/apex/add-sample-products.apex --target-org stage-gates --json",
  "sf apex run --file scripts/apex/remove-bypass-permission.apex --target-org stage-gates --json",
  "sf apex run --file scripts/admin/schedule-waiver-expiry.apex --target-org stage-gates --json",
  "sf apex run --file scripts/apex/alerts/schedule-stalled-deal-alerts.apex --target-org stage-gates --json"
];

describe("npm run org:create", () => {
  test("runs build, create, deploy, permission sets, import, post-import Apex and bypass removal in order", () => {
    const run = runOrg(["create", "--no-open"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(commands(run.calls)).toEqual(CREATE_SEQUENCE);
    for (let i = 1; i <= 13; i++) {
      expect(run.out).toContain(`[${i}/13] `);
    }
    expect(run.out).toContain(
      "$ sf org create scratch --definition-file config/project-scratch-def.json"
    );
    expect(run.out).toMatch(/Stage_Gates_Bypass removed/);
    expect(run.out).toContain("Skipped (--no-open)");
    // sf's own warnings are passed on
    expect(run.out).toContain(
      "sf warning: The plan contains the 'saveRefs' and/or 'resolveRefs' properties."
    );
    expect(
      run.calls.some((c) => c.argv[0] === "org" && c.argv[1] === "open")
    ).toBe(false);
  });

  test("every sf call gets the telemetry/update environment and never SF_AUTOUPDATE_DISABLE", () => {
    const run = runOrg(["create", "--no-open"]);
    const sfCalls = run.calls.filter((c) => c.tool === "sf");
    expect(sfCalls.length).toBeGreaterThan(5);
    for (const call of sfCalls) {
      expect(call.env).toEqual({
        SF_DISABLE_TELEMETRY: "true",
        SF_SKIP_NEW_VERSION_CHECK: "true",
        SF_DISABLE_AUTOUPDATE: "true"
      });
    }
  });

  test("opens the org on the showcase opportunity unless --no-open", () => {
    const run = runOrg(["create", "--alias", "demo", "--duration-days", "3"]);
    expect(run.code).toBe(0);
    const cmds = commands(run.calls);
    expect(cmds).toContain(
      "sf org create scratch --definition-file config/project-scratch-def.json --alias demo --set-default --duration-days 3 --wait 15 --json"
    );
    expect(cmds.slice(-2)).toEqual([
      `sf data query --query ${OPEN_QUERY} --target-org demo --json`,
      "sf org open --target-org demo --path /lightning/r/Opportunity/006000000000001AAA/view --json"
    ]);
  });

  test("passes --dev-hub on as --target-dev-hub", () => {
    const run = runOrg(["create", "--no-open", "--dev-hub", "my-hub"]);
    expect(run.code).toBe(0);
    expect(commands(run.calls)[3]).toBe(
      "sf org create scratch --definition-file config/project-scratch-def.json --alias stage-gates --set-default --duration-days 7 --wait 15 --target-dev-hub my-hub --json"
    );
  });

  test("a second run reuses the org and the data: no new org, no second import", () => {
    expect(runOrg(["create", "--no-open"]).code).toBe(0);
    const again = runOrg(["create", "--no-open"]);
    expect(again.err).toBe("");
    expect(again.code).toBe(0);
    expect(commands(again.calls)).toEqual([
      "npm run build",
      "npm run gates -- generate --check",
      "sf org display --target-org stage-gates --json",
      "sf project deploy start --source-dir example-app --source-dir force-app --target-org stage-gates --wait 30 --json",
      "sf org assign permset --name Stage_Gates_User --name Stage_Gates_Bypass --target-org stage-gates --json",
      `sf data query --query ${OPEN_QUERY} --target-org stage-gates --json`,
      "sf apex run --file scripts/apex/set-enterprise-record-type.apex --target-org stage-gates --json",
      "sf apex run --file scripts/apex/attach-sample-files.apex --target-org stage-gates --json",
      "sf apex run --file scripts/apex/add-sample-products.apex --target-org stage-gates --json",
      "sf apex run --file scripts/apex/remove-bypass-permission.apex --target-org stage-gates --json",
      // The scripts keep an existing schedule of the same name (test/org/admin-apex.test.ts).
      "sf apex run --file scripts/admin/schedule-waiver-expiry.apex --target-org stage-gates --json",
      "sf apex run --file scripts/apex/alerts/schedule-stalled-deal-alerts.apex --target-org stage-gates --json"
    ]);
    expect(again.out).toContain(
      "Reusing the active scratch org test-1@example.com"
    );
    expect(again.out).toContain("Already assigned.");
    expect(again.out).toContain("already in the org: not importing it twice");
  });

  test("refuses an alias that points to an org that is not a scratch org", () => {
    const state = path.join(tmp, "state.json");
    fs.writeFileSync(
      state,
      JSON.stringify({
        orgs: {
          prod: {
            username: "admin@acme.com",
            orgId: "00D1",
            scratch: false,
            permsets: []
          }
        }
      })
    );
    const run = runOrg(["create", "--alias", "prod", "--no-open"], {
      FAKE_SF_STATE: state
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("Step 3/13 failed");
    expect(run.err).toContain(
      'The alias "prod" points to admin@acme.com, which is not a scratch org.'
    );
    expect(commands(run.calls).filter((c) => c.startsWith("sf "))).toEqual([
      "sf org display --target-org prod --json"
    ]);
  });

  test("a failed deploy names the step, shows sf's component failures and stops", () => {
    const run = runOrg(["create", "--no-open"], { FAKE_SF_FAIL: "deploy" });
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      '✖ Step 4/13 failed: Deploy example-app and force-app to "stage-gates"'
    );
    expect(run.err).toContain(
      "Field Budget_Confirmed__c does not exist. Check spelling."
    );
    expect(run.err).toContain(
      "ValidationRule Opportunity.SG_Qualification_Amount"
    );
    expect(commands(run.calls)).toEqual(CREATE_SEQUENCE.slice(0, 5));
  });

  test("no Dev Hub: the failure shows sf's error name and message and a hint", () => {
    const run = runOrg(["create", "--no-open"], {
      FAKE_SF_FAIL: "org create scratch"
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("Step 3/13 failed");
    expect(run.err).toContain(
      "NoDefaultDevHubError: No default dev hub found. Use -v or --target-dev-hub to specify an environment."
    );
    expect(run.err).toMatch(
      /Hint: Authorize a Dev Hub first: sf org login web --set-default-dev-hub/
    );
  });

  test("a failure after the bypass was assigned still removes the bypass", () => {
    const run = runOrg(["create", "--no-open"], {
      FAKE_SF_FAIL: "attach-sample-files"
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("✖ Step 8/13 failed: Attach sample files");
    expect(run.err).toContain(
      "FakeFailureError: Simulated failure of: sf apex run"
    );
    expect(run.err).toContain("Cleaning up: removing Stage_Gates_Bypass");
    expect(commands(run.calls)).toEqual([
      ...CREATE_SEQUENCE.slice(0, 9),
      "sf apex run --file scripts/apex/attach-sample-files.apex --target-org stage-gates --json",
      "sf apex run --file scripts/apex/remove-bypass-permission.apex --target-org stage-gates --json"
    ]);
  });

  test("schedules the daily jobs after the bypass is removed; a failed schedule names its step", () => {
    const ok = commands(runOrg(["create", "--no-open"]).calls);
    const removed = ok.indexOf(
      "sf apex run --file scripts/apex/remove-bypass-permission.apex --target-org stage-gates --json"
    );
    expect(removed).toBeGreaterThan(0);
    expect(ok.slice(removed + 1)).toEqual([
      "sf apex run --file scripts/admin/schedule-waiver-expiry.apex --target-org stage-gates --json",
      "sf apex run --file scripts/apex/alerts/schedule-stalled-deal-alerts.apex --target-org stage-gates --json"
    ]);
    const run = runOrg(["create", "--no-open"], {
      FAKE_SF_FAIL: "schedule-waiver-expiry"
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      "✖ Step 11/13 failed: Schedule the daily waiver expiry"
    );
    // The bypass was already removed: nothing to clean up, and nothing runs after the failure.
    expect(run.err).not.toContain("Cleaning up");
    expect(commands(run.calls).slice(-2)).toEqual([
      "sf apex run --file scripts/apex/remove-bypass-permission.apex --target-org stage-gates --json",
      "sf apex run --file scripts/admin/schedule-waiver-expiry.apex --target-org stage-gates --json"
    ]);
  });

  test("a failed build stops before any sf call", () => {
    const run = runOrg(["create"], { FAKE_NPM_FAIL: "build" });
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      "✖ Step 1/13 failed: Compile the LWC TypeScript to JavaScript"
    );
    expect(run.err).toContain("npm run build exited with code 1");
    expect(commands(run.calls)).toEqual(["npm run build"]);
  });

  test("an invalid data plan stops before any org is created, with the file, JSON path and line", () => {
    const plan = path.join(tmp, "plan.json");
    fs.writeFileSync(
      path.join(tmp, "Account.json"),
      JSON.stringify(
        {
          records: [
            {
              attributes: { type: "Account", referenceId: "AcmeRef1" },
              Nmae: "Acme"
            }
          ]
        },
        null,
        2
      )
    );
    fs.writeFileSync(
      plan,
      JSON.stringify([{ sobject: "Account", files: ["Account.json"] }])
    );
    const out: string[] = [];
    const err: string[] = [];
    const options = {
      alias: DEFAULT_ALIAS,
      durationDays: DEFAULT_DURATION_DAYS,
      open: false,
      dataPlan: plan
    };
    const code = runSteps("create", createSteps(options), options, {
      exec: spawnExec,
      env: fakeEnv(),
      cwd: PROJECT_DIR,
      out: (l) => out.push(l),
      err: (l) => err.push(l)
    });
    expect(code).toBe(1);
    const text = err.join("\n");
    expect(text).toContain("✖ Step 2/13 failed");
    expect(text).toMatch(
      /Account\.json:8: \$\.records\[0\]\.Nmae: Account has no field "Nmae"/
    );
    expect(text).toMatch(/Account requires Name/);
    expect(commands(readCalls())).toEqual([
      "npm run build",
      "npm run gates -- generate --check"
    ]);
  });

  test("stale generated metadata stops before any sf call", () => {
    const run = runOrg(["create"], { FAKE_NPM_FAIL: "--check" });
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      "✖ Step 2/13 failed: Check that the generated metadata matches config/stage-gates.json"
    );
    expect(commands(run.calls)).toEqual([
      "npm run build",
      "npm run gates -- generate --check"
    ]);
  });

  test("an sf that cannot be started is reported with the binary's name", () => {
    const run = runOrg(["create", "--no-open"], {
      SF_BIN: path.join(tmp, "no-such-sf")
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("Step 3/13 failed");
    expect(run.err).toContain(
      `Could not run "${path.join(tmp, "no-such-sf")}"`
    );
  });
});

describe("the installed Salesforce CLI knows every command and flag the scripts use", () => {
  interface ManifestFlag {
    type: "boolean" | "option";
    multiple?: boolean;
  }
  const commandsById = new Map<string, Record<string, ManifestFlag>>();
  const salesforceDir = path.join(PROJECT_DIR, "node_modules", "@salesforce");
  for (const pkg of fs.readdirSync(salesforceDir)) {
    const manifest = path.join(salesforceDir, pkg, "oclif.manifest.json");
    if (!fs.existsSync(manifest)) continue;
    const { commands } = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
      commands: Record<string, { flags: Record<string, ManifestFlag> }>;
    };
    for (const [id, command] of Object.entries(commands)) {
      commandsById.set(id, command.flags);
    }
  }

  test("create (with open), deploy (scratch and production) and delete", () => {
    expect(commandsById.size).toBeGreaterThan(50);
    const state = path.join(tmp, "state.json");
    const created = runOrg(["create", "--dev-hub", "hub"], {
      FAKE_SF_STATE: state
    }).calls;
    const withProduction = JSON.parse(fs.readFileSync(state, "utf8")) as {
      orgs: Record<string, unknown>;
    };
    withProduction.orgs.prod = {
      username: "admin@acme.com",
      orgId: "00D1",
      permsets: [],
      kind: "production",
      flowDeployAsActive: true
    };
    fs.writeFileSync(state, JSON.stringify(withProduction));
    const production = runOrg(["deploy", "--target-org", "prod"], {
      FAKE_SF_STATE: state
    }).calls;
    expect(
      production
        .filter((c) => c.tool === "sf")
        .map((c) => c.argv.slice(0, 3).join(" "))
    ).toEqual([
      "data query --query",
      "project retrieve start",
      "project deploy validate",
      "project deploy quick",
      "data query --query"
    ]);
    const calls = [
      ...created,
      ...production,
      ...runOrg(["deploy", "--target-org", "stage-gates"], {
        FAKE_SF_STATE: state
      }).calls,
      ...runOrg(["delete"], { FAKE_SF_STATE: state }).calls
    ].filter((c) => c.tool === "sf");
    expect(calls.length).toBeGreaterThan(12);
    for (const call of calls) {
      const words: string[] = [];
      let i = 0;
      while (i < call.argv.length && !call.argv[i].startsWith("-"))
        words.push(call.argv[i++]);
      const id = words.join(":");
      const flags = commandsById.get(id);
      expect({ id, known: flags !== undefined }).toEqual({ id, known: true });
      const seen = new Set<string>();
      while (i < call.argv.length) {
        const name = call.argv[i].replace(/^--/, "");
        const flag = flags?.[name];
        expect({ id, flag: name, known: flag !== undefined }).toEqual({
          id,
          flag: name,
          known: true
        });
        expect({
          id,
          flag: name,
          repeated: seen.has(name) && !flag?.multiple
        }).toEqual({
          id,
          flag: name,
          repeated: false
        });
        seen.add(name);
        i += flag?.type === "option" ? 2 : 1;
      }
    }
  });
});

describe("npm run org:deploy", () => {
  const ORG_QUERY = `sf data query --query ${ORGANIZATION_QUERY}`;
  const FLOW_QUERY = `sf data query --query ${FLOW_STATUS_QUERY}`;

  function stateWith(
    orgs: Record<string, object>,
    defaultOrg?: string
  ): string {
    const state = path.join(tmp, "state.json");
    const withDefaults = Object.fromEntries(
      Object.entries(orgs).map(([alias, o]) => [
        alias,
        {
          username: `admin@${alias}.example.com`,
          orgId: "00D",
          permsets: [],
          ...o
        }
      ])
    );
    fs.writeFileSync(
      state,
      JSON.stringify({ defaultOrg: defaultOrg ?? null, orgs: withDefaults })
    );
    return state;
  }

  test("builds, checks generated metadata, reads the org's kind, deploys to the default org and checks the flow; the same again on a re-run", () => {
    const expected = [
      "npm run build",
      "npm run gates -- generate --check",
      `${ORG_QUERY} --json`,
      "sf project deploy start --source-dir force-app --wait 30 --json",
      `${FLOW_QUERY} --json`
    ];
    const state = stateWith({ "stage-gates": {} }, "stage-gates");
    const first = runOrg(["deploy"], { FAKE_SF_STATE: state });
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(commands(first.calls)).toEqual(expected);
    const second = runOrg(["deploy"], { FAKE_SF_STATE: state });
    expect(second.code).toBe(0);
    expect(commands(second.calls)).toEqual(expected);
    expect(first.out).toContain("[6/7] Deploy force-app to the default org");
    expect(first.out).toContain("the default org is a scratch org");
    expect(first.out).toContain(
      "Skipped: not a production org; flows deploy active there."
    );
    expect(first.out).toContain(
      "Stage_Gate_Related_Criteria is active: related-record criteria are enforced."
    );
    expect(first.out).not.toContain("⚠");
  });

  test("--target-org deploys there; a sandbox gets no production steps", () => {
    const state = stateWith({ uat: { kind: "sandbox" } });
    const run = runOrg(["deploy", "--target-org", "uat"], {
      FAKE_SF_STATE: state
    });
    expect(run.code).toBe(0);
    expect(commands(run.calls).slice(2)).toEqual([
      `${ORG_QUERY} --target-org uat --json`,
      "sf project deploy start --source-dir force-app --target-org uat --wait 30 --json",
      `${FLOW_QUERY} --target-org uat --json`
    ]);
    expect(run.out).toContain('"uat" is a sandbox (Acme, Enterprise Edition).');
  });

  test("--with-example deploys the example's package directory with the product", () => {
    const state = stateWith({ uat: {} });
    const run = runOrg(["deploy", "--target-org", "uat", "--with-example"], {
      FAKE_SF_STATE: state
    });
    expect(run.code).toBe(0);
    expect(commands(run.calls)[3]).toBe(
      "sf project deploy start --source-dir example-app --source-dir force-app --target-org uat --wait 30 --json"
    );
  });

  test("production with deploy-as-active on: says so, validates with RunLocalTests, quick-deploys the validated job, finds the flow active", () => {
    const state = stateWith({
      prod: { kind: "production", flowDeployAsActive: true }
    });
    const run = runOrg(["deploy", "--target-org", "prod"], {
      FAKE_SF_STATE: state
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const cmds = commands(run.calls).slice(2);
    expect(cmds[0]).toBe(`${ORG_QUERY} --target-org prod --json`);
    expect(cmds[1]).toMatch(
      /^sf project retrieve start --metadata Settings:Flow --output-dir \S+stage-gates-flow-settings-\S+ --target-org prod --wait 10 --json$/
    );
    expect(cmds.slice(2)).toEqual([
      "sf project deploy validate --source-dir force-app --target-org prod --test-level RunLocalTests --wait 60 --json",
      "sf project deploy quick --job-id 0Af000000000001AAA --target-org prod --wait 30 --json",
      `${FLOW_QUERY} --target-org prod --json`
    ]);
    expect(run.out).toContain(
      '"prod" is a production org (Acme, Enterprise Edition).'
    );
    expect(run.out).toContain(
      'In production Salesforce deploys flows INACTIVE unless Setup → Process Automation Settings → "Deploy processes and flows as active" is on'
    );
    expect(run.out).toContain("enableFlowDeployAsActiveEnabled is on");
    expect(run.out).toContain("Validated as job 0Af000000000001AAA");
    expect(run.out).toContain("Stage_Gate_Related_Criteria is active");
    expect(run.out).not.toContain("⚠");
    // The settings were retrieved into a temporary folder, never into a package directory, and removed.
    const outDir =
      run.calls[3].argv[run.calls[3].argv.indexOf("--output-dir") + 1];
    expect(path.isAbsolute(outDir)).toBe(true);
    expect(outDir.startsWith(PROJECT_DIR)).toBe(false);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  test.each([
    [
      false,
      'enableFlowDeployAsActiveEnabled is off in "prod": Stage_Gate_Related_Criteria will arrive INACTIVE'
    ],
    [
      undefined,
      'enableFlowDeployAsActiveEnabled is off in "prod": Stage_Gate_Related_Criteria will arrive INACTIVE'
    ]
  ])(
    "production with deploy-as-active %p: warns before the deploy, deploys, finds the flow inactive and repeats both warnings at the end",
    (setting, warning) => {
      const state = stateWith({
        prod: { kind: "production", flowDeployAsActive: setting }
      });
      const run = runOrg(["deploy", "--target-org", "prod"], {
        FAKE_SF_STATE: state
      });
      expect(run.code).toBe(0);
      expect(commands(run.calls)).toContain(
        "sf project deploy quick --job-id 0Af000000000001AAA --target-org prod --wait 30 --json"
      );
      const lines = run.out.split("\n");
      const finished = lines.findIndex((l) =>
        l.startsWith("✔ org:deploy finished")
      );
      const validate = lines.findIndex((l) =>
        l.includes("sf project deploy validate")
      );
      const firstWarning = lines.findIndex((l) => l.includes(warning));
      expect(firstWarning).toBeGreaterThan(0);
      expect(firstWarning).toBeLessThan(validate);
      const after = lines.slice(finished + 1);
      expect(after).toEqual([
        expect.stringContaining(warning),
        expect.stringContaining(
          'The flow Stage_Gate_Related_Criteria is INACTIVE in "prod": related-record criteria (contact roles, tasks, events, files, products) are NOT enforced'
        )
      ]);
      expect(after.every((l) => l.startsWith("⚠ "))).toBe(true);
    }
  );

  test("production: a settings retrieve that fails is a warning, not a stop", () => {
    const state = stateWith({
      prod: { kind: "production", flowDeployAsActive: true }
    });
    const run = runOrg(["deploy", "--target-org", "prod"], {
      FAKE_SF_STATE: state,
      FAKE_SF_FAIL: "retrieve"
    });
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      "⚠ Could not read enableFlowDeployAsActiveEnabled (FakeFailureError: Simulated failure of: sf project retrieve start)."
    );
    expect(commands(run.calls)).toContain(
      "sf project deploy quick --job-id 0Af000000000001AAA --target-org prod --wait 30 --json"
    );
  });

  test("production: failing Apex tests stop before anything is deployed, naming the test", () => {
    const state = stateWith({
      prod: { kind: "production", flowDeployAsActive: true }
    });
    const run = runOrg(["deploy", "--target-org", "prod"], {
      FAKE_SF_STATE: state,
      FAKE_SF_TESTS_FAIL: "1"
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      "✖ Step 5/7 failed: Production only: validate the deploy of force-app with the Apex tests (RunLocalTests)"
    );
    expect(run.err).toContain(
      "Test StageGateGeneratedEnforcementTest.enforces_amount_positive: System.AssertException"
    );
    expect(
      commands(run.calls).some((c) => /deploy (start|quick)/.test(c))
    ).toBe(false);
  });

  test("production: --with-example is refused before anything is deployed", () => {
    const state = stateWith({ prod: { kind: "production" } });
    const run = runOrg(["deploy", "--target-org", "prod", "--with-example"], {
      FAKE_SF_STATE: state
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain("--with-example deploys example-app");
    expect(run.err).toContain(
      "Hint: Deploy the product alone: npm run org:deploy -- --target-org prod"
    );
    expect(commands(run.calls).filter((c) => c.startsWith("sf "))).toEqual([
      `${ORG_QUERY} --target-org prod --json`
    ]);
  });

  test.each([
    ["developer", "a Developer Edition org"],
    ["trial", "a trial org"]
  ])("a %s org is not production: deployed directly", (kind, description) => {
    const state = stateWith({ dev: { kind } });
    const run = runOrg(["deploy", "--target-org", "dev"], {
      FAKE_SF_STATE: state
    });
    expect(run.code).toBe(0);
    expect(run.out).toContain(`"dev" is ${description}`);
    expect(commands(run.calls)).toContain(
      "sf project deploy start --source-dir force-app --target-org dev --wait 30 --json"
    );
  });

  test("without a default org the failure says so", () => {
    const run = runOrg(["deploy"]);
    expect(run.code).toBe(1);
    expect(run.err).toContain("✖ Step 3/7 failed");
    expect(run.err).toContain(
      "NoDefaultEnvError: No default environment found."
    );
    expect(run.err).toContain("Hint: Pass --target-org <alias>");
  });
});

describe("classifyOrganization (the fields sfdx-core reads too)", () => {
  test.each([
    [
      {
        IsSandbox: false,
        OrganizationType: "Enterprise Edition",
        TrialExpirationDate: null
      },
      "production"
    ],
    [{ IsSandbox: false, OrganizationType: "Unlimited Edition" }, "production"],
    [
      {
        IsSandbox: true,
        OrganizationType: "Enterprise Edition",
        TrialExpirationDate: null
      },
      "sandbox"
    ],
    [
      {
        IsSandbox: true,
        OrganizationType: "Developer Edition",
        TrialExpirationDate: "2026-12-09T00:00:00.000+0000"
      },
      "scratch"
    ],
    [
      {
        IsSandbox: false,
        OrganizationType: "Developer Edition",
        TrialExpirationDate: null
      },
      "developer"
    ],
    [
      {
        IsSandbox: false,
        OrganizationType: "Enterprise Edition",
        TrialExpirationDate: "2026-12-31T00:00:00.000+0000"
      },
      "trial"
    ]
  ])("%j is %s", (record, kind) => {
    expect(classifyOrganization(record)?.kind).toBe(kind);
  });

  test("a record without IsSandbox is not classified", () => {
    expect(
      classifyOrganization({ OrganizationType: "Enterprise Edition" })
    ).toBeUndefined();
    expect(classifyOrganization(undefined)).toBeUndefined();
  });
});

describe("readDeployAsActive", () => {
  const write = (text: string): string => {
    const dir = path.join(tmp, "retrieved", "main", "default", "settings");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Flow.settings-meta.xml"), text);
    return path.join(tmp, "retrieved");
  };
  const settings = (body: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<FlowSettings xmlns="http://soap.sforce.com/2006/04/metadata">${body}</FlowSettings>`;

  test("on, off, absent (the production default: off), empty, missing file", () => {
    expect(
      readDeployAsActive(
        write(
          settings(
            "<enableFlowDeployAsActiveEnabled>true</enableFlowDeployAsActiveEnabled>"
          )
        )
      ).state
    ).toBe("on");
    expect(
      readDeployAsActive(
        write(
          settings(
            "<enableFlowDeployAsActiveEnabled>false</enableFlowDeployAsActiveEnabled>"
          )
        )
      ).state
    ).toBe("off");
    expect(
      readDeployAsActive(
        write(settings("<enableFlowPauseEnabled>true</enableFlowPauseEnabled>"))
      ).state
    ).toBe("off");
    expect(readDeployAsActive(write(settings(""))).state).toBe("off");
    expect(readDeployAsActive(path.join(tmp, "nothing"))).toEqual({
      state: "unknown",
      reason: "the retrieve returned no Flow.settings file"
    });
  });
});

describe("npm run org:delete", () => {
  test("deletes the scratch org without a prompt; a second run has nothing to delete", () => {
    expect(runOrg(["create", "--no-open"]).code).toBe(0);
    const first = runOrg(["delete"]);
    expect(first.code).toBe(0);
    expect(commands(first.calls)).toEqual([
      "sf org delete scratch --target-org stage-gates --no-prompt --json"
    ]);
    expect(first.out).toContain("Deleted test-1@example.com.");
    const second = runOrg(["delete"]);
    expect(second.code).toBe(0);
    expect(commands(second.calls)).toEqual([
      "sf org delete scratch --target-org stage-gates --no-prompt --json"
    ]);
    expect(second.out).toContain(
      'No org "stage-gates" is known to the CLI: nothing to delete.'
    );
  });

  test("--target-org wins over --alias; other failures are reported", () => {
    const run = runOrg(["delete", "--alias", "a", "--target-org", "b"], {
      FAKE_SF_FAIL: "delete"
    });
    expect(run.code).toBe(1);
    expect(commands(run.calls)).toEqual([
      "sf org delete scratch --target-org b --no-prompt --json"
    ]);
    expect(run.err).toContain('✖ Step 1/1 failed: Delete the scratch org "b"');
    expect(run.err).toContain(
      "FakeFailureError: Simulated failure of: sf org delete scratch"
    );
  });
});

describe("arguments", () => {
  test("--help prints the usage and exits 0", () => {
    const run = runOrg(["--help"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("npm run org:create [-- --alias A]");
    expect(run.calls).toEqual([]);
  });

  test("org:create takes --target-org as the alias of the org it creates", () => {
    const run = runOrg(["create", "--target-org", "demo", "--no-open"]);
    expect(run.code).toBe(0);
    expect(commands(run.calls)).toContain(
      "sf org create scratch --definition-file config/project-scratch-def.json --alias demo --set-default --duration-days 7 --wait 15 --json"
    );
  });

  test.each([
    [
      ["create", "--duration-days", "0"],
      "--duration-days must be a whole number from 1 to 30"
    ],
    [
      ["create", "--duration-days", "31"],
      "--duration-days must be a whole number from 1 to 30"
    ],
    [["create", "--bogus"], "Unknown option '--bogus'"],
    [["launch"], 'Unknown or missing command "launch"'],
    [[], 'Unknown or missing command ""']
  ])("%j is a usage error", (args, message) => {
    const run = runOrg(args);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.calls).toEqual([]);
  });
});

describe("through npm run, with SF_BIN and NPM_BIN (npm run puts node_modules/.bin first on PATH)", () => {
  test("npm run org:delete uses the sf named by SF_BIN", () => {
    const result = spawnSync(
      "npm",
      ["run", "--silent", "org:delete", "--", "--alias", "nowhere"],
      {
        cwd: PROJECT_DIR,
        // The real npm (PATH without the fakes); npm run then puts node_modules/.bin (with the real sf) first.
        env: {
          ...fakeEnv({
            SF_BIN: path.join(FAKE_DIR, "sf"),
            NPM_BIN: path.join(FAKE_DIR, "npm")
          }),
          PATH: process.env.PATH
        },
        encoding: "utf8"
      }
    );
    expect(result.stderr).not.toContain("failed");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('[1/1] Delete the scratch org "nowhere"');
    expect(commands(readCalls())).toEqual([
      "sf org delete scratch --target-org nowhere --no-prompt --json"
    ]);
  });
});
