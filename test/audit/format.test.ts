import type { AuditReport } from "../../scripts/audit/report";
import { parse as parseCsv } from "csv-parse/sync";
import {
  CSV_COLUMNS,
  formatCsv,
  formatJson,
  formatMarkdown,
  formatTable
} from "../../scripts/audit/format";
import { auditFile, CSV_FILE, SF_QUERY_FILE } from "./helpers";

let report: AuditReport;
beforeAll(async () => {
  report = await auditFile(SF_QUERY_FILE);
});

describe("json", () => {
  it("carries the whole report", () => {
    const data = JSON.parse(formatJson(report));
    expect(Object.keys(data)).toEqual([
      "today",
      "config",
      "input",
      "totals",
      "waivers",
      "opportunities",
      "byStage",
      "byCriterion",
      "unknownStages",
      "problems"
    ]);
    expect(data.today).toBe("2026-11-16");
    expect(data.config).toBe("test/fixtures/audit/map.json");
    expect(data.input).toEqual({
      source: SF_QUERY_FILE,
      kind: "sf-query-json",
      records: 15
    });
    // The export has neither waiver rows nor the waived list.
    expect(data.waivers).toEqual({
      from: null,
      active: 0,
      deals: 0,
      lifted: 0,
      notActive: { expired: 0, requested: 0, rejected: 0, revoked: 0 }
    });
    expect(data.opportunities).toHaveLength(12);
    expect(data.opportunities[1]).toMatchObject({
      id: "0065g00000GlxA02AA",
      name: "Globex — Renewal",
      process: "Standard Sales",
      recordType: null,
      stage: "Qualification",
      daysInStage: 46,
      daysInStageFrom: "LastStageChangeDate",
      targetDays: 21,
      overdue: true,
      meetsGates: false,
      failing: ["amount_positive", "next_step_set", "primary_contact"]
    });
    expect(data.unknownStages.map((u: { stage: string }) => u.stage)).toEqual([
      "Value Proposition",
      "Perception Analysis"
    ]);
  });
});

describe("csv", () => {
  it("has one row per opportunity and unmet or unchecked criterion, and one row for a deal with none", () => {
    const rows = parseCsv(formatCsv(report), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(rows[0])).toEqual([...CSV_COLUMNS]);
    // 12 audited deals: 5 with nothing unmet or unchecked (one row each), 15 unmet or unchecked criteria in the other 7.
    expect(rows).toHaveLength(5 + 3 + 1 + 3 + 4 + 2 + 1 + 1);
    const globex = rows.filter((r) => r.Id === "0065g00000GlxA02AA");
    expect(
      globex.map((r) => [
        r.CriterionId,
        r.CriterionStage,
        r.CriterionList,
        r.Verdict
      ])
    ).toEqual([
      ["amount_positive", "Prospecting", "exit", "unmet"],
      ["next_step_set", "Prospecting", "exit", "unmet"],
      ["primary_contact", "Qualification", "entry", "unmet"]
    ]);
    expect(globex[0]).toMatchObject({
      Name: "Globex — Renewal",
      Process: "Standard Sales",
      Stage: "Qualification",
      DaysInStage: "46",
      DaysInStageFrom: "LastStageChangeDate",
      TargetDays: "21",
      Overdue: "true",
      MeetsGates: "false",
      Mode: "enforce",
      Message:
        "[amount_positive] Amount is greater than 0. Enter the expected deal value in Amount."
    });
    const acme = rows.filter((r) => r.Id === "0065g00000AcmA01AA");
    expect(acme).toHaveLength(1);
    expect(acme[0]).toMatchObject({
      MeetsGates: "true",
      CriterionId: "",
      Verdict: ""
    });
    const aperture = rows.find((r) => r.Id === "0065g00000ApeB05AA");
    expect(aperture).toMatchObject({
      CriterionId: "ent_discovery_meetings",
      Verdict: "unknown",
      Reason: "Events cut short in the export (done: false)",
      MeetsGates: "true"
    });
  });

  it("quotes values with commas, quotes and line breaks", async () => {
    const csv = formatCsv(await auditFile(CSV_FILE));
    expect(csv).toContain('"Acme Corp, Inc. — Platform"');
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    expect(rows[0].Name).toBe("Acme Corp, Inc. — Platform");
  });
});

