import type { AuditReport } from "../../scripts/audit/report";
import * as fs from "node:fs";
import {
  buildChecklist,
  countRelated,
  selectProcess
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { readJsonExport } from "../../scripts/audit/read-json";
import { auditRecords, median } from "../../scripts/audit/report";
import {
  audit,
  auditFile,
  CSV_FILE,
  fixtureMap,
  SF_QUERY_FILE,
  TODAY,
  verdicts
} from "./helpers";

const LSC = "LastStageChangeDate";

describe("audit of a recorded sf data query --json export", () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await auditFile(SF_QUERY_FILE);
  });

  it("lists, for every open deal in a mapped stage, the criteria it does not meet", () => {
    expect(verdicts(report)).toEqual({
      "Acme Corp — Platform": {
        process: "Standard Sales",
        stage: "Prospecting",
        failing: [],
        warnings: [],
        notChecked: [],
        days: 6,
        from: LSC,
        overdue: false,
        meetsGates: true
      },
      "Globex — Renewal": {
        process: "Standard Sales",
        stage: "Qualification",
        failing: ["amount_positive", "next_step_set", "primary_contact"],
        warnings: [],
        notChecked: [],
        days: 46,
        from: LSC,
        overdue: true,
        meetsGates: false
      },
      "Initech — Expansion": {
        process: "Standard Sales",
        stage: "Qualification",
        failing: [],
        warnings: [],
        notChecked: [],
        days: 15,
        from: LSC,
        overdue: false,
        meetsGates: true
      },
      "Umbrella — New logo": {
        process: "Standard Sales",
        stage: "Needs Analysis",
        failing: [],
        warnings: ["close_date_future"],
        notChecked: [],
        days: 76,
        from: LSC,
        overdue: true,
        meetsGates: true
      },
      "Stark — Pilot": {
        process: "Standard Sales",
        stage: "Needs Analysis",
        failing: ["amount_positive", "next_step_set", "discovery_call"],
        warnings: [],
        notChecked: [],
        days: 14,
        from: "CreatedDate",
        overdue: false,
        meetsGates: false
      },
      "Wayne — Security": {
        process: "Standard Sales",
        stage: "Proposal/Price Quote",
        failing: [],
        warnings: [],
        notChecked: [],
        days: 10,
        from: LSC,
        overdue: false,
        meetsGates: true
      },
      "Hooli — Upsell": {
        process: "Standard Sales",
        stage: "Negotiation/Review",
        failing: [
          "next_step_set",
          "discovery_call",
          "decision_maker",
          "proposal_attached"
        ],
        warnings: [],
        notChecked: [],
        days: 27,
        from: LSC,
        overdue: true,
        meetsGates: false
      },
      // Record type Partner belongs to no process: the default process applies.
      "Prestige — Partner deal": {
        process: "Standard Sales",
        stage: "Qualification",
        failing: [],
        warnings: [],
        notChecked: [],
        days: 4,
        from: LSC,
        overdue: false,
        meetsGates: true
      },
      "Massive Dynamic — Global rollout": {
        process: "Enterprise",
        stage: "Needs Analysis",
        failing: [],
        warnings: [],
        notChecked: [],
        days: 20,
        from: LSC,
        overdue: false,
        meetsGates: true
      },
      "Cyberdyne — Core systems": {
        process: "Enterprise",
        stage: "Value Proposition",
        failing: ["ent_amount_min", "ent_discovery_meetings"],
        warnings: [],
        notChecked: [],
        days: 90,
        from: LSC,
        overdue: true,
        meetsGates: false
      },
      "Tyrell — Replicant fleet": {
        process: "Enterprise",
        stage: "Negotiation/Review",
        failing: ["ent_close_date"],
        warnings: [],
        notChecked: [],
        days: 7,
        from: LSC,
        overdue: false,
        meetsGates: false
      },
      // Its Events subquery was cut short (done: false): one Call is no proof of too few meetings.
      "Aperture — Portal": {
        process: "Enterprise",
        stage: "Negotiation/Review",
        failing: [],
        warnings: [],
        notChecked: ["ent_discovery_meetings"],
        days: 0,
        from: LSC,
        overdue: false,
        meetsGates: true
      }
    });
  });

  it("gives each unmet criterion the org's message and where it comes from", () => {
    const hooli = report.opportunities.find((o) => o.name === "Hooli — Upsell");
    expect(
      hooli?.outcomes.map((o) => [o.id, o.stage, o.list, o.mode, o.verdict])
    ).toEqual([
      ["next_step_set", "Prospecting", "exit", "enforce", "unmet"],
      ["discovery_call", "Qualification", "exit", "enforce", "unmet"],
      ["decision_maker", "Needs Analysis", "exit", "enforce", "unmet"],
      ["proposal_attached", "Proposal/Price Quote", "exit", "enforce", "unmet"]
    ]);
    expect(hooli?.outcomes[0].message).toBe(
      "[next_step_set] Next step is filled in. Write the agreed next step in Next Step (not TBD)."
    );
    expect(hooli?.required).toBe(6);
    expect(hooli?.met).toBe(2);
    const aperture = report.opportunities.find(
      (o) => o.name === "Aperture — Portal"
    );
    expect(aperture?.outcomes).toEqual([
      expect.objectContaining({
        id: "ent_discovery_meetings",
        verdict: "unknown",
        reason: "Events cut short in the export (done: false)"
      })
    ]);
  });

  it("counts totals", () => {
    expect(report.totals).toEqual({
      records: 15,
      closed: 1,
      open: 14,
      audited: 12,
      meetingGates: 7,
      notMeetingGates: 5,
      overdue: 4,
      unknownStage: 2,
      noStage: 0,
      noProcess: 0
    });
  });

  it("summarises per stage: count, share meeting gates, median days, overdue", () => {
    expect(
      report.byStage.map((s) => [
        s.process,
        s.stage,
        s.count,
        s.meetingGates,
        s.shareMeetingGates,
        s.medianDaysInStage,
        s.targetDays,
        s.overdue
      ])
    ).toEqual([
      ["Standard Sales", "Prospecting", 1, 1, 1, 6, 14, 0],
      ["Standard Sales", "Qualification", 3, 2, 2 / 3, 15, 21, 1],
      ["Standard Sales", "Needs Analysis", 2, 1, 0.5, 45, 30, 1],
      ["Standard Sales", "Proposal/Price Quote", 1, 1, 1, 10, 14, 0],
      ["Standard Sales", "Negotiation/Review", 1, 0, 0, 27, 21, 1],
      ["Enterprise", "Prospecting", 0, 0, null, null, 10, 0],
      ["Enterprise", "Needs Analysis", 1, 1, 1, 20, 30, 0],
      ["Enterprise", "Value Proposition", 1, 0, 0, 90, 30, 1],
      ["Enterprise", "Negotiation/Review", 2, 1, 0.5, 3.5, 30, 0]
    ]);
  });

  it("summarises per criterion how often it fails, most failed first", () => {
    expect(
      report.byCriterion.map((c) => [
        c.id,
        c.required,
        c.failing,
        c.notChecked,
        c.mode
      ])
    ).toEqual([
      ["next_step_set", 7, 3, 0, "enforce"],
      ["amount_positive", 7, 2, 0, "enforce"],
      ["discovery_call", 4, 2, 0, "enforce"],
      ["primary_contact", 3, 1, 0, "enforce"],
      ["close_date_future", 4, 1, 0, "warn"],
      ["decision_maker", 2, 1, 0, "enforce"],
      ["proposal_attached", 1, 1, 0, "enforce"],
      ["ent_amount_min", 4, 1, 0, "enforce"],
      ["ent_discovery_meetings", 3, 1, 1, "enforce"],
      ["ent_close_date", 2, 1, 0, "enforce"],
      ["probability_min", 1, 0, 0, "enforce"],
      ["ent_economic_buyer", 1, 0, 0, "enforce"],
      ["ent_type_set", 3, 0, 0, "enforce"],
      ["ent_plan_attached", 2, 0, 0, "enforce"]
    ]);
    const next = report.byCriterion[0];
    expect(next).toMatchObject({
      label: "Next step is filled in",
      process: "Standard Sales",
      stage: "Prospecting",
      list: "exit",
      shareFailing: 3 / 7
    });
    // `off` criteria are never required.
    expect(report.byCriterion.map((c) => c.id)).not.toContain(
      "lead_source_set"
    );
  });

  it("reports open deals in stages the map does not have, without failing", () => {
    expect(report.unknownStages).toEqual([
      {
        process: "Standard Sales",
        stage: "Value Proposition",
        count: 1,
        opportunities: [
          {
            row: 8,
            location: "$.result.records[7]",
            id: "0065g00000SoyA08AA",
            name: "Soylent — Renewal"
          }
        ]
      },
      {
        process: "Enterprise",
        stage: "Perception Analysis",
        count: 1,
        opportunities: [
          {
            row: 14,
            location: "$.result.records[13]",
            id: "0065g00000OscB04AA",
            name: "Oscorp — Lab automation"
          }
        ]
      }
    ]);
  });

  it("reports the cut-short subquery as a problem", () => {
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: "incomplete",
        location: "$.result.records[14]",
        id: "0065g00000ApeB05AA"
      })
    ]);
  });

  it("agrees with the record page checklist (core buildChecklist) on unmet criteria and overdue", () => {
    const loaded = fixtureMap();
    const input = readJsonExport(
      fs.readFileSync(SF_QUERY_FILE, "utf8"),
      "x.json"
    );
    const byId = new Map(report.opportunities.map((o) => [o.id, o]));
    let compared = 0;
    for (const row of input.records) {
      const audited = byId.get(row.id);
      if (!audited || row.partialRelated) {
        continue;
      }
      const checklist = buildChecklist(loaded.runtime, {
        recordType: row.recordType,
        stage: row.stage,
        values: row.values,
        counts: countRelated(loaded.runtime, row.related),
        today: TODAY,
        lastStageChange: row.lastStageChange ?? row.createdDate
      });
      expect(checklist.process).toBe(audited.process);
      expect(checklist.regressions.map((r) => r.criterion.id).sort()).toEqual(
        [...audited.failing, ...audited.warnings].sort()
      );
      expect(checklist.overdue).toBe(audited.overdue);
      expect(checklist.daysInStage).toBe(audited.daysInStage);
      compared++;
    }
    expect(compared).toBe(11);
  });
});

