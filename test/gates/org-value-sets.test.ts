/**
 * The org's own picklists: a retrieved StandardValueSet (OpportunityStage,
 * LeadSource, ContactRole, ...) in any package directory wins over the built-in
 * catalogue; stage Closed/Won flags are checked against the map; inactive values
 * do not validate. And the end-to-end promise: a map whose stages exist only in
 * the org's retrieved OpportunityStage validates, generates and checks exactly
 * like the same map with Salesforce's standard stages.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { StageGateMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { validationRuleFormulas } from "../../scripts/gates/generate/validation-rules";
import {
  formatProblem,
  loadMap,
  MapValidationError,
  PROJECT_DIR,
  type Problem
} from "../../scripts/gates/load";
import {
  makeProject,
  ORG_METADATA,
  writeMap,
  writePicklistField,
  writeStandardValueSet,
  writeFile,
  type StandardValueSpec
} from "./org-project";

// CLI runs in child processes (tsx): slow on a loaded machine.
jest.setTimeout(120_000);

const TSX = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
const CLI = path.join(PROJECT_DIR, "scripts", "gates", "cli.ts");

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

function gates(args: string[]): Promise<Cli> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [CLI, ...args],
      { cwd: PROJECT_DIR, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr
        })
    );
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function project(prefix: string): string {
  const dir = makeProject(prefix);
  dirs.push(dir);
  return dir;
}

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

/** 1-based line of the first occurrence of `text` in `file` (after `after`, if given). */
function lineOf(file: string, text: string, after?: string): number {
  const content = fs.readFileSync(file, "utf8");
  const at = content.indexOf(text, after ? content.indexOf(after) : 0);
  if (at < 0) {
    throw new Error(`${text} not in ${file}`);
  }
  return content.slice(0, at).split("\n").length;
}

/** The standard stage names of the twin map and the org's own names for them. */
const STAGE_NAMES: Record<string, string> = {
  Prospecting: "Discovery",
  Qualification: "Solution Design",
  "Proposal/Price Quote": "Pricing/Terms",
  "Closed Won": "Signed",
  "Closed Lost": "Lost - No Decision"
};

/** The org's OpportunityStage: its own names (one URL-encoded, as Salesforce writes "/"), an inactive stage. */
const ORG_STAGES: StandardValueSpec[] = [
  {
    fullName: "Discovery",
    closed: false,
    won: false,
    probability: 10,
    forecastCategory: "Pipeline"
  },
  {
    fullName: "Solution Design",
    closed: false,
    won: false,
    probability: 30,
    forecastCategory: "Pipeline"
  },
  {
    fullName: "Pricing%2FTerms",
    closed: false,
    won: false,
    probability: 70,
    forecastCategory: "Forecast"
  },
  { fullName: "Legacy Qualified", closed: false, won: false, isActive: false },
  {
    fullName: "Signed",
    closed: true,
    won: true,
    probability: 100,
    forecastCategory: "Closed"
  },
  {
    fullName: "Lost - No Decision",
    closed: true,
    won: false,
    probability: 0,
    forecastCategory: "Omitted"
  }
];

/** A map with Salesforce's standard stages: field, related and warn criteria, won and lost gates. */
function standardMap(): StageGateMap {
  return {
    bypassPermission: "Bypass_Stage_Gates",
    processes: [
      {
        name: "Direct Sales",
        stages: [
          {
            name: "Prospecting",
            targetDays: 14,
            exit: [
              {
                id: "amount_positive",
                label: "Amount is greater than 0",
                help: "Enter the estimated amount.",
                field: "Amount",
                operator: "greaterThan",
                value: 0
              },
              {
                id: "primary_contact",
                label: "A primary contact role is assigned",
                related: "OpportunityContactRole",
                where: { IsPrimary: true }
              }
            ]
          },
          {
            name: "Qualification",
            entry: [
              {
                id: "close_date_ahead",
                label: "Close date is today or later",
                mode: "warn",
                field: "CloseDate",
                operator: "greaterOrEqual",
                value: "TODAY"
              }
            ],
            exit: [
              {
                id: "next_step",
                label: "Next step is described",
                field: "NextStep",
                operator: "isMeaningful"
              }
            ]
          },
          {
            name: "Proposal/Price Quote",
            exit: [
              {
                id: "lead_source_known",
                label: "Lead source is known",
                field: "LeadSource",
                operator: "isSet"
              }
            ]
          }
        ],
        won: {
          name: "Closed Won",
          entry: [
            {
              id: "won_amount",
              label: "Amount is at least 1,000",
              field: "Amount",
              operator: "greaterOrEqual",
              value: 1000
            }
          ]
        },
        lost: {
          name: "Closed Lost",
          entry: [
            {
              id: "loss_reason",
              label: "Loss reason is selected",
              field: "Loss_Reason__c",
              operator: "isSet"
            }
          ]
        }
      }
    ]
  } as StageGateMap;
}

