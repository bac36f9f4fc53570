import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  FAKE_SF,
  HISTORY_CSV,
  MAP,
  PERIOD_ARGS,
  RECORDS_CSV,
  SF_QUERY_FILE,
  history
} from "./helpers";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "history-cmd-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const base = ["--config", MAP, ...PERIOD_ARGS];

describe("history --soql", () => {
  it("prints the JSON query and the two CSV queries, filtered to the deals that can count", async () => {
    const out = await history([
      "--config",
      MAP,
      "--soql",
      "--from",
      "2026-01-01"
    ]);
    expect(out.code).toBe(0);
    const filter =
      "IsClosed = false OR LastModifiedDate >= 2026-01-01T00:00:00Z";
    expect(out.stdout).toContain(
      "SELECT Id, CreatedDate, StageName, IsClosed, IsWon, RecordType.DeveloperName, " +
        "(SELECT CreatedDate, StageName, CloseDate, Amount FROM OpportunityHistories ORDER BY CreatedDate) " +
        `FROM Opportunity WHERE ${filter}`
    );
    expect(out.stdout).toContain(
      `SELECT Id, CreatedDate, StageName, IsClosed, IsWon, RecordType.DeveloperName FROM Opportunity WHERE ${filter}\n`
    );
    expect(out.stdout).toContain(
      "SELECT OpportunityId, CreatedDate, StageName, CloseDate, Amount FROM OpportunityHistory " +
        "WHERE Opportunity.IsClosed = false OR Opportunity.LastModifiedDate >= 2026-01-01T00:00:00Z " +
        "ORDER BY OpportunityId, CreatedDate"
    );
  });

  it("leaves RecordType out when no process claims a record type", async () => {
    const map = path.join(tmp, "one-process.json");
    const data = JSON.parse(fs.readFileSync(MAP, "utf8"));
    data.processes = [data.processes[0]];
    data.$schema = path.resolve("config", "stage-gates.schema.json");
    fs.writeFileSync(map, JSON.stringify(data));
    const out = await history([
      "--config",
      map,
      "--soql",
      "--today",
      "2026-04-10"
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain("RecordType");
    // default period: 2026-01-11 … 2026-04-11
    expect(out.stdout).toContain("LastModifiedDate >= 2026-01-11T00:00:00Z");
  });
});

describe("history --org (fake sf)", () => {
  it("runs sf data query --json with the map's query and reads its output", async () => {
    const log = path.join(tmp, "sf-log.json");
    const out = await history([...base, "--org", "Demo", "--format", "json"], {
      SF_BIN: FAKE_SF,
      FAKE_SF_LOG: log,
      FAKE_SF_RESPONSE: SF_QUERY_FILE
    });
    expect(out.stderr).toContain("Querying org Demo");
    expect(out.code).toBe(0);
    const fromFile = await history([
      ...base,
      "--records",
      SF_QUERY_FILE,
      "--format",
      "json"
    ]);
    expect(out.stdout).toBe(fromFile.stdout);
    const call = JSON.parse(fs.readFileSync(log, "utf8"));
    expect(call.argv).toEqual([
      "data",
      "query",
      "--query",
      "SELECT Id, CreatedDate, StageName, IsClosed, IsWon, RecordType.DeveloperName, " +
        "(SELECT CreatedDate, StageName, CloseDate, Amount FROM OpportunityHistories ORDER BY CreatedDate) " +
        "FROM Opportunity WHERE IsClosed = false OR LastModifiedDate >= 2026-01-01T00:00:00Z",
      "--target-org",
      "Demo",
      "--json"
    ]);
    expect(call.env).toMatchObject({
      SF_DISABLE_TELEMETRY: "true",
      SF_SKIP_NEW_VERSION_CHECK: "true",
      SF_DISABLE_AUTOUPDATE: "true",
      SF_AUTOUPDATE_DISABLE: null
    });
  });

  it("reports sf's error (status 1) with the JSON path", async () => {
    const out = await history([...base, "--org", "Nope"], {
      SF_BIN: FAKE_SF,
      FAKE_SF_RESPONSE: path.join("test", "fixtures", "audit", "sf-error.json")
    });
    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(
      "org Nope: $.status: sf reported an error (status 1): NamedOrgNotFoundError"
    );
  });

  it("says when sf cannot be run", async () => {
    const out = await history([...base, "--org", "Demo"], {
      SF_BIN: path.join(tmp, "no-such-sf")
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('org Demo: cannot run "');
    expect(out.stderr).toContain("not found");
  });

  it("says when sf prints nothing", async () => {
    const silent = path.join(tmp, "silent-sf");
    fs.writeFileSync(
      silent,
      '#!/usr/bin/env node\nprocess.stderr.write("boom\\n"); process.exitCode = 3;\n'
    );
    fs.chmodSync(silent, 0o755);
    const out = await history([...base, "--org", "Demo"], { SF_BIN: silent });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      "org Demo: sf data query printed nothing (exit code 3):\nboom"
    );
  });
});

describe("formats", () => {
  const run = (format: string) =>
    history([...base, "--records", SF_QUERY_FILE, "--format", format]);

  it("table: per process a summary line and one row per stage, rounded", async () => {
    const out = await run("table");
    expect(out.code).toBe(0);
    const lines = out.stdout.split("\n");
    expect(lines[0]).toBe(
      "Stage KPIs from history, 2026-01-01 to 2026-04-01 (from inclusive, to exclusive, UTC), history up to the end of 2026-04-10"
    );
    expect(out.stdout).toContain(
      "Standard Sales: won 2, lost 2, win rate 50.0%, median cycle 29.5 days, close-date pushes 4 (3 deals)"
    );
    const prospecting = lines.find((l) => l.startsWith("Prospecting"));
    // 5/7 = 71.4%, 1/7 = 14.3%
    expect(prospecting?.split(/\s{2,}/)).toEqual([
      "Prospecting",
      "7",
      "5",
      "1",
      "71.4%",
      "0",
      "0",
      "7",
      "5.0",
      "21.0",
      "10",
      "14.3%",
      "1"
    ]);
    expect(out.stdout).toContain("Deals whose record type has no process: 0");
  });

  it("csv: one row per process and stage with the process figures on each", async () => {
    const out = await run("csv");
    const rows = out.stdout.trimEnd().split("\r\n");
    expect(rows[0]).toBe(
      "from,to,today,process,stage,entered,advanced,lostFrom,conversion,skipped,backward,endedStays," +
        "medianDays,p90Days,targetDays,overTarget,openOverTarget,won,lost,winRate,medianCycleDays,pushes,pushedDeals,unmapped"
    );
    expect(rows).toHaveLength(1 + 3 + 2);
    expect(rows[2]).toBe(
      "2026-01-01,2026-04-01,2026-04-10,Standard Sales,Qualification,3,1,1,0.3333,1,1,4,15.5,35,5,0.75,2,2,2,0.5,29.5,4,3,0"
    );
    expect(rows[3]).toContain(",Needs Analysis,3,2,0,0.6667,0,0,2,21,26,,,,");
    expect(rows[5]).toContain("Enterprise,Negotiation/Review,");
  });

  it("md: a heading per process and a table", async () => {
    const out = await run("md");
    expect(out.stdout).toContain("# Stage KPIs from history");
    expect(out.stdout).toContain("## Standard Sales");
    expect(out.stdout).toContain(
      "| Qualification | 3 | 1 | 1 | 33.3% | 1 | 1 | 4 | 15.5 | 35.0 | 5 | 75.0% | 2 |"
    );
    expect(out.stdout).toContain("| Negotiation/Review | 1 |");
  });
});

describe("usage", () => {
  it.each([
    [
      [],
      "give --records FILE, --records R.csv --history H.csv, or --org ALIAS"
    ],
    [["--records", RECORDS_CSV], "a CSV --records needs --history"],
    [["--history", HISTORY_CSV], "--history needs --records"],
    [
      ["--org", "A", "--records", SF_QUERY_FILE],
      "give either --org or --records"
    ],
    [
      ["--records", SF_QUERY_FILE, "--format", "pdf"],
      "--format must be one of table, json, csv, md, html"
    ],
    [
      ["--records", SF_QUERY_FILE, "--from", "2026-02-30"],
      '--from must be a date YYYY-MM-DD; got "2026-02-30"'
    ],
    [
      [
        "--records",
        SF_QUERY_FILE,
        "--from",
        "2026-04-01",
        "--to",
        "2026-04-01"
      ],
      "--from (2026-04-01) must be before --to (2026-04-01)"
    ],
    [["--records", SF_QUERY_FILE, "--bogus"], "Unknown option '--bogus'"]
  ])("%j → exit 2", async (args, message) => {
    const out = await history(["--config", MAP, ...args]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(message);
    expect(out.stderr.startsWith("history: ")).toBe(true);
    expect(out.stderr).toContain("Usage: npm run gates -- history");
  });

  it("--help prints the usage", async () => {
    const out = await history(["--help"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("--records R.csv --history H.csv");
  });

  it("an invalid map is refused with the validator's messages", async () => {
    const out = await history([
      "--config",
      path.join("test", "fixtures", "maps", "unknown-field.json"),
      "--records",
      SF_QUERY_FILE
    ]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('no field "Ammount" on Opportunity');
  });
});
