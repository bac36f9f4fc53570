/**
 * Waivers and the bypass log in the generator: the waivable codes come from the map (enforced
 * criteria; warn and off criteria listed apart), waivers.maxDays drives the expiry rule (its
 * formula evaluated with formulon: a waiver may run from today through today + maxDays),
 * logBypassedMoves switches the log flow between Active and Draft, the map schema refuses bad
 * settings with file:line, and the permission sets are least privilege.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import {
  WAIVED_FIELD,
  addDays
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { StageGateMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { evaluateFormula } from "../../scripts/gates/formula/formulon-harness";
import { generateAll } from "../../scripts/gates/generate";
import {
  APPROVE_WAIVERS_PERMISSION,
  WAIVER_READ_FIELDS
} from "../../scripts/gates/generate/permissions";
import {
  BYPASS_LOG_FLOW_PATH,
  WAIVER_DEFINITIONS_PATH,
  WAIVER_EXPIRY_RULE_PATH,
  waivableCriterionIds,
  waiverExpiryFormula
} from "../../scripts/gates/generate/waivers";
import { formatProblem, loadMap } from "../../scripts/gates/load";
import { validateMapText } from "../../scripts/gates/validate-map";
import { loadFieldCatalogue } from "../../scripts/gates/load";
import { flowDocument } from "../../scripts/gates/generate/flow";
import { FlowModel } from "./flow-interpreter";
import {
  REPO,
  harnessFieldTypes,
  preparedRules,
  verdicts,
  type Save
} from "./support";

const MINIMAL_MAP = path.join(
  REPO,
  "test",
  "fixtures",
  "valid",
  "minimal-map.json"
);
const parser = new XMLParser({
  ignoreAttributes: true,
  commentPropName: "#comment"
});

/** Parsed metadata XML: nested elements by name (leaf values are strings, numbers or booleans). */
interface Tree {
  [element: string]: Tree;
}

function minimal(): StageGateMap {
  return JSON.parse(fs.readFileSync(MINIMAL_MAP, "utf8")) as StageGateMap;
}

function filesOf(map: StageGateMap): Map<string, string> {
  const file = path.join(
    REPO,
    "test",
    "fixtures",
    "valid",
    ".waivers-test-map.json"
  );
  fs.writeFileSync(file, JSON.stringify(map, null, 2));
  try {
    const loaded = loadMap(file);
    return new Map(
      generateAll({ loaded, configLabel: "m.json" }).map((f) => [
        f.path,
        f.content
      ])
    );
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe("waiver definitions", () => {
  const loaded = loadMap("config/stage-gates.json");
  const files = new Map(
    generateAll({ loaded, configLabel: "config/stage-gates.json" }).map((f) => [
      f.path,
      f.content
    ])
  );
  const apex = files.get(WAIVER_DEFINITIONS_PATH) as string;

  it("lists every enforced criterion of the map as waivable, and only those", () => {
    const waivable = waivableCriterionIds(loaded);
    expect(waivable.length).toBeGreaterThan(10);
    const section = apex.slice(
      apex.indexOf("WAIVABLE_CRITERIA ="),
      apex.indexOf("NON_BLOCKING_CRITERIA =")
    );
    for (const id of waivable) {
      expect(section).toContain(`'${id.toLowerCase()}' => '${id}'`);
    }
    expect(section.match(/'[^']*' => '/g)).toHaveLength(waivable.length);
  });

  it("lists warn and off criteria apart, so waiving them gets its own message", () => {
    const modes = new Map<string, string>();
    for (const p of loaded.map.processes) {
      for (const c of [
        ...p.stages.flatMap((s) => [...(s.entry ?? []), ...(s.exit ?? [])]),
        ...(p.won.entry ?? []),
        ...(p.lost.entry ?? [])
      ]) {
        modes.set(c.id, c.mode ?? "enforce");
      }
    }
    const nonBlocking = [...modes]
      .filter(([, m]) => m !== "enforce")
      .map(([id]) => id);
    expect(nonBlocking.length).toBeGreaterThan(0);
    const section = apex.slice(apex.indexOf("NON_BLOCKING_CRITERIA ="));
    for (const id of nonBlocking) {
      expect(section).toContain(`'${id.toLowerCase()}' => '${id}'`);
    }
    expect(section.match(/'[^']*' => '/g)).toHaveLength(nonBlocking.length);
  });

  it("carries maxDays and logBypassedMoves from the map", () => {
    expect(apex).toContain("public static final Integer MAX_DAYS = 90;");
    expect(apex).toContain(
      "public static final Boolean LOG_BYPASSED_MOVES = true;"
    );
    const custom = filesOf({
      ...minimal(),
      waivers: { maxDays: 30 },
      logBypassedMoves: false
    });
    const text = custom.get(WAIVER_DEFINITIONS_PATH) as string;
    expect(text).toContain("MAX_DAYS = 30;");
    expect(text).toContain("LOG_BYPASSED_MOVES = false;");
  });
});