/** The same map with the org's stage names. */
function customMap(): StageGateMap {
  const rename = (name: string): string => STAGE_NAMES[name] ?? name;
  const map = standardMap();
  for (const p of map.processes) {
    p.stages.forEach((s) => (s.name = rename(s.name)));
    p.won.name = rename(p.won.name);
    p.lost.name = rename(p.lost.name);
  }
  return map;
}

/** Formula text with every quoted standard stage name replaced by the org's. */
function renameInFormula(formula: string): string {
  let out = formula;
  for (const [standard, custom] of Object.entries(STAGE_NAMES)) {
    out = out.split(`"${standard}"`).join(`"${custom}"`);
  }
  return out;
}

/** A project holding the org's fields; with `orgStages`, also its retrieved OpportunityStage. */
function orgProject(prefix: string, orgStages: boolean): string {
  const dir = project(prefix);
  writePicklistField(dir, "Opportunity", "Loss_Reason__c", [
    "Price",
    "Competitor"
  ]);
  if (orgStages) {
    writeStandardValueSet(dir, "OpportunityStage", ORG_STAGES);
  }
  return dir;
}

describe("a retrieved OpportunityStage", () => {
  it("replaces the catalogue: the org's stages validate, the standard ones no longer do", () => {
    const dir = orgProject("stages", true);
    const custom = loadMap(writeMap(dir, customMap()));
    expect(custom.fields.Opportunity.StageName.values).toEqual([
      "Discovery",
      "Solution Design",
      "Pricing/Terms",
      "Signed",
      "Lost - No Decision"
    ]);
    expect(custom.projectDir).toBe(dir);

    const file = writeMap(dir, standardMap());
    const problems = problemsOf(file);
    const valueSet = `${ORG_METADATA.split(path.sep).join("/")}/standardValueSets/OpportunityStage.standardValueSet-meta.xml`;
    expect(problems.map((p) => p.path)).toEqual([
      "$.processes[0].stages[0].name",
      "$.processes[0].stages[1].name",
      "$.processes[0].stages[2].name",
      "$.processes[0].won.name",
      "$.processes[0].lost.name"
    ]);
    expect(formatProblem(problems[0])).toBe(
      `${file}:${lineOf(file, '"Prospecting"')}: $.processes[0].stages[0].name: "Prospecting" is not a value of Opportunity.StageName (Discovery, Solution Design, Pricing/Terms, Signed, Lost - No Decision) (values: ${valueSet})`
    );
  });

  it("is found in any package directory (here force-app)", () => {
    const dir = orgProject("stages-force-app", false);
    writeStandardValueSet(
      dir,
      "OpportunityStage",
      ORG_STAGES,
      path.join("force-app", "main", "default")
    );
    expect(loadMap(writeMap(dir, customMap())).map.processes[0].won.name).toBe(
      "Signed"
    );
  });

  it("rejects an inactive stage", () => {
    const dir = orgProject("inactive", true);
    const map = customMap();
    map.processes[0].stages[1].name = "Legacy Qualified";
    const file = writeMap(dir, map);
    const [problem, ...rest] = problemsOf(file);
    expect(rest).toEqual([]);
    expect(problem.path).toBe("$.processes[0].stages[1].name");
    expect(problem.message).toMatch(
      /^"Legacy Qualified" is not an active value of Opportunity\.StageName/
    );
  });

  it("checks the Closed and Won flags against the map, naming the map's place and the value set's line", () => {
    const dir = orgProject("flags", true);
    const valueSetFile = writeStandardValueSet(dir, "OpportunityStage", [
      ...ORG_STAGES,
      { fullName: "Lost - Competitor", closed: true, won: false },
      { fullName: "Signed - Partner", closed: true, won: true }
    ]);
    const shownValueSet = path
      .relative(dir, valueSetFile)
      .split(path.sep)
      .join("/");
    const map = customMap();
    map.processes[0].stages[2].name = "Lost - Competitor"; // open stage that is closed
    map.processes[0].won.name = "Lost - No Decision"; // won stage that is not won
    map.processes[0].lost.name = "Signed - Partner"; // lost stage that is won
    map.processes.push({
      name: "Partner",
      recordTypes: ["Partner"],
      stages: [{ name: "Discovery" }],
      won: { name: "Solution Design" }, // won stage that is open
      lost: { name: "Pricing/Terms" } // lost stage that is open
    } as StageGateMap["processes"][number]);
    const file = writeMap(dir, map);
    const at = (value: string): string =>
      `${shownValueSet}:${lineOf(valueSetFile, `<fullName>${value}</fullName>`)}`;
    expect(problemsOf(file).map(formatProblem)).toEqual([
      `${file}:${lineOf(file, '"Lost - Competitor"')}: $.processes[0].stages[2].name: the map makes "Lost - Competitor" an open stage, but it is closed (closed=true) in ${at("Lost - Competitor")}; fix the map or the stage's Closed/Won settings in the org`,
      `${file}:${lineOf(file, '"Lost - No Decision"')}: $.processes[0].won.name: the map makes "Lost - No Decision" the won stage, but it is closed and not won (won=false) in ${at("Lost - No Decision")}; fix the map or the stage's Closed/Won settings in the org`,
      `${file}:${lineOf(file, '"Signed - Partner"')}: $.processes[0].lost.name: the map makes "Signed - Partner" the lost stage, but it is won (won=true) in ${at("Signed - Partner")}; fix the map or the stage's Closed/Won settings in the org`,
      `${file}:${lineOf(file, '"name": "Solution Design"', '"Partner"')}: $.processes[1].won.name: the map makes "Solution Design" the won stage, but it is open (closed=false) in ${at("Solution Design")}; fix the map or the stage's Closed/Won settings in the org`,
      `${file}:${lineOf(file, '"name": "Pricing/Terms"', '"Partner"')}: $.processes[1].lost.name: the map makes "Pricing/Terms" the lost stage, but it is open (closed=false) in ${at("Pricing%2FTerms")}; fix the map or the stage's Closed/Won settings in the org`
    ]);
  });

  it("names the file of a malformed value set", () => {
    const dir = orgProject("malformed", false);
    writeFile(
      dir,
      path.join(
        ORG_METADATA,
        "standardValueSets",
        "OpportunityStage.standardValueSet-meta.xml"
      ),
      "<StandardValueSet><standardValue><fullName>A</fullName></StandardValueSet>"
    );
    expect(() => loadMap(writeMap(dir, customMap()))).toThrow(
      /org-metadata\/main\/default\/standardValueSets\/OpportunityStage\.standardValueSet-meta\.xml:1:\d+:/
    );
  });
});

