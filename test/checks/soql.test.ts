import * as path from "node:path";
import {
  checkSoql,
  checkSoqlSource,
  soqlFiles
} from "../../scripts/checks/soql";
import { loadProjectIndex } from "../../scripts/checks/lib/project";
import { broken } from "./helpers";

const FIXTURE = broken("soql-fields");
const CLASSES = "force-app/main/default/classes";

describe("SOQL fields", () => {
  const problems = checkSoql(FIXTURE);
  const at = (file: string) =>
    problems
      .filter((p) => p.file === file)
      .map((p) => [p.line, p.column, p.message]);

  it("resolves every query shape of the valid class: paths, child and semi-join subqueries, functions, aliases, binds, custom objects and fields of every package directory", () => {
    expect(at(`${CLASSES}/ValidQueries.cls`)).toEqual([]);
  });

  it("fails misspelled fields, relationships, child relationships and objects, naming file, line and column", () => {
    expect(at(`${CLASSES}/MisspelledFields.cls`)).toEqual([
      [
        4,
        18,
        expect.stringMatching(
          /^SOQL: Opportunity has no field Amout \(did you mean Amount\?\)/
        )
      ],
      [
        4,
        25,
        expect.stringMatching(
          /^SOQL: User has no field Nmae \(did you mean Name\?\)/
        )
      ],
      [
        6,
        37,
        expect.stringMatching(
          /^SOQL: Opportunity has no field Budget_Confirmd__c \(did you mean Budget_Confirmed__c\?\) \(no objects\/Opportunity\/fields\/Budget_Confirmd__c.field-meta.xml/
        )
      ],
      [
        13,
        30,
        expect.stringMatching(/^SOQL: OpportunityLineItem has no field Quantty/)
      ],
      [
        13,
        82,
        expect.stringMatching(
          /^SOQL: Opportunity has no child relationship LineItems .*known: OpportunityLineItems, .*Deal_Reviews__r/
        )
      ],
      [
        16,
        16,
        expect.stringMatching(/^SOQL: Opportunity has no field CloseDat/)
      ],
      [
        21,
        33,
        expect.stringMatching(
          /^SOQL: object Opportunty \(did you mean Opportunity\?\) is neither in scripts\/metadata\/standard-fields.json/
        )
      ]
    ]);
  });

  it("checks triggers and the anonymous scripts in scripts/apex (their syntax too)", () => {
    expect(
      at("force-app/main/default/triggers/DealReviewTrigger.trigger")
    ).toEqual([
      [
        10,
        63,
        expect.stringMatching(/^SOQL: Deal_Review__c has no field Verdikt__c/)
      ]
    ]);
    expect(at("scripts/apex/misspelled.apex")).toEqual([
      [5, 41, expect.stringMatching(/^SOQL: RecordType has no field DevName/)]
    ]);
    expect(at("scripts/apex/syntax-error.apex")).toContainEqual([
      2,
      1,
      expect.stringMatching(/^Apex syntax error/)
    ]);
    expect(
      problems.every((p) => p.rule === "soql" || p.rule === "apex-parser")
    ).toBe(true);
  });

  it("covers the project's anonymous scripts: scripts/apex (with subfolders) and scripts/admin", () => {
    const root = path.resolve(__dirname, "..", "..");
    const files = soqlFiles(root).map((f) => path.relative(root, f));
    expect(files).toContain("scripts/admin/schedule-waiver-expiry.apex");
    expect(files).toContain(
      "scripts/apex/alerts/schedule-stalled-deal-alerts.apex"
    );
    expect(
      checkSoql(
        root,
        files
          .filter((f) => f.startsWith("scripts/"))
          .map((f) => path.join(root, f))
      )
    ).toEqual([]);
  });

  describe("one source at a time", () => {
    const index = loadProjectIndex(FIXTURE);
    const check = (body: string) =>
      checkSoqlSource(
        `public with sharing class Q {\n  public static Object q(Id dealId) {\n    return ${body};\n  }\n}\n`,
        { index, file: "Q.cls", kind: "class" }
      ).map((p) => p.message);

    it("TYPEOF: WHEN branches resolve on their object, ELSE on what the lookup points to", () => {
      expect(
        check(
          "[SELECT TYPEOF What WHEN Opportunity THEN Amount, StageName ELSE Name END FROM Task WITH USER_MODE]"
        )
      ).toEqual([]);
      expect(
        check(
          "[SELECT TYPEOF What WHEN Opportunity THEN Amont ELSE Nam END FROM Task WITH USER_MODE]"
        )
      ).toEqual([
        expect.stringMatching(/Opportunity has no field Amont/),
        expect.stringMatching(/Opportunity has no field Nam/)
      ]);
    });

    it("a SELECT alias resolves in ORDER BY and HAVING, not as a field elsewhere", () => {
      expect(
        check(
          "[SELECT StageName, SUM(Amount) total FROM Opportunity GROUP BY StageName HAVING SUM(Amount) > 1 ORDER BY total]"
        )
      ).toEqual([]);
      expect(
        check(
          "[SELECT StageName, SUM(Amount) total FROM Opportunity WHERE total > 1 GROUP BY StageName]"
        )
      ).toEqual([expect.stringMatching(/Opportunity has no field total/)]);
      expect(
        check("[SELECT SUM(Amount) total FROM Opportunity ORDER BY totl]")
      ).toEqual([expect.stringMatching(/Opportunity has no field totl/)]);
    });

    it("bind expressions are Apex, not fields; WITH USER_MODE and SECURITY_ENFORCED name none", () => {
      expect(
        check(
          "[SELECT Id FROM Opportunity WHERE Id = :dealId AND Name = :String.valueOf(dealId) WITH SECURITY_ENFORCED]"
        )
      ).toEqual([]);
    });

    it("a relationship that is not one, and a lookup to an object the catalogue lacks", () => {
      expect(check("[SELECT Amount.Name FROM Opportunity]")).toEqual([
        expect.stringMatching(/Opportunity has no relationship Amount/)
      ]);
      expect(check("[SELECT Campaign.Name FROM Opportunity]")).toEqual([
        expect.stringMatching(
          /Opportunity.CampaignId points to Campaign: object Campaign is neither in/
        )
      ]);
    });
  });
});
