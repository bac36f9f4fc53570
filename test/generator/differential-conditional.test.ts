/**
 * Differential test for conditional criteria (`when`): on the synthetic map with a `when` on its
 * criteria (every operator and field kind as a field condition, permission and notPermission
 * conditions, lists of conditions), the generated validation rules, evaluated by formulon, fire
 * for exactly the field criteria the core's evaluateTransition blocks on.
 */
import fc from "fast-check";
import { DEAL_DESK, conditionalMap } from "./conditional-map";
import { SYNTHETIC_FIELDS } from "./synthetic-map";
import {
  loadedFromMap,
  preparedRules,
  saveArbitrary,
  verdicts
} from "./support";

const loaded = loadedFromMap(conditionalMap(), SYNTHETIC_FIELDS);
const rules = preparedRules(loaded);

describe("generated validation rules honour `when` as the core does", () => {
  test("every rule's formula carries its criterion's conditions", () => {
    expect(rules.length).toBeGreaterThan(20);
    expect(
      rules.some((r) => r.formula.includes(`$Permission.${DEAL_DESK}`))
    ).toBe(true);
    expect(
      rules.some((r) => r.formula.includes(`NOT($Permission.${DEAL_DESK})`))
    ).toBe(true);
  });

  test("rule fires ⇔ the core blocks on the criterion (1,500 generated saves)", () => {
    let blocked = 0;
    let allowed = 0;
    fc.assert(
      fc.property(
        saveArbitrary(loaded, {
          permissions: [[DEAL_DESK], [DEAL_DESK, "Some_Other_Permission"]]
        }),
        (save) => {
          const v = verdicts(loaded, rules, save);
          expect(v.rules).toEqual(v.core);
          if (v.core.length > 0) {
            blocked += 1;
          } else {
            allowed += 1;
          }
        }
      ),
      { seed: 20261202, numRuns: 1500 }
    );
    expect(blocked).toBeGreaterThan(100);
    expect(allowed).toBeGreaterThan(100);
  });

  test("a criterion whose condition does not hold is not required (a positive control)", () => {
    const base = {
      recordType: null,
      before: null,
      permissions: [],
      today: "2026-06-01"
    };
    const ids = rules.map((r) => r.criterionId);
    const amountGated = ids.find((id) =>
      rules
        .find((r) => r.criterionId === id)
        ?.formula.includes("Amount >= 100000")
    );
    expect(amountGated).toBeDefined();
    const low = verdicts(loaded, rules, {
      ...base,
      after: { StageName: "Closed Won", Amount: 5 }
    });
    const high = verdicts(loaded, rules, {
      ...base,
      after: { StageName: "Closed Won", Amount: 500000 }
    });
    expect(low.core).not.toContain(amountGated);
    expect(low.rules).toEqual(low.core);
    expect(high.rules).toEqual(high.core);
  });
});
