/**
 * The audit and the deals' waivers: Stage_Gate_Waivers__r rows in a JSON export, the waived list
 * Stage_Gate_Waived__c in a CSV (or JSON) export, every format, and `audit --org`. The fixtures'
 * expectations are worked out by hand from the fixture map (test/fixtures/audit/map.json) on
 * 2026-11-16: to be in Qualification a deal needs amount_positive and next_step_set (exit of
 * Prospecting) and primary_contact (entry of Qualification); Needs Analysis adds discovery_call
 * (enforced) and close_date_future (warn), the exit criteria of Qualification.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser } from "fast-xml-parser";
import {
  CSV_COLUMNS,
  formatCsv,
  formatJson,
  formatMarkdown,
  formatTable
} from "../../scripts/audit/format";
import { buildAuditQuery, WAIVERS_HINT } from "../../scripts/audit/org";
import { parseAuditInput } from "../../scripts/audit/read";
import { auditRecords, type AuditReport } from "../../scripts/audit/report";
import {
  dealWaivers,
  WAIVER_FIELDS,
  WAIVER_OBJECT,
  WAIVER_RELATIONSHIP,
  WAIVER_STATUSES,
  waiverState
} from "../../scripts/audit/waivers";
import { runAudit, type AuditIo } from "../../scripts/gates/commands/audit";
import { checkSoqlSource } from "../../scripts/checks/soql";
import { loadProjectIndex } from "../../scripts/checks/lib/project";
import { loadMap, PROJECT_DIR } from "../../scripts/gates/load";
import {
  allCriteria,
  waiverLifts
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  audit,
  auditFile,
  FAKE_SF_DIR,
  FIXTURE_MAP,
  FIXTURES,
  fixtureMap,
  TODAY
} from "./helpers";

const JSON_FILE = path.join(FIXTURES, "waivers.sf-query.json");
const CSV_WAIVERS = path.join(FIXTURES, "waivers.csv");
const WAIVER_DIR = path.join(
  PROJECT_DIR,
  "force-app",
  "main",
  "default",
  "objects",
  WAIVER_OBJECT
);

const ABLE = "0065g00000AblW01AA";
const BAKER = "0065g00000BakW02AA";
const CARTER = "0065g00000CarW03AA";
const DOE = "0065g00000DoeW04AA";
const EVE = "0065g00000EveW05AA";

/** What a report says of each deal, by Id. */
function deals(report: AuditReport) {
  return Object.fromEntries(
    report.opportunities.map((o) => [
      o.id,
      {
        failing: o.failing,
        warnings: o.warnings,
        notChecked: o.notChecked,
        waived: o.waived,
        meetsGates: o.meetsGates,
        waivers: o.waivers.map(
          (w) =>
            `${w.criterion} ${w.state} ${w.source}${w.lifts ? " lifts" : ""}`
        )
      }
    ])
  );
}

describe("waiverState: the Is_Active__c rule (approved, Expires_On__c >= today)", () => {
  it.each([
    ["Approved", "2026-11-16", "active"],
    ["Approved", "2026-11-17", "active"],
    ["Approved", "2026-11-15", "expired"],
    ["Requested", "2026-12-01", "requested"],
    ["Rejected", "2026-12-01", "rejected"],
    ["Revoked", "2026-12-01", "revoked"]
  ] as const)("%s until %s on 2026-11-16 is %s", (status, until, state) => {
    expect(waiverState(status, until, TODAY)).toBe(state);
  });

  it("is the rule of the waiver's Is_Active__c formula and its Status__c values", () => {
    const parser = new XMLParser();
    const formula = parser.parse(
      fs.readFileSync(
        path.join(WAIVER_DIR, "fields", "Is_Active__c.field-meta.xml"),
        "utf8"
      )
    ).CustomField.formula;
    expect(formula).toBe(
      'AND(ISPICKVAL(Status__c, "Approved"), Expires_On__c >= TODAY())'
    );
    const loaded = loadMap("config/stage-gates.json");
    expect(loaded.fields[WAIVER_OBJECT]?.Status__c?.values).toEqual([
      ...WAIVER_STATUSES
    ]);
  });

  it("reads the child relationship the waiver's master-detail field declares", () => {
    const field = new XMLParser().parse(
      fs.readFileSync(
        path.join(WAIVER_DIR, "fields", "Opportunity__c.field-meta.xml"),
        "utf8"
      )
    ).CustomField;
    expect(field.referenceTo).toBe("Opportunity");
    expect(`${field.relationshipName}__r`).toBe(WAIVER_RELATIONSHIP);
  });
});