describe("other retrieved standard picklists", () => {
  function leadSourceMap(value: string, role: string): StageGateMap {
    const map = standardMap();
    map.processes[0].stages[2].exit = [
      {
        id: "lead_source_event",
        label: "Lead source is the event",
        field: "LeadSource",
        operator: "equals",
        value
      },
      {
        id: "sponsor_role",
        label: "An executive sponsor is a contact role",
        related: "OpportunityContactRole",
        where: { Role: role }
      }
    ];
    return map;
  }

  it("LeadSource and OpportunityContactRole.Role (ContactRole) come from the org's value sets", () => {
    const dir = orgProject("picklists", false);
    writeStandardValueSet(dir, "LeadSource", [
      { fullName: "Trade Show" },
      { fullName: "Web", isActive: false }
    ]);
    writeStandardValueSet(dir, "ContactRole", [
      { fullName: "Executive Sponsor" },
      { fullName: "Buying Committee" }
    ]);
    expect(
      loadMap(writeMap(dir, leadSourceMap("Trade Show", "Buying Committee")))
        .fields.Opportunity.LeadSource.values
    ).toEqual(["Trade Show"]);

    // The catalogue's "Web" is inactive in this org; "Influencer" is not one of its roles.
    const file = writeMap(dir, leadSourceMap("Web", "Influencer"));
    expect(problemsOf(file).map((p) => [p.path, p.message])).toEqual([
      [
        "$.processes[0].stages[2].exit[0].value",
        '"Web" is not an active value of Opportunity.LeadSource (Picklist): Trade Show (values: org-metadata/main/default/standardValueSets/LeadSource.standardValueSet-meta.xml)'
      ],
      [
        "$.processes[0].stages[2].exit[1].where.Role",
        '"Influencer" is not a value of OpportunityContactRole.Role (Picklist): Executive Sponsor, Buying Committee (values: org-metadata/main/default/standardValueSets/ContactRole.standardValueSet-meta.xml)'
      ]
    ]);
  });

  it("without a retrieved set, the catalogue's values apply and are named", () => {
    const dir = orgProject("catalogue", false);
    const file = writeMap(dir, leadSourceMap("Trade Show", "Influencer"));
    const [problem, ...rest] = problemsOf(file);
    expect(rest).toEqual([]);
    expect(problem.message).toBe(
      `"Trade Show" is not a value of Opportunity.LeadSource (Picklist): Web, Phone Inquiry, Partner Referral, Purchased List, Other (values: ${path.join(PROJECT_DIR, "scripts", "metadata", "standard-fields.json")})`
    );
  });

  it("inactive values of a custom picklist do not validate either", () => {
    const dir = orgProject("custom-inactive", false);
    writeFile(
      dir,
      path.join(
        ORG_METADATA,
        "objects",
        "Opportunity",
        "fields",
        "Loss_Reason__c.field-meta.xml"
      ),
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Loss_Reason__c</fullName>
    <label>Loss Reason</label>
    <type>Picklist</type>
    <valueSet>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value><fullName>Price</fullName><default>false</default><label>Price</label></value>
            <value><fullName>Timing</fullName><default>false</default><isActive>false</isActive><label>Timing</label></value>
        </valueSetDefinition>
    </valueSet>
</CustomField>
`
    );
    const map = standardMap();
    map.processes[0].lost.entry = [
      {
        id: "loss_reason",
        label: "Loss reason is timing",
        field: "Loss_Reason__c",
        operator: "equals",
        value: "Timing"
      }
    ];
    const [problem] = problemsOf(writeMap(dir, map));
    expect(problem.message).toMatch(
      /^"Timing" is not an active value of Opportunity\.Loss_Reason__c \(Picklist\): Price/
    );
  });
});

describe("a map with the org's own stages works exactly like one with standard stages", () => {
  let standardDir: string;
  let customDir: string;
  let standardFile: string;
  let customFile: string;

  beforeAll(() => {
    standardDir = orgProject("e2e-standard", false);
    customDir = orgProject("e2e-custom", true);
    standardFile = writeMap(standardDir, standardMap());
    customFile = writeMap(customDir, customMap());
  });

  it("validates", async () => {
    const result = await gates(["validate", "--config", customFile]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "valid — 1 process, 5 stages, 7 criteria (6 enforce, 1 warn, 0 off)"
    );
  });

  it("generates the same metadata, with the org's stage names", async () => {
    const out = path.join(customDir, "generated");
    const result = await gates([
      "generate",
      "--config",
      customFile,
      "--out",
      out
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rules = fs.readdirSync(
      path.join(out, "objects", "Opportunity", "validationRules")
    );
    expect(rules.sort()).toEqual([
      "Stage_Gate_Discovery_amount_positive.validationRule-meta.xml",
      "Stage_Gate_Lost_No_Decision_loss_reason.validationRule-meta.xml",
      "Stage_Gate_Pricing_Te_lead_source_e68bf5.validationRule-meta.xml",
      "Stage_Gate_Signed_won_amount.validationRule-meta.xml",
      "Stage_Gate_Solution_Design_next_step.validationRule-meta.xml"
    ]);
    const definition = fs.readFileSync(
      path.join(out, "lwc", "stageGateDefinition", "stageGateDefinition.ts"),
      "utf8"
    );
    expect(definition).toContain('"Pricing/Terms"');
    expect(
      await gates(["generate", "--config", customFile, "--out", out, "--check"])
    ).toMatchObject({ code: 0 });

    // Rule by rule, the formulas are the standard map's with the stage names swapped.
    const byId = (file: string) =>
      new Map(
        validationRuleFormulas(loadMap(file)).map((r) => [
          r.criterionId,
          r.formula
        ])
      );
    const standard = byId(standardFile);
    const custom = byId(customFile);
    expect([...custom.keys()].sort()).toEqual([...standard.keys()].sort());
    for (const [id, formula] of standard) {
      expect(custom.get(id)).toBe(renameInFormula(formula));
    }
    // The flow too (related criteria): the same document with the names swapped.
    const standardOut = path.join(standardDir, "generated");
    expect(
      await gates(["generate", "--config", standardFile, "--out", standardOut])
    ).toMatchObject({ code: 0 });
    const flowOf = (dir: string): string =>
      fs.readFileSync(
        path.join(dir, "flows", "Stage_Gate_Related_Criteria.flow-meta.xml"),
        "utf8"
      );
    // Stage names appear in formulas and descriptions; nothing else in it contains them.
    const swap = (xml: string): string =>
      Object.entries(STAGE_NAMES).reduce(
        (text, [standardName, customName]) =>
          text.split(standardName).join(customName),
        xml
      );
    expect(flowOf(out)).toBe(swap(flowOf(standardOut)));
  });

  it("checks saves the same way", async () => {
    const saves = (rename: (s: string) => string) => [
      {
        id: "skip-ahead",
        before: { StageName: rename("Prospecting"), Amount: 5000 },
        after: {
          StageName: rename("Proposal/Price Quote"),
          Amount: 5000,
          NextStep: "TBD"
        },
        related: { OpportunityContactRole: [{ IsPrimary: true }] }
      },
      {
        id: "ready",
        before: {
          StageName: rename("Qualification"),
          Amount: 5000,
          NextStep: "Workshop on 3 June",
          CloseDate: "2030-01-01"
        },
        after: {
          StageName: rename("Proposal/Price Quote"),
          Amount: 5000,
          NextStep: "Workshop on 3 June",
          CloseDate: "2030-01-01"
        }
      },
      {
        id: "won-too-small",
        before: {
          StageName: rename("Proposal/Price Quote"),
          Amount: 500,
          LeadSource: "Web",
          NextStep: "Sign",
          CloseDate: "2030-01-01"
        },
        after: {
          StageName: rename("Closed Won"),
          Amount: 500,
          LeadSource: "Web",
          NextStep: "Sign",
          CloseDate: "2030-01-01"
        }
      },
      {
        id: "lost-without-reason",
        before: { StageName: rename("Qualification"), Loss_Reason__c: null },
        after: { StageName: rename("Closed Lost"), Loss_Reason__c: null }
      },
      {
        id: "insert-in-first-stage",
        before: null,
        after: { StageName: rename("Prospecting"), Amount: 0 }
      }
    ];
    const run = async (
      dir: string,
      mapFile: string,
      rename: (s: string) => string
    ) => {
      const records = writeFile(
        dir,
        "saves.json",
        JSON.stringify(saves(rename))
      );
      const result = await gates([
        "check",
        "--config",
        mapFile,
        "--records",
        records,
        "--today",
        "2026-06-01"
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as {
        id: string;
        allowed: boolean;
        blocking: string[];
      }[];
    };
    const standard = await run(standardDir, standardFile, (s) => s);
    const custom = await run(customDir, customFile, (s) => STAGE_NAMES[s] ?? s);
    expect(custom).toEqual(standard);
    expect(custom.map((r) => [r.id, r.allowed, r.blocking])).toEqual([
      ["skip-ahead", false, ["next_step"]],
      ["ready", true, []],
      ["won-too-small", false, ["won_amount"]],
      ["lost-without-reason", false, ["loss_reason"]],
      ["insert-in-first-stage", true, []]
    ]);
  });
});
