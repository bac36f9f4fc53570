/**
 * Salesforce limits the generator must respect: validation rule names (40
 * characters, valid and unique), flow element names (80), descriptions and
 * error messages (255), the error condition formula (3,900); and the names and
 * headers that let `generate` recognise its own files.
 */
import {
  criterionMessage,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { relatedGates } from "../../scripts/gates/generate/flow";
import { GenerationError } from "../../scripts/gates/generate/formula";
import {
  MAX_VALIDATION_RULE_NAME,
  fitApiName,
  isGeneratedContent,
  isValidApiName,
  sanitizeApiName,
  uniqueApiNames
} from "../../scripts/gates/generate/names";
import {
  validationRuleFile,
  validationRuleSpecs
} from "../../scripts/gates/generate/validation-rules";
import { loadedFromMap } from "./support";

const FIELDS = { Amount: { type: "Currency" }, NextStep: { type: "Text" } };
const LONG_STAGE =
  "Proposal and Commercial Negotiation With Procurement (EMEA)";
const LONG_PROCESS = `Enterprise ${"Strategic Accounts ".repeat(12)}`.trim();

function mapWith(
  criteria: StageGateMap["processes"][number]["stages"][number]["exit"],
  processName = "Standard"
): StageGateMap {
  return {
    bypassPermission: "Bypass_Stage_Gates",
    processes: [
      {
        name: processName,
        stages: [{ name: "Prospecting" }, { name: LONG_STAGE, exit: criteria }],
        won: { name: "Closed Won" },
        lost: { name: "Closed Lost" }
      }
    ]
  };
}

describe("validation rule names", () => {
  test("a long stage and criterion name give a valid name of at most 40 characters, the same every time", () => {
    const map = mapWith([
      {
        id: "economic_buyer_signed_off_on_budget_and_timeline",
        label: "Economic buyer signed off",
        field: "NextStep",
        operator: "isMeaningful"
      }
    ]);
    const first = validationRuleSpecs(
      loadedFromMap(map, FIELDS),
      "config/stage-gates.json"
    );
    const second = validationRuleSpecs(
      loadedFromMap(map, FIELDS),
      "config/stage-gates.json"
    );
    expect(first).toHaveLength(1);
    const name = first[0].name;
    expect(name.length).toBeLessThanOrEqual(MAX_VALIDATION_RULE_NAME);
    expect(isValidApiName(name, 40)).toBe(true);
    expect(name).toMatch(/^Stage_Gate_Proposal_a_economic_bu_[0-9a-f]{6}$/);
    expect(second[0].name).toBe(name);
  });

  test("many long names with a common prefix, and ids that sanitize alike, stay unique", () => {
    const criteria = Array.from({ length: 30 }, (_, i) => ({
      id: `very_long_common_prefix_for_criterion_number_${i}`,
      label: `Criterion ${i}`,
      field: "Amount",
      operator: "greaterThan" as const,
      value: i
    }));
    criteria.push(
      {
        id: "budget-ok",
        label: "Budget",
        field: "Amount",
        operator: "greaterThan",
        value: 1
      },
      {
        id: "budget_ok",
        label: "Budget",
        field: "Amount",
        operator: "greaterThan",
        value: 2
      }
    );
    const specs = validationRuleSpecs(
      loadedFromMap(mapWith(criteria), FIELDS),
      "config/stage-gates.json"
    );
    const names = specs.map((s) => s.name);
    expect(names).toHaveLength(32);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(32);
    for (const name of names) {
      expect([name, isValidApiName(name, 40)]).toEqual([name, true]);
    }
  });

  test("flow element names stay within 80 characters and unique", () => {
    const related = (id: string) => ({
      id,
      label: id,
      related: "Task" as const,
      where: { Status: "Completed" }
    });
    const long =
      "a_related_criterion_with_an_extremely_long_identifier_that_goes_on_and_on_and_on";
    const gates = relatedGates(
      loadedFromMap(
        mapWith([
          related(`${long}_1`),
          related(`${long}_2`),
          related("x-y"),
          related("x_y")
        ]),
        FIELDS
      )
    );
    const keys = gates.map((g) => g.key);
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) {
      expect(isValidApiName(`Assign_Count_${key}`, 80)).toBe(true);
    }
  });

  test("sanitizing stage and criterion names", () => {
    expect(sanitizeApiName("Id. Decision Makers")).toBe("Id_Decision_Makers");
    expect(sanitizeApiName("Proposal/Price Quote")).toBe(
      "Proposal_Price_Quote"
    );
    expect(sanitizeApiName("Négociation -- finale")).toBe("Negociation_finale");
    expect(sanitizeApiName("123 Go__now_")).toBe("X123_Go_now");
    expect(sanitizeApiName("???")).toBe("X");
    expect(fitApiName("Stage_Gate_Short", 40, "k")).toBe("Stage_Gate_Short");
    expect(fitApiName("Stage_Gate_" + "x".repeat(40), 40, "k")).toHaveLength(
      40
    );
    const names = uniqueApiNames(
      [
        { key: "1", base: "Same" },
        { key: "2", base: "same" },
        { key: "3", base: "Other" }
      ],
      40
    );
    expect(names.get("3")).toBe("Other");
    expect(names.get("1")).not.toBe(names.get("2"));
    expect(names.get("1")?.toLowerCase()).not.toBe(
      names.get("2")?.toLowerCase()
    );
  });
});