describe("the core's waiver rule, which the audit applies", () => {
  it("lifts enforced criteria only: a warning never blocks, so a waiver lifts nothing", () => {
    const byId = new Map(
      allCriteria(fixtureMap().runtime).map((c) => [c.id, c])
    );
    const waived = ["amount_positive", "close_date_future"];
    expect(waiverLifts(byId.get("amount_positive")!, waived)).toBe(true);
    expect(waiverLifts(byId.get("close_date_future")!, waived)).toBe(false);
    expect(waiverLifts(byId.get("next_step_set")!, waived)).toBe(false);
  });
});

describe("a JSON export with Stage_Gate_Waivers__r", () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await auditFile(JSON_FILE);
  });

  it("lifts the criteria of active waivers and reports the other waivers as not active", () => {
    expect(deals(report)).toEqual({
      // Amount 0 is waived through today; the rejected next-step waiver changes nothing (it is met).
      [ABLE]: {
        failing: [],
        warnings: [],
        notChecked: [],
        waived: ["amount_positive"],
        meetsGates: true,
        waivers: [
          "amount_positive active record lifts",
          "next_step_set rejected record"
        ]
      },
      // Expired yesterday, revoked, pending: all three criteria fail.
      [BAKER]: {
        failing: ["amount_positive", "next_step_set", "primary_contact"],
        warnings: [],
        notChecked: [],
        waived: [],
        meetsGates: false,
        waivers: [
          "amount_positive expired record",
          "next_step_set revoked record",
          "primary_contact requested record"
        ]
      },
      // No Tasks in the export: discovery_call cannot be checked, but it is waived. The waiver on the
      // warn-mode close_date_future lifts nothing (a warning never blocks); decision_maker is not
      // required in Needs Analysis yet.
      [CARTER]: {
        failing: [],
        warnings: ["close_date_future"],
        notChecked: [],
        waived: ["discovery_call"],
        meetsGates: true,
        waivers: [
          "discovery_call active record lifts",
          "close_date_future active record",
          "decision_maker active record"
        ]
      },
      // One of two waiver rows exported (done: false): the waived list's next_step_set counts too.
      [DOE]: {
        failing: [],
        warnings: [],
        notChecked: [],
        waived: ["amount_positive", "next_step_set"],
        meetsGates: true,
        waivers: [
          "amount_positive active record lifts",
          "next_step_set active field lifts"
        ]
      },
      // Both waiver rows are unreadable: ignored, reported below.
      [EVE]: {
        failing: ["primary_contact"],
        warnings: [],
        notChecked: [],
        waived: [],
        meetsGates: false,
        waivers: []
      }
    });
  });

  it("carries who decided, until when and why", () => {
    const able = report.opportunities.find((o) => o.id === ABLE);
    expect(able?.waivers[0]).toEqual({
      criterion: "amount_positive",
      state: "active",
      source: "record",
      status: "Approved",
      id: "a0W5g00000Wv001AAA",
      reason: "Budget arrives with the new fiscal year",
      until: "2026-11-16",
      approver: "Maria Manager",
      decidedBy: "Maria Manager",
      decidedAt: "2026-11-02T10:00:00.000+0000",
      requestedBy: "Rita Rep",
      lifts: true
    });
    const pending = report.opportunities.find((o) => o.id === BAKER)
      ?.waivers[2];
    expect(pending).toMatchObject({
      state: "requested",
      status: "Requested",
      approver: "Maria Manager",
      decidedBy: null
    });
  });

  it("counts the audited deals' waivers (the closed deal's waiver is not counted)", () => {
    expect(report.totals).toMatchObject({
      records: 6,
      closed: 1,
      audited: 5,
      meetingGates: 3,
      notMeetingGates: 2
    });
    expect(report.waivers).toEqual({
      from: "Stage_Gate_Waivers__r",
      active: 6,
      deals: 3,
      lifted: 4,
      notActive: { expired: 1, requested: 1, rejected: 1, revoked: 1 }
    });
    const byId = Object.fromEntries(
      report.byCriterion.map((c) => [
        c.id,
        [c.required, c.failing, c.notChecked, c.waived]
      ])
    );
    expect(byId).toEqual({
      amount_positive: [5, 1, 0, 2],
      next_step_set: [5, 1, 0, 1],
      primary_contact: [4, 2, 0, 0],
      discovery_call: [1, 0, 0, 1],
      close_date_future: [1, 1, 0, 0]
    });
  });

  it("reports unreadable waivers, cut-short waivers and a waived list that disagrees with the waivers", () => {
    expect(report.problems.map((p) => [p.kind, p.location, p.message])).toEqual(
      [
        [
          "incomplete",
          "$.result.records[3]",
          "waivers cut short (done: false) for Stage_Gate_Waivers__r: the waivers shown and the codes of Stage_Gate_Waived__c count for this opportunity"
        ],
        [
          "invalidValue",
          "$.result.records[4].Stage_Gate_Waivers__r.records[0].Status__c",
          'waiver status "Pending" is not one of Requested, Approved, Rejected, Revoked: the waiver for primary_contact is ignored'
        ],
        [
          "invalidValue",
          "$.result.records[4].Stage_Gate_Waivers__r.records[1].Expires_On__c",
          'waiver Expires_On__c "someday" is not a date YYYY-MM-DD: the waiver for primary_contact is ignored'
        ],
        [
          "note",
          "$.result.records[1]",
          "Stage_Gate_Waived__c lists amount_positive but the deal's active waivers on 2026-11-16 are none: " +
            "the audit goes by the waivers; the org's rules read the field until StageGateWaiverSync updates it " +
            "(the daily expiry run, or the next decision on one of the deal's waivers)"
        ]
      ]
    );
  });

  it("judges the waivers on --today: the day after, Able's waiver has expired", async () => {
    const loaded = fixtureMap();
    const later = auditRecords(
      loaded.runtime,
      await parseAuditInput(
        fs.readFileSync(JSON_FILE),
        JSON_FILE,
        loaded.fields
      ),
      { today: "2026-11-17", config: loaded.file }
    );
    expect(deals(later)[ABLE]).toMatchObject({
      failing: ["amount_positive"],
      waived: [],
      meetsGates: false,
      waivers: [
        "amount_positive expired record",
        "next_step_set rejected record"
      ]
    });
    expect(later.waivers.notActive.expired).toBe(2);
    expect(
      later.problems.filter(
        (p) => p.kind === "note" && p.location === "$.result.records[0]"
      )
    ).toHaveLength(1);
  });
});

