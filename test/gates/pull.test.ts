/**
 * `gates pull --org ALIAS`: against the fake `sf` (test/fixtures/fake-sf/sf),
 * an org with its own stages, fields, record types and rules: the exact sf
 * calls (list each Opportunity child type, retrieve by name, then the global
 * value sets its picklists use), nothing else retrieved, files written into the
 * default package directory, the report, --dry-run calling nothing, sf errors
 * shown readably. After the pull, a map with the org's stages validates.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run, sourcePath } from "../../scripts/gates/commands/pull";
import { loadMap, PROJECT_DIR } from "../../scripts/gates/load";
import { spawnExec } from "../../scripts/org/sf";
import {
  makeProject,
  ORG_METADATA,
  standardValueSetXml,
  writeFile,
  writeMap
} from "./org-project";

jest.setTimeout(60_000);

const FAKE_SF = path.join(PROJECT_DIR, "test", "fixtures", "fake-sf", "sf");

const field = (name: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <label>${name}</label>
${body}
</CustomField>
`;

const rule = (name: string, active: boolean): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <active>${active}</active>
    <errorConditionFormula>ISBLANK(CloseDate)</errorConditionFormula>
    <errorMessage>Close date is required.</errorMessage>
</ValidationRule>
`;

/** The org: its components as sf would retrieve them. */
const ORG_METADATA_STATE: Record<string, string> = {
  "StandardValueSet:OpportunityStage": standardValueSetXml([
    { fullName: "Discovery", closed: false, won: false },
    { fullName: "Solution Design", closed: false, won: false },
    { fullName: "Legacy", closed: false, won: false, isActive: false },
    { fullName: "Signed", closed: true, won: true },
    { fullName: "Lost", closed: true, won: false }
  ]),
  "StandardValueSet:LeadSource": standardValueSetXml([
    { fullName: "Trade Show" }
  ]),
  "StandardValueSet:ContactRole": standardValueSetXml([
    { fullName: "Executive Sponsor" }
  ]),
  "StandardValueSet:CaseOrigin": standardValueSetXml([{ fullName: "Web" }]),
  "CustomField:Opportunity.Loss_Reason__c": field(
    "Loss_Reason__c",
    "    <type>Picklist</type>\n    <valueSet>\n        <valueSetName>Loss_Reasons</valueSetName>\n    </valueSet>"
  ),
  "CustomField:Opportunity.Region__c": field(
    "Region__c",
    "    <length>40</length>\n    <type>Text</type>"
  ),
  "CustomField:Activity.Outcome__c": field(
    "Outcome__c",
    "    <length>80</length>\n    <type>Text</type>"
  ),
  "CustomField:Account.Tier__c": field(
    "Tier__c",
    "    <length>10</length>\n    <type>Text</type>"
  ),
  "GlobalValueSet:Loss_Reasons": `<?xml version="1.0" encoding="UTF-8"?>
<GlobalValueSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <customValue>
        <fullName>Price</fullName>
        <default>false</default>
        <label>Price</label>
    </customValue>
    <masterLabel>Loss Reasons</masterLabel>
    <sorted>false</sorted>
</GlobalValueSet>
`,
  "RecordType:Opportunity.Partner": `<?xml version="1.0" encoding="UTF-8"?>
<RecordType xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Partner</fullName>
    <active>true</active>
    <businessProcess>Partner_Process</businessProcess>
    <label>Partner</label>
</RecordType>
`,
  "BusinessProcess:Opportunity.Partner_Process": `<?xml version="1.0" encoding="UTF-8"?>
<BusinessProcess xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Partner_Process</fullName>
    <isActive>true</isActive>
    <values>
        <fullName>Discovery</fullName>
        <default>true</default>
    </values>
    <values>
        <fullName>Signed</fullName>
        <default>false</default>
    </values>
    <values>
        <fullName>Lost</fullName>
        <default>false</default>
    </values>
</BusinessProcess>
`,
  "ValidationRule:Opportunity.Close_Date_Required": rule(
    "Close_Date_Required",
    true
  ),
  "ValidationRule:Opportunity.Old_Check": rule("Old_Check", false),
  // Deployed by the product; its source is the project's force-app.
  "ValidationRule:Opportunity.Stage_Gate_Discovery_amount_positive": rule(
    "Stage_Gate_Discovery_amount_positive",
    true
  ),
  "ValidationRule:Account.Account_Rule": rule("Account_Rule", true)
};