describe("what the export holds decides what can be checked", () => {
  const text = fs.readFileSync(SF_QUERY_FILE, "utf8");

  function withRecords(edit: (records: Record<string, unknown>[]) => void) {
    const data = JSON.parse(text);
    edit(data.result.records);
    return readJsonExport(JSON.stringify(data), "edited.json");
  }

  it("a subquery absent from the export makes its criteria not checked, never failing", () => {
    const input = withRecords((records) => {
      for (const r of records) {
        delete r.Tasks;
        delete r.OpportunityContactRoles;
      }
    });
    const v = verdicts(audit(input));
    expect(v["Hooli — Upsell"]).toMatchObject({
      failing: ["next_step_set", "proposal_attached"],
      notChecked: ["discovery_call", "decision_maker"],
      meetsGates: false
    });
    expect(v["Globex — Renewal"]).toMatchObject({
      failing: ["amount_positive", "next_step_set"],
      notChecked: ["primary_contact"]
    });
    const hooli = audit(input).opportunities.find(
      (o) => o.name === "Hooli — Upsell"
    );
    expect(hooli?.outcomes.find((o) => o.id === "discovery_call")?.reason).toBe(
      "no Tasks subquery in the export"
    );
  });

  it("a null subquery means no related records: the criterion fails", () => {
    const input = withRecords((records) => {
      const wayne = records.find(
        (r) => r.Name === "Wayne — Security"
      ) as Record<string, unknown>;
      wayne.OpportunityContactRoles = null;
    });
    expect(verdicts(audit(input))["Wayne — Security"].failing).toEqual([
      "decision_maker"
    ]);
  });

  it("a field absent from the export is not checked", () => {
    const input = withRecords((records) => {
      for (const r of records) {
        delete r.NextStep;
      }
    });
    const report = audit(input);
    const globex = report.opportunities.find(
      (o) => o.name === "Globex — Renewal"
    );
    expect(globex?.failing).toEqual(["amount_positive", "primary_contact"]);
    expect(
      globex?.outcomes.find((o) => o.id === "next_step_set")
    ).toMatchObject({
      verdict: "unknown",
      reason: "NextStep not in the export"
    });
  });

  it("without IsClosed, a deal in the won or lost stage is closed; with IsClosed false it is audited", () => {
    const input = withRecords((records) => {
      for (const r of records) {
        delete r.IsClosed;
      }
    });
    expect(audit(input).totals.closed).toBe(1);
    const reopened = withRecords((records) => {
      const piper = records.find(
        (r) => r.Name === "Pied Piper — Compression"
      ) as Record<string, unknown>;
      piper.IsClosed = false;
    });
    const report = audit(reopened);
    // Being in Closed Won requires every open stage's exit criteria and Closed Won's entry.
    expect(verdicts(report)["Pied Piper — Compression"]).toMatchObject({
      stage: "Closed Won",
      failing: ["next_step_set", "discovery_call", "proposal_attached"],
      warnings: ["close_date_future"],
      overdue: false
    });
    expect(report.byStage.find((s) => s.stage === "Closed Won")).toMatchObject({
      kind: "won",
      count: 1,
      targetDays: null
    });
  });

  it("reports rows without a stage with their row number and Id", () => {
    const input = withRecords((records) => {
      records[2].StageName = null;
    });
    const report = audit(input);
    expect(report.totals.noStage).toBe(1);
    expect(report.problems).toContainEqual({
      kind: "noStage",
      location: "$.result.records[2]",
      row: 3,
      id: "0065g00000IntA03AA",
      message: "row 3 (0065g00000IntA03AA) has no StageName: not audited"
    });
  });

  it("a record type with no process and no default process is reported, not audited", () => {
    const loaded = fixtureMap();
    const enterpriseOnly = {
      ...loaded.runtime,
      processes: loaded.runtime.processes.filter((p) => p.name === "Enterprise")
    };
    const input = readJsonExport(text, "x.json");
    const report = auditRecords(enterpriseOnly, input, {
      today: TODAY,
      config: "m"
    });
    expect(report.totals.noProcess).toBe(10);
    expect(report.totals.audited).toBe(4);
    expect(
      report.problems.filter((p) => p.kind === "noProcess")[0].message
    ).toBe(
      "row 1 (0065g00000AcmA01AA): record type (none) belongs to no process and the map has no default process: not audited"
    );
    expect(selectProcess(enterpriseOnly, null)).toBeUndefined();
  });
});