describe("the waived list Stage_Gate_Waived__c, read as the org's rules read it", () => {
  it("CSV: ;code; lifts; a code without separators or in another case lifts nothing", async () => {
    const report = await auditFile(CSV_WAIVERS);
    expect(deals(report)).toEqual({
      "0065g00000GinW07AA": {
        failing: [],
        warnings: [],
        notChecked: ["primary_contact"],
        waived: ["amount_positive"],
        meetsGates: true,
        waivers: ["amount_positive active field lifts"]
      },
      "0065g00000HalW08AA": {
        failing: ["amount_positive"],
        warnings: [],
        notChecked: ["primary_contact"],
        waived: [],
        meetsGates: false,
        waivers: []
      },
      "0065g00000IdaW09AA": {
        failing: ["next_step_set"],
        warnings: [],
        notChecked: ["primary_contact"],
        waived: [],
        meetsGates: false,
        waivers: ["Next_Step_Set active field"]
      },
      // A CSV has no related records: primary_contact cannot be checked, and it is waived.
      "0065g00000JonW10AA": {
        failing: [],
        warnings: [],
        notChecked: [],
        waived: ["primary_contact"],
        meetsGates: true,
        waivers: ["primary_contact active field lifts"]
      }
    });
    expect(report.waivers).toEqual({
      from: "Stage_Gate_Waived__c",
      active: 3,
      deals: 3,
      lifted: 2,
      notActive: { expired: 0, requested: 0, rejected: 0, revoked: 0 }
    });
  });

  it("JSON without the waiver subquery: the field decides", async () => {
    const loaded = fixtureMap();
    const input = await parseAuditInput(
      JSON.stringify([
        {
          Id: "006A",
          Name: "Field only",
          StageName: "Qualification",
          Amount: 0,
          NextStep: "TBD",
          Stage_Gate_Waived__c: ";next_step_set;",
          OpportunityContactRoles: null
        }
      ]),
      "inline.json",
      loaded.fields
    );
    const report = audit(input);
    expect(deals(report)["006A"]).toEqual({
      failing: ["amount_positive", "primary_contact"],
      warnings: [],
      notChecked: [],
      waived: ["next_step_set"],
      meetsGates: false,
      waivers: ["next_step_set active field lifts"]
    });
    expect(report.waivers.from).toBe("Stage_Gate_Waived__c");
    expect(report.problems).toEqual([]);
  });

  it("with rows that agree with the field there is no note; a subquery result that is not a list is an error naming the place", async () => {
    const agree = dealWaivers(
      { Stage_Gate_Waived__c: ";a;" },
      [
        {
          location: "$[0].Stage_Gate_Waivers__r.records[0]",
          id: null,
          criterion: "a",
          status: "Approved",
          reason: "r",
          until: "2026-11-16",
          approver: null,
          decidedBy: null,
          decidedAt: null,
          requestedBy: null
        }
      ],
      false,
      TODAY
    );
    expect(agree.active).toEqual(["a"]);
    expect(agree.mismatch).toBeUndefined();
    await expect(
      parseAuditInput(
        JSON.stringify([
          { StageName: "Qualification", Stage_Gate_Waivers__r: "none" }
        ]),
        "bad.json",
        fixtureMap().fields
      )
    ).rejects.toThrow(
      'bad.json: $[0].Stage_Gate_Waivers__r: must be null or a subquery result {"totalSize":N,"done":true,"records":[...]}, found a string'
    );
  });
});