function orgMap(): unknown {
  return {
    bypassPermission: "Bypass_Stage_Gates",
    processes: [
      {
        name: "Direct",
        stages: [
          {
            name: "Discovery",
            exit: [
              {
                id: "amount_positive",
                label: "Amount is greater than 0",
                field: "Amount",
                operator: "greaterThan",
                value: 0
              },
              {
                id: "source_known",
                label: "Lead source is the show",
                field: "LeadSource",
                operator: "equals",
                value: "Trade Show"
              }
            ]
          },
          {
            name: "Solution Design",
            exit: [
              {
                id: "sponsor",
                label: "An executive sponsor is a contact role",
                related: "OpportunityContactRole",
                where: { Role: "Executive Sponsor" }
              },
              {
                id: "demo_done",
                label: "A demo call had an outcome",
                related: "Task",
                where: { Outcome__c: "Demo" }
              }
            ]
          }
        ],
        won: { name: "Signed" },
        lost: {
          name: "Lost",
          entry: [
            {
              id: "loss_reason",
              label: "Loss reason is price",
              field: "Loss_Reason__c",
              operator: "equals",
              value: "Price"
            }
          ]
        }
      }
    ]
  };
}

interface Pull {
  code: number;
  out: string[];
  err: string[];
  calls: string[][];
}

let dir: string;
let logFile: string;
let stateFile: string;

