import {
  loadProjectIndex,
  resolveSchemaReference
} from "../../scripts/checks/lib/project";
import type { Problem } from "../../scripts/checks/lib/problem";
import { about, broken, GOOD, runCheckProcess } from "./helpers";

// The platform compiler loads ES modules that jest cannot: the check runs in its own process,
// once for all three fixtures.
const TEMPLATE = broken("lwc-template-expression");
const REFERENCES = broken("lwc-references");
let results: Record<string, Problem[]>;

beforeAll(async () => {
  results = await runCheckProcess("lwc", [GOOD, TEMPLATE, REFERENCES]);
}, 60000);

describe("LWC platform compiler and references", () => {
  it("passes bundles whose Apex, schema, label, permission and c/ references all resolve", () => {
    expect(results[GOOD]).toEqual([]);
  });

  it("fails an invalid template expression, naming the template", () => {
    expect(results[TEMPLATE]).toEqual([
      expect.objectContaining({
        file: "force-app/main/default/lwc/badTemplate/badTemplate.html",
        line: 2,
        rule: "lwc-compiler",
        message: expect.stringContaining("{count + 1}")
      })
    ]);
  });

  it("fails references that do not resolve, naming the importing file and line", () => {
    const problems = results[REFERENCES];
    const lwc = "force-app/main/default/lwc";
    expect(
      about(problems, `${lwc}/missingApexMethod/missingApexMethod.js`)
    ).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining("has no method getClosedItems")
      })
    ]);
    expect(about(problems, `${lwc}/unknownField/unknownField.js`)).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining("Opportunity.Stage_Name__c")
      })
    ]);
    expect(about(problems, `${lwc}/unknownLabel/unknownLabel.js`)).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining("label No_Such_Label")
      })
    ]);
    expect(about(problems, `${lwc}/unknownBundle/unknownBundle.js`)).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining("no LWC bundle noSuchModule")
      })
    ]);
    expect(problems).toHaveLength(4);
  });

  it("resolves standard, custom and spanning schema references", () => {
    const index = loadProjectIndex(GOOD);
    expect(resolveSchemaReference(index, "Opportunity")).toEqual({ ok: true });
    expect(resolveSchemaReference(index, "Opportunity.StageName")).toEqual({
      ok: true
    });
    expect(
      resolveSchemaReference(index, "opportunity.gate_override__c")
    ).toEqual({ ok: true });
    expect(resolveSchemaReference(index, "Opportunity.Account.Name")).toEqual({
      ok: true
    });
    expect(
      resolveSchemaReference(index, "Opportunity.Acount.Name")
    ).toMatchObject({ ok: false });
    expect(resolveSchemaReference(index, "Nope__c.Name")).toMatchObject({
      ok: false
    });
  });
});
