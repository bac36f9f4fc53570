import { readJsonExport } from "../../scripts/audit/read-json";
import { auditRecords } from "../../scripts/audit/report";
import {
  generateSyntheticExport,
  seededRandom
} from "../../scripts/audit/synthetic";
import { loadMap } from "../../scripts/gates/load";

const loaded = loadMap();
const generate = (count: number, seed: number) =>
  generateSyntheticExport(loaded.runtime, loaded.fields, {
    count,
    seed,
    today: "2026-11-16"
  });

describe("synthetic opportunities for the benchmark", () => {
  it("are deterministic for a seed", () => {
    expect(JSON.stringify(generate(300, 7).document)).toBe(
      JSON.stringify(generate(300, 7).document)
    );
    expect(JSON.stringify(generate(300, 7).document)).not.toBe(
      JSON.stringify(generate(300, 8).document)
    );
    const a = seededRandom(1);
    const b = seededRandom(1);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("read like an sf data query --json export and exercise every criterion both ways", () => {
    const { document, relatedRecords } = generate(3000, 42);
    const input = readJsonExport(JSON.stringify(document), "generated.json");
    expect(input.kind).toBe("sf-query-json");
    expect(input.records).toHaveLength(3000);
    expect(input.problems).toEqual([]);
    expect(relatedRecords).toBeGreaterThan(3000);
    const report = auditRecords(loaded.runtime, input, {
      today: "2026-11-16",
      config: loaded.file
    });
    expect(report.totals.audited + report.totals.unknownStage).toBe(3000);
    expect(new Set(report.opportunities.map((o) => o.process))).toEqual(
      new Set(["Standard Sales", "Enterprise"])
    );
    for (const c of report.byCriterion) {
      // Every required criterion is met by some deals and missed by others.
      expect([c.id, c.failing > 0 && c.failing < c.required]).toEqual([
        c.id,
        true
      ]);
      expect(c.notChecked).toBe(0);
    }
    expect(report.byCriterion.length).toBeGreaterThan(30);
  });
});
