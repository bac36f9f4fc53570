/**
 * The process map validator: the default map, a corpus of broken maps (one
 * problem each), several problems at once, warnings, the field catalogue and
 * the `validate` command.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  loadFieldCatalogue as readCatalogue,
  loadRecordTypes,
  loadSalesProcessStages
} from "../../scripts/gates/fields";
import {
  DEFAULT_CONFIG,
  formatProblem,
  loadFieldCatalogue,
  loadMap,
  MapValidationError,
  PROJECT_DIR,
  type Problem
} from "../../scripts/gates/load";
import { validateMapText } from "../../scripts/gates/validate-map";
import type { StageGateMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";

const MAPS_DIR = path.join(PROJECT_DIR, "test", "fixtures", "maps");
const MINIMAL_MAP = path.join(
  PROJECT_DIR,
  "test",
  "fixtures",
  "valid",
  "minimal-map.json"
);

function problemsOf(file: string): Problem[] {
  try {
    loadMap(file);
  } catch (error) {
    if (error instanceof MapValidationError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

function tempMap(map: unknown, name = "map.json"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gates-map-"));
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    typeof map === "string" ? map : JSON.stringify(map, null, 2)
  );
  return file;
}

function defaultMap(): StageGateMap {
  return JSON.parse(
    fs.readFileSync(path.join(PROJECT_DIR, DEFAULT_CONFIG), "utf8")
  ) as StageGateMap;
}

/** The 1-based line of the first occurrence of `text` in `file` (after `after`, if given). */
function lineOf(file: string, text: string, after?: string): number {
  const content = fs.readFileSync(file, "utf8");
  const from = after ? content.indexOf(after) : 0;
  const at = content.indexOf(text, from);
  if (at < 0) {
    throw new Error(`${text} not in ${file}`);
  }
  return content.slice(0, at).split("\n").length;
}

describe("the default map", () => {
  it("is valid, without warnings, and names its JSON Schema for editors", () => {
    const loaded = loadMap();
    expect(loaded.map.$schema).toBe("./stage-gates.schema.json");
    expect(
      fs.existsSync(path.join(PROJECT_DIR, "config", "stage-gates.schema.json"))
    ).toBe(true);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.map.processes.map((p) => p.name)).toEqual([
      "Standard Sales",
      "Enterprise"
    ]);
    expect(loaded.runtime.processes[1].recordTypes).toEqual(["Enterprise"]);
  });

  it("uses all eight open default stages in the standard process, with guidance and target days", () => {
    const [standard] = loadMap().map.processes;
    expect(standard.recordTypes ?? []).toEqual([]);
    expect(standard.stages.map((s) => s.name)).toEqual([
      "Prospecting",
      "Qualification",
      "Needs Analysis",
      "Value Proposition",
      "Id. Decision Makers",
      "Perception Analysis",
      "Proposal/Price Quote",
      "Negotiation/Review"
    ]);
    expect([standard.won.name, standard.lost.name]).toEqual([
      "Closed Won",
      "Closed Lost"
    ]);
    for (const stage of standard.stages) {
      expect([
        stage.name,
        typeof stage.guidance,
        typeof stage.targetDays
      ]).toEqual([stage.name, "string", "number"]);
    }
  });

  it("shows every mode, and every criterion has help and fits one error message", () => {
    const { map } = loadMap();
    const all = map.processes.flatMap((p) => [
      ...p.stages.flatMap((s) => [...(s.entry ?? []), ...(s.exit ?? [])]),
      ...(p.won.entry ?? []),
      ...(p.lost.entry ?? [])
    ]);
    expect(new Set(all.map((c) => c.mode ?? "enforce"))).toEqual(
      new Set(["enforce", "warn", "off"])
    );
    for (const c of all) {
      expect([c.id, typeof c.help, c.label.length <= 80]).toEqual([
        c.id,
        "string",
        true
      ]);
      expect(`[${c.id}] ${c.label}. ${c.help}`.length).toBeLessThanOrEqual(255);
    }
  });

  it("passes through the CLI with a one-line summary", () => {
    const result = spawnSync(
      "npx",
      ["tsx", "scripts/gates/cli.ts", "validate"],
      { cwd: PROJECT_DIR, encoding: "utf8" }
    );
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "config/stage-gates.json: valid — 2 processes, 18 stages, 41 criteria (35 enforce, 5 warn, 1 off)"
    ]);
  });
});