describe("every format shows the waivers", () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await auditFile(JSON_FILE);
  });

  it("json: the summary and each deal's waived criteria and waivers", () => {
    const data = JSON.parse(formatJson(report));
    expect(data.waivers).toEqual(JSON.parse(JSON.stringify(report.waivers)));
    const carter = data.opportunities.find(
      (o: { id: string }) => o.id === CARTER
    );
    expect(carter.waived).toEqual(["discovery_call"]);
    expect(carter.waivers).toHaveLength(3);
    expect(
      carter.outcomes.find((o: { id: string }) => o.id === "discovery_call")
    ).toMatchObject({
      verdict: "unknown",
      reason: "no Tasks subquery in the export",
      waived: true
    });
  });

  it("table: the summary line, a WAIVED column and both waiver lists", () => {
    const text = formatTable(report);
    const lines = text.split("\n");
    expect(lines[3]).toBe(
      "Waivers (from the waiver records): 6 active waivers on 3 deals; 4 criteria not met (or not checkable) waived; 4 not active (1 expired, 1 pending, 1 rejected, 1 revoked)."
    );
    const header = lines[lines.indexOf("Opportunities") + 1];
    const doe = lines.find((l) => l.startsWith(DOE)) ?? "";
    expect(doe.slice(header.indexOf("WAIVED"))).toBe(
      "amount_positive, next_step_set"
    );
    const active = lines.slice(
      lines.indexOf("Active waivers on 2026-11-16") + 1,
      lines.indexOf("Waivers not active (they change nothing)") - 1
    );
    expect(active).toHaveLength(7);
    expect(active[1]).toMatch(
      /^0065g00000AblW01AA +Able — amount waived through today +amount_positive +2026-11-16 +Maria Manager +yes +Budget arrives with the new fiscal year$/
    );
    expect(active[4]).toMatch(
      /decision_maker +2026-11-30 +Quinn Queue +no +Decision maker named next week$/
    );
    expect(active[6]).toMatch(
      /next_step_set +- +- +yes +\(Stage_Gate_Waived__c\)$/
    );
    expect(text).toMatch(
      /0065g00000BakW02AA +Baker — expired, revoked and pending +primary_contact +requested +2026-12-01 +awaiting Maria Manager +Contact roles arrive after the merger\n/
    );
    expect(text).toMatch(
      /amount_positive +Standard Sales +exit of Prospecting +enforce +5 +1 \(20%\) +0 +2 +Amount is greater than 0/
    );
  });

  it("csv: waived criteria with their waiver, then one row per other waiver", () => {
    const rows = parseCsv(formatCsv(report), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(rows[0])).toEqual([...CSV_COLUMNS]);
    // Able 1 + 1, Baker 3 + 3, Carter 2 + 2, Doe 2, Eve 1.
    expect(rows).toHaveLength(15);
    const pick = (r: Record<string, string>) => [
      r.CriterionId,
      r.Verdict,
      r.WaiverState,
      r.WaiverUntil,
      r.WaiverDecidedBy,
      r.WaiverApprover,
      r.WaiverReason
    ];
    expect(rows.filter((r) => r.Id === ABLE).map(pick)).toEqual([
      [
        "amount_positive",
        "waived",
        "active",
        "2026-11-16",
        "Maria Manager",
        "Maria Manager",
        "Budget arrives with the new fiscal year"
      ],
      [
        "next_step_set",
        "",
        "rejected",
        "2026-11-30",
        "Maria Manager",
        "Maria Manager",
        "Next step agreed verbally"
      ]
    ]);
    expect(rows.filter((r) => r.Id === BAKER).map(pick)).toEqual([
      ["amount_positive", "unmet", "", "", "", "", ""],
      ["next_step_set", "unmet", "", "", "", "", ""],
      ["primary_contact", "unmet", "", "", "", "", ""],
      [
        "amount_positive",
        "",
        "expired",
        "2026-11-15",
        "Maria Manager",
        "Maria Manager",
        "Pricing pending legal review"
      ],
      [
        "next_step_set",
        "",
        "revoked",
        "2026-12-15",
        "Omar Owner-Manager",
        "Omar Owner-Manager",
        "Customer on holiday"
      ],
      [
        "primary_contact",
        "",
        "requested",
        "2026-12-01",
        "",
        "Maria Manager",
        "Contact roles arrive after the merger"
      ]
    ]);
    expect(rows.find((r) => r.Id === ABLE)?.MeetsGates).toBe("true");
    expect(rows.filter((r) => r.Id === EVE).map(pick)).toEqual([
      ["primary_contact", "unmet", "", "", "", "", ""]
    ]);
  });

  it("md: waived criteria among the deals, and a Waivers section", () => {
    const text = formatMarkdown(report);
    expect(text).toContain(
      "| Able — amount waived through today (0065g00000AblW01AA) | Standard Sales | Qualification | 14 / 21 | [amount_positive] Amount is greater than 0. Enter the expected deal value in Amount. (waived) |"
    );
    const section = text.slice(
      text.indexOf("## Waivers"),
      text.indexOf("## Problems in the input")
    );
    expect(section).toContain(
      "Waivers (from the waiver records): 6 active waivers on 3 deals; 4 criteria not met (or not checkable) waived; 4 not active (1 expired, 1 pending, 1 rejected, 1 revoked)."
    );
    expect(section).toContain(
      "| Carter — discovery waived, tasks not exported (0065g00000CarW03AA) | `close_date_future` | 2026-12-31 | Maria Manager | no | Close date under review |"
    );
    expect(section).toContain(
      "| Baker — expired, revoked and pending (0065g00000BakW02AA) | `amount_positive` | expired | 2026-11-15 | Maria Manager | Pricing pending legal review |"
    );
    expect(section.split("\n").filter((l) => l.startsWith("| "))).toHaveLength(
      2 + 6 + 2 + 4
    );
    expect(text).toContain(
      "| `amount_positive` | Standard Sales: exit of Prospecting | enforce | 1 of 5 (20%) | 0 | 2 | Amount is greater than 0 |"
    );
  });

  it("md and table for the CSV: codes only, no dates or reasons", async () => {
    const csvReport = await auditFile(CSV_WAIVERS);
    expect(formatMarkdown(csvReport)).toContain(
      "| Gina — amount waived (0065g00000GinW07AA) | `amount_positive` | - | - | yes | (Stage_Gate_Waived__c) |"
    );
    expect(formatTable(csvReport)).toContain(
      "Waivers (from Stage_Gate_Waived__c: codes only): 3 active waivers on 3 deals; 2 criteria not met (or not checkable) waived; 0 not active (0 expired, 0 pending, 0 rejected, 0 revoked)."
    );
  });
});

