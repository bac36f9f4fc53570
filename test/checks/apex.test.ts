import {
  apexFiles,
  apexMethodProblem,
  checkApexFormat,
  checkApexSyntax,
  indexApexClasses
} from "../../scripts/checks/apex";
import { checkPmd } from "../../scripts/checks/pmd";
import { about, broken, FIXTURES, GOOD } from "./helpers";

describe("Apex", () => {
  it("parses valid classes and indexes their @AuraEnabled methods", () => {
    expect(checkApexSyntax(GOOD)).toEqual([]);
    const classes = indexApexClasses(GOOD);
    expect(
      apexMethodProblem(classes, "GateChecklistController.getOpenItems")
    ).toBeUndefined();
    expect(
      apexMethodProblem(classes, "gatechecklistcontroller.GETOPENITEMS")
    ).toBeUndefined();
    expect(
      apexMethodProblem(classes, "GateChecklistController.helper")
    ).toMatch(/is not @AuraEnabled/);
    expect(
      apexMethodProblem(classes, "GateChecklistController.getOpenItems", {
        continuation: true
      })
    ).toMatch(/continuation=true/);
  });

  it("fails a syntax error with file, line and column", () => {
    const problems = checkApexSyntax(broken("apex-syntax-error"));
    expect(problems[0]).toMatchObject({
      file: "force-app/main/default/classes/BrokenController.cls",
      line: 3,
      column: 42,
      rule: "apex-parser"
    });
  });

  it("checks formatting with prettier-plugin-apex", async () => {
    const problems = await checkApexFormat(
      FIXTURES,
      [...apexFiles(GOOD), ...apexFiles(broken("prettier-unformatted"))],
      { ignoreFiles: false }
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: "broken/prettier-unformatted/force-app/main/default/classes/Messy.cls",
        line: 2,
        rule: "prettier"
      })
    ]);
  }, 30000);

  it("PMD (one run over both fixtures): severity 1-2 findings only in the broken class", async () => {
    const problems = await checkPmd(FIXTURES, [
      "good/force-app",
      "broken/apex-pmd/force-app"
    ]);
    const file =
      "broken/apex-pmd/force-app/main/default/classes/UnsafeQueries.cls";
    expect(about(problems, file).length).toBeGreaterThan(0);
    expect(about(problems, file)).toContainEqual(
      expect.objectContaining({ line: 4, rule: "pmd:ApexSOQLInjection" })
    );
    expect(problems.filter((p) => p.file !== file)).toEqual([]);
  }, 60000);
});
