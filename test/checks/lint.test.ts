import { checkEslint, checkPrettier } from "../../scripts/checks/lint";
import { about, FIXTURES } from "./helpers";

// One ESLint and one prettier run over good and broken files together (from the fixtures folder).
describe("lint", () => {
  it("ESLint passes clean TypeScript and fails a rule violation, naming file, line and rule", async () => {
    const problems = await checkEslint(
      FIXTURES,
      ["good/typescript/stage-count.ts", "broken/eslint-error/uses-any.ts"],
      {
        noIgnore: true
      }
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: "broken/eslint-error/uses-any.ts",
        line: 1,
        rule: "eslint:@typescript-eslint/no-explicit-any"
      })
    ]);
  }, 30000);

  it("prettier passes formatted files and fails unformatted ones, naming each with its first differing line", async () => {
    const problems = await checkPrettier(
      FIXTURES,
      [
        "good/typescript/*.ts",
        "good/force-app/**/*.{html,xml}",
        "broken/prettier-unformatted/force-app/**/*.{ts,html}"
      ],
      { ignoreFiles: false }
    );
    expect(problems.filter((p) => p.file.startsWith("good/"))).toEqual([]);
    const lwc = "broken/prettier-unformatted/force-app/main/default/lwc/messy";
    expect(about(problems, `${lwc}/messy.ts`)).toEqual([
      expect.objectContaining({
        line: 4,
        rule: "prettier",
        message: expect.stringContaining("not formatted")
      })
    ]);
    expect(about(problems, `${lwc}/messy.html`)).toEqual([
      expect.objectContaining({ line: 1, rule: "prettier" })
    ]);
  }, 30000);
});