describe("the waiver expiry rule", () => {
  const types = { Expires_On__c: "Date" } as const;
  const today = "2026-12-02";
  const allows = (
    formula: string,
    expires: string | null,
    prior?: string
  ): boolean =>
    !evaluateFormula(formula, types, {
      values: { Expires_On__c: expires },
      prior: prior === undefined ? null : { Expires_On__c: prior },
      today
    });

  it.each([30, 90])(
    "allows today through today + %i days, nothing else",
    (maxDays) => {
      const formula = waiverExpiryFormula(maxDays);
      expect(allows(formula, today)).toBe(true);
      expect(allows(formula, addDays(today, maxDays))).toBe(true);
      expect(allows(formula, addDays(today, maxDays + 1))).toBe(false);
      expect(allows(formula, addDays(today, -1))).toBe(false);
    }
  );

  it("does not fire when the expiry is unchanged (a waiver past its date can still be revoked)", () => {
    const past = addDays(today, -5);
    expect(allows(waiverExpiryFormula(90), past, past)).toBe(true);
  });

  it("is generated from waivers.maxDays (default 90)", () => {
    const rule = parser.parse(
      filesOf(minimal()).get(WAIVER_EXPIRY_RULE_PATH) as string
    );
    expect(rule.ValidationRule.errorConditionFormula).toContain("TODAY() + 90");
    const custom = parser.parse(
      filesOf({ ...minimal(), waivers: { maxDays: 14 } }).get(
        WAIVER_EXPIRY_RULE_PATH
      ) as string
    );
    expect(custom.ValidationRule.errorConditionFormula).toContain(
      "TODAY() + 14"
    );
    expect(custom.ValidationRule.errorMessage).toContain("14 days");
  });
});

describe("the bypass log flow", () => {
  const flowOf = (map: StageGateMap): Record<string, unknown> =>
    parser.parse(filesOf(map).get(BYPASS_LOG_FLOW_PATH) as string).Flow;

  it("is an active after-save flow on stage changes with one Create Records", () => {
    const flow = flowOf(minimal()) as Tree;
    expect(flow.status).toBe("Active");
    expect(flow.start.triggerType).toBe("RecordAfterSave");
    expect(flow.start.recordTriggerType).toBe("CreateAndUpdate");
    expect(flow.start.filterFormula).toBe(
      "OR(ISNEW(), ISCHANGED({!$Record.StageName}))"
    );
    expect(flow.formulas.expression).toBe("{!$Permission.Bypass_Stage_Gates}");
    // One element creates every log row: no loop, so Salesforce bulkifies it over a batch.
    expect(flow.loops).toBeUndefined();
    expect(Array.isArray(flow.recordCreates)).toBe(false);
    expect(flow.recordCreates.object).toBe("Stage_Gate_Bypass_Log__c");
    expect(
      (
        flow.recordCreates.inputAssignments as unknown as { field: string }[]
      ).map((a) => a.field)
    ).toEqual([
      "Changed_At__c",
      "Changed_By__c",
      "From_Stage__c",
      "Opportunity__c",
      "To_Stage__c"
    ]);
    expect(flow.recordCreates.faultConnector.targetReference).toBe(
      "Log_Failed"
    );
  });

  it("is generated inactive when logBypassedMoves is false", () => {
    expect(
      (
        flowOf({ ...minimal(), logBypassedMoves: false }) as Record<
          string,
          unknown
        >
      ).status
    ).toBe("Draft");
  });

  it("follows the map's bypass permission", () => {
    const flow = flowOf({
      ...minimal(),
      bypassPermission: "Data_Migration"
    }) as Tree;
    expect(flow.formulas.expression).toBe("{!$Permission.Data_Migration}");
  });
});

describe("map settings for waivers", () => {
  const fields = loadFieldCatalogue();
  const text = fs.readFileSync(MINIMAL_MAP, "utf8");
  const withSettings = (settings: string): string =>
    text.replace(
      '"bypassPermission": "Bypass_Stage_Gates",',
      `"bypassPermission": "Bypass_Stage_Gates",\n  ${settings},`
    );

  it("accepts waivers.maxDays and logBypassedMoves", () => {
    const result = validateMapText(
      withSettings('"waivers": { "maxDays": 30 }, "logBypassedMoves": false'),
      "m.json",
      { fields }
    );
    expect(result.problems).toEqual([]);
  });

  it.each([
    ['"waivers": { "maxDays": 0 }', "$.waivers.maxDays"],
    ['"waivers": { "maxDays": 400 }', "$.waivers.maxDays"],
    ['"waivers": { "maxDays": 1.5 }', "$.waivers.maxDays"],
    ['"waivers": { "days": 30 }', "$.waivers"],
    ['"logBypassedMoves": "no"', "$.logBypassedMoves"]
  ])("refuses %s with the file, line and JSON path", (settings, jsonPath) => {
    const result = validateMapText(withSettings(settings), "m.json", {
      fields
    });
    expect(result.map).toBeUndefined();
    const messages = result.problems.map(formatProblem);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatch(
      new RegExp(`^m\\.json:4: \\${jsonPath.replace(/\./g, "\\.")}`)
    );
  });
});

