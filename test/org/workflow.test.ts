/**
 * The scratch-org job of .github/workflows/scratch-org.yml uses exactly the admin's
 * scripts: org:create, the Apex tests, org:delete always.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const WORKFLOW = path.join(
  PROJECT_DIR,
  ".github",
  "workflows",
  "scratch-org.yml"
);

interface StepLines {
  name?: string;
  if?: string;
  run?: string;
}

/** The steps of one job, read from the workflow's block structure (name, if, single-line run). */
function jobSteps(text: string, job: string): StepLines[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l === `  ${job}:`);
  if (start < 0) {
    throw new Error(`${WORKFLOW}: no job "${job}"`);
  }
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  const body = lines.slice(start + 1, end < 0 ? undefined : end);
  const steps: StepLines[] = [];
  for (const line of body) {
    const item = /^ {6}- (\w+): ?(.*)$/.exec(line);
    const key = /^ {8}(\w+): ?(.*)$/.exec(line);
    if (item) {
      steps.push({});
    }
    const [, k, v] = item ?? key ?? [];
    if (k && steps.length > 0 && (k === "name" || k === "if" || k === "run")) {
      steps[steps.length - 1][k] = v.trim();
    }
  }
  return steps;
}

describe(".github/workflows/scratch-org.yml, job scratch-org", () => {
  const steps = jobSteps(fs.readFileSync(WORKFLOW, "utf8"), "scratch-org");
  const runs = steps.map((s) => s.run).filter(Boolean);

  test("creates, tests and deletes the org with the project's scripts, in this order", () => {
    const create = runs.indexOf("npm run org:create -- --no-open");
    const tests = runs.indexOf(
      "npx sf apex run test --code-coverage --result-format human --wait 30 --test-level RunLocalTests --output-dir apex-test-results"
    );
    const remove = runs.indexOf("npm run org:delete");
    expect({ create, tests, remove }).toEqual({
      create: expect.any(Number),
      tests: create + 1,
      remove: create + 2
    });
    expect(create).toBeGreaterThanOrEqual(0);
  });

  test("the Apex test step uses only flags the installed CLI knows, and its results are kept even on failure", () => {
    const manifest = JSON.parse(
      fs.readFileSync(
        path.join(
          PROJECT_DIR,
          "node_modules",
          "@salesforce",
          "plugin-apex",
          "oclif.manifest.json"
        ),
        "utf8"
      )
    ) as { commands: Record<string, { flags: Record<string, unknown> }> };
    const flags = Object.keys(manifest.commands["apex:run:test"].flags);
    const step = runs.find((r) => r?.startsWith("npx sf apex run test")) ?? "";
    const used = step.match(/--[a-z-]+/g) ?? [];
    expect(used.length).toBeGreaterThan(3);
    for (const flag of used) {
      expect({ flag, known: flags.includes(flag.slice(2)) }).toEqual({
        flag,
        known: true
      });
    }
    const text = fs.readFileSync(WORKFLOW, "utf8");
    expect(text).toMatch(
      /- name: Keep the Apex test results\n\s+if: always\(\)\n\s+uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: apex-test-results\n\s+path: apex-test-results/
    );
  });

  test("deletes the org even when an earlier step failed", () => {
    const remove = steps.find((s) => s.run === "npm run org:delete");
    expect(remove?.if).toBe("always()");
  });

  test("does not create, deploy or load by hand", () => {
    const direct = runs.filter((r) =>
      /sf (org create|project deploy|data import|org assign|org delete)/.test(
        r ?? ""
      )
    );
    expect(direct).toEqual([]);
  });
});
