/**
 * The sample data says what it is: the core (the what-if engine) agrees that the
 * deals named "(ready)" / "(complete)" meet their gates and the "(blocked: …)" ones
 * do not, for exactly the intended criteria. Also: every stage of every process of
 * the default map has deals, and the literal dates are still on the intended side
 * of today.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  buildChecklist,
  countRelated,
  evaluateTransition,
  selectProcess,
  type RuntimeMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { loadMap } from "../../scripts/gates/load";
import { OPEN_ON_OPPORTUNITY, POST_IMPORT_APEX } from "../../scripts/org/org";
import {
  FILES_APEX,
  PRODUCTS_APEX,
  RECORD_TYPE_APEX,
  enterpriseRule,
  filesByDeal,
  loadSampleDeals,
  productDeals,
  type SampleDeal
} from "../../scripts/org/sample-deals";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * Intent per deal: `blocking` = enforced criteria it misses to be in its stage
 * (it got there through the bypass, like a migrated record); `open` = exit criteria
 * of its stage not met yet (the rep's checklist), enforced or warn.
 */
const EXPECTED: Record<string, { blocking: string[]; open: string[] }> = {
  "Acme — Prospecting (ready)": { blocking: [], open: [] },
  "Initech — Prospecting (in progress: no discovery call logged)": {
    blocking: [],
    open: ["discovery_call"]
  },
  "Acme — Qualification (ready)": { blocking: [], open: [] },
  "Northwind — Qualification (blocked: no primary contact)": {
    blocking: ["primary_contact"],
    open: ["next_step"]
  },
  "Initech — Qualification (in progress: next step is TBD)": {
    blocking: [],
    open: ["next_step"]
  },
  "Acme — Needs Analysis (in progress: budget not confirmed)": {
    blocking: [],
    open: ["budget_confirmed"]
  },
  "Initech — Needs Analysis (ready)": { blocking: [], open: [] },
  "Northwind — Needs Analysis (blocked: next step is N/A)": {
    blocking: ["next_step"],
    open: ["pain_points", "budget_confirmed", "decision_maker"]
  },
  "Acme — Value Proposition (ready)": { blocking: [], open: [] },
  "Northwind — Value Proposition (blocked: budget not confirmed)": {
    blocking: ["budget_confirmed"],
    open: ["solution_meeting"]
  },
  "Initech — Id. Decision Makers (ready)": { blocking: [], open: [] },
  "Acme — Id. Decision Makers (ready with warning: no executive sponsor)": {
    blocking: [],
    open: ["exec_sponsor"]
  },
  "Northwind — Perception Analysis (ready)": { blocking: [], open: [] },
  "Initech — Perception Analysis (blocked: no solution meeting logged)": {
    blocking: ["solution_meeting"],
    open: []
  },
  "Acme — Proposal/Price Quote (ready)": { blocking: [], open: [] },
  "Northwind — Proposal/Price Quote (in progress: proposal not attached)": {
    blocking: [],
    open: ["proposal_attached"]
  },
  "Initech — Negotiation/Review (ready)": { blocking: [], open: [] },
  "Acme — Negotiation/Review (blocked: next step date in the past)": {
    blocking: ["next_step_date"],
    open: ["contract_attached"]
  },
  "Acme — Closed Won (complete)": { blocking: [], open: [] },
  "Northwind — Closed Won (blocked: close date in the future)": {
    blocking: ["won_close_date"],
    open: []
  },
  "Initech — Closed Lost (complete)": { blocking: [], open: [] },
  "Northwind — Closed Lost (blocked: no loss reason)": {
    blocking: ["loss_reason"],
    open: []
  },
  "Globex — Prospecting (ready)": { blocking: [], open: [] },
  "Globex — Qualification (in progress: no champion named)": {
    blocking: [],
    open: ["ent_champion"]
  },
  "Globex — Needs Analysis (in progress: no mutual action plan)": {
    blocking: [],
    open: ["ent_action_plan"]
  },
  "Globex — Needs Analysis (blocked: champion is TBD)": {
    blocking: ["ent_champion"],
    open: [
      "ent_metrics",
      "ent_economic_buyer",
      "ent_decision_criteria",
      "ent_decision_process",
      "ent_competition",
      "ent_eb_contact",
      "ent_technical_contact",
      "ent_action_plan",
      "ent_eb_meeting"
    ]
  },
  "Globex — Value Proposition (ready)": { blocking: [], open: [] },
  "Globex — Proposal/Price Quote (in progress: proposal not attached)": {
    blocking: [],
    open: ["ent_proposal_attached"]
  },
  "Globex — Negotiation/Review (ready)": { blocking: [], open: [] },
  "Globex — Negotiation/Review (blocked: economic buyer meeting in the past)": {
    blocking: ["ent_eb_meeting"],
    open: []
  },
  "Globex — Closed Won (complete)": { blocking: [], open: [] },
  "Globex — Closed Won (blocked: no products)": {
    blocking: ["ent_products_added"],
    open: []
  },
  "Globex — Closed Lost (complete)": { blocking: [], open: [] },
  "Globex — Closed Lost (blocked: loss not explained)": {
    blocking: ["ent_loss_detail"],
    open: []
  }
};

