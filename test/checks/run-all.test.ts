import { formatProblem } from "../../scripts/checks/lib/problem";
import { parseArgs, STEPS } from "../../scripts/checks/run-all";

describe("run-all", () => {
  it("runs the steps in the documented order, each either a check or a command", () => {
    // Project steps may be added between them; these keep their relative order.
    const names = STEPS.map((s) => s.name);
    const core = [
      "tsc",
      "lint",
      "metadata",
      "lwc",
      "apex",
      "flows",
      "jest",
      "sf"
    ];
    expect(names.filter((n) => core.includes(n))).toEqual(core);
    expect(new Set(names).size).toBe(names.length);
    for (const step of STEPS)
      expect(Boolean(step.run) !== Boolean(step.command)).toBe(true);
  });

  it("selects steps with --only / --skip and rejects unknown names", () => {
    expect(parseArgs(["--only", "lint"]).only).toEqual(["lint"]);
    expect(parseArgs(["--only=lint,apex"]).only).toEqual(["lint", "apex"]);
    expect(parseArgs(["metadata"]).only).toEqual(["metadata"]);
    expect(parseArgs(["--skip", "jest,sf", "--keep-going"])).toMatchObject({
      skip: ["jest", "sf"],
      keepGoing: true
    });
    expect(() => parseArgs(["--only", "lnt"])).toThrow(/unknown step "lnt"/);
  });

  it("prints each problem as file:line:column: message [rule]", () => {
    expect(
      formatProblem({
        file: "force-app/a.cls",
        line: 3,
        column: 7,
        message: "bad",
        rule: "apex-parser"
      })
    ).toBe("force-app/a.cls:3:7: bad [apex-parser]");
    expect(
      formatProblem({ file: "sfdx-project.json", message: "missing" })
    ).toBe("sfdx-project.json: missing");
  });
});
