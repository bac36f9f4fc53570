import { parseTscOutput, runTsc } from "../../scripts/checks/typescript";
import { FIXTURES } from "./helpers";

describe("tsc", () => {
  it("parses tsc's diagnostics into file:line:column problems", () => {
    const output = [
      "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "  The expected type comes from here.",
      "error TS5083: Cannot read file 'x.json'."
    ].join("\n");
    expect(parseTscOutput(output, "/repo", "/repo")).toEqual([
      {
        file: "src/a.ts",
        line: 3,
        column: 7,
        message:
          "Type 'string' is not assignable to type 'number'. The expected type comes from here.",
        rule: "TS2322"
      },
      { file: "", message: "Cannot read file 'x.json'.", rule: "TS5083" }
    ]);
  });

  it("reports the type error of the broken file, naming file and line, and nothing for the clean one", async () => {
    // One tsc run over both files (test/fixtures/tsconfig.checks.json).
    const problems = await runTsc(FIXTURES, "tsconfig.checks.json", {
      noEmit: true
    });
    expect(problems).toEqual([
      expect.objectContaining({
        file: "broken/typescript-error/wrong-type.ts",
        line: 1,
        rule: "TS2322",
        message: expect.stringContaining("not assignable")
      })
    ]);
  }, 30000);
});
