/**
 * Differential test on the project's process map (config/stage-gates.json):
 * the validation rules generated from it, evaluated by formulon, fire for
 * exactly the field criteria the core's evaluateTransition blocks on.
 */
import fc from "fast-check";
import {
  isRelatedCriterion,
  criterionMode,
  allCriteria,
  evaluateTransition
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { loadMap } from "../../scripts/gates/load";
import { preparedRules, saveArbitrary, verdicts } from "./support";

const loaded = loadMap();
const rules = preparedRules(loaded);

describe("generated validation rules agree with the core (config/stage-gates.json)", () => {
  test("a rule for every enforced field criterion of the map, and only those", () => {
    const enforcedFieldIds = allCriteria(loaded.runtime)
      .filter((c) => !isRelatedCriterion(c) && criterionMode(c) === "enforce")
      .map((c) => c.id);
    expect(rules.map((r) => r.criterionId).sort()).toEqual(
      [...enforcedFieldIds].sort()
    );
  });

  test("rule fires ⇔ the core blocks on the criterion (1,000 generated saves)", () => {
    let blocked = 0;
    let allowed = 0;
    fc.assert(
      fc.property(saveArbitrary(loaded), (save) => {
        const v = verdicts(loaded, rules, save);
        expect(v.rules).toEqual(v.core);
        if (v.core.length > 0) {
          blocked += 1;
        } else {
          allowed += 1;
        }
      }),
      { seed: 66, numRuns: 1000 }
    );
    expect(blocked).toBeGreaterThan(100);
    expect(allowed).toBeGreaterThan(100);
  });

  test("a waived criterion's rule does not fire, exactly where the core lifts it (1,000 saves)", () => {
    let lifted = 0;
    fc.assert(
      fc.property(saveArbitrary(loaded), (save) => {
        const v = verdicts(loaded, rules, save);
        expect(v.rules).toEqual(v.core);
        const waived = evaluateTransition(loaded.runtime, save).waived;
        if (waived.some((id) => rules.some((r) => r.criterionId === id))) {
          lifted += 1;
        }
      }),
      { seed: 13, numRuns: 1000 }
    );
    // The saves include deals whose waived list lifts a field criterion the move requires.
    expect(lifted).toBeGreaterThan(10);
  });
});