beforeEach(() => {
  dir = makeProject("pull");
  logFile = path.join(dir, "sf-calls.jsonl");
  stateFile = path.join(dir, "sf-state.json");
  fs.writeFileSync(
    stateFile,
    JSON.stringify({
      orgs: {
        acme: {
          scratch: false,
          username: "admin@acme.example",
          orgId: "00D000000000001AAA",
          permsets: [],
          metadata: ORG_METADATA_STATE
        }
      },
      defaultOrg: null
    })
  );
  // The product's generated rule is the project's own source.
  writeFile(
    dir,
    path.join(
      "force-app",
      "main",
      "default",
      "objects",
      "Opportunity",
      "validationRules",
      "Stage_Gate_Discovery_amount_positive.validationRule-meta.xml"
    ),
    rule("Stage_Gate_Discovery_amount_positive", true)
  );
  writeMap(dir, orgMap());
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function pull(
  args: string[],
  extraEnv: Record<string, string> = {}
): Promise<Pull> {
  const out: string[] = [];
  const err: string[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FAKE_SF_FAIL;
  const code = await run(args, {
    exec: spawnExec,
    env: {
      ...env,
      SF_BIN: FAKE_SF,
      FAKE_SF_LOG: logFile,
      FAKE_SF_STATE: stateFile,
      ...extraEnv
    },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    cwd: dir
  });
  const calls = fs.existsSync(logFile)
    ? fs
        .readFileSync(logFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { argv: string[] }).argv)
    : [];
  return { code, out, err, calls };
}

const list = (type: string): string[] => [
  "org",
  "list",
  "metadata",
  "--metadata-type",
  type,
  "--target-org",
  "acme",
  "--json"
];

describe("gates pull", () => {
  it("lists, then retrieves by name exactly what validation needs, into org-metadata", async () => {
    const result = await pull(["--org", "acme"]);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      list("CustomField"),
      list("RecordType"),
      list("BusinessProcess"),
      list("ValidationRule"),
      [
        "project",
        "retrieve",
        "start",
        ...[
          "StandardValueSet:OpportunityStage",
          "StandardValueSet:LeadSource",
          "StandardValueSet:ContactRole",
          "CustomField:Activity.Outcome__c",
          "CustomField:Opportunity.Loss_Reason__c",
          "CustomField:Opportunity.Region__c",
          "RecordType:Opportunity.Partner",
          "BusinessProcess:Opportunity.Partner_Process",
          "ValidationRule:Opportunity.Close_Date_Required",
          "ValidationRule:Opportunity.Old_Check"
        ].flatMap((m) => ["--metadata", m]),
        "--target-org",
        "acme",
        "--json"
      ],
      [
        "project",
        "retrieve",
        "start",
        "--metadata",
        "GlobalValueSet:Loss_Reasons",
        "--target-org",
        "acme",
        "--json"
      ]
    ]);
    // Every command is printed as run.
    for (const call of result.calls) {
      expect(result.out).toContain(`$ sf ${call.join(" ")}`);
    }
    expect(result.out).toContain(
      "Not retrieved, the project already has their source: ValidationRule:Opportunity.Stage_Gate_Discovery_amount_positive (source in force-app/main/default/objects/Opportunity/validationRules/Stage_Gate_Discovery_amount_positive.validationRule-meta.xml)"
    );
    expect(result.out).toEqual(
      expect.arrayContaining([
        `Stages (${ORG_METADATA}/standardValueSets/OpportunityStage.standardValueSet-meta.xml):`,
        `  ${"Discovery".padEnd(30)} open`,
        `  ${"Legacy".padEnd(30)} open (inactive)`,
        `  ${"Signed".padEnd(30)} won`,
        `  ${"Lost".padEnd(30)} lost`,
        "Custom fields on Opportunity (2): Loss_Reason__c, Region__c",
        "Record types on Opportunity (1): Partner",
        "Business processes on Opportunity (1): Partner_Process",
        "Validation rules on Opportunity: 1 active (Close_Date_Required), 1 inactive (Old_Check)",
        "Retrieved 11 components into org-metadata/."
      ])
    );
    // Written where sf writes: the default package directory, in source format.
    for (const [type, name] of [
      ["StandardValueSet", "OpportunityStage"],
      ["GlobalValueSet", "Loss_Reasons"],
      ["CustomField", "Activity.Outcome__c"],
      ["ValidationRule", "Opportunity.Old_Check"]
    ]) {
      expect(
        fs.existsSync(
          path.join(dir, ORG_METADATA, sourcePath(type, name) as string)
        )
      ).toBe(true);
    }
    expect(
      fs.existsSync(
        path.join(
          dir,
          ORG_METADATA,
          "objects",
          "Account",
          "fields",
          "Tier__c.field-meta.xml"
        )
      )
    ).toBe(false);

    // Now the org's stages, picklists, record type and related field validate.
    const loaded = loadMap(path.join(dir, "config", "stage-gates.json"));
    expect(loaded.fields.Opportunity.StageName.values).toEqual([
      "Discovery",
      "Solution Design",
      "Signed",
      "Lost"
    ]);
    expect(loaded.fields.Opportunity.Loss_Reason__c.values).toEqual(["Price"]);
    expect(loaded.fields.Task.Outcome__c.type).toBe("Text");
  });

  it("before the pull, the same map is rejected (the stages are the org's)", () => {
    expect(() => loadMap(path.join(dir, "config", "stage-gates.json"))).toThrow(
      /"Discovery" is not a value of Opportunity\.StageName/
    );
  });

  it("--dry-run prints the commands and calls nothing", async () => {
    const result = await pull(["--org", "acme", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([]);
    expect(result.out).toEqual(
      expect.arrayContaining([
        `  sf ${list("CustomField").join(" ")}`,
        `  sf ${list("ValidationRule").join(" ")}`,
        "  sf project retrieve start --metadata StandardValueSet:OpportunityStage --metadata StandardValueSet:LeadSource --metadata StandardValueSet:ContactRole --metadata CustomField:Activity.Outcome__c --metadata 'CustomField:Opportunity.<each name listed>' --metadata 'RecordType:Opportunity.<each name listed>' --metadata 'BusinessProcess:Opportunity.<each name listed>' --metadata 'ValidationRule:Opportunity.<each name listed>' --target-org acme --json"
      ])
    );
    expect(
      fs.existsSync(path.join(dir, ORG_METADATA, "standardValueSets"))
    ).toBe(false);
  });

  it("shows sf's errors readably and stops", async () => {
    const failed = await pull(["--org", "acme"], {
      FAKE_SF_FAIL: "org list metadata"
    });
    expect(failed.code).toBe(1);
    expect(failed.calls).toHaveLength(1);
    expect(failed.err.join("\n")).toBe(
      "sf org list metadata failed (exit code 1):\n  FakeFailureError: Simulated failure of: sf org list metadata"
    );

    const unknown = await pull(["--org", "nobody"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err.join("\n")).toContain(
      "NamedOrgNotFoundError: No authorization information found for nobody."
    );

    const missing = await pull(["--org", "acme"], {
      SF_BIN: path.join(dir, "no-sf")
    });
    expect(missing.code).toBe(1);
    expect(missing.err.join("\n")).toMatch(/^cannot run .*no-sf: .*ENOENT/);
  });

  it("names components the org does not have", async () => {
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    delete state.orgs.acme.metadata["StandardValueSet:ContactRole"];
    fs.writeFileSync(stateFile, JSON.stringify(state));
    const result = await pull(["--org", "acme"]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      "  not retrieved: StandardValueSet ContactRole: Entity of type 'StandardValueSet' named 'ContactRole' cannot be found"
    ]);
  });

  it("needs --org", async () => {
    const result = await pull([]);
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/^Missing --org ALIAS/);
  });
});
