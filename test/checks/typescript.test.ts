import { parseTscOutput, runTsc } from "../../scripts/checks/typescript";
import { broken, GOOD } from "./helpers";

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

  it("passes a project without type errors and fails on a type error, naming file and line", async () => {
    const [good, bad] = await Promise.all([
      runTsc(GOOD, "typescript/tsconfig.json", { noEmit: true }),
      runTsc(broken("typescript-error"), "tsconfig.json", { noEmit: true })
    ]);
    expect(good).toEqual([]);
    expect(bad).toEqual([
      expect.objectContaining({
        file: "wrong-type.ts",
        line: 1,
        rule: "TS2322",
        message: expect.stringContaining("not assignable")
      })
    ]);
  }, 30000);
});
