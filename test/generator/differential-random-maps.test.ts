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
import { flowGates } from "../../scripts/gates/generate/flow";
import { validationRuleSpecs } from "../../scripts/gates/generate/validation-rules";
import type { LoadedMap } from "../../scripts/gates/load";
import {
  GeneratedFlow,
  coreFlowVerdict,
  relatedArbitrary
} from "./flow-support";
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

/** The generated maps as they are (field criteria in validation rules): the flow enforces their related criteria. */
const relatedFlowMaps = maps
  .map((m) => m.loaded)
  .filter((loaded) => flowGates(loaded).length > 0)
  .map((loaded) => ({
    loaded,
    flow: new GeneratedFlow(loaded),
    saves: saveArbitrary(loaded, { recordTypes: ["Partner"] }),
    related: relatedArbitrary(loaded)
  }));

describe("the generated flow agrees with the core (generated maps, related criteria only)", () => {
  test("the flow blocks ⇔ the core blocks on a related criterion, with the core's message (500 generated map × save pairs)", () => {
    expect(relatedFlowMaps.length).toBeGreaterThan(5);
    expect(
      relatedFlowMaps.every((m) => m.flow.gates.every((g) => g.related))
    ).toBe(true);
    let blocked = 0;
    fc.assert(
      fc.property(
        fc
          .nat({ max: relatedFlowMaps.length - 1 })
          .chain((i) =>
            fc
              .tuple(relatedFlowMaps[i].saves, relatedFlowMaps[i].related)
              .map(([save, related]) => ({ i, save, related }))
          ),
        ({ i, save, related }) => {
          const { loaded, flow } = relatedFlowMaps[i];
          const got = flow.verdict(save, related);
          const expected = coreFlowVerdict(loaded, save, related);
          expect(got.blocking).toEqual(expected.blocking);
          expect(got.message).toBe(expected.message);
          blocked += expected.blocking.length > 0 ? 1 : 0;
        }
      ),
      { seed: 779, numRuns: 500 }
    );
    expect(blocked).toBeGreaterThan(15);
  });
});

/** The generated maps with field criteria in the flow (line breaks, which a flow formula cannot hold, become spaces). */
const flowMaps = fc
  .sample(mapSpec, { seed: 4242, numRuns: MAP_COUNT })
  .map((spec) => {
    const map = JSON.parse(
      JSON.stringify(buildMap(spec), (_key, v: unknown) =>
        typeof v === "string" ? v.replace(/[\r\n]+/g, " ") : v
      )
    ) as StageGateMap;
    return loadedFromMap({ ...map, fieldCriteriaIn: "flow" }, SYNTHETIC_FIELDS);
  })
  .filter((loaded) => flowGates(loaded).length > 0)
  .map((loaded) => ({
    loaded,
    flow: new GeneratedFlow(loaded),
    saves: saveArbitrary(loaded, { recordTypes: ["Partner"] }),
    related: relatedArbitrary(loaded)
  }));

describe("the generated flow agrees with the core (generated maps, fieldCriteriaIn flow)", () => {
  test("the maps vary and none writes a validation rule", () => {
    expect(flowMaps.length).toBeGreaterThan(MAP_COUNT / 2);
    expect(
      flowMaps.every((m) => validationRuleSpecs(m.loaded, "x").length === 0)
    ).toBe(true);
    expect(flowMaps.some((m) => m.flow.gates.some((g) => g.related))).toBe(
      true
    );
  });

  test("the flow blocks ⇔ the core blocks, with the core's message (1,000 generated map × save pairs)", () => {
    let blocked = 0;
    fc.assert(
      fc.property(
        fc
          .nat({ max: flowMaps.length - 1 })
          .chain((i) =>
            fc
              .tuple(flowMaps[i].saves, flowMaps[i].related)
              .map(([save, related]) => ({ i, save, related }))
          ),
        ({ i, save, related }) => {
          const { loaded, flow } = flowMaps[i];
          const got = flow.verdict(save, related);
          const expected = coreFlowVerdict(loaded, save, related);
          expect(got.blocking).toEqual(expected.blocking);
          expect(got.message).toBe(expected.message);
          expect(got.message.length).toBeLessThanOrEqual(255);
          blocked += expected.blocking.length > 0 ? 1 : 0;
        }
      ),
      { seed: 778, numRuns: 1000 }
    );
    expect(blocked).toBeGreaterThan(100);
  });

  test("worst case of every map: each process's move from its first stage to won with no related record", () => {
    for (const { loaded, flow } of flowMaps) {
      for (const p of loaded.runtime.processes) {
        const save: Save = {
          recordType: p.recordTypes[0] ?? null,
          before: { StageName: p.stages[0].name },
          after: { StageName: p.won.name },
          permissions: [],
          today: "2025-06-15"
        };
        const got = flow.verdict(save, {});
        const expected = coreFlowVerdict(loaded, save, {});
        expect(got.blocking).toEqual(expected.blocking);
        expect(got.message).toBe(expected.message);
        expect(got.message.length).toBeLessThanOrEqual(255);
      }
    }
  });
});