const NAME =
  /^(.+) — (.+) \((ready|ready with warning|in progress|complete|blocked)(?:: (.+))?\)$/;

let runtime: RuntimeMap;
let deals: SampleDeal[];

beforeAll(() => {
  runtime = loadMap("config/stage-gates.json", {
    projectDir: PROJECT_DIR
  }).runtime;
  deals = loadSampleDeals(PROJECT_DIR);
});

function evaluate(deal: SampleDeal) {
  const counts = countRelated(runtime, deal.related);
  // Inserting the record at its stage without the bypass: allowed = it meets its gates.
  const insert = evaluateTransition(runtime, {
    recordType: deal.recordType,
    before: null,
    after: deal.values,
    counts,
    today: TODAY
  });
  const checklist = buildChecklist(runtime, {
    recordType: deal.recordType,
    stage: deal.stage,
    values: deal.values,
    counts,
    today: TODAY,
    missingIsBlank: true
  });
  return { insert, checklist };
}

describe("sample deals against the core", () => {
  test("the intent table lists exactly the sample deals", () => {
    expect(deals.map((d) => d.name).sort()).toEqual(
      Object.keys(EXPECTED).sort()
    );
  });

  test.each(Object.entries(EXPECTED))("%s", (name, expected) => {
    const deal = deals.find((d) => d.name === name);
    if (!deal) {
      throw new Error(`no sample deal named "${name}"`);
    }
    const { insert, checklist } = evaluate(deal);
    expect(insert.blocking).toEqual(expected.blocking);
    expect(
      checklist.items
        .filter((i) => i.verdict !== "met")
        .map((i) => i.criterion.id)
    ).toEqual(expected.open);

    const [, , stage, status] = NAME.exec(name) ?? [];
    expect(stage).toBe(deal.stage);
    switch (status) {
      case "blocked":
        expect(insert.allowed).toBe(false);
        break;
      case "ready":
        expect(insert.allowed).toBe(true);
        expect(checklist.status).toBe("open");
        expect(checklist.ready).toBe(true);
        expect(checklist.items.every((i) => i.verdict === "met")).toBe(true);
        break;
      case "ready with warning":
        expect(insert.allowed).toBe(true);
        expect(checklist.ready).toBe(true);
        expect(
          checklist.items.some(
            (i) => i.mode === "warn" && i.verdict === "unmet"
          )
        ).toBe(true);
        break;
      case "in progress":
        expect(insert.allowed).toBe(true);
        expect(checklist.status).toBe("open");
        expect(checklist.ready).toBe(false);
        break;
      case "complete":
        expect(insert.allowed).toBe(true);
        expect(["won", "lost"]).toContain(checklist.status);
        expect(insert.warnings).toEqual([]);
        break;
      default:
        throw new Error(
          `"${name}" does not follow "<Account> — <Stage> (ready|in progress|complete|blocked: …)"`
        );
    }
  });

  test("every stage of every process has a deal that meets its gates, and both processes have blocked deals", () => {
    for (const process of runtime.processes) {
      const inProcess = deals.filter(
        (d) => selectProcess(runtime, d.recordType)?.name === process.name
      );
      const stages = [
        ...process.stages.map((s) => s.name),
        process.won.name,
        process.lost.name
      ];
      for (const stage of stages) {
        const meeting = inProcess.filter(
          (d) => d.stage === stage && evaluate(d).insert.allowed
        );
        expect({
          process: process.name,
          stage,
          meeting: meeting.length > 0
        }).toEqual({
          process: process.name,
          stage,
          meeting: true
        });
      }
      expect(inProcess.some((d) => !evaluate(d).insert.allowed)).toBe(true);
    }
  });

  test("the deal the org opens on exists and has a partly met checklist", () => {
    const deal = deals.find((d) => d.name === OPEN_ON_OPPORTUNITY);
    expect(deal).toBeDefined();
    const { checklist } = evaluate(deal as SampleDeal);
    expect(checklist.met).toBeGreaterThan(0);
    expect(checklist.met).toBeLessThan(checklist.total);
  });
});