describe("audit of a CSV export", () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await auditFile(CSV_FILE);
  });

  it("checks field criteria and reports related criteria as not checked", () => {
    const v = verdicts(report);
    expect(Object.keys(v)).toEqual([
      "Acme Corp, Inc. — Platform",
      "Globex — Renewal",
      "Umbrella — New logo",
      "Stark — Pilot",
      "Wayne — Security",
      "Hooli — Upsell",
      "Cyberdyne — Core systems",
      "Tyrell — Replicant fleet"
    ]);
    expect(v["Globex — Renewal"]).toMatchObject({
      failing: ["amount_positive", "next_step_set"],
      notChecked: ["primary_contact"],
      days: 46,
      overdue: true
    });
    expect(v["Umbrella — New logo"]).toMatchObject({
      failing: [],
      warnings: ["close_date_future"],
      notChecked: ["discovery_call"],
      meetsGates: true
    });
    expect(v["Stark — Pilot"]).toMatchObject({
      failing: ["amount_positive", "next_step_set"],
      notChecked: ["discovery_call"],
      days: 14,
      from: "CreatedDate"
    });
    // "seventy" is not a number: probability_min cannot be checked.
    expect(v["Wayne — Security"]).toMatchObject({
      failing: [],
      notChecked: ["discovery_call", "decision_maker", "probability_min"],
      meetsGates: true
    });
    expect(v["Hooli — Upsell"]).toMatchObject({
      failing: ["next_step_set"],
      notChecked: ["discovery_call", "decision_maker", "proposal_attached"]
    });
    expect(v["Cyberdyne — Core systems"]).toMatchObject({
      process: "Enterprise",
      failing: ["ent_amount_min"],
      notChecked: ["ent_discovery_meetings"]
    });
    expect(v["Tyrell — Replicant fleet"]).toMatchObject({
      failing: ["ent_close_date"],
      notChecked: ["ent_discovery_meetings", "ent_plan_attached"]
    });
    const globex = report.opportunities.find(
      (o) => o.name === "Globex — Renewal"
    );
    expect(
      globex?.outcomes.find((o) => o.id === "primary_contact")?.reason
    ).toBe("not checked (no related data in CSV)");
    const wayne = report.opportunities.find(
      (o) => o.name === "Wayne — Security"
    );
    expect(
      wayne?.outcomes.find((o) => o.id === "probability_min")?.reason
    ).toBe("invalid Probability value in the export");
  });

  it("counts totals and stages", () => {
    expect(report.totals).toEqual({
      records: 11,
      closed: 1,
      open: 9,
      audited: 8,
      meetingGates: 3,
      notMeetingGates: 5,
      overdue: 4,
      unknownStage: 1,
      noStage: 1,
      noProcess: 0
    });
    expect(
      report.byStage
        .filter((s) => s.count > 0)
        .map((s) => [
          s.stage,
          s.count,
          s.meetingGates,
          s.medianDaysInStage,
          s.overdue
        ])
    ).toEqual([
      ["Prospecting", 1, 1, 6, 0],
      ["Qualification", 1, 0, 46, 1],
      ["Needs Analysis", 2, 1, 45, 1],
      ["Proposal/Price Quote", 1, 1, 10, 0],
      ["Negotiation/Review", 1, 0, 27, 1],
      ["Value Proposition", 1, 0, 90, 1],
      ["Negotiation/Review", 1, 0, 7, 0]
    ]);
    expect(
      report.byCriterion.find((c) => c.id === "discovery_call")
    ).toMatchObject({
      required: 4,
      failing: 0,
      notChecked: 4
    });
  });

  it("reports the row without a stage and the unreadable value with their lines", () => {
    expect(report.problems).toEqual([
      {
        kind: "invalidValue",
        location: "line 7",
        row: 5,
        id: "0065g00000WayA06AA",
        message:
          'column Probability: "seventy" is not a number; criteria on it are not checked for this opportunity'
      },
      {
        kind: "noStage",
        location: "line 9",
        row: 7,
        id: "0065g00000VanA09AA",
        message: "row 7 (0065g00000VanA09AA) has no StageName: not audited"
      }
    ]);
    expect(report.unknownStages).toEqual([
      expect.objectContaining({ stage: "Value Proposition", count: 1 })
    ]);
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([76, 14])).toBe(45);
    expect(median([0, 7, 3, 100])).toBe(5);
  });
});