describe("audit --org queries the waivers", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-waivers-"));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("selects the waived list and the waiver rows, and reports them as from a file", async () => {
    const log = path.join(tmp, "sf.json");
    let stdout = "";
    const io: AuditIo = {
      stdout: {
        write: (chunk: string) => {
          stdout += chunk;
          return true;
        }
      },
      stderr: { isTTY: false, write: () => true },
      env: {
        PATH: process.env.PATH,
        SF_BIN: path.join(FAKE_SF_DIR, "sf"),
        FAKE_SF_LOG: log,
        FAKE_SF_RESPONSE: JSON_FILE
      }
    };
    const code = await runAudit(
      [
        "--config",
        FIXTURE_MAP,
        "--today",
        TODAY,
        "--org",
        "Demo",
        "--format",
        "json"
      ],
      io
    );
    expect(code).toBe(0);
    const soql: string = JSON.parse(fs.readFileSync(log, "utf8")).argv[3];
    expect(soql).toBe(buildAuditQuery(fixtureMap().runtime));
    expect(soql).toContain(", Stage_Gate_Waived__c, ");
    expect(soql).toContain(
      `(SELECT ${WAIVER_FIELDS.join(", ")} FROM Stage_Gate_Waivers__r)`
    );
    const report = JSON.parse(stdout);
    const fromFile = await auditFile(JSON_FILE);
    expect(report.waivers).toEqual(fromFile.waivers);
    expect(
      report.opportunities.map((o: { waivers: unknown }) => o.waivers)
    ).toEqual(
      JSON.parse(JSON.stringify(fromFile.opportunities.map((o) => o.waivers)))
    );
  });

  it.each(["test/fixtures/audit/map.json", "config/stage-gates.json"])(
    "every field and relationship of the query for %s resolves against the project's objects",
    (config) => {
      const index = loadProjectIndex(PROJECT_DIR);
      const check = (soql: string) =>
        checkSoqlSource(`List<Opportunity> deals = [${soql}];\n`, {
          index,
          file: "audit.apex",
          kind: "anonymous"
        }).map((p) => p.message);
      const soql = buildAuditQuery(loadMap(config).runtime);
      expect(check(soql)).toEqual([]);
      // The check fails for a misspelled waiver field or relationship.
      expect(check(soql.replace("Expires_On__c", "Expires_At__c"))).toEqual([
        expect.stringMatching(/Stage_Gate_Waiver__c has no field Expires_At__c/)
      ]);
      expect(
        check(soql.replace("FROM Stage_Gate_Waivers__r", "FROM Waivers__r"))
      ).toEqual([expect.stringMatching(/Waivers__r/)]);
    }
  );
});

test("audit --org says what to do when the org has no waivers to read", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-waivers-"));
  try {
    const response = path.join(tmp, "no-column.json");
    fs.writeFileSync(
      response,
      JSON.stringify({
        status: 1,
        name: "INVALID_FIELD",
        message:
          "No such column 'Stage_Gate_Waived__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."
      })
    );
    let stderr = "";
    const code = await runAudit(
      ["--config", FIXTURE_MAP, "--today", TODAY, "--org", "Old"],
      {
        stdout: { write: () => true },
        stderr: {
          isTTY: false,
          write: (chunk: string) => {
            stderr += chunk;
            return true;
          }
        },
        env: {
          PATH: process.env.PATH,
          SF_BIN: path.join(FAKE_SF_DIR, "sf"),
          FAKE_SF_RESPONSE: response
        }
      }
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      "org Old: $.status: sf reported an error (status 1): INVALID_FIELD: No such column 'Stage_Gate_Waived__c'"
    );
    expect(stderr).toContain(WAIVERS_HINT);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