describe("broken maps: each is rejected with its file and JSON path", () => {
  // file → [JSON path of the problem, part of the message]
  const cases: Record<string, [string, string]> = {
    "bad-json-syntax": ["$", "invalid JSON: ',' expected"],
    "trailing-comma": ["$", "invalid JSON: trailing comma before '}'"],
    "duplicate-key": ["$", 'duplicate key "help"'],
    "schema-missing-won": ["$.processes[0]", 'missing required property "won"'],
    "schema-unknown-property": [
      "$.processes[0].stages[2].exits",
      'unknown property "exits"'
    ],
    "schema-bad-mode": [
      "$.processes[0].stages[0].exit[0].mode",
      '"block" is not allowed here; use one of: enforce, warn, off'
    ],
    "schema-bad-id": [
      "$.processes[0].stages[0].exit[0].id",
      '"amount-positive" is not a criterion id'
    ],
    "schema-id-double-underscore": [
      "$.processes[0].stages[0].exit[0].id",
      '"amount__positive" is not a criterion id'
    ],
    "schema-label-too-long": [
      "$.processes[0].stages[0].exit[0].label",
      "must NOT have more than 80 characters"
    ],
    "schema-no-processes": ["$.processes", "must NOT have fewer than 1 items"],
    "schema-bad-bypass-permission": [
      "$.bypassPermission",
      '"Bypass Stage Gates" is not a Salesforce API name'
    ],
    "when-unknown-field": [
      "$.processes[0].stages[0].exit[0].when.field",
      'no field "Ammount" on Opportunity (did you mean "Amount"?)'
    ],
    "when-operator-type-mismatch": [
      "$.processes[0].stages[0].exit[0].when[1].operator",
      "greaterThan does not fit Opportunity.Pain_Points__c (TextArea)"
    ],
    "when-unknown-permission": [
      "$.processes[0].stages[0].exit[0].when.permission",
      'no custom permission "Big_Deal_Desk" in the project'
    ],
    "schema-when-bad-condition": [
      "$.processes[0].stages[0].exit[0].when.operator",
      '"above" is not allowed here; use one of: isSet'
    ],
    "schema-alerts-not-boolean": ["$.alerts.overdue", "must be boolean"],
    "schema-target-days-zero": [
      "$.processes[0].stages[1].targetDays",
      "must be >= 1"
    ],
    "schema-value-object": [
      "$.processes[0].stages[0].exit[0].value",
      "must be a string, number, boolean or null"
    ],
    "field-criterion-with-where": [
      "$.processes[0].stages[0].exit[0].where",
      'unknown property "where"'
    ],
    "duplicate-id": [
      "$.processes[0].stages[2].exit[0].id",
      'criterion id "amount_positive" is already used at $.processes[0].stages[0].exit[0].id (line 13)'
    ],
    "duplicate-id-across-processes": [
      "$.processes[1].lost.entry[0].id",
      'criterion id "loss_reason" is already used at $.processes[0].lost.entry[0].id'
    ],
    "duplicate-stage": [
      "$.processes[0].stages[2].name",
      'stage "Prospecting" appears twice in process "Standard Sales"'
    ],
    "duplicate-stage-won": [
      "$.processes[0].won.name",
      'stage "Needs Analysis" appears twice'
    ],
    "duplicate-stage-won-lost": [
      "$.processes[0].lost.name",
      'stage "Closed Won" appears twice'
    ],
    "unknown-field": [
      "$.processes[0].stages[0].exit[0].field",
      'no field "Ammount" on Opportunity (did you mean "Amount"?)'
    ],
    "operator-type-mismatch": [
      "$.processes[0].stages[2].exit[0].operator",
      "greaterThan does not fit Opportunity.Pain_Points__c (TextArea)"
    ],
    "operator-checkbox-isset": [
      "$.processes[0].stages[2].exit[1].operator",
      "isSet does not fit Opportunity.Budget_Confirmed__c (Checkbox); use one of: isTrue, isFalse"
    ],
    "wrong-value-type": [
      "$.processes[0].stages[0].exit[0].value",
      'must be a number for Opportunity.Amount (Currency), not "0"'
    ],
    "value-for-no-value-operator": [
      "$.processes[0].stages[2].exit[0].value",
      "isMeaningful takes no value"
    ],
    "missing-value": [
      "$.processes[0].stages[0].exit[0]",
      'greaterThan needs a "value"'
    ],
    "null-comparison-value": [
      "$.processes[0].stages[0].exit[0].value",
      "must not be null: a blank value never satisfies a comparison"
    ],
    "bad-date-literal": [
      "$.processes[0].stages[1].entry[0].value",
      '"TOMORROW" is not a date for Opportunity.CloseDate (Date)'
    ],
    "bad-iso-date": [
      "$.processes[0].stages[1].entry[0].value",
      '"2025-02-30" is not a date'
    ],
    "unknown-picklist-value": [
      "$.processes[0].lost.entry[0].value",
      '"Budget" is not a value of Opportunity.Loss_Reason__c (Picklist)'
    ],
    "in-without-list": [
      "$.processes[0].lost.entry[0].value",
      "in needs a list of values"
    ],
    "equals-with-list": [
      "$.processes[0].lost.entry[0].value",
      "equals compares with one value, not a list (use in)"
    ],
    "unknown-related-object": [
      "$.processes[0].stages[0].exit[1].related",
      '"Attachment" is not allowed here; use one of: OpportunityContactRole, Task'
    ],
    "unknown-where-field": [
      "$.processes[0].stages[1].exit[0].where.State",
      'no field "State" on Task'
    ],
    "where-value-type": [
      "$.processes[0].stages[0].exit[1].where.IsPrimary",
      'must be true or false for OpportunityContactRole.IsPrimary (Checkbox), not "yes"'
    ],
    "where-picklist-value": [
      "$.processes[0].stages[1].exit[0].where.Status",
      '"Done" is not a value of Task.Status (Picklist)'
    ],
    "where-parent-field": [
      "$.processes[0].stages[1].exit[0].where.WhatId",
      "Task.WhatId is the link to the Opportunity"
    ],
    "min-count-zero": [
      "$.processes[0].stages[0].exit[1].minCount",
      "must be >= 1"
    ],
    "min-count-fraction": [
      "$.processes[0].stages[0].exit[1].minCount",
      "must be integer"
    ],
    "two-default-processes": [
      "$.processes[1]",
      'more than one default process (no recordTypes): "Standard Sales" at $.processes[0] is already the default'
    ],
    "record-type-claimed-twice": [
      "$.processes[2].recordTypes[0]",
      'record type "Enterprise" is already claimed by process "Enterprise" at $.processes[1].recordTypes[0]'
    ],
    "unknown-stage": [
      "$.processes[0].stages[1].name",
      '"Discovery" is not a value of Opportunity.StageName'
    ],
    "schema-limits-zero": ["$.limits.validationRules", "must be >= 1"],
    "duplicate-id-case": [
      "$.processes[0].stages[2].exit[0].id",
      'criterion id "Amount_Positive" differs only in case from "amount_positive" at $.processes[0].stages[0].exit[0].id (line 13); Salesforce API names ignore case'
    ],
    "won-stage-open": [
      "$.processes[0].won.name",
      'the map makes "Negotiation/Review" the won stage, but it is open (closed=false) in scripts/metadata/standard-fields.json'
    ],
    "lost-stage-open": [
      "$.processes[0].lost.name",
      'the map makes "Perception Analysis" the lost stage, but it is open (closed=false) in scripts/metadata/standard-fields.json'
    ]
  };

  it("covers every file of the corpus", () => {
    const files = fs
      .readdirSync(MAPS_DIR)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""))
      .sort();
    expect(files).toEqual(Object.keys(cases).sort());
  });

  it("starts from a valid minimal map", () => {
    expect(loadMap(MINIMAL_MAP).map.processes).toHaveLength(1);
  });

  it.each(Object.entries(cases))("%s", (name, [jsonPathExpected, message]) => {
    const file = path.join(MAPS_DIR, `${name}.json`);
    const problems = problemsOf(file);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem.path).toBe(jsonPathExpected);
    expect(problem.message).toContain(message);
    expect(problem.file).toContain(`test/fixtures/maps/${name}.json`);
    expect(typeof problem.line).toBe("number");
    const formatted = formatProblem(problem);
    expect(formatted).toContain(
      `test/fixtures/maps/${name}.json:${problem.line}`
    );
    expect(formatted).toContain(
      problem.column ? message : `${jsonPathExpected}: ${message}`
    );
  });

  it("reports JSON syntax errors as file:line:col", () => {
    const file = path.join(MAPS_DIR, "bad-json-syntax.json");
    const [problem] = problemsOf(file);
    // The comma is missing after `"targetDays": 14`: the parser stops at the next key.
    const line = lineOf(file, '"targetDays": 14') + 1;
    const column =
      fs.readFileSync(file, "utf8").split("\n")[line - 1].indexOf('"exit"') + 1;
    expect(formatProblem(problem)).toBe(
      `test/fixtures/maps/bad-json-syntax.json:${line}:${column}: invalid JSON: ',' expected`
    );
  });

  it("keeps the trailing comma of its fixture (formatters would remove it)", () => {
    expect(
      fs.readFileSync(path.join(MAPS_DIR, "trailing-comma.json"), "utf8")
    ).toMatch(/,\s*\}/);
  });

  it("points at the line of the offending value or key", () => {
    const dup = path.join(MAPS_DIR, "duplicate-id.json");
    expect(problemsOf(dup)[0].line).toBe(
      lineOf(dup, '"id": "amount_positive"', '"Needs Analysis"')
    );
    const unknownProperty = path.join(MAPS_DIR, "schema-unknown-property.json");
    expect(problemsOf(unknownProperty)[0].line).toBe(
      lineOf(unknownProperty, '"exits"')
    );
    const missingWon = path.join(MAPS_DIR, "schema-missing-won.json");
    expect(problemsOf(missingWon)[0].line).toBe(
      lineOf(missingWon, "{", '"processes"')
    );
  });

  it("every command refuses an invalid map with the same messages (check)", () => {
    const file = path.join(MAPS_DIR, "unknown-field.json");
    const records = tempMap([], "records.json");
    const result = spawnSync(
      "npx",
      [
        "tsx",
        "scripts/gates/cli.ts",
        "check",
        "--config",
        path.relative(PROJECT_DIR, file),
        "--records",
        records
      ],
      { cwd: PROJECT_DIR, encoding: "utf8" }
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(formatProblem(problemsOf(file)[0]));
  });
});

