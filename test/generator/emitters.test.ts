/**
 * The emitters one by one: formula literals, validation rule content, the
 * permission sets (least privilege), the custom permission, and the LWC's map
 * module (the committed one is the project map's runtime map).
 */
import {
  criterionMessage,
  fieldsUsed,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import definition, {
  FIELDS
} from "../../force-app/main/default/lwc/stageGateDefinition/stageGateDefinition";
import { EMITTERS } from "../../scripts/gates/generate/emitters";
import {
  GenerationError,
  decimalLiteral,
  flowFormulaString,
  formulaDateValue,
  formulaString,
  unmetCondition
} from "../../scripts/gates/generate/formula";
import { generateAll } from "../../scripts/gates/generate/index";
import { emitLwcDefinition } from "../../scripts/gates/generate/lwc-definition";
import {
  emitPermissions,
  userFieldPermissions
} from "../../scripts/gates/generate/permissions";
import { emitValidationRules } from "../../scripts/gates/generate/validation-rules";
import { loadMap } from "../../scripts/gates/load";
import { loadedFromMap } from "./support";

const FIELDS_CATALOGUE = {
  Amount: { type: "Currency" },
  NextStep: { type: "Text" },
  CloseDate: { type: "Date", required: true },
  Name: { type: "Text", required: true },
  IsClosed: { type: "Checkbox", updateable: false },
  Type: { type: "Picklist" },
  Score__c: { type: "Number", custom: true, formula: true },
  Pain_Points__c: { type: "LongTextArea", custom: true },
  Must_Have__c: { type: "Text", custom: true, required: true }
};

const MAP: StageGateMap = {
  bypassPermission: "Skip_Gates",
  processes: [
    {
      name: "Standard",
      stages: [
        {
          name: "Prospecting",
          exit: [
            {
              id: "amount",
              label: "Amount",
              field: "Amount",
              operator: "greaterThan",
              value: 0
            },
            {
              id: "pain",
              label: "Pain",
              field: "Pain_Points__c",
              operator: "isMeaningful"
            },
            {
              id: "score",
              label: "Score",
              field: "Score__c",
              operator: "greaterThan",
              value: 5,
              mode: "warn"
            },
            { id: "name", label: "Name", field: "Name", operator: "isSet" },
            {
              id: "must",
              label: "Must",
              field: "Must_Have__c",
              operator: "isSet"
            },
            {
              id: "closed",
              label: "Closed",
              field: "IsClosed",
              operator: "isFalse"
            },
            {
              id: "type_off",
              label: "Type",
              field: "Type",
              operator: "isSet",
              mode: "off"
            },
            {
              id: "role",
              label: "Role",
              related: "OpportunityContactRole",
              where: { Role: "Decision Maker" }
            }
          ]
        }
      ],
      won: {
        name: "Closed Won",
        entry: [
          {
            id: "close",
            label: "Close",
            field: "CloseDate",
            operator: "lessOrEqual",
            value: "TODAY"
          }
        ]
      },
      lost: { name: "Closed Lost" }
    }
  ]
};

const loaded = loadedFromMap(MAP, FIELDS_CATALOGUE);
const ctx = { loaded, configLabel: "config/stage-gates.json" };

describe("formula literals", () => {
  test("strings escape backslashes, quotes and line breaks", () => {
    expect(formulaString('a"b\\c\nd\re\tf')).toBe('"a\\"b\\\\c\\nd\\re\\tf"');
    expect(formulaString("")).toBe('""');
  });

  test("flow strings split a literal {! so Flow does not read a merge field", () => {
    expect(flowFormulaString("plain")).toBe('"plain"');
    expect(flowFormulaString("a{!b}")).toBe('"a" & "{" & "!" & "b}"');
    expect(flowFormulaString("{!x")).toBe('"{" & "!" & "x"');
  });

  test("numbers are plain decimals; Percent values are divided by 100 exactly", () => {
    expect(decimalLiteral(0)).toBe("0");
    expect(decimalLiteral(1234.5678)).toBe("1234.5678");
    expect(decimalLiteral(1e21)).toBe("1000000000000000000000");
    expect(decimalLiteral(1.5e-7)).toBe("0.00000015");
    expect(decimalLiteral(-10.25)).toBe("(-10.25)");
    expect(decimalLiteral(50, true)).toBe("0.5");
    expect(decimalLiteral(33.5, true)).toBe("0.335");
    expect(decimalLiteral(0.1, true)).toBe("0.001");
    expect(decimalLiteral(100, true)).toBe("1");
    expect(() => decimalLiteral(Number.NaN)).toThrow(GenerationError);
  });

  test("dates: TODAY, TODAY±N and ISO dates", () => {
    expect(formulaDateValue("TODAY")).toBe("TODAY()");
    expect(formulaDateValue("TODAY+3")).toBe("TODAY() + 3");
    expect(formulaDateValue("today - 2")).toBe("TODAY() - 2");
    expect(formulaDateValue("2024-02-29")).toBe("DATE(2024, 2, 29)");
    expect(() => formulaDateValue("next week")).toThrow();
  });

  test("an operator that does not apply to the field type is a generation error naming the criterion", () => {
    expect(() =>
      unmetCondition(
        {
          id: "odd",
          label: "Odd",
          field: "Amount",
          operator: "includes",
          value: ["a"],
          fieldType: "Currency"
        },
        []
      )
    ).toThrow(/criterion "odd".*operator "includes" does not apply/);
  });
});

describe("validation rules", () => {
  const files = emitValidationRules(ctx);

  test("one per enforced field criterion, none for warn, off or related criteria", () => {
    expect(files.map((f) => f.path)).toEqual([
      "objects/Opportunity/validationRules/Stage_Gate_Prospecting_amount.validationRule-meta.xml",
      "objects/Opportunity/validationRules/Stage_Gate_Prospecting_pain.validationRule-meta.xml",
      "objects/Opportunity/validationRules/Stage_Gate_Prospecting_name.validationRule-meta.xml",
      "objects/Opportunity/validationRules/Stage_Gate_Prospecting_must.validationRule-meta.xml",
      "objects/Opportunity/validationRules/Stage_Gate_Prospecting_closed.validationRule-meta.xml",
      "objects/Opportunity/validationRules/Stage_Gate_Closed_Won_close.validationRule-meta.xml"
    ]);
  });

  test("content: active, generated description, the core's message, WSDL element order, bypass by the custom permission", () => {
    const amount = files[0].content;
    const elements = Array.from(amount.matchAll(/^ {4}<(\w+)/gm), (m) => m[1]);
    expect(elements).toEqual([
      "fullName",
      "active",
      "description",
      "errorConditionFormula",
      "errorDisplayField",
      "errorMessage"
    ]);
    expect(amount).toContain("<active>true</active>");
    expect(amount).toContain(
      `<errorMessage>${criterionMessage((MAP.processes[0].stages[0].exit ?? [])[0])}</errorMessage>`
    );
    expect(amount).toContain("NOT($Permission.Skip_Gates)");
    expect(amount).toContain(
      "<description>Generated from config/stage-gates.json (criterion amount, exit of Prospecting, process Standard). Do not edit: change the map and run npm run gates -- generate.</description>"
    );
  });

  test("the error shows on the criterion's field when it can host one: not on read-only or formula fields", () => {
    const display = (i: number) =>
      /<errorDisplayField>(\w+)</.exec(files[i].content)?.[1];
    expect(display(0)).toBe("Amount");
    expect(display(1)).toBe("Pain_Points__c");
    expect(display(2)).toBe("Name");
    expect(display(4)).toBeUndefined(); // IsClosed is read-only
    expect(display(5)).toBe("CloseDate");
  });
});

describe("permissions", () => {
  const files = emitPermissions(ctx);
  const byPath = new Map(files.map((f) => [f.path, f.content]));

  test("the bypass custom permission and the permission set that grants only it", () => {
    const custom = byPath.get(
      "customPermissions/Skip_Gates.customPermission-meta.xml"
    ) as string;
    expect(custom).toContain("<label>Bypass Stage Gates</label>");
    expect(custom).toContain("<isLicensed>false</isLicensed>");
    const bypass = byPath.get(
      "permissionsets/Stage_Gates_Bypass.permissionset-meta.xml"
    ) as string;
    expect(bypass).toContain(
      "<customPermissions>\n        <enabled>true</enabled>\n        <name>Skip_Gates</name>\n    </customPermissions>"
    );
    expect(bypass).not.toContain("<fieldPermissions>");
    expect(bypass).not.toContain("<classAccesses>");
    expect(bypass).toContain(
      "<hasActivationRequired>false</hasActivationRequired>"
    );
  });

  test("the user permission set: the controller class and field-level security for what the map reads, least privilege", () => {
    expect(userFieldPermissions(loaded)).toEqual([
      { field: "Opportunity.Amount", readable: true, editable: false },
      { field: "Opportunity.Pain_Points__c", readable: true, editable: true },
      { field: "Opportunity.Score__c", readable: true, editable: false }
    ]);
    const user = byPath.get(
      "permissionsets/Stage_Gates_User.permissionset-meta.xml"
    ) as string;
    expect(user).toContain(
      "<classAccesses>\n        <apexClass>StageGateController</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>"
    );
    // Required and system fields have no field-level security to grant.
    for (const field of [
      "StageName",
      "CloseDate",
      "Name",
      "IsClosed",
      "Must_Have__c",
      "Type"
    ]) {
      expect(user).not.toContain(`<field>Opportunity.${field}</field>`);
    }
    expect(user).not.toContain("<customPermissions>");
  });

  test("the user permission set makes every record type the map lists visible", () => {
    const project = loadMap();
    const user = emitPermissions({
      loaded: project,
      configLabel: "config/stage-gates.json"
    }).find((f) => f.path.endsWith("Stage_Gates_User.permissionset-meta.xml"))
      ?.content as string;
    const listed = Array.from(
      new Set(project.runtime.processes.flatMap((p) => p.recordTypes))
    );
    expect(listed).toContain("Enterprise");
    for (const recordType of listed) {
      expect(user).toContain(
        `<recordTypeVisibilities>\n        <recordType>Opportunity.${recordType}</recordType>\n        <visible>true</visible>\n    </recordTypeVisibilities>`
      );
    }
  });
});

describe("the LWC's map module", () => {
  test("exports the runtime map (off criteria removed, field types attached) and the fields it reads", () => {
    const [ts, meta] = emitLwcDefinition(ctx);
    expect(ts.path).toBe("lwc/stageGateDefinition/stageGateDefinition.ts");
    expect(ts.content.split("\n")[0]).toBe(
      "// Generated by npm run gates -- generate from config/stage-gates.json. Do not edit."
    );
    expect(ts.content).toContain(
      'import type { RuntimeMap } from "c/stageGateCore";'
    );
    const literal = /const definition: RuntimeMap = ([\s\S]*?);\n/.exec(
      ts.content
    )?.[1] as string;
    expect(JSON.parse(literal)).toEqual(loaded.runtime);
    expect(ts.content).toContain(
      `export const FIELDS: string[] = ${JSON.stringify(fieldsUsed(loaded.runtime))};`
    );
    expect(ts.content).toContain("export default definition;");
    expect(meta.content).toContain("<isExposed>false</isExposed>");
  });

  test("the committed module holds the project map", () => {
    const project = loadMap();
    expect(definition).toEqual(project.runtime);
    expect(FIELDS).toEqual(fieldsUsed(project.runtime));
  });
});

describe("generateAll", () => {
  test("runs every emitter; paths are unique and sorted", () => {
    expect(EMITTERS.length).toBeGreaterThanOrEqual(4);
    const files = generateAll(ctx);
    const paths = files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain("flows/Stage_Gate_Related_Criteria.flow-meta.xml");
  });

  test("a map without enforced related criteria has no flow", () => {
    const noRelated = loadedFromMap(
      {
        ...MAP,
        processes: [{ ...MAP.processes[0], stages: [{ name: "Prospecting" }] }]
      },
      FIELDS_CATALOGUE
    );
    expect(
      generateAll({ loaded: noRelated, configLabel: "m" }).map((f) => f.path)
    ).not.toContain("flows/Stage_Gate_Related_Criteria.flow-meta.xml");
  });
});
