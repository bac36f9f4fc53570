/**
 * Differential test: the generated validation rules, evaluated by formulon
 * (through the harness), fire for exactly the field criteria the core's
 * evaluateTransition blocks on — on a map using every operator and field kind.
 */
import fc from "fast-check";
import { SYNTHETIC_FIELDS, SYNTHETIC_MAP } from "./synthetic-map";
import {
  loadedFromMap,
  preparedRules,
  saveArbitrary,
  verdicts
} from "./support";

const loaded = loadedFromMap(SYNTHETIC_MAP, SYNTHETIC_FIELDS);
const rules = preparedRules(loaded);

describe("generated validation rules agree with the core (every operator and field kind)", () => {
  test("one rule per enforced field criterion; warn and off criteria have none", () => {
    const ids = rules.map((r) => r.criterionId);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(ids).not.toContain("w_warn");
    expect(ids).not.toContain("n_le");
    expect(ids).not.toContain("o_off");
    expect(ids).toEqual(
      expect.arrayContaining([
        "t_eq",
        "t_in",
        "m_inc",
        "n_pct",
        "dt_gt",
        "c_false",
        "e_amount"
      ])
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
      { seed: 20240229, numRuns: 1000 }
    );
    // The generated saves exercise both outcomes, not just one.
    expect(blocked).toBeGreaterThan(100);
    expect(allowed).toBeGreaterThan(100);
  });
});