describe("permission sets for waivers and the log (least privilege)", () => {
  const files = new Map(
    generateAll({
      loaded: loadMap("config/stage-gates.json"),
      configLabel: "c"
    }).map((f) => [f.path, f.content])
  );
  const set = (name: string): Tree =>
    parser.parse(
      files.get(`permissionsets/${name}.permissionset-meta.xml`) as string
    ).PermissionSet;
  const objects = (ps: Tree): Record<string, Record<string, unknown>> =>
    Object.fromEntries(
      [ps.objectPermissions]
        .flat()
        .map((o: Record<string, unknown>) => [o.object, o])
    );
  const fieldsOf = (ps: Tree): Map<string, Record<string, unknown>> =>
    new Map(
      [ps.fieldPermissions]
        .flat()
        .map((f: Record<string, unknown>) => [f.field as string, f])
    );

  it("reps create and read waiver requests and read the log, nothing more", () => {
    const user = set("Stage_Gates_User");
    expect(objects(user)).toEqual({
      Stage_Gate_Bypass_Log__c: {
        allowCreate: false,
        allowDelete: false,
        allowEdit: false,
        allowRead: true,
        modifyAllRecords: false,
        object: "Stage_Gate_Bypass_Log__c",
        viewAllRecords: false
      },
      Stage_Gate_Waiver__c: {
        allowCreate: true,
        allowDelete: false,
        allowEdit: false,
        allowRead: true,
        modifyAllRecords: false,
        object: "Stage_Gate_Waiver__c",
        viewAllRecords: false
      }
    });
    const fields = fieldsOf(user);
    for (const field of WAIVER_READ_FIELDS) {
      expect([
        field,
        fields.get(field)?.readable,
        fields.get(field)?.editable
      ]).toEqual([field, true, false]);
    }
    expect(JSON.stringify(user)).not.toContain(APPROVE_WAIVERS_PERMISSION);
  });

  it("approvers get the decide permission and read access, no create, edit or delete", () => {
    const approver = set("Stage_Gates_Approver");
    expect(approver.customPermissions).toEqual({
      enabled: true,
      name: APPROVE_WAIVERS_PERMISSION
    });
    for (const o of Object.values(objects(approver))) {
      expect([
        o.object,
        o.allowCreate,
        o.allowEdit,
        o.allowDelete,
        o.modifyAllRecords,
        o.viewAllRecords
      ]).toEqual([o.object, false, false, false, false, false]);
    }
    for (const f of fieldsOf(approver).values()) {
      expect([f.field, f.editable]).toEqual([f.field, false]);
    }
  });

  it("the bypass set grants the bypass only", () => {
    const bypass = set("Stage_Gates_Bypass");
    expect(bypass.objectPermissions).toBeUndefined();
    expect(bypass.fieldPermissions).toBeUndefined();
  });
});

describe("the generated rules and flow honour the deal's waived list", () => {
  const loaded = loadMap("config/stage-gates.json");
  const types = harnessFieldTypes(loaded);
  const model = new FlowModel(
    flowDocument(loaded, "config/stage-gates.json") as string,
    types
  );
  // Prospecting → Qualification with no contact role and no call: primary_contact and
  // discovery_call (flow) and amount_positive (rule) block.
  const save = (waived: string | null): Save => ({
    recordType: null,
    before: { StageName: "Prospecting" },
    after: { StageName: "Qualification", Amount: null, [WAIVED_FIELD]: waived },
    permissions: [],
    today: "2026-12-02"
  });
  const rules = preparedRules(loaded);

  it("without waivers, the flow and the rule block", () => {
    expect(model.run(save(null), {}).error).toContain("[primary_contact]");
    expect(verdicts(loaded, rules, save(null)).rules).toEqual([
      "amount_positive"
    ]);
  });

  it("a waived related criterion does not block; the others still do", () => {
    const run = model.run(save(";primary_contact;"), {});
    expect(run.error).not.toContain("[primary_contact]");
    expect(run.error).toContain("[discovery_call]");
  });

  it("when every related criterion the move needs is waived, nothing is queried", () => {
    expect(model.run(save(null), {}).queries.length).toBeGreaterThan(0);
    expect(
      model.run(save(";discovery_call;primary_contact;"), {}).queries
    ).toEqual([]);
  });

  it("a waived field criterion's rule does not fire", () => {
    expect(verdicts(loaded, rules, save(";amount_positive;")).rules).toEqual(
      []
    );
  });

  it("waiving everything the move needs lets it save", () => {
    const all = save(";amount_positive;discovery_call;primary_contact;");
    expect(model.run(all, {}).error).toBeUndefined();
    expect(verdicts(loaded, rules, all).rules).toEqual([]);
  });

  it("a longer code does not waive a shorter one", () => {
    expect(model.run(save(";primary_contact_x;"), {}).error).toContain(
      "[primary_contact]"
    );
  });
});
