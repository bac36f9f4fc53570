import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  localToday,
  runAudit,
  type AuditIo
} from "../../scripts/gates/commands/audit";
import { buildAuditQuery } from "../../scripts/audit/org";
import { PROJECT_DIR } from "../../scripts/gates/load";
import {
  auditFile,
  CSV_FILE,
  FAKE_SF_DIR,
  FIXTURE_MAP,
  FIXTURES,
  fixtureMap,
  SF_QUERY_FILE,
  TODAY
} from "./helpers";

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  tty = false
): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: AuditIo = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        return true;
      }
    },
    stderr: {
      isTTY: tty,
      write: (chunk: string) => {
        stderr += chunk;
        return true;
      }
    },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
  };
  const code = await runAudit(args, io);
  return { code, stdout, stderr };
}

const base = ["--config", FIXTURE_MAP, "--today", TODAY];
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-cmd-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const EXPECTED_SOQL =
  "SELECT Id, Name, StageName, IsClosed, LastStageChangeDate, CreatedDate, " +
  "Amount, CloseDate, Description, NextStep, Probability, Type, Stage_Gate_Waived__c, RecordType.DeveloperName, " +
  "(SELECT Id, IsPrimary, Role FROM OpportunityContactRoles), " +
  "(SELECT Id, Status, Type FROM Tasks), " +
  "(SELECT Id, Type FROM Events), " +
  "(SELECT Id FROM ContentDocumentLinks), " +
  "(SELECT Id FROM OpportunityLineItems), " +
  "(SELECT Id, Criterion__c, Status__c, Reason__c, Expires_On__c, Approver__r.Name, Decided_By__r.Name, Decided_At__c, CreatedBy.Name FROM Stage_Gate_Waivers__r) " +
  "FROM Opportunity WHERE IsClosed = false";