describe("post-import Apex and the data agree", () => {
  const read = (file: string) =>
    fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");

  test("org:create runs every post-import script", () => {
    expect(POST_IMPORT_APEX.map((a) => a.file)).toEqual([
      RECORD_TYPE_APEX,
      FILES_APEX,
      PRODUCTS_APEX
    ]);
  });

  test("the Enterprise record type goes to the Globex deals, by DeveloperName", () => {
    expect(enterpriseRule(read(RECORD_TYPE_APEX))).toEqual({
      accountName: "Globex Corporation",
      developerName: "Enterprise"
    });
    const enterprise = runtime.processes.find((p) =>
      p.recordTypes.includes("Enterprise")
    );
    expect(enterprise).toBeDefined();
    const globex = deals.filter((d) => d.recordType === "Enterprise");
    expect(globex.length).toBeGreaterThan(5);
    expect(globex.every((d) => d.name.startsWith("Globex — "))).toBe(true);
    // Their stages must exist in the Enterprise process (and its sales process).
    const stages = new Set([
      ...(enterprise?.stages ?? []).map((s) => s.name),
      enterprise?.won.name,
      enterprise?.lost.name
    ]);
    expect(
      globex.filter((d) => !stages.has(d.stage)).map((d) => d.name)
    ).toEqual([]);
  });

  test("files and products name existing deals only", () => {
    const names = new Set(deals.map((d) => d.name));
    const files = filesByDeal(read(FILES_APEX));
    expect(files.size).toBeGreaterThan(0);
    expect([...files.keys()].filter((n) => !names.has(n))).toEqual([]);
    const products = productDeals(read(PRODUCTS_APEX));
    expect(products.length).toBeGreaterThan(0);
    expect(products.filter((n) => !names.has(n))).toEqual([]);
  });
});

describe("literal dates (the tree import has no formulas)", () => {
  test("open deals close in the future, closed ones in the past", () => {
    const wrong = deals
      .filter((d) =>
        d.stage.startsWith("Closed")
          ? String(d.values.CloseDate) > TODAY
          : String(d.values.CloseDate) < TODAY
      )
      .filter((d) => !d.name.includes("close date in the future"))
      .map((d) => `${d.name}: CloseDate ${String(d.values.CloseDate)}`);
    expect(wrong).toEqual([]);
  });

  test("the sample dates are far enough ahead: move them forward when this fails", () => {
    const future = deals.flatMap((d) =>
      ["CloseDate", "Next_Step_Date__c", "Economic_Buyer_Meeting_Date__c"]
        .map((f) => d.values[f])
        .filter((v): v is string => typeof v === "string" && v > "2027-01-01")
    );
    expect(future.length).toBeGreaterThan(10);
    const earliest = future.sort()[0];
    if (earliest <= TODAY) {
      throw new Error(
        `The sample date ${earliest} is no longer after today (${TODAY}): move the dates in data/ forward.`
      );
    }
    expect(earliest > TODAY).toBe(true);
  });
});

describe("sample data shape", () => {
  test("contact roles include a primary contact, decision makers and economic buyers", () => {
    const roles = deals.flatMap((d) => d.related.OpportunityContactRole ?? []);
    expect(roles.some((r) => r.IsPrimary === true)).toBe(true);
    expect(roles.some((r) => r.Role === "Decision Maker")).toBe(true);
    expect(roles.some((r) => r.Role === "Economic Decision Maker")).toBe(true);
    expect(roles.some((r) => r.Role === "Economic Buyer")).toBe(true);
    expect(roles.some((r) => r.Role === "Executive Sponsor")).toBe(true);
  });

  test("tasks include completed calls and open ones", () => {
    const tasks = deals.flatMap((d) => d.related.Task ?? []);
    expect(
      tasks.some((t) => t.Type === "Call" && t.Status === "Completed")
    ).toBe(true);
    expect(
      tasks.some((t) => t.Type === "Call" && t.Status === "Not Started")
    ).toBe(true);
  });
});
