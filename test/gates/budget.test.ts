/**
 * The validation-rule budget: generate counts the active rules it writes plus
 * the org's other active Opportunity rules in the package directories (what
 * `gates pull` retrieves), and over the map's "limits.validationRules"
 * (default 100) it fails naming both counts and the budget, writing nothing.
 * Inactive rules do not count; the generator's own rules (its header in
 * force-app, or a retrieved copy of a rule it writes) are not counted twice.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { StageGateMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  DEFAULT_VALIDATION_RULE_BUDGET,
  generatedActiveRules,
  otherActiveRules,
  validationRuleBudget
} from "../../scripts/gates/generate/budget";
import { generateAll } from "../../scripts/gates/generate/index";
import { loadMap, PROJECT_DIR } from "../../scripts/gates/load";
import { snapshotDir } from "../generator/support";
import {
  makeProject,
  ORG_METADATA,
  writeMap,
  writeValidationRule
} from "./org-project";

// CLI runs in child processes (tsx): slow on a loaded machine.
jest.setTimeout(120_000);

const TSX = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
const CLI = path.join(PROJECT_DIR, "scripts", "gates", "cli.ts");

function gates(
  args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [CLI, ...args],
      { cwd: PROJECT_DIR, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr
        })
    );
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Three enforced field criteria (three rules), a warn one and a related one (no rules). */
function mapWith(budget?: number): StageGateMap {
  return {
    bypassPermission: "Bypass_Stage_Gates",
    ...(budget === undefined ? {} : { limits: { validationRules: budget } }),
    processes: [
      {
        name: "Sales",
        stages: [
          {
            name: "Prospecting",
            exit: [
              {
                id: "amount_positive",
                label: "Amount is greater than 0",
                field: "Amount",
                operator: "greaterThan",
                value: 0
              },
              {
                id: "primary_contact",
                label: "A primary contact role is assigned",
                related: "OpportunityContactRole",
                where: { IsPrimary: true }
              }
            ]
          },
          {
            name: "Qualification",
            exit: [
              {
                id: "next_step",
                label: "Next step is described",
                field: "NextStep",
                operator: "isMeaningful"
              },
              {
                id: "close_date_ahead",
                label: "Close date is today or later",
                mode: "warn",
                field: "CloseDate",
                operator: "greaterOrEqual",
                value: "TODAY"
              }
            ]
          }
        ],
        won: {
          name: "Closed Won",
          entry: [
            {
              id: "won_amount",
              label: "Amount is at least 1,000",
              field: "Amount",
              operator: "greaterOrEqual",
              value: 1000
            }
          ]
        },
        lost: { name: "Closed Lost" }
      }
    ]
  } as StageGateMap;
}

/** A project with the org's own rules: two active, one inactive. */
function orgWithRules(
  prefix: string,
  budget?: number
): {
  dir: string;
  map: string;
  out: string;
} {
  const dir = makeProject(prefix);
  dirs.push(dir);
  writeValidationRule(dir, "Close_Date_Required", true);
  writeValidationRule(dir, "Amount_Required_For_Commit", true);
  writeValidationRule(dir, "Old_Discount_Check", false);
  return {
    dir,
    map: writeMap(dir, mapWith(budget)),
    out: path.join(dir, "force-app", "main", "default")
  };
}

describe("counting", () => {
  it("counts the active rules generate writes and the org's other active rules, not inactive ones", () => {
    const { dir, map } = orgWithRules("count", 10);
    const files = generateAll({ loaded: loadMap(map), configLabel: "m" });
    expect(generatedActiveRules(files).sort()).toEqual([
      "Stage_Gate_Closed_Won_won_amount",
      "Stage_Gate_Prospecting_amount_positive",
      "Stage_Gate_Qualification_next_step"
    ]);
    expect(
      otherActiveRules(dir, generatedActiveRules(files)).map((r) => r.file)
    ).toEqual([
      `${ORG_METADATA}/objects/Opportunity/validationRules/Amount_Required_For_Commit.validationRule-meta.xml`,
      `${ORG_METADATA}/objects/Opportunity/validationRules/Close_Date_Required.validationRule-meta.xml`
    ]);
    expect(validationRuleBudget(dir, files, 5)).toMatchObject({
      budget: 5,
      total: 5,
      over: false
    });
    expect(validationRuleBudget(dir, files, 4).over).toBe(true);
    expect(DEFAULT_VALIDATION_RULE_BUDGET).toBe(100);
  });
});