describe("texts within 255 characters", () => {
  test("a help text that would exceed 255 characters is cut by the core, and the error message is the core's", () => {
    const help =
      "Explain in detail what was agreed with the customer and when. ".repeat(
        8
      );
    const criterion = {
      id: "next_step",
      label: "Next step is described",
      help,
      field: "NextStep",
      operator: "isMeaningful" as const
    };
    const [spec] = validationRuleSpecs(
      loadedFromMap(mapWith([criterion]), FIELDS),
      "config/stage-gates.json"
    );
    expect(spec.message).toBe(criterionMessage(criterion));
    expect(spec.message.length).toBeLessThanOrEqual(255);
    expect(spec.message.endsWith("…")).toBe(true);
    expect(
      spec.message.startsWith("[next_step] Next step is described. Explain")
    ).toBe(true);
    const xml = validationRuleFile(spec, "config/stage-gates.json").content;
    expect(xml).toContain(`<errorMessage>${spec.message}</errorMessage>`);
  });

  test("the description stays within 255 characters and says the rule is generated", () => {
    const criterion = {
      id: "amount_positive",
      label: "Amount",
      field: "Amount",
      operator: "greaterThan" as const,
      value: 0
    };
    const [spec] = validationRuleSpecs(
      loadedFromMap(mapWith([criterion], LONG_PROCESS), FIELDS),
      "config/stage-gates.json"
    );
    expect(spec.description.length).toBeLessThanOrEqual(255);
    expect(spec.description).toMatch(
      /^Generated from config\/stage-gates\.json \(criterion amount_positive/
    );
    expect(spec.description).toContain(
      "Do not edit: change the map and run npm run gates -- generate."
    );
    const [short] = validationRuleSpecs(
      loadedFromMap(mapWith([criterion]), FIELDS),
      "config/stage-gates.json"
    );
    expect(short.description).toBe(
      `Generated from config/stage-gates.json (criterion amount_positive, exit of ${LONG_STAGE}, process Standard). Do not edit: change the map and run npm run gates -- generate.`
    );
  });
});

describe("formula length", () => {
  test("a formula over 3,900 characters fails generation with a message naming the criterion", () => {
    const values = Array.from(
      { length: 90 },
      (_, i) => `Agreed action number ${i} with the customer's IT team`
    );
    const map = mapWith([
      {
        id: "next_step_known",
        label: "Known",
        field: "NextStep",
        operator: "in",
        value: values
      }
    ]);
    expect(() => validationRuleSpecs(loadedFromMap(map, FIELDS), "m")).toThrow(
      GenerationError
    );
    expect(() => validationRuleSpecs(loadedFromMap(map, FIELDS), "m")).toThrow(
      /criterion "next_step_known" \(exit of Proposal and Commercial.*\): the generated formula has \d+ characters, more than Salesforce's limit of 3900/
    );
  });
});

describe("generated-file header", () => {
  test("is recognised first in a file, after the XML declaration, or as the root element's first child", () => {
    expect(
      isGeneratedContent(
        "// Generated by npm run gates -- generate from m. Do not edit.\nexport {};\n"
      )
    ).toBe(true);
    expect(
      isGeneratedContent(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<!-- Generated by npm run gates generate from m. Do not edit. -->\n<Flow/>\n'
      )
    ).toBe(true);
    expect(
      isGeneratedContent(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<ValidationRule xmlns="x">\n  <!-- Generated by npm run gates generate from m. Do not edit. -->\n</ValidationRule>\n'
      )
    ).toBe(true);
  });

  test("is not found in hand-written files, even ones that mention it later", () => {
    expect(
      isGeneratedContent(
        '<?xml version="1.0"?>\n<ValidationRule>\n  <fullName>Stage_Gate_X</fullName>\n</ValidationRule>\n'
      )
    ).toBe(false);
    expect(
      isGeneratedContent(
        '<?xml version="1.0"?>\n<Flow>\n  <description>x</description>\n  <!-- Generated by npm run gates -->\n</Flow>\n'
      )
    ).toBe(false);
    expect(
      isGeneratedContent("export const note = 'Generated by npm run gates';\n")
    ).toBe(false);
  });

  test("an XML header never contains a double hyphen (not allowed in XML comments)", () => {
    const [spec] = validationRuleSpecs(
      loadedFromMap(
        mapWith([
          {
            id: "a",
            label: "A",
            field: "Amount",
            operator: "greaterThan",
            value: 0
          }
        ]),
        FIELDS
      ),
      "config--odd/stage-gates.json"
    );
    const xml = validationRuleFile(
      spec,
      "config--odd/stage-gates.json"
    ).content;
    const comment = /<!--([\s\S]*?)-->/.exec(xml)?.[1] ?? "";
    expect(comment).toContain("Generated by npm run gates");
    expect(comment).not.toContain("--");
  });
});