describe("repeated audits with other dates and placeholder lists", () => {
  it("re-resolves TODAY for another date and uses each map's own placeholders", () => {
    const loaded = fixtureMap();
    const input = readJsonExport(
      fs.readFileSync(SF_QUERY_FILE, "utf8"),
      "x.json"
    );
    const on = (today: string, runtime = loaded.runtime) =>
      verdicts(auditRecords(runtime, input, { today, config: "m" }));
    // Tyrell's close date is 2026-11-16: not after TODAY on that day, after it the day before.
    expect(on("2026-11-16")["Tyrell — Replicant fleet"].failing).toEqual([
      "ent_close_date"
    ]);
    expect(on("2026-11-15")["Tyrell — Replicant fleet"].failing).toEqual([]);
    expect(on("2026-11-16")["Tyrell — Replicant fleet"].failing).toEqual([
      "ent_close_date"
    ]);
    // With "TBD" no longer a placeholder, Globex's next step counts.
    const lenient = { ...loaded.runtime, placeholders: ["n/a"] };
    expect(on(TODAY, lenient)["Globex — Renewal"].failing).toEqual([
      "amount_positive",
      "primary_contact"
    ]);
    expect(on(TODAY)["Globex — Renewal"].failing).toEqual([
      "amount_positive",
      "next_step_set",
      "primary_contact"
    ]);
  });
});