describe("audit --records", () => {
  it.each([
    ["json", (s: string) => JSON.parse(s).totals.audited === 12],
    ["table", (s: string) => s.startsWith("Stage gate audit of ")],
    ["csv", (s: string) => s.startsWith("Id,Name,Process,")],
    ["md", (s: string) => s.startsWith("# Stage gate audit — 2026-11-16")]
  ])(
    "writes the %s report on stdout and exits 0 although deals fail",
    async (format, check) => {
      const result = await audit([
        ...base,
        "--records",
        SF_QUERY_FILE,
        "--format",
        format
      ]);
      expect(result.code).toBe(0);
      expect(check(result.stdout)).toBe(true);
      expect(result.stderr).toBe("");
    }
  );

  it("reports the same as the library for the CSV export", async () => {
    const result = await audit([...base, "-r", CSV_FILE, "-f", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      JSON.parse(JSON.stringify(await auditFile(CSV_FILE)))
    );
  });

  it("table is the default format", async () => {
    const result = await audit([...base, "--records", CSV_FILE]);
    expect(result.stdout.split("\n")[0]).toContain("(CSV, 11 records)");
  });

  it("exits 1 naming the file when the input is not an export, with nothing on stdout", async () => {
    const file = path.join(tmp, "page.html");
    fs.writeFileSync(file, "<html><body>Login</body></html>");
    const result = await audit([...base, "--records", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `${file}: line 1: looks like HTML or XML, not an export`
    );
  });

  it("exits 1 with the map's problems when the map is invalid", async () => {
    const map = path.join(tmp, "bad-map.json");
    const good = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, "map.json"), "utf8")
    );
    good.processes[0].stages[0].exit[0].field = "No_Such_Field__c";
    fs.writeFileSync(map, JSON.stringify(good, null, 2));
    const result = await audit(["--config", map, "--records", SF_QUERY_FILE]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("No_Such_Field__c");
  });

  it.each([
    [[], "give --records FILE or --org ALIAS"],
    [
      ["--records", "a.json", "--org", "Demo"],
      "give either --records or --org, not both"
    ],
    [
      ["--records", "a.json", "--format", "xml"],
      '--format must be one of table, json, csv, md; got "xml"'
    ],
    [
      ["--records", "a.json", "--today", "2026-02-30"],
      '--today must be a date YYYY-MM-DD; got "2026-02-30"'
    ],
    [["--records", "a.json", "--bogus"], "Unknown option '--bogus'"]
  ])("exits 2 for wrong options %j", async (args, message) => {
    const result = await audit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Usage: npm run gates -- audit");
  });

  it("--help prints the usage and exits 0", async () => {
    const result = await audit(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--records, -r FILE");
    expect(result.stdout).toContain("--org, -o ALIAS");
  });

  it("--today defaults to the local date", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

describe("progress on stderr for large inputs", () => {
  let big: string;
  beforeAll(() => {
    big = path.join(tmp, "big.json");
    const records = Array.from({ length: 6000 }, (_, i) => ({
      Id: `006${String(i).padStart(15, "0")}`,
      StageName: i % 2 ? "Prospecting" : "Qualification",
      Amount: i % 3,
      NextStep: "Call",
      LastStageChangeDate: "2026-11-01T00:00:00.000+0000"
    }));
    fs.writeFileSync(
      big,
      JSON.stringify({
        status: 0,
        result: { records, totalSize: 6000, done: true }
      })
    );
  });

  it("prints a few percentage lines when stderr is not a terminal, never on stdout", async () => {
    const result = await audit([...base, "--records", big, "--format", "json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      [
        "Auditing: 33% (2,000/6,000)",
        "Auditing: 66% (4,000/6,000)",
        "Auditing: 100% (6,000/6,000)",
        ""
      ].join("\n")
    );
    expect(result.stdout).not.toContain("Auditing");
    expect(JSON.parse(result.stdout).totals.audited).toBe(6000);
  });

  it("updates one line on a terminal", async () => {
    const result = await audit(
      [...base, "--records", big, "--format", "csv"],
      {},
      true
    );
    expect(result.stderr.startsWith("\rAuditing [")).toBe(true);
    expect(result.stderr.endsWith("100% 6,000/6,000\n")).toBe(true);
    expect(result.stderr.split("\n")).toHaveLength(2);
  });

  it("stays quiet for small inputs", async () => {
    const result = await audit(
      [...base, "--records", SF_QUERY_FILE, "--format", "json"],
      {},
      true
    );
    expect(result.stderr).toBe("");
  });
});

describe("audit --org through the sf CLI", () => {
  const fakeSf = path.join(FAKE_SF_DIR, "sf");

  it("builds the query from the map: fields, record type, one subquery per related object, the waived list and the waivers", () => {
    expect(buildAuditQuery(fixtureMap().runtime)).toBe(EXPECTED_SOQL);
  });

  it("--soql prints the query", async () => {
    const result = await audit([...base, "--soql"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${EXPECTED_SOQL}\n`);
  });

  it("runs sf data query --json (SF_BIN) with the query and the alias, and audits its result", async () => {
    const log = path.join(tmp, "sf-bin.json");
    const result = await audit([...base, "--org", "Demo", "--format", "json"], {
      SF_BIN: fakeSf,
      FAKE_SF_LOG: log,
      SF_AUTOUPDATE_DISABLE: undefined
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("Querying org Demo with sf data query…\n");
    const call = JSON.parse(fs.readFileSync(log, "utf8"));
    expect(call.argv).toEqual([
      "data",
      "query",
      "--query",
      EXPECTED_SOQL,
      "--target-org",
      "Demo",
      "--json"
    ]);
    expect(call.env).toEqual({
      SF_DISABLE_TELEMETRY: "true",
      SF_SKIP_NEW_VERSION_CHECK: "true",
      SF_DISABLE_AUTOUPDATE: "true",
      SF_AUTOUPDATE_DISABLE: null
    });
    const report = JSON.parse(result.stdout);
    expect(report.input).toEqual({
      source: "org Demo",
      kind: "sf-query-json",
      records: 15
    });
    const fromFile = await auditFile(SF_QUERY_FILE);
    expect(
      report.opportunities.map((o: { id: string; failing: string[] }) => [
        o.id,
        o.failing
      ])
    ).toEqual(fromFile.opportunities.map((o) => [o.id, o.failing]));
    expect(report.byStage).toEqual(
      JSON.parse(JSON.stringify(fromFile.byStage))
    );
  });

  it("reports sf's error and exits 1", async () => {
    const result = await audit([...base, "--org", "Demo"], {
      SF_BIN: fakeSf,
      FAKE_SF_RESPONSE: path.join(FIXTURES, "sf-error.json")
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      "org Demo: $.status: sf reported an error (status 1): NamedOrgNotFoundError: No authorization information found for Demo."
    );
  });

  it("says how to get sf when it cannot be found", async () => {
    const result = await audit([...base, "--org", "Demo"], {
      SF_BIN: path.join(tmp, "no-sf")
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not found. Install the Salesforce CLI");
  });

  it("finds sf on PATH when run as npm run gates -- audit --org", () => {
    const log = path.join(tmp, "sf-path.json");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${FAKE_SF_DIR}${path.delimiter}${process.env.PATH}`,
      FAKE_SF_LOG: log
    };
    delete env.SF_BIN;
    const result = spawnSync(
      path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"),
      [
        "scripts/gates/cli.ts",
        "audit",
        ...base,
        "--org",
        "my-sandbox",
        "--format",
        "md"
      ],
      { cwd: PROJECT_DIR, env, encoding: "utf8" }
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "Input: org my-sandbox (sf data query JSON, 15 records)"
    );
    expect(result.stdout).toContain(
      "| Enterprise | Value Proposition | 1 | 0 (0%) | 90 | 30 | 1 |"
    );
    const call = JSON.parse(fs.readFileSync(log, "utf8"));
    expect(call.argv.slice(4)).toEqual([
      "--target-org",
      "my-sandbox",
      "--json"
    ]);
  });
});