describe("several problems at once", () => {
  it("lists every problem in file order", () => {
    const map = defaultMap();
    const standard = map.processes[0];
    standard.stages[0].exit![0] = {
      ...standard.stages[0].exit![0],
      field: "Amout"
    } as never;
    standard.stages[2].name = "Discovery";
    standard.lost.entry![0] = {
      ...standard.lost.entry![0],
      id: "amount_positive"
    };
    map.processes[1].recordTypes = [];
    const file = tempMap(map);
    const problems = problemsOf(file);
    expect(problems.map((p) => p.path)).toEqual([
      "$.processes[0].stages[0].exit[0].field",
      "$.processes[0].stages[2].name",
      "$.processes[0].lost.entry[0].id",
      "$.processes[1].recordTypes"
    ]);
    const lines = problems.map((p) => p.line ?? 0);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it("prints them all from the CLI and exits non-zero", () => {
    const map = defaultMap();
    map.processes[0].stages[0].targetDays = -1;
    map.processes[0].won.name = "Closed Lost";
    map.processes[1].stages[0].exit![0] = {
      ...map.processes[1].stages[0].exit![0],
      operator: "isTrue"
    } as never;
    const file = tempMap(map);
    const result = spawnSync(
      "npx",
      ["tsx", "scripts/gates/cli.ts", "validate", "--config", file],
      { cwd: PROJECT_DIR, encoding: "utf8" }
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n").filter((l) => l.startsWith(file));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^[^:]+:\d+: \$\.processes\[0\]\.stages\[0\]\.targetDays: must be >= 1$/
    );
    expect(lines[1]).toMatch(
      /^[^:]+:\d+: \$\.processes\[0\]\.won\.name: the map makes "Closed Lost" the won stage, but it is closed and not won \(won=false\) in scripts\/metadata\/standard-fields\.json/
    );
    expect(lines[2]).toMatch(
      /^[^:]+:\d+: \$\.processes\[0\]\.lost\.name: stage "Closed Lost" appears twice in process "Standard Sales" \(also at \$\.processes\[0\]\.won\.name\)$/
    );
    expect(lines[3]).toMatch(
      /^[^:]+:\d+: \$\.processes\[1\]\.stages\[0\]\.exit\[0\]\.operator: isTrue does not fit Opportunity\.Amount \(Currency\)/
    );
    expect(result.stderr).toContain(
      "4 problems: the process map is not valid."
    );
  });

  it("reports a missing file", () => {
    const problems = problemsOf(path.join(os.tmpdir(), "no-such-map.json"));
    expect(problems[0].message).toBe(
      "cannot read the process map: no such file"
    );
  });
});

describe("warnings", () => {
  it("warns (does not fail) when a message will be cut to 255 characters", () => {
    const map = defaultMap();
    map.processes[0].stages[0].exit![0].help =
      "Enter your best estimate of the deal value. ".repeat(8);
    const loaded = loadMap(tempMap(map));
    expect(
      loaded.warnings?.map((w) => [w.path, w.message.slice(0, 40)])
    ).toEqual([
      [
        "$.processes[0].stages[0].exit[0]",
        'the message "[id] label. help" is longer'
      ]
    ]);
  });

  it("warns about record types and stages the project's metadata does not have", () => {
    const map = defaultMap();
    map.processes[1].recordTypes = ["Enterprise", "Renewal"];
    map.processes[1].stages[1].name = "Id. Decision Makers";
    const warnings = loadMap(tempMap(map)).warnings ?? [];
    expect(warnings.map((w) => w.path)).toEqual([
      "$.processes[1].recordTypes[1]",
      "$.processes[1].stages[1].name"
    ]);
    expect(warnings[0].message).toContain('no record type "Renewal"');
    expect(warnings[1].message).toContain(
      'stage "Id. Decision Makers" is not in the sales process of record type "Enterprise"'
    );
  });

  it("warns when a Percent value looks like a fraction", () => {
    const map = defaultMap();
    map.processes[0].stages[1].exit!.push({
      id: "probability_half",
      label: "Probability is at least 50%",
      field: "Probability",
      operator: "greaterOrEqual",
      value: 0.5
    });
    const warnings = loadMap(tempMap(map)).warnings ?? [];
    expect(warnings.map((w) => [w.path, w.message])).toEqual([
      [
        "$.processes[0].stages[1].exit[1].value",
        "Opportunity.Probability (Percent) values are in percent: 0.5 means 0.5%; write 50 for 50%"
      ]
    ]);
  });

  it("warns when no process is the default", () => {
    const map = defaultMap();
    map.processes = [map.processes[1]];
    expect(
      (loadMap(tempMap(map)).warnings ?? []).map((w) => w.message)
    ).toEqual([
      "no default process: Opportunities of other record types are not gated"
    ]);
  });

  it("prints warnings on stderr and still exits 0", () => {
    const map = defaultMap();
    map.processes[1].recordTypes = ["Enterprise", "Renewal"];
    const file = tempMap(map);
    const result = spawnSync(
      "npx",
      ["tsx", "scripts/gates/cli.ts", "validate", "--config", file],
      { cwd: PROJECT_DIR, encoding: "utf8" }
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      '$.processes[1].recordTypes[1]: warning: no record type "Renewal"'
    );
    expect(result.stdout).toContain(": valid — 2 processes");
  });
});

describe("field catalogue", () => {
  it("has standard fields and the custom fields of force-app, with types and picklist values", () => {
    const fields = loadFieldCatalogue();
    expect(fields.Opportunity.Amount.type).toBe("Currency");
    expect(fields.Opportunity.Pain_Points__c).toMatchObject({
      type: "TextArea",
      custom: true
    });
    expect(fields.Opportunity.Budget_Confirmed__c.type).toBe("Checkbox");
    expect(fields.Opportunity.Next_Step_Date__c.type).toBe("Date");
    expect(fields.Opportunity.Loss_Reason__c).toMatchObject({
      type: "Picklist",
      values: [
        "Price",
        "Competitor",
        "No Budget",
        "No Decision",
        "Timing",
        "Product Fit",
        "Other"
      ]
    });
    expect(fields.Task.Status.values).toContain("Completed");
  });

  it("reads the Enterprise record type and its sales process", () => {
    expect(loadRecordTypes(PROJECT_DIR).Opportunity).toContain("Enterprise");
    expect(loadSalesProcessStages(PROJECT_DIR).Enterprise).toEqual([
      "Prospecting",
      "Qualification",
      "Needs Analysis",
      "Value Proposition",
      "Proposal/Price Quote",
      "Negotiation/Review",
      "Closed Won",
      "Closed Lost"
    ]);
  });

  it("maps metadata types (Lookup, Html) and Activity fields onto Task and Event", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gates-project-"));
    fs.mkdirSync(path.join(dir, "scripts", "metadata"), { recursive: true });
    fs.copyFileSync(
      path.join(PROJECT_DIR, "scripts", "metadata", "standard-fields.json"),
      path.join(dir, "scripts", "metadata", "standard-fields.json")
    );
    const write = (object: string, name: string, type: string): void => {
      const folder = path.join(
        dir,
        "force-app",
        "main",
        "default",
        "objects",
        object,
        "fields"
      );
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, `${name}.field-meta.xml`),
        `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n  <fullName>${name}</fullName>\n  <label>${name}</label>\n  <type>${type}</type>\n</CustomField>\n`
      );
    };
    write("Opportunity", "Partner__c", "Lookup");
    write("Opportunity", "Notes__c", "Html");
    write("Activity", "Outcome__c", "Text");
    const fields = readCatalogue(dir);
    expect(fields.Opportunity.Partner__c).toMatchObject({
      type: "Reference",
      metadataType: "Lookup"
    });
    expect(fields.Opportunity.Notes__c.type).toBe("LongTextArea");
    expect(fields.Task.Outcome__c.type).toBe("Text");
    expect(fields.Event.Outcome__c.type).toBe("Text");
  });

  it("names the file of malformed field metadata", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gates-project-"));
    fs.mkdirSync(path.join(dir, "scripts", "metadata"), { recursive: true });
    fs.copyFileSync(
      path.join(PROJECT_DIR, "scripts", "metadata", "standard-fields.json"),
      path.join(dir, "scripts", "metadata", "standard-fields.json")
    );
    const folder = path.join(
      dir,
      "force-app",
      "main",
      "default",
      "objects",
      "Opportunity",
      "fields"
    );
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, "Bad__c.field-meta.xml"),
      "<CustomField><type>Text</CustomField>"
    );
    expect(() => readCatalogue(dir)).toThrow(/Bad__c\.field-meta\.xml:1:\d+:/);
  });
});

describe("validateMapText", () => {
  it("returns the map when valid and problems otherwise", () => {
    const fields = loadFieldCatalogue();
    const text = fs.readFileSync(MINIMAL_MAP, "utf8");
    expect(
      validateMapText(text, "m.json", { fields }).map?.bypassPermission
    ).toBe("Bypass_Stage_Gates");
    const broken = validateMapText(
      text.replace('"Amount"', '"Amout"'),
      "m.json",
      { fields }
    );
    expect(broken.map).toBeUndefined();
    expect(broken.problems.map(formatProblem)).toEqual([
      `m.json:${lineOf(MINIMAL_MAP, '"Amount"')}: $.processes[0].stages[0].exit[0].field: no field "Amout" on Opportunity (did you mean "Amount"?) (standard fields: scripts/metadata/standard-fields.json; custom fields: objects/Opportunity/fields in the package directories)`
    ]);
  });

  it("reports an empty file", () => {
    expect(
      validateMapText("", "e.json", {
        fields: loadFieldCatalogue()
      }).problems.map(formatProblem)
    ).toEqual(["e.json:1:1: invalid JSON: the file is empty"]);
  });
});
