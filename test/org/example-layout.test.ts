/**
 * The example's Opportunity page layout (example-app/main/default/layouts): every field a
 * generated validation rule shows its message at (errorDisplayField) is on it, so the message
 * appears at the field instead of at the top of the page; every field on it exists; the fields
 * Salesforce requires on every Opportunity are required on it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { loadMap } from "../../scripts/gates/load";

const REPO = path.resolve(__dirname, "..", "..");
const LAYOUT = path.join(
  REPO,
  "example-app/main/default/layouts/Opportunity-Opportunity Layout.layout-meta.xml"
);
const RULES = path.join(
  REPO,
  "force-app/main/default/objects/Opportunity/validationRules"
);

const parser = new XMLParser({
  isArray: (name) =>
    ["layoutSections", "layoutColumns", "layoutItems", "relatedLists"].includes(
      name
    ),
  parseTagValue: false
});

interface LayoutItem {
  field?: string;
  behavior?: string;
}

/** Field => behavior of every field on a layout. */
export function layoutFields(xml: string): Map<string, string> {
  const layout = parser.parse(xml).Layout as {
    layoutSections?: { layoutColumns?: { layoutItems?: LayoutItem[] }[] }[];
  };
  const fields = new Map<string, string>();
  for (const section of layout.layoutSections ?? []) {
    for (const column of section.layoutColumns ?? []) {
      for (const item of column.layoutItems ?? []) {
        if (item.field) fields.set(item.field, item.behavior ?? "");
      }
    }
  }
  return fields;
}

/** The errorDisplayField of every generated validation rule, by rule file. */
function errorDisplayFields(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of fs.readdirSync(RULES).sort()) {
    const xml = fs.readFileSync(path.join(RULES, file), "utf8");
    const field = /<errorDisplayField>([^<]+)<\/errorDisplayField>/.exec(
      xml
    )?.[1];
    if (field) out.set(file, field);
  }
  return out;
}

/** Rules whose message field is not on the layout: "<rule file>: <field>". */
export function rulesMissingFromLayout(
  rules: Map<string, string>,
  fields: Map<string, string>
): string[] {
  return Array.from(rules)
    .filter(([, field]) => !fields.has(field))
    .map(([file, field]) => `${file}: ${field}`);
}

describe("the example's Opportunity page layout", () => {
  const xml = fs.readFileSync(LAYOUT, "utf8");
  const fields = layoutFields(xml);
  const rules = errorDisplayFields();

  it("shows every field a generated validation rule reports its message at", () => {
    expect(rules.size).toBeGreaterThan(5);
    expect(rulesMissingFromLayout(rules, fields)).toEqual([]);
  });

  it("would name the rule and field when one is missing", () => {
    const withoutPain = new Map(fields);
    withoutPain.delete("Pain_Points__c");
    expect(rulesMissingFromLayout(rules, withoutPain)).toEqual([
      expect.stringMatching(/Pain_Points__c$/)
    ]);
  });

  it("shows every Opportunity field the map's criteria read", () => {
    const { runtime } = loadMap();
    const used = new Set<string>();
    for (const p of runtime.processes) {
      for (const c of [
        ...p.stages.flatMap((s) => [...s.entry, ...s.exit]),
        ...p.won.entry,
        ...p.lost.entry
      ]) {
        if ("field" in c) used.add(c.field);
      }
    }
    expect(Array.from(used).filter((f) => !fields.has(f))).toEqual([]);
  });

  it("holds only fields that exist, and requires Name, Stage and Close Date", () => {
    const { fields: catalogue } = loadMap();
    const system = [
      "CreatedById",
      "LastModifiedById",
      "Description",
      "Type",
      "LeadSource",
      "Probability",
      "OwnerId"
    ];
    const unknown = Array.from(fields.keys()).filter(
      (f) => !catalogue.Opportunity?.[f] && !system.includes(f)
    );
    expect(unknown).toEqual([]);
    expect(
      ["Name", "StageName", "CloseDate"].map((f) => fields.get(f))
    ).toEqual(["Required", "Required", "Required"]);
  });
});