describe("table", () => {
  let text: string;
  let lines: string[];
  beforeAll(() => {
    text = formatTable(report);
    lines = text.split("\n");
  });

  it("starts with the source, the map, the date and the summary", () => {
    expect(lines[0]).toBe(
      `Stage gate audit of ${SF_QUERY_FILE} (sf data query JSON, 15 records) against test/fixtures/audit/map.json, today 2026-11-16`
    );
    expect(lines[1]).toBe(
      "12 open opportunities audited: 7 meet their gates, 5 do not; 4 overdue."
    );
    expect(lines[2]).toBe(
      "2 open opportunities in a stage not in the map; 1 closed opportunity skipped."
    );
    expect(lines[3]).toBe(
      "Waivers: not in the export (no Stage_Gate_Waivers__r subquery, no Stage_Gate_Waived__c field; see --soql): none are taken into account."
    );
    expect(text).not.toContain("Active waivers on");
  });

  it("aligns the columns of the opportunities table", () => {
    const start = lines.indexOf("Opportunities") + 1;
    const header = lines[start];
    const rows = lines.slice(start + 1, start + 13);
    expect(rows).toHaveLength(12);
    for (const column of [
      "NAME",
      "PROCESS",
      "STAGE",
      "FAILING",
      "WARNINGS",
      "NOT CHECKED"
    ]) {
      const at = header.indexOf(column);
      expect(at).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row[at - 1]).toBe(" ");
        expect(row[at]).not.toBe(" ");
      }
    }
    const hooli = rows.find((r) => r.includes("Hooli"));
    expect(hooli).toContain(
      "next_step_set, discovery_call, decision_maker, proposal_attached"
    );
    const stark = rows.find((r) => r.includes("Stark")) ?? "";
    expect(
      stark.slice(header.indexOf("DAYS"), header.indexOf("TARGET")).trim()
    ).toBe("14*");
    expect(text).toContain(
      "* days since CreatedDate (the record has no LastStageChangeDate)"
    );
  });

  it("has the stage and criterion summaries, the unknown stages and the problems", () => {
    expect(text).toMatch(
      /Standard Sales +Qualification +3 +2 \(67%\) +15 +21 +1\n/
    );
    expect(text).toMatch(
      /next_step_set +Standard Sales +exit of Prospecting +enforce +7 +3 \(43%\) +0 +0 +Next step is filled in/
    );
    expect(text).toMatch(
      /Enterprise +Perception Analysis +1 +0065g00000OscB04AA/
    );
    expect(text).toContain("Problems in the input (1)");
  });
});

describe("md", () => {
  let text: string;
  beforeAll(() => {
    text = formatMarkdown(report);
  });

  it("is a summary for an email or wiki page", () => {
    expect(text.startsWith("# Stage gate audit — 2026-11-16\n")).toBe(true);
    expect(text).toContain(
      "| Standard Sales | Needs Analysis | 2 | 1 (50%) | 45 | 30 | 1 |"
    );
    expect(text).toContain(
      "| Enterprise | Negotiation/Review | 2 | 1 (50%) | 3.5 | 30 | 0 |"
    );
    expect(text).toContain(
      "| `next_step_set` | Standard Sales: exit of Prospecting | enforce | 3 of 7 (43%) | 0 | 0 | Next step is filled in |"
    );
    expect(text).toContain(
      "| Tyrell — Replicant fleet (0065g00000TyrB03AA) | Enterprise | Negotiation/Review | 7 / 30 | [ent_close_date] Close date is in the future. |"
    );
    expect(text).toContain("(warning)");
    expect(text).toContain(
      "6 other opportunities meet every criterion of their stage."
    );
    expect(text).toContain("## Stages not in the map");
    expect(text).toContain("## Problems in the input");
  });

  it("lists only the deals with unmet criteria and escapes table cells", () => {
    const section = text.slice(
      text.indexOf("## Opportunities with unmet criteria"),
      text.indexOf("## Stages not in the map")
    );
    const rows = section
      .split("\n")
      .filter(
        (l) =>
          l.startsWith("| ") &&
          !l.startsWith("| Opportunity") &&
          !l.startsWith("| ---")
      );
    expect(rows).toHaveLength(6);
    // Stage names with "/" need no escaping; pipes do.
    const piped = formatMarkdown({
      ...report,
      unknownStages: [
        { process: "P", stage: "A|B", count: 1, opportunities: [] }
      ]
    });
    expect(piped).toContain("| P | A\\|B | 1 |  |");
  });
});
