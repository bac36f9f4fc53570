/**
 * The generated enforcement test (classes/StageGateGeneratedEnforcementTest.cls): one test per
 * enforced criterion whose move, by the core's own rule, is blocked by exactly that criterion's
 * unmet value and allowed once it is met; the bulk moves are allowed; the query bound is the
 * number of related objects; what cannot be generated is stated, never faked.
 */
import {
  evaluateTransition,
  isRelatedCriterion,
  selectProcess,
  type RelatedCriterion,
  type RuntimeCriterion,
  type RuntimeProcess,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { parseApex } from "../../scripts/checks/apex";
import {
  ENFORCEMENT_TEST_PATH,
  REFERENCE_TODAY,
  coreValue,
  emitEnforcementTest,
  flowQueryBound,
  meetingValue,
  moveFor,
  planMove,
  type MovePlan
} from "../../scripts/gates/generate/enforcement-test";
import { EMITTERS } from "../../scripts/gates/generate/emitters";
import { isGeneratedContent } from "../../scripts/gates/generate/names";
import { loadMap, type LoadedMap } from "../../scripts/gates/load";
import { loadedFromMap } from "./support";

const shipped = loadMap();

function source(loaded: LoadedMap): string {
  const file = emitEnforcementTest({
    loaded,
    configLabel: "config/stage-gates.json"
  }).find((f) => f.path === ENFORCEMENT_TEST_PATH);
  if (!file) throw new Error("no enforcement test emitted");
  return file.content;
}

function recordTypeOf(
  loaded: LoadedMap,
  process: RuntimeProcess
): string | null {
  return (
    process.recordTypes.find(
      (rt) => selectProcess(loaded.runtime, rt) === process
    ) ?? null
  );
}

/** The core's verdict on a plan's move, with `extra` field values or related counts on top. */
function verdict(
  loaded: LoadedMap,
  plan: MovePlan,
  extra: {
    values?: Record<string, unknown>;
    counts?: Record<string, number>;
  } = {}
) {
  const values: Record<string, unknown> = {};
  for (const s of plan.fields) values[s.field] = coreValue(s.value);
  Object.assign(values, extra.values ?? {});
  const counts: Record<string, number> = {};
  for (const r of plan.related) counts[r.id] = r.count;
  Object.assign(counts, extra.counts ?? {});
  return evaluateTransition(loaded.runtime, {
    recordType: recordTypeOf(loaded, plan.process),
    before: plan.from === null ? null : { ...values, StageName: plan.from },
    after: { ...values, StageName: plan.to },
    counts,
    today: REFERENCE_TODAY
  });
}

function placements(process: RuntimeProcess) {
  return [
    ...process.stages.flatMap((s) => [
      ...s.entry.map((c) => ({ c, stage: s.name, list: "entry" as const })),
      ...s.exit.map((c) => ({ c, stage: s.name, list: "exit" as const }))
    ]),
    ...process.won.entry.map((c) => ({
      c,
      stage: process.won.name,
      list: "entry" as const
    })),
    ...process.lost.entry.map((c) => ({
      c,
      stage: process.lost.name,
      list: "entry" as const
    }))
  ].filter(({ c }) => (c.mode ?? "enforce") === "enforce");
}

describe("the shipped map's generated enforcement test", () => {
  const text = source(shipped);

  test("is a generated, syntactically valid Apex test class", () => {
    expect(isGeneratedContent(text)).toBe(true);
    expect(parseApex(text).errors).toEqual([]);
    expect(EMITTERS).toContain(emitEnforcementTest);
    expect(text).toContain(
      "@IsTest\nprivate class StageGateGeneratedEnforcementTest {"
    );
  });

  test("every enforced criterion of both processes has a test asserting its code", () => {
    const ids = shipped.runtime.processes.flatMap((p) =>
      placements(p).map(({ c }) => c.id)
    );
    expect(ids).toHaveLength(35);
    for (const id of ids) {
      expect(text).toContain(
        `StageGateMoveScenario.assertBlockedBy(move.move(records), '${id}');`
      );
    }
    // Warn and off criteria never block, so no test expects them to.
    for (const id of [
      "close_date_ahead",
      "exec_sponsor",
      "competition_noted",
      "loss_detail",
      "products_added"
    ]) {
      expect(text).not.toContain(`'${id}');`);
    }
  });

  test.each(
    shipped.runtime.processes.flatMap((process) =>
      placements(process).map(
        ({ c, stage, list }) =>
          [process.name, c.id, { process, c, stage, list }] as const
      )
    )
  )(
    "%s / %s: the core blocks the generated move by that criterion, and allows it once met",
    (_p, _id, { process, c, stage, list }) => {
      const { from, to } = moveFor(process, stage, list);
      const plan = planMove(
        shipped.runtime,
        shipped.fields,
        process,
        from,
        to,
        c as RuntimeCriterion
      );
      expect(plan.limits).toEqual([]);
      const blocked = verdict(shipped, plan);
      expect(blocked.allowed).toBe(false);
      expect(blocked.blocking).toEqual([c.id]);
      const met = isRelatedCriterion(c)
        ? verdict(shipped, plan, {
            counts: { [c.id]: (c as RelatedCriterion).minCount ?? 1 }
          })
        : verdict(shipped, plan, {
            values: {
              [c.field]: coreValue(
                meetingValue(shipped.runtime, shipped.fields, plan, c) ?? {
                  kind: "null"
                }
              )
            }
          });
      expect(met).toMatchObject({ allowed: true, blocking: [] });
    }
  );

  test("the bulk moves go from the first stage to the won stage and the core allows them with the generated values", () => {
    for (const process of shipped.runtime.processes) {
      const plan = planMove(
        shipped.runtime,
        shipped.fields,
        process,
        process.stages[0].name,
        process.won.name
      );
      expect(plan.limits).toEqual([]);
      expect(verdict(shipped, plan)).toMatchObject({
        allowed: true,
        blocking: []
      });
    }
    expect(text).toContain(
      "static void standardSalesBulkMoveCostsAtMostTheQueryBound()"
    );
    expect(text).toContain(
      "static void enterpriseBulkMoveCostsAtMostTheQueryBound()"
    );
    expect(text).toContain("used - baseline <= FLOW_QUERY_BOUND");
  });

  test("the query bound is the flow's generated bound (one per related object), plus the record type lookup", () => {
    const { bound, perSave, objects, recordTypeLookup } =
      flowQueryBound(shipped);
    expect({ bound, perSave, recordTypeLookup }).toEqual({
      bound: 6,
      perSave: 5,
      recordTypeLookup: 1
    });
    expect([...objects].sort()).toEqual([
      "ContentDocumentLink",
      "Event",
      "OpportunityContactRole",
      "OpportunityLineItem",
      "Task"
    ]);
    // The same number the flow's generator writes into StageGateRelatedCriteria.
    const related = EMITTERS.flatMap((emit) =>
      emit({ loaded: shipped, configLabel: "config/stage-gates.json" })
    ).find((f) => f.path === "classes/StageGateRelatedCriteria.cls");
    expect(related?.content).toContain(
      "public static final Integer FLOW_QUERIES_PER_SAVE = 5;"
    );
    expect(text).toContain(
      "private static final Integer FLOW_QUERY_BOUND = StageGateRelatedCriteria.FLOW_QUERIES_PER_SAVE + 1;"
    );
    expect(text).toContain(
      "plus one for the record type lookup a before-save flow may make"
    );
  });

  test("record types are explicit: the default process has none of its own, Enterprise its record type", () => {
    expect(text).toContain(
      "private static final List<String> PROCESS_1_RECORD_TYPES = new List<String>();"
    );
    expect(text).toContain(
      "private static final List<String> PROCESS_2_RECORD_TYPES = new List<String>{ 'Enterprise' };"
    );
    expect(text).toContain("new Set<String>(new List<String>{ 'Enterprise' })");
  });

  test("every test body runs as the gated or the bypass user", () => {
    const bodies = text.split("@IsTest\n  static void ").slice(1);
    expect(bodies.length).toBeGreaterThan(40);
    for (const body of bodies) {
      expect(body).toMatch(
        /System\.runAs\(StageGateTestDataFactory\.(gatedUser|bypassUser)\(\)\)/
      );
    }
  });

  test("nothing is listed as impossible for the shipped map", () => {
    expect(text).not.toContain("Not generated");
  });
});

describe("what cannot be generated is stated", () => {
  const map = (
    exit: StageGateMap["processes"][number]["stages"][number]["exit"]
  ): StageGateMap => ({
    bypassPermission: "Skip_Gates",
    processes: [
      {
        name: "Sales",
        stages: [{ name: "Prospecting", exit }, { name: "Qualification" }],
        won: { name: "Closed Won" },
        lost: { name: "Closed Lost" }
      }
    ]
  });

  test("a lookup other than AccountId: only the blocked move is asserted, and the class says why", () => {
    const loaded = loadedFromMap(
      map([
        {
          id: "campaign_set",
          label: "Campaign is set",
          field: "CampaignId",
          operator: "isSet"
        },
        {
          id: "amount_set",
          label: "Amount is set",
          field: "Amount",
          operator: "isSet"
        }
      ]),
      {
        CampaignId: { type: "Reference" },
        Amount: { type: "Currency" },
        CloseDate: { type: "Date", required: true }
      }
    );
    const text = source(loaded);
    expect(parseApex(text).errors).toEqual([]);
    expect(text).toContain(
      " * Not generated (the generator cannot make such values):"
    );
    expect(text).toContain(
      "CampaignId is a lookup: the generator cannot create the record it points to"
    );
    expect(text).toContain("'campaign_set');");
    expect(text).not.toContain("'CampaignId',");
    // The Amount test still needs the campaign to be saved: it asserts the block only.
    expect(text).toMatch(
      /enforcesAmountSet: only the blocked move is asserted/
    );
    expect(text).not.toContain("BulkMoveCostsAtMostTheQueryBound");
    expect(text).toContain(
      "Sales: no forward move from Prospecting can be saved with every criterion met"
    );
  });

  test("a formula field is not tested at all (its value is computed), and the class says so", () => {
    const loaded = loadedFromMap(
      map([
        {
          id: "score_set",
          label: "Score is set",
          field: "Score__c",
          operator: "isSet"
        }
      ]),
      {
        Score__c: { type: "Number", custom: true, formula: true },
        CloseDate: { type: "Date", required: true }
      }
    );
    const text = source(loaded);
    expect(text).toContain(
      "criterion score_set is not tested: Score__c is a formula or read-only field"
    );
    expect(text).not.toContain("'score_set');");
  });

  test("two file criteria in one move: the files made for one meet the other, so it is not tested, and the class says so", () => {
    const loaded = loadedFromMap(
      map([
        { id: "one_file", label: "A file", related: "ContentDocumentLink" },
        {
          id: "two_files",
          label: "Two files",
          related: "ContentDocumentLink",
          minCount: 2
        },
        {
          id: "a_call",
          label: "A call",
          related: "Task",
          where: { Type: "Call" }
        }
      ]),
      { CloseDate: { type: "Date", required: true } }
    );
    const text = source(loaded);
    expect(text).toContain(
      "criterion one_file is not tested: the records that meet the other criteria of its move (two_files, a_call) meet it too"
    );
    expect(text).not.toContain(
      "StageGateMoveScenario.assertBlockedBy(move.move(records), 'one_file');"
    );
    // One file does not make two: that test is generated.
    expect(text).toContain(
      "StageGateMoveScenario.assertBlockedBy(move.move(records), 'two_files');"
    );
    expect(text).toContain(
      "StageGateMoveScenario.assertBlockedBy(move.move(records), 'a_call');"
    );
  });

  test("a criterion with `when` is tested where it applies: the when-field gets a value that meets the condition", () => {
    const loaded = loadedFromMap(
      map([
        {
          id: "big_deal_next_step",
          label: "Big deals describe the next step",
          field: "NextStep",
          operator: "isMeaningful",
          when: { field: "Amount", operator: "greaterOrEqual", value: 100000 }
        },
        {
          id: "desk_call",
          label: "Deal desk logs a call",
          related: "Task",
          where: { Type: "Call" },
          when: { permission: "Deal_Desk" }
        }
      ]),
      {
        NextStep: { type: "Text" },
        Amount: { type: "Currency" },
        CloseDate: { type: "Date", required: true }
      }
    );
    const process = loaded.runtime.processes[0];
    const [nextStep] = process.stages[0].exit;
    const plan = planMove(
      loaded.runtime,
      loaded.fields,
      process,
      "Prospecting",
      "Qualification",
      nextStep
    );
    const amount = plan.fields.find((f) => f.field === "Amount");
    expect(
      Number(coreValue(amount?.value ?? { kind: "null" }))
    ).toBeGreaterThanOrEqual(100000);
    const blocked = verdict(loaded, plan);
    expect(blocked.blocking).toContain("big_deal_next_step");
    const text = source(loaded);
    expect(text).toContain("'Amount' => 101000");
    expect(text).toContain(
      "criterion desk_call is not tested: it applies only to holders of the custom permission Deal_Desk, which the test users do not hold"
    );
    expect(text).not.toContain("'desk_call'");
  });

  test("a map without related criteria has a query bound of 0", () => {
    const loaded = loadedFromMap(
      map([
        {
          id: "amount_set",
          label: "Amount is set",
          field: "Amount",
          operator: "isSet"
        }
      ]),
      {
        Amount: { type: "Currency" },
        CloseDate: { type: "Date", required: true }
      }
    );
    expect(flowQueryBound(loaded)).toEqual({
      bound: 0,
      perSave: 0,
      objects: [],
      recordTypeLookup: 0
    });
    expect(source(loaded)).toContain(
      "private static final Integer FLOW_QUERY_BOUND = StageGateRelatedCriteria.FLOW_QUERIES_PER_SAVE;"
    );
  });

  test("two criteria on one field: the unmet value misses one and meets the other", () => {
    const loaded = loadedFromMap(
      map([
        {
          id: "amount_set",
          label: "Amount is set",
          field: "Amount",
          operator: "isSet"
        },
        {
          id: "amount_big",
          label: "Amount over 50000",
          field: "Amount",
          operator: "greaterThan",
          value: 50000
        }
      ]),
      {
        Amount: { type: "Currency" },
        CloseDate: { type: "Date", required: true }
      }
    );
    const process = loaded.runtime.processes[0];
    const big = process.stages[0].exit[1];
    const plan = planMove(
      loaded.runtime,
      loaded.fields,
      process,
      "Prospecting",
      "Qualification",
      big
    );
    expect(verdict(loaded, plan).blocking).toEqual(["amount_big"]);
    const met = planMove(
      loaded.runtime,
      loaded.fields,
      process,
      "Prospecting",
      "Qualification"
    );
    expect(verdict(loaded, met).allowed).toBe(true);
  });
});
