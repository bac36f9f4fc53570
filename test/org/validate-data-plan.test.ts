/**
 * The sample data plan validates offline, and the validator catches what
 * `sf data import tree` would reject (or silently get wrong) in an org.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatProblem } from "../../scripts/gates/load";
import { validateDataPlan } from "../../scripts/org/validate-data-plan";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

describe("data/sample-data-plan.json", () => {
  const { problems, records } = validateDataPlan("data/sample-data-plan.json", {
    projectDir: PROJECT_DIR
  });

  test("has no problems", () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  test("loads accounts, contacts, opportunities, contact roles, tasks and events", () => {
    const byType = (type: string) => records.filter((r) => r.type === type);
    expect(byType("Account").length).toBeGreaterThanOrEqual(3);
    expect(byType("Contact").length).toBeGreaterThanOrEqual(6);
    expect(byType("Opportunity").length).toBeGreaterThanOrEqual(20);
    expect(byType("OpportunityContactRole").length).toBeGreaterThan(0);
    const tasks = byType("Task");
    expect(
      tasks.some(
        (t) => t.fields.Status === "Completed" && t.fields.Type === "Call"
      )
    ).toBe(true);
    expect(tasks.some((t) => t.fields.Status === "Not Started")).toBe(true);
    expect(byType("Event").length).toBeGreaterThan(0);
  });

  test("plan entries follow the CLI's plan schema and order (parents first)", () => {
    const plan = JSON.parse(
      fs.readFileSync(
        path.join(PROJECT_DIR, "data", "sample-data-plan.json"),
        "utf8"
      )
    ) as {
      sobject: string;
      files: string[];
    }[];
    expect(plan.map((e) => e.sobject)).toEqual([
      "Account",
      "Contact",
      "Opportunity",
      "OpportunityContactRole",
      "Task",
      "Event"
    ]);
  });
});

describe("validateDataPlan on broken plans", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-plan-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  type Rec = Record<string, unknown>;
  const account = (ref: string, extra: Rec = {}): Rec => ({
    attributes: { type: "Account", referenceId: ref },
    Name: `Account ${ref}`,
    ...extra
  });
  const contact = (ref: string, accountRef: string, extra: Rec = {}): Rec => ({
    attributes: { type: "Contact", referenceId: ref },
    AccountId: `@${accountRef}`,
    LastName: "Doe",
    ...extra
  });
  const opportunity = (ref: string, extra: Rec = {}): Rec => ({
    attributes: { type: "Opportunity", referenceId: ref },
    Name: `Deal ${ref}`,
    StageName: "Prospecting",
    CloseDate: "2027-12-31",
    AccountId: "@AcmeRef1",
    ...extra
  });

  function writePlan(
    entries: {
      sobject: string;
      records?: Rec[];
      file?: string;
      saveRefs?: boolean;
      resolveRefs?: boolean;
    }[]
  ) {
    const plan = entries.map((e, i) => {
      const file = e.file ?? `${e.sobject}${i}.json`;
      if (e.records) {
        fs.writeFileSync(
          path.join(dir, file),
          JSON.stringify({ records: e.records }, null, 2)
        );
      }
      const entry: Rec = { sobject: e.sobject, files: [file] };
      if (e.saveRefs !== undefined) entry.saveRefs = e.saveRefs;
      if (e.resolveRefs !== undefined) entry.resolveRefs = e.resolveRefs;
      return entry;
    });
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(planFile, JSON.stringify(plan, null, 2));
    return planFile;
  }

  function messages(planFile: string): string[] {
    return validateDataPlan(planFile, { projectDir: PROJECT_DIR }).problems.map(
      formatProblem
    );
  }

  test("a valid minimal plan passes", () => {
    const planFile = writePlan([
      { sobject: "Account", records: [account("AcmeRef1")] },
      { sobject: "Contact", records: [contact("JaneRef1", "AcmeRef1")] },
      { sobject: "Opportunity", records: [opportunity("DealRef1")] }
    ]);
    expect(messages(planFile)).toEqual([]);
  });

  test("a plan that is not an array", () => {
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(
      planFile,
      JSON.stringify({ sobject: "Account", files: [] })
    );
    expect(messages(planFile)).toEqual([
      expect.stringMatching(/plan\.json:1: \$: a plan is a JSON array/)
    ]);
  });

  test("invalid JSON is reported with its line", () => {
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(
      planFile,
      '[\n  { "sobject": "Account",\n    "files": ["a.json"] \n  \n'
    );
    expect(messages(planFile)).toEqual([
      expect.stringMatching(/plan\.json:\d+: \$: not valid JSON/)
    ]);
  });

  test("unknown plan keys, missing files and bad flags", () => {
    const planFile = path.join(dir, "plan.json");
    fs.writeFileSync(
      planFile,
      JSON.stringify(
        [
          { sobject: "Account", files: ["missing.json"], saveRef: true },
          { sobject: "Contact", files: [], resolveRefs: "yes" }
        ],
        null,
        2
      )
    );
    const found = messages(planFile);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /plan\.json:\d+: \$\[0\]\.saveRef: unknown plan key "saveRef"/
        ),
        expect.stringMatching(
          /plan\.json:\d+: \$\[0\]\.files\[0\]: data file not found: .*missing\.json/
        ),
        expect.stringMatching(
          /\$\[1\]\.resolveRefs: resolveRefs must be true or false/
        ),
        expect.stringMatching(/\$\[1\]\.files: files must be a non-empty array/)
      ])
    );
  });

  test("records need attributes.type matching the entry and a unique referenceId of the CLI's form", () => {
    const planFile = writePlan([
      {
        sobject: "Account",
        records: [
          account("AcmeRef1"),
          account("AcmeRef1"),
          { Name: "No attributes" },
          {
            attributes: { type: "Contact", referenceId: "OtherRef1" },
            LastName: "X"
          },
          account("Acme")
        ]
      }
    ]);
    const found = messages(planFile);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\$\.records\[1\]\.attributes\.referenceId: duplicate referenceId "AcmeRef1"/
        ),
        expect.stringMatching(
          /\$\.records\[2\]\.attributes: attributes \{type, referenceId\} is required/
        ),
        expect.stringMatching(
          /\$\.records\[3\]\.attributes\.type: type "Contact" in a file the plan lists under sobject "Account"/
        ),
        expect.stringMatching(
          /\$\.records\[4\]\.attributes\.referenceId: referenceId "Acme" must look like <Name>Ref<digits>/
        )
      ])
    );
    expect(found).toHaveLength(4);
  });

  test("references resolve only to earlier plan entries, of the right object, with saveRefs/resolveRefs when used", () => {
    const planFile = writePlan([
      {
        sobject: "Contact",
        records: [contact("JaneRef1", "AcmeRef1")],
        saveRefs: true,
        resolveRefs: true
      },
      {
        sobject: "Account",
        records: [account("AcmeRef1")],
        saveRefs: false,
        resolveRefs: false
      },
      {
        sobject: "Opportunity",
        records: [
          opportunity("DealRef1"),
          opportunity("DealRef2", { AccountId: "@JaneRef1" }),
          opportunity("DealRef3", { AccountId: "001000000000001AAA" })
        ],
        saveRefs: true,
        resolveRefs: false
      }
    ]);
    const found = messages(planFile);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Contact0\.json:\d+: \$\.records\[0\]\.AccountId: @AcmeRef1 does not resolve to a record of an earlier plan entry/
        ),
        expect.stringMatching(
          /Opportunity2\.json:\d+: \$\.records\[0\]\.AccountId: @AcmeRef1 needs "saveRefs": true on its plan entry \(#2\) and "resolveRefs": true on this one \(#3\)/
        ),
        expect.stringMatching(
          /\$\.records\[1\]\.AccountId: @JaneRef1 is a Contact; Opportunity\.AccountId points at Account/
        ),
        expect.stringMatching(
          /\$\.records\[2\]\.AccountId: a lookup takes an @reference to an earlier record/
        )
      ])
    );
  });

  test("fields must exist, be writable and hold valid values; required fields must be present", () => {
    const planFile = writePlan([
      { sobject: "Account", records: [account("AcmeRef1")] },
      {
        sobject: "Opportunity",
        records: [
          opportunity("DealRef1", { Amonut: 5 }),
          opportunity("DealRef2", { stageName: "Prospecting" }),
          opportunity("DealRef3", { StageName: "Discovery" }),
          opportunity("DealRef4", { CloseDate: "TODAY+30" }),
          opportunity("DealRef5", { IsWon: true }),
          opportunity("DealRef6", { Amount: "lots" }),
          opportunity("DealRef7", { Budget_Confirmed__c: "yes" }),
          opportunity("DealRef8", { Loss_Reason__c: "Too expensive" }),
          {
            attributes: { type: "Opportunity", referenceId: "DealRef9" },
            Name: "No stage"
          }
        ]
      }
    ]);
    const found = messages(planFile);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\$\.records\[0\]\.Amonut: Opportunity has no field "Amonut"/
        ),
        expect.stringMatching(
          /\$\.records\[1\]\.stageName: Opportunity has no field "stageName" \(did you mean "StageName"\?\)/
        ),
        expect.stringMatching(
          /\$\.records\[2\]\.StageName: Opportunity\.StageName: "Discovery" is not a value of this picklist/
        ),
        expect.stringMatching(
          /\$\.records\[3\]\.CloseDate: Opportunity\.CloseDate: a date takes a literal YYYY-MM-DD/
        ),
        expect.stringMatching(
          /\$\.records\[4\]\.IsWon: Opportunity\.IsWon cannot be set on insert/
        ),
        expect.stringMatching(
          /\$\.records\[5\]\.Amount: Opportunity\.Amount: a Currency field takes a number/
        ),
        expect.stringMatching(
          /\$\.records\[6\]\.Budget_Confirmed__c: Opportunity\.Budget_Confirmed__c: a checkbox takes true or false/
        ),
        expect.stringMatching(
          /\$\.records\[7\]\.Loss_Reason__c: Opportunity\.Loss_Reason__c: "Too expensive" is not a value/
        ),
        expect.stringMatching(
          /\$\.records\[8\]: Opportunity requires StageName/
        ),
        expect.stringMatching(
          /\$\.records\[8\]: Opportunity requires CloseDate/
        )
      ])
    );
  });

  test("problems carry the data file's line", () => {
    const planFile = writePlan([
      { sobject: "Account", records: [account("AcmeRef1")] },
      {
        sobject: "Opportunity",
        records: [
          opportunity("DealRef1"),
          opportunity("DealRef2", { StageName: "Nope" })
        ]
      }
    ]);
    const [problem] = validateDataPlan(planFile, {
      projectDir: PROJECT_DIR
    }).problems;
    const text = fs
      .readFileSync(path.join(dir, "Opportunity1.json"), "utf8")
      .split("\n");
    expect(problem.line).toBeDefined();
    expect(text[(problem.line as number) - 1]).toContain('"StageName": "Nope"');
  });
});
