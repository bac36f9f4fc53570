/**
 * What the preview build reads besides the component: the sample data (sObject
 * tree files), the org schema, Apex signatures, and the Ids it makes.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { DEFAULT_DATA_DIR } from "../build";
import { checkSchemaPath } from "../lib/plugins";
import { loadAuraEnabledMethods, loadPreviewSchema } from "../lib/schema";
import { loadSeed, SeedError } from "../lib/seed";
import { caseSafeSuffix, makeId } from "../src/platform/ids";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "preview-inputs-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const schema = loadPreviewSchema();

function dataDir(name: string, files: Record<string, unknown>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(
      path.join(dir, file),
      typeof content === "string" ? content : JSON.stringify(content, null, 2)
    );
  }
  return dir;
}

describe("Ids", () => {
  test("the case-safe suffix matches Salesforce's documented example", () => {
    assert.equal(caseSafeSuffix("00D000000000062"), "EAA");
  });

  test("made Ids are 18 characters with the object's key prefix and their own suffix", () => {
    const id = makeId("Opportunity", 42);
    assert.equal(id.length, 18);
    assert.ok(id.startsWith("006"));
    assert.equal(id.slice(15), caseSafeSuffix(id.slice(0, 15)));
  });
});

describe("sample data", () => {
  test("the project's sample data loads, with the Enterprise record type on Globex deals", () => {
    const seed = loadSeed(DEFAULT_DATA_DIR, schema);
    const opportunities = seed.records.filter(
      (r) => r.sobject === "Opportunity"
    );
    assert.ok(opportunities.length > 0);
    const enterprise = seed.records.find(
      (r) =>
        r.sobject === "RecordType" && r.fields.DeveloperName === "Enterprise"
    );
    assert.ok(enterprise, "force-app defines the Enterprise record type");
    const globex = seed.records.find(
      (r) => r.sobject === "Account" && r.fields.Name === "Globex Corporation"
    );
    for (const o of opportunities) {
      assert.equal(
        o.fields.RecordTypeId === enterprise.fields.Id,
        o.fields.AccountId === globex?.fields.Id,
        String(o.fields.Name)
      );
    }
  });

  test("references and nested child records resolve to Ids", () => {
    const dir = dataDir("nested", {
      "plan.json": [
        { sobject: "Account", files: ["Account.json"] },
        { sobject: "Opportunity", files: ["Opportunity.json"] }
      ],
      "Account.json": {
        records: [
          {
            attributes: { type: "Account", referenceId: "AccRef" },
            Name: "Acme",
            Contacts: {
              records: [
                {
                  attributes: { type: "Contact", referenceId: "ConRef" },
                  LastName: "Doe"
                }
              ]
            }
          }
        ]
      },
      "Opportunity.json": {
        records: [
          {
            attributes: { type: "Opportunity", referenceId: "OppRef" },
            Name: "Deal",
            StageName: "Prospecting",
            CloseDate: "2030-01-01",
            AccountId: "@AccRef",
            OpportunityContactRoles: {
              records: [
                {
                  attributes: {
                    type: "OpportunityContactRole",
                    referenceId: "RoleRef"
                  },
                  ContactId: "@ConRef",
                  IsPrimary: true
                }
              ]
            }
          }
        ]
      }
    });
    const seed = loadSeed(dir, schema, { projectDir: tmp });
    const byType = (t: string) => seed.records.filter((r) => r.sobject === t);
    const [account] = byType("Account");
    const [contact] = byType("Contact");
    const [opportunity] = byType("Opportunity");
    const [role] = byType("OpportunityContactRole");
    assert.equal(contact.fields.AccountId, account.fields.Id);
    assert.equal(opportunity.fields.AccountId, account.fields.Id);
    assert.equal(role.fields.OpportunityId, opportunity.fields.Id);
    assert.equal(role.fields.ContactId, contact.fields.Id);
    assert.equal(seed.source.endsWith("plan.json"), true);
  });

  test("an unknown field is an error naming the file and the JSON path", () => {
    const dir = dataDir("badfield", {
      "Account.json": {
        records: [
          {
            attributes: { type: "Account", referenceId: "A" },
            Name: "Acme",
            Nmae: "typo"
          }
        ]
      }
    });
    assert.throws(
      () => loadSeed(dir, schema, { projectDir: tmp }),
      (e: unknown) =>
        e instanceof SeedError &&
        /Account\.json: \$\.records\[0\]\.Nmae: no field Account\.Nmae/.test(
          e.message
        )
    );
  });

  test("an unresolved reference is an error naming the file and the JSON path", () => {
    const dir = dataDir("badref", {
      "Opportunity.json": {
        records: [
          {
            attributes: { type: "Opportunity", referenceId: "O" },
            Name: "Deal",
            AccountId: "@Missing"
          }
        ]
      }
    });
    assert.throws(
      () => loadSeed(dir, schema, { projectDir: tmp }),
      (e: unknown) =>
        e instanceof SeedError &&
        /\$\.records\[0\]\.AccountId: unresolved reference @Missing/.test(
          e.message
        )
    );
  });

  test("a file that is not an sObject tree is an error", () => {
    const dir = dataDir("badtree", { "Account.json": { accounts: [] } });
    assert.throws(
      () => loadSeed(dir, schema, { projectDir: tmp }),
      /Account\.json: \$: expected an sObject tree/
    );
  });
});

describe("schema references", () => {
  test("fields, lookups and spanning relationships resolve", () => {
    assert.equal(checkSchemaPath(schema, "Opportunity"), undefined);
    assert.equal(checkSchemaPath(schema, "Opportunity.StageName"), undefined);
    assert.equal(
      checkSchemaPath(schema, "Opportunity.Pain_Points__c"),
      undefined
    );
    assert.equal(
      checkSchemaPath(schema, "Opportunity.RecordType.DeveloperName"),
      undefined
    );
    assert.equal(
      checkSchemaPath(schema, "Opportunity.Account.Name"),
      undefined
    );
  });

  test("unknown objects, fields and relationships are named", () => {
    assert.match(
      checkSchemaPath(schema, "Opportunty.StageName") ?? "",
      /unknown object "Opportunty"/
    );
    assert.match(
      checkSchemaPath(schema, "Opportunity.Stage") ?? "",
      /unknown field Opportunity\.Stage/
    );
    assert.match(
      checkSchemaPath(schema, "Opportunity.Acount.Name") ?? "",
      /unknown relationship Opportunity\.Acount/
    );
  });
});

describe("Apex signatures", () => {
  test("static @AuraEnabled methods with their parameters; others are not callable", () => {
    const dir = path.join(tmp, "fa");
    fs.mkdirSync(path.join(dir, "classes"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "classes", "DemoController.cls"),
      `public with sharing class DemoController {
        /* @AuraEnabled public static void commented() {} */
        @AuraEnabled(cacheable=true)
        public static Map<String, Integer> counts(Id recordId, List<String> ids) { return null; }
        @AuraEnabled
        public static void save(String value) {}
        public static void notExposed() {}
        @AuraEnabled
        public String instanceMethod() { return null; }
      }`
    );
    const methods = loadAuraEnabledMethods(dir);
    assert.deepEqual(
      Array.from(methods.entries()).map(([name, m]) => [
        name,
        m.cacheable,
        m.params
      ]),
      [
        ["DemoController.counts", true, ["recordId", "ids"]],
        ["DemoController.save", false, ["value"]]
      ]
    );
  });

  test("an Apex syntax error names the file and line", () => {
    const dir = path.join(tmp, "fa-broken");
    fs.mkdirSync(path.join(dir, "classes"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "classes", "Broken.cls"),
      "public class Broken {\n  public static void x( {}\n}"
    );
    assert.throws(
      () => loadAuraEnabledMethods(dir),
      /classes\/Broken\.cls:2:\d+: Apex syntax error/
    );
  });
});
