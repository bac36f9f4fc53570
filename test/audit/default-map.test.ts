import type { AuditReport } from "../../scripts/audit/report";
/**
 * The audit against the project's own process map (config/stage-gates.json), on a
 * recorded-looking `sf data query --json` export and a CSV export of the same deals.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildAuditQuery } from "../../scripts/audit/org";
import { loadMap } from "../../scripts/gates/load";
import { auditFile, FIXTURES, verdicts } from "./helpers";

const loaded = loadMap();
const JSON_FILE = path.join(
  FIXTURES,
  "default-map",
  "opportunities.sf-query.json"
);
const CSV = path.join(FIXTURES, "default-map", "opportunities.csv");
const LSC = "LastStageChangeDate";

function deal(
  process: string,
  stage: string,
  failing: string[],
  days: number,
  overdue: boolean,
  extra: { warnings?: string[]; notChecked?: string[]; from?: string } = {}
) {
  return {
    process,
    stage,
    failing,
    warnings: extra.warnings ?? [],
    notChecked: extra.notChecked ?? [],
    days,
    from: extra.from ?? LSC,
    overdue,
    meetsGates: failing.length === 0
  };
}

describe("audit against config/stage-gates.json", () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await auditFile(JSON_FILE, loaded);
  });

  it("finds exactly the unmet gates of every open deal", () => {
    const S = "Standard Sales";
    const E = "Enterprise";
    expect(verdicts(report)).toEqual({
      "Northwind — Data platform": deal(S, "Prospecting", [], 7, false),
      // Close date in the past: a warn criterion, the deal still meets its gates.
      "Contoso — CRM rollout": deal(S, "Qualification", [], 27, true, {
        warnings: ["close_date_ahead"]
      }),
      "Fabrikam — Renewal": deal(
        S,
        "Qualification",
        ["amount_positive", "primary_contact", "discovery_call"],
        6,
        false
      ),
      "Tailspin — Analytics": deal(
        S,
        "Needs Analysis",
        ["next_step"],
        46,
        true
      ),
      // Role "Economic Decision Maker" is one of decision_maker's listed roles.
      "Adventure Works — Expansion": deal(
        S,
        "Value Proposition",
        [],
        14,
        false
      ),
      "Litware — Security suite": deal(
        S,
        "Id. Decision Makers",
        ["pain_points", "budget_confirmed"],
        37,
        true
      ),
      // proposal_attached is an exit criterion of its own stage: not required to be in it.
      "Wide World — Fleet tracking": deal(
        S,
        "Proposal/Price Quote",
        [],
        5,
        false
      ),
      "Proseware — Licences": deal(
        S,
        "Negotiation/Review",
        ["solution_meeting", "next_step_date"],
        21,
        false,
        {
          warnings: ["exec_sponsor"]
        }
      ),
      "Contoso Pharma — Global ERP": deal(E, "Needs Analysis", [], 27, false),
      "Fabrikam Bank — Core banking": deal(
        E,
        "Value Proposition",
        ["ent_decision_criteria", "ent_competition", "ent_technical_contact"],
        76,
        true
      ),
      // One file where two are required; the economic buyer meeting date has passed.
      "Woodgrove — Wealth portal": deal(
        E,
        "Negotiation/Review",
        ["ent_eb_meeting", "ent_proposal_attached"],
        12,
        false
      ),
      "Lucerne — Publishing": deal(E, "Prospecting", [], 46, true, {
        from: "CreatedDate"
      })
    });
  });

  it("summarises stages and criteria", () => {
    expect(report.totals).toMatchObject({
      records: 14,
      closed: 1,
      audited: 12,
      meetingGates: 6,
      notMeetingGates: 6,
      overdue: 5,
      unknownStage: 1
    });
    const stage = (process: string, name: string) =>
      report.byStage.find((s) => s.process === process && s.stage === name);
    expect(stage("Standard Sales", "Qualification")).toMatchObject({
      count: 2,
      meetingGates: 1,
      shareMeetingGates: 0.5,
      medianDaysInStage: 16.5,
      targetDays: 14,
      overdue: 1
    });
    expect(stage("Standard Sales", "Perception Analysis")).toMatchObject({
      count: 0,
      shareMeetingGates: null,
      medianDaysInStage: null
    });
    expect(stage("Enterprise", "Prospecting")).toMatchObject({
      count: 1,
      meetingGates: 1,
      overdue: 1,
      targetDays: 21
    });
    const criterion = (id: string) =>
      report.byCriterion.find((c) => c.id === id);
    expect(criterion("amount_positive")).toMatchObject({
      required: 7,
      failing: 1
    });
    expect(criterion("exec_sponsor")).toMatchObject({
      mode: "warn",
      required: 2,
      failing: 1
    });
    expect(criterion("ent_eb_meeting")).toMatchObject({
      required: 2,
      failing: 1,
      stage: "Needs Analysis",
      list: "exit"
    });
    // off in Standard Sales: never required there.
    expect(report.byCriterion.map((c) => c.id)).not.toContain(
      "competition_noted"
    );
    expect(report.unknownStages).toEqual([
      expect.objectContaining({
        process: "Standard Sales",
        stage: "Discovery",
        count: 1
      })
    ]);
  });

  it("checks field criteria from the CSV export and leaves related ones unchecked", async () => {
    const csv = await auditFile(CSV, loaded);
    expect(csv.totals).toMatchObject({
      records: 6,
      closed: 1,
      audited: 5,
      meetingGates: 0
    });
    const v = verdicts(csv);
    expect(v["Fabrikam — Renewal"]).toMatchObject({
      failing: ["amount_positive"],
      notChecked: ["primary_contact", "discovery_call"]
    });
    expect(v["Litware — Security suite"]).toMatchObject({
      failing: ["pain_points", "budget_confirmed"],
      notChecked: [
        "primary_contact",
        "discovery_call",
        "decision_maker",
        "solution_meeting"
      ]
    });
    expect(v["Fabrikam Bank — Core banking"]).toMatchObject({
      failing: ["ent_decision_criteria", "ent_competition"],
      notChecked: [
        "ent_primary_contact",
        "ent_discovery_call",
        "ent_eb_contact",
        "ent_technical_contact",
        "ent_action_plan"
      ]
    });
    expect(v["Woodgrove — Wealth portal"]).toMatchObject({
      failing: ["ent_eb_meeting"],
      notChecked: [
        "ent_primary_contact",
        "ent_discovery_call",
        "ent_eb_contact",
        "ent_technical_contact",
        "ent_action_plan",
        "ent_proposal_attached"
      ]
    });
  });

  it("the README's sf data query for the default map is the audit's query (--soql)", () => {
    const readme = fs.readFileSync(
      path.join(__dirname, "..", "..", "README.md"),
      "utf8"
    );
    const shown =
      /sf data query --target-org my-sandbox --json --query "([^"]+)" > opportunities\.json/.exec(
        readme
      )?.[1];
    expect(shown).toBe(buildAuditQuery(loaded.runtime));
  });

  it("queries every field and related object the map reads", () => {
    const soql = buildAuditQuery(loaded.runtime);
    expect(
      soql.startsWith(
        "SELECT Id, Name, StageName, IsClosed, LastStageChangeDate, CreatedDate, "
      )
    ).toBe(true);
    for (const field of [
      "Amount",
      "CloseDate",
      "NextStep",
      "Next_Step_Date__c",
      "Pain_Points__c",
      "Budget_Confirmed__c",
      "Economic_Buyer_Meeting_Date__c",
      "Competition__c",
      "Loss_Reason__c",
      "Stage_Gate_Waived__c",
      "RecordType.DeveloperName"
    ]) {
      expect(soql).toContain(`, ${field},`);
    }
    expect(soql).toContain(
      "(SELECT Id, IsPrimary, Role FROM OpportunityContactRoles), (SELECT Id, Status, Type FROM Tasks), " +
        "(SELECT Id, Type FROM Events), (SELECT Id FROM ContentDocumentLinks), (SELECT Id FROM OpportunityLineItems), " +
        "(SELECT Id, Criterion__c, Status__c, Reason__c, Expires_On__c, Approver__r.Name, Decided_By__r.Name, Decided_At__c, CreatedBy.Name FROM Stage_Gate_Waivers__r) " +
        "FROM Opportunity WHERE IsClosed = false"
    );
  });
});
