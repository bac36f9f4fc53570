/**
 * Differential test on generated process maps: random stage orders (with odd
 * stage names), criteria drawn from every operator and field kind with random
 * modes, record-type processes (claimed twice, no default process, two default
 * processes) and placeholder lists. For each map the generated validation
 * rules, evaluated by formulon, fire for exactly the field criteria the core's
 * evaluateTransition blocks on.
 */
import fc from "fast-check";
import type {
  Criterion,
  CriterionMode,
  Process,
  Scalar,
  StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../../scripts/gates/load";
import { SYNTHETIC_FIELDS } from "./synthetic-map";
import {
  loadedFromMap,
  preparedRules,
  saveArbitrary,
  verdicts,
  type PreparedRule,
  type Save
} from "./support";

type Template = [field: string, operator: string, value?: Scalar | Scalar[]];

const TEMPLATES: Template[] = [
  ["NextStep", "isSet"],
  ["NextStep", "isMeaningful"],
  ["Description", "equals", 'a"b\\c'],
  ["NextStep", "notEquals", "Done"],
  ["Description", "in", ["x", "Y z", "line\nbreak"]],
  ["NextStep", "notIn", ["TBD", "Pending Review"]],
  ["Type", "isSet"],
  ["LeadSource", "isMeaningful"],
  ["Type", "equals", "New Customer"],
  ["LeadSource", "notEquals", "Web"],
  ["Type", "in", ["A", 'B "q"']],
  ["LeadSource", "notIn", ["Other"]],
  ["Competitors__c", "isSet"],
  ["Competitors__c", "includes", ["Acme"]],
  ["Amount", "greaterThan", 0],
  ["Amount", "lessOrEqual", 5000],
  ["TotalOpportunityQuantity", "equals", 3],
  ["TotalOpportunityQuantity", "notEquals", 0],
  ["Probability", "greaterOrEqual", 50],
  ["Probability", "lessThan", 75.5],
  ["Amount", "greaterOrEqual", -3.5],
  ["TotalOpportunityQuantity", "isSet"],
  ["CloseDate", "isSet"],
  ["CloseDate", "greaterOrEqual", "TODAY"],
  ["CloseDate", "lessThan", "TODAY+30"],
  ["Next_Step_Date__c", "equals", "TODAY-1"],
  ["Next_Step_Date__c", "notEquals", "2024-12-31"],
  ["CloseDate", "greaterThan", "2024-02-29"],
  ["Next_Step_Date__c", "lessOrEqual", "TODAY+7"],
  ["Signed_At__c", "isSet"],
  ["Signed_At__c", "greaterThan", "TODAY-2"],
  ["LastStageChangeDate", "lessOrEqual", "2025-01-01"],
  ["Signed_At__c", "greaterOrEqual", "TODAY"],
  ["LastStageChangeDate", "lessThan", "TODAY+1"],
  ["Budget_Confirmed__c", "isTrue"],
  ["IsPrivate", "isFalse"]
];

const STAGE_POOL = [
  "Prospecting",
  "Qualification",
  "Needs Analysis",
  'Stage "Q" \\ 2',
  "Proposal/Price Quote",
  "Negotiation/Review"
];

/** Which processes a map has: record types per process ([] = default process). */
const PROCESS_SHAPES: string[][][] = [
  [[]],
  [[], ["Enterprise"]],
  [["Enterprise", "Partner"], []],
  [["Enterprise"]],
  [["Enterprise"], ["Enterprise", "Partner"], []],
  [[], []]
];

const criterionSpec = fc.record({
  template: fc.nat({ max: TEMPLATES.length }),
  mode: fc.constantFrom<CriterionMode>(
    "enforce",
    "enforce",
    "enforce",
    "warn",
    "off"
  )
});
const listSpec = fc.array(criterionSpec, { maxLength: 2 });
const processSpec = fc.record({
  stages: fc.shuffledSubarray(STAGE_POOL, { minLength: 1, maxLength: 4 }),
  entry: fc.array(listSpec, { minLength: 4, maxLength: 4 }),
  exit: fc.array(listSpec, { minLength: 4, maxLength: 4 }),
  won: listSpec,
  lost: listSpec
});
const mapSpec = fc.record({
  shape: fc.constantFrom(...PROCESS_SHAPES),
  processes: fc.array(processSpec, { minLength: 3, maxLength: 3 }),
  placeholders: fc.option(
    fc.constantFrom<string[]>(["TBD", "N / A"], ["Pending Review", "?"], []),
    { nil: undefined }
  )
});

type MapSpec = typeof mapSpec extends fc.Arbitrary<infer T> ? T : never;

function buildMap(spec: MapSpec): StageGateMap {
  let n = 0;
  const criteria = (
    list: { template: number; mode: CriterionMode }[]
  ): Criterion[] =>
    list.map(({ template, mode }) => {
      n += 1;
      const id = `c${n}`;
      if (template === TEMPLATES.length) {
        return {
          id,
          label: `Related ${id}`,
          related: "Task",
          where: { Status: "Completed" },
          mode
        };
      }
      const [field, operator, value] = TEMPLATES[template];
      return {
        id,
        label: `Criterion ${id}`,
        field,
        operator,
        mode,
        ...(value !== undefined ? { value } : {})
      } as Criterion;
    });
  const processes: Process[] = spec.shape.map((recordTypes, i) => {
    const p = spec.processes[i];
    return {
      name: `Process ${i + 1}`,
      ...(recordTypes.length > 0 ? { recordTypes } : {}),
      stages: p.stages.map((name, k) => ({
        name,
        entry: criteria(p.entry[k]),
        exit: criteria(p.exit[k])
      })),
      won: { name: "Closed Won", entry: criteria(p.won) },
      lost: { name: "Closed Lost", entry: criteria(p.lost) }
    };
  });
  return {
    bypassPermission: "Bypass_Stage_Gates",
    ...(spec.placeholders !== undefined
      ? { placeholders: spec.placeholders }
      : {}),
    processes
  };
}

const MAP_COUNT = 40;
const maps: {
  loaded: LoadedMap;
  rules: PreparedRule[];
  saves: fc.Arbitrary<Save>;
}[] = fc.sample(mapSpec, { seed: 4242, numRuns: MAP_COUNT }).map((spec) => {
  const loaded = loadedFromMap(buildMap(spec), SYNTHETIC_FIELDS);
  return {
    loaded,
    rules: preparedRules(loaded),
    saves: saveArbitrary(loaded, { recordTypes: ["Partner"] })
  };
});

describe("generated validation rules agree with the core (generated maps)", () => {
  test("the generated maps vary: shapes, rule counts", () => {
    expect(
      new Set(maps.map((m) => m.loaded.map.processes.length)).size
    ).toBeGreaterThan(1);
    expect(maps.some((m) => m.rules.length === 0)).toBe(true);
    expect(Math.max(...maps.map((m) => m.rules.length))).toBeGreaterThan(8);
  });

  test("rule fires ⇔ the core blocks on the criterion (1,000 generated map × save pairs)", () => {
    let blocked = 0;
    fc.assert(
      fc.property(
        fc
          .nat({ max: MAP_COUNT - 1 })
          .chain((i) => maps[i].saves.map((save) => ({ i, save }))),
        ({ i, save }) => {
          const v = verdicts(maps[i].loaded, maps[i].rules, save);
          expect(v.rules).toEqual(v.core);
          if (v.core.length > 0) {
            blocked += 1;
          }
        }
      ),
      { seed: 777, numRuns: 1000 }
    );
    expect(blocked).toBeGreaterThan(100);
  });
});
