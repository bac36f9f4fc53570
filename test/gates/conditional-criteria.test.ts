/**
 * Conditional criteria (`when`) in the core: a criterion applies only when its conditions hold on
 * the record's new values (and the running user's custom permissions); saves, checklists, move
 * previews and regressions honour it; conditions are described in words; `check` honours it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  buildChecklist,
  criterionApplies,
  describeWhen,
  evaluateTransition,
  fieldsUsed,
  permissionsUsed,
  previewMove,
  toRuntimeMap,
  type FieldType,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { runGates } from "../generator/support";

const TYPES: Record<string, FieldType> = {
  Amount: "Currency",
  NextStep: "Text",
  Probability: "Percent",
  StageName: "Picklist"
};

const MAP: StageGateMap = {
  bypassPermission: "Bypass_Stage_Gates",
  processes: [
    {
      name: "Sales",
      stages: [
        {
          name: "Prospecting",
          exit: [
            {
              id: "big_deal_step",
              label: "Next step agreed",
              field: "NextStep",
              operator: "isSet",
              when: {
                field: "Amount",
                operator: "greaterOrEqual",
                value: 100000
              }
            },
            {
              id: "desk_review",
              label: "Deal desk reviewed",
              related: "Task",
              where: { Subject: "Deal desk review" },
              when: [
                { notPermission: "Deal_Desk" },
                { field: "Probability", operator: "greaterThan", value: 50 }
              ]
            }
          ]
        },
        { name: "Qualification" }
      ],
      won: { name: "Closed Won" },
      lost: { name: "Closed Lost" }
    }
  ]
};

const runtime = toRuntimeMap(MAP, (f) => TYPES[f]);
const [bigDealStep, deskReview] = runtime.processes[0].stages[0].exit;
const TODAY = "2026-06-01";

function save(after: Record<string, unknown>, permissions: string[] = []) {
  return evaluateTransition(runtime, {
    before: { StageName: "Prospecting" },
    after: { StageName: "Qualification", ...after },
    counts: {},
    permissions,
    today: TODAY
  });
}

test("a criterion applies only when its condition holds on the new values", () => {
  expect(save({ Amount: 5000 }).blocking).toEqual([]);
  expect(save({ Amount: 100000 }).blocking).toEqual(["big_deal_step"]);
  expect(save({ Amount: 100000, NextStep: "Call" }).blocking).toEqual([]);
  // A blank value never satisfies a comparison: the criterion does not apply.
  expect(save({ Amount: null }).blocking).toEqual([]);
});

test("every condition of a list must hold; permissions are the running user's", () => {
  expect(save({ Probability: 60 }).blocking).toEqual(["desk_review"]);
  expect(save({ Probability: 60 }, ["Deal_Desk"]).blocking).toEqual([]);
  expect(save({ Probability: 40 }).blocking).toEqual([]);
});

test("the checklist leaves out criteria that do not apply and can't check unknown conditions", () => {
  const base = { counts: {}, today: TODAY, stage: "Prospecting" };
  const small = buildChecklist(runtime, {
    ...base,
    values: { Amount: 10, NextStep: null, Probability: 10 },
    permissions: []
  });
  expect(small.items.map((i) => i.criterion.id)).toEqual([]);
  expect(small.ready).toBe(true);
  const big = buildChecklist(runtime, {
    ...base,
    values: { Amount: 200000, NextStep: null, Probability: 90 },
    permissions: []
  });
  expect(big.items.map((i) => [i.criterion.id, i.verdict])).toEqual([
    ["big_deal_step", "unmet"],
    ["desk_review", "unknown"]
  ]);
  // Permissions not known: a permission condition can't be checked.
  expect(
    criterionApplies(deskReview, { ...base, values: { Probability: 90 } })
  ).toBe("unknown");
  const unreadable = buildChecklist(runtime, {
    ...base,
    values: { NextStep: null, Probability: 10 },
    permissions: []
  });
  expect(unreadable.items.map((i) => [i.criterion.id, i.verdict])).toEqual([
    ["big_deal_step", "unknown"]
  ]);
  const preview = previewMove(runtime, {
    ...base,
    values: { Amount: 10, NextStep: null, Probability: 90 },
    permissions: ["Deal_Desk"],
    toStage: "Closed Won"
  });
  expect(preview).toEqual([]);
});

test("conditions in words; their fields are read; their permissions are known", () => {
  expect(describeWhen(bigDealStep)).toBe("Amount ≥ 100,000");
  expect(describeWhen(deskReview)).toBe(
    "you don't have the Deal Desk permission and Probability > 50%"
  );
  expect(fieldsUsed(runtime)).toEqual(["Amount", "NextStep", "Probability"]);
  expect(permissionsUsed(runtime)).toEqual(["Deal_Desk"]);
});

test("gates check honours when and the record's permissions", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "when-check-"));
  const records = path.join(dir, "saves.json");
  fs.writeFileSync(
    records,
    JSON.stringify([
      {
        id: "small",
        before: { StageName: "Id. Decision Makers" },
        after: { StageName: "Perception Analysis", Amount: 1000 }
      },
      {
        id: "big",
        before: { StageName: "Id. Decision Makers" },
        after: { StageName: "Perception Analysis", Amount: 150000 }
      }
    ])
  );
  const result = await runGates([
    "check",
    "--records",
    records,
    "--today",
    TODAY
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  expect(result.code).toBe(0);
  const out = JSON.parse(result.stdout) as { id: string; warnings: string[] }[];
  // The shipped map: exec_sponsor (warn) applies only from Amount 25,000.
  expect(out.map((r) => [r.id, r.warnings])).toEqual([
    ["small", []],
    ["big", ["exec_sponsor"]]
  ]);
}, 60000);