describe("generate and the budget", () => {
  it("under the budget: writes", async () => {
    const { map, out } = orgWithRules("under", 6);
    const result = await gates(["generate", "--config", map, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(
      fs.readdirSync(
        path.join(out, "objects", "Opportunity", "validationRules")
      )
    ).toHaveLength(3);
  });

  it("at the budget: writes", async () => {
    const { map, out } = orgWithRules("at", 5);
    const result = await gates(["generate", "--config", map, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("over the budget: fails naming both counts and the budget, and writes nothing (--check too)", async () => {
    const { dir, map, out } = orgWithRules("over", 4);
    const before = snapshotDir(dir);
    const result = await gates(["generate", "--config", map, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const line =
      fs
        .readFileSync(map, "utf8")
        .split("\n")
        .findIndex((l) => l.includes('"validationRules"')) + 1;
    expect(result.stderr).toContain(
      `${map}:${line}: $.limits.validationRules: 5 active Opportunity validation rules would exceed the budget of 4: generate would write 3 and the org has 2 other active rules in the package directories (1 too many).`
    );
    expect(result.stderr).toContain(
      `  ${ORG_METADATA}/objects/Opportunity/validationRules/Close_Date_Required.validationRule-meta.xml`
    );
    expect(result.stderr).not.toContain("Old_Discount_Check");
    expect(result.stderr).toContain("Nothing was generated.");
    expect(snapshotDir(dir)).toEqual(before);

    const check = await gates([
      "generate",
      "--config",
      map,
      "--out",
      out,
      "--check"
    ]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("would exceed the budget of 4");
    expect(check.stderr).toContain("The generated metadata would not deploy.");
  });

  it("does not count the generator's own rules twice: its header in force-app, a retrieved copy in org-metadata", async () => {
    const { dir, out } = orgWithRules("own", 10);
    // First generation into force-app (files carry the generated header).
    expect(
      (
        await gates([
          "generate",
          "--config",
          path.join(dir, "config", "stage-gates.json"),
          "--out",
          out
        ])
      ).code
    ).toBe(0);
    // The org after deploy and `gates pull`: retrieved copies (no header) of the same rules.
    for (const name of [
      "Stage_Gate_Closed_Won_won_amount",
      "Stage_Gate_Prospecting_amount_positive",
      "Stage_Gate_Qualification_next_step"
    ]) {
      writeValidationRule(dir, name, true);
    }
    const map = writeMap(dir, mapWith(5));
    const again = await gates(["generate", "--config", map, "--out", out]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);

    // A stage-gate rule an earlier map produced is still active in the org: it counts, by name.
    writeValidationRule(dir, "Stage_Gate_Prospecting_old_check", true);
    const stale = await gates(["generate", "--config", map, "--out", out]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      "generate would write 3 and the org has 3 other active rules"
    );
    expect(stale.stderr).toContain(
      "1 of the org's are stage-gate rules this map no longer produces; delete them in the org: Stage_Gate_Prospecting_old_check"
    );
  });

  it("counts what generate writes: with field criteria in the flow, no rules of its own", async () => {
    const { dir, out } = orgWithRules("in-flow", 2);
    const map = writeMap(dir, { ...mapWith(2), fieldCriteriaIn: "flow" });
    const files = generateAll({ loaded: loadMap(map), configLabel: "m" });
    expect(generatedActiveRules(files)).toEqual([]);
    const result = await gates(["generate", "--config", map, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The same map with its rules: 3 + 2 > 2.
    const rules = writeMap(dir, mapWith(2));
    expect(
      (await gates(["generate", "--config", rules, "--out", out])).code
    ).toBe(1);
  });

  it("defaults to 100 when the map sets no limit", async () => {
    const { dir, map, out } = orgWithRules("default");
    for (let i = 0; i < 96; i++) {
      writeValidationRule(dir, `Org_Rule_${String(i).padStart(2, "0")}`, true);
    }
    // 3 generated + 98 others = 101 > 100
    const result = await gates(["generate", "--config", map, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${map}: $.limits.validationRules (not set: 100): 101 active Opportunity validation rules would exceed the budget of 100: generate would write 3 and the org has 98 other active rules`
    );
    expect(fs.existsSync(path.join(out, "objects"))).toBe(false);
  });
});
