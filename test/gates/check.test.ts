/**
 * The what-if engine (`gates check`) on the default map: every gate rule, the
 * records file checks and the real CLI.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkRecords,
  localToday,
  readRecords,
  type CheckResult,
  type Fields,
  type SaveRecord
} from "../../scripts/gates/commands/check";
import { formatProblem, loadMap, PROJECT_DIR } from "../../scripts/gates/load";
import {
  allCriteria,
  flowBlockedMessage,
  isRelatedCriterion,
  type RuntimeCriterion
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";

const TODAY = "2025-06-02";
const loaded = loadMap();

function criterionById(id: string): RuntimeCriterion {
  const found = allCriteria(loaded.runtime).find((c) => c.id === id);
  if (!found) {
    throw new Error(`No criterion ${id} in the map`);
  }
  return found;
}
const isRelatedId = (id: string): boolean =>
  isRelatedCriterion(criterionById(id));

/** An Opportunity that meets every criterion of the Standard Sales process. */
const COMPLETE: Fields = {
  Amount: 48000,
  CloseDate: TODAY,
  NextStep: "Discovery workshop with IT on 12 June",
  Pain_Points__c:
    "Month-end close takes 8 days because invoices are keyed in by hand",
  Budget_Confirmed__c: true,
  Competition__c: "Acme Billing",
  Next_Step_Date__c: "2025-06-10",
  Loss_Reason__c: "Price",
  Loss_Reason_Detail__c: "Acme was 20% cheaper and the CFO chose price over fit"
};
const COMPLETE_RELATED: SaveRecord["related"] = {
  OpportunityContactRole: [
    { IsPrimary: true, Role: "Decision Maker" },
    { IsPrimary: false, Role: "Executive Sponsor" }
  ],
  Task: [{ Status: "Completed", Type: "Call" }],
  Event: [{ Type: "Meeting" }],
  ContentDocumentLink: [
    { ContentDocumentId: "069000000000001" },
    { ContentDocumentId: "069000000000002" }
  ],
  OpportunityLineItem: [{ Quantity: 10, UnitPrice: 4800 }]
};

/** The same for the Enterprise process. */
const ENTERPRISE_COMPLETE: Fields = {
  ...COMPLETE,
  Identify_Pain__c: "Audit found 14% billing errors; the fine is due in Q4",
  Champion__c: "Dana Lee, Head of Finance Ops: owns the audit remediation",
  Metrics__c: "Close books in 3 days instead of 8",
  Economic_Buyer__c: "Sam Ortiz, CFO: cares about audit risk",
  Decision_Criteria__c: "ERP integration, SOC 2, total cost over 3 years",
  Decision_Process__c: "IT evaluation in June, CFO approval in July",
  Paper_Process__c: "Procurement 2 weeks, security review 3 weeks, CFO signs",
  Economic_Buyer_Meeting_Date__c: "2025-06-20"
};
const ENTERPRISE_RELATED: SaveRecord["related"] = {
  ...COMPLETE_RELATED,
  OpportunityContactRole: [
    { IsPrimary: true, Role: "Business User" },
    { IsPrimary: false, Role: "Economic Buyer" },
    { IsPrimary: false, Role: "Technical Buyer" }
  ]
};

interface Case {
  name: string;
  record: Omit<SaveRecord, "id">;
  expected: Omit<CheckResult, "id" | "message">;
}

const move = (
  from: string | null,
  to: string,
  after: Fields = {},
  extra: Partial<SaveRecord> = {}
): Omit<SaveRecord, "id"> => ({
  before: from === null ? null : { StageName: from },
  after: { StageName: to, ...after },
  ...extra
});
const complete = (
  from: string | null,
  to: string,
  changes: Fields = {},
  related = COMPLETE_RELATED
): Omit<SaveRecord, "id"> =>
  move(from, to, { ...COMPLETE, ...changes }, { related });
const withRelated = (
  object: string,
  records: Fields[]
): SaveRecord["related"] => ({ ...COMPLETE_RELATED, [object]: records });

const ok = { allowed: true, blocking: [], warnings: [] };
const blocked = (
  blocking: string[],
  warnings: string[] = []
): Case["expected"] => ({ allowed: false, blocking, warnings });

const PROSPECTING_EXIT = [
  "amount_positive",
  "primary_contact",
  "discovery_call"
];
const ALL_ENFORCED_TO_WON = [
  ...PROSPECTING_EXIT,
  "next_step",
  "pain_points",
  "budget_confirmed",
  "decision_maker",
  "solution_meeting",
  "proposal_attached",
  "next_step_date",
  "won_close_date"
];

const cases: Case[] = [
  // Forward, skipping, inserting
  {
    name: "forward one stage, everything met",
    record: complete("Prospecting", "Qualification"),
    expected: ok
  },
  {
    name: "forward one stage, nothing met: the exit criteria of the stage left",
    record: move("Prospecting", "Qualification", { CloseDate: TODAY }),
    expected: blocked(PROSPECTING_EXIT)
  },
  {
    name: "forward one stage: the entry criteria of the target (warn)",
    record: complete("Prospecting", "Qualification", {
      CloseDate: "2025-05-01"
    }),
    expected: { ...ok, warnings: ["close_date_ahead"] }
  },
  {
    name: "skipping a stage requires its exit criteria",
    record: complete("Prospecting", "Needs Analysis", { NextStep: "TBD" }),
    expected: blocked(["next_step"])
  },
  {
    name: "skipping a stage does not require its entry criteria",
    record: complete("Prospecting", "Needs Analysis", {
      CloseDate: "2025-05-01"
    }),
    expected: ok
  },
  {
    name: "skipping from Prospecting to Closed Won requires every exit and the won entry",
    record: move("Prospecting", "Closed Won"),
    // No amount: exec_sponsor applies only from Amount 25,000 (its `when`).
    expected: blocked(ALL_ENFORCED_TO_WON, [
      "contract_attached",
      "products_added"
    ])
  },
  {
    name: "insert at the first stage: nothing required",
    record: move(null, "Prospecting"),
    expected: ok
  },
  {
    name: "insert at a later stage: exits of the stages before it",
    record: move(
      null,
      "Needs Analysis",
      { Amount: 100, NextStep: "Call CFO" },
      { related: {} }
    ),
    expected: blocked(["primary_contact", "discovery_call"])
  },
  {
    name: "insert at a later stage with every field met: its related criteria still block (no related record exists yet)",
    record: move(null, "Proposal/Price Quote", COMPLETE),
    expected: blocked(
      [
        "primary_contact",
        "discovery_call",
        "decision_maker",
        "solution_meeting"
      ],
      ["exec_sponsor"]
    )
  },
  {
    name: "insert at Closed Won: everything",
    record: move(null, "Closed Won"),
    // No amount: exec_sponsor applies only from Amount 25,000 (its `when`).
    expected: blocked(ALL_ENFORCED_TO_WON, [
      "contract_attached",
      "products_added"
    ])
  },
  {
    name: "insert at Closed Won with every field met: only the related criteria block",
    record: move(null, "Closed Won", COMPLETE),
    expected: blocked(
      [
        "primary_contact",
        "discovery_call",
        "decision_maker",
        "solution_meeting",
        "proposal_attached"
      ],
      ["exec_sponsor", "contract_attached", "products_added"]
    )
  },
  {
    name: "insert at a later stage with the bypass: allowed",
    record: move(null, "Closed Won", COMPLETE, {
      permissions: ["Bypass_Stage_Gates"]
    }),
    expected: ok
  },
  // Reopen, unknown stages, backward, lost
  {
    name: "reopen from Closed Lost: like an insert",
    record: move("Closed Lost", "Qualification", { Amount: 10 }),
    expected: blocked(
      ["primary_contact", "discovery_call"],
      ["close_date_ahead"]
    )
  },
  {
    name: "from a stage not in the map: like an insert",
    record: move("Discovery", "Qualification", {
      Amount: 10,
      CloseDate: TODAY
    }),
    expected: blocked(["primary_contact", "discovery_call"])
  },
  {
    name: "backward: nothing required",
    record: move("Negotiation/Review", "Qualification"),
    expected: ok
  },
  {
    name: "backward from Closed Won: nothing required",
    record: move("Closed Won", "Needs Analysis"),
    expected: ok
  },
  {
    name: "to Closed Lost from an early stage: only its entry",
    record: move("Prospecting", "Closed Lost"),
    expected: blocked(["loss_reason"], ["loss_detail"])
  },
  {
    name: "to Closed Lost from a late stage: only its entry",
    record: move("Negotiation/Review", "Closed Lost", {
      Loss_Reason__c: "Timing"
    }),
    expected: { ...ok, warnings: ["loss_detail"] }
  },
  {
    name: "to Closed Lost from Closed Won",
    record: move("Closed Won", "Closed Lost", {
      Loss_Reason__c: "Other",
      Loss_Reason_Detail__c: "Contract cancelled in the cooling-off period"
    }),
    expected: ok
  },
  {
    name: "insert at Closed Lost",
    record: move(null, "Closed Lost"),
    expected: blocked(["loss_reason"], ["loss_detail"])
  },
  {
    name: "to a stage not in the map: nothing required",
    record: move("Prospecting", "Discovery"),
    expected: ok
  },
  {
    name: "stage unchanged: nothing required",
    record: move("Needs Analysis", "Needs Analysis"),
    expected: ok
  },
  // Bypass
  {
    name: "bypass permission allows anything",
    record: move(
      "Prospecting",
      "Closed Won",
      {},
      { permissions: ["Bypass_Stage_Gates"] }
    ),
    expected: ok
  },
  {
    name: "another permission does not bypass",
    record: move(
      "Prospecting",
      "Closed Lost",
      {},
      { permissions: ["Some_Other_Permission"] }
    ),
    expected: blocked(["loss_reason"], ["loss_detail"])
  },
  // Record type → process
  {
    name: "Enterprise record type: the Enterprise process",
    record: move(
      "Qualification",
      "Needs Analysis",
      {},
      { recordType: "Enterprise" }
    ),
    expected: blocked(["ent_identify_pain", "ent_champion", "ent_next_step"])
  },
  {
    name: "Enterprise discovery to solution design, nothing met",
    record: move(
      "Needs Analysis",
      "Value Proposition",
      {},
      { recordType: "Enterprise" }
    ),
    expected: blocked([
      "ent_metrics",
      "ent_economic_buyer",
      "ent_decision_criteria",
      "ent_decision_process",
      "ent_competition",
      "ent_eb_contact",
      "ent_technical_contact",
      "ent_action_plan",
      "ent_eb_meeting"
    ])
  },
  {
    name: "Enterprise discovery to solution design, everything met",
    record: move("Needs Analysis", "Value Proposition", ENTERPRISE_COMPLETE, {
      recordType: "Enterprise",
      related: ENTERPRISE_RELATED
    }),
    expected: ok
  },
  {
    name: "Enterprise won requires products (enforced there)",
    record: move("Negotiation/Review", "Closed Won", ENTERPRISE_COMPLETE, {
      recordType: "Enterprise",
      related: { ...ENTERPRISE_RELATED, OpportunityLineItem: [] }
    }),
    expected: blocked(["ent_products_added"])
  },
  {
    name: "a stage the Enterprise process does not use is not gated",
    record: move(
      "Value Proposition",
      "Id. Decision Makers",
      {},
      { recordType: "Enterprise" }
    ),
    expected: ok
  },
  {
    name: "unknown record type: the default process",
    record: move(
      "Qualification",
      "Needs Analysis",
      {},
      { recordType: "Renewal" }
    ),
    expected: blocked(["next_step"])
  },
  {
    name: "no record type: the default process",
    record: move("Qualification", "Needs Analysis", {}, { recordType: null }),
    expected: blocked(["next_step"])
  },
  // Modes
  {
    name: "warn criteria are warnings, never blocking",
    record: complete(
      "Id. Decision Makers",
      "Perception Analysis",
      {},
      withRelated("OpportunityContactRole", [
        { IsPrimary: true, Role: "Decision Maker" }
      ])
    ),
    expected: { ...ok, warnings: ["exec_sponsor"] }
  },
  {
    name: "off criteria are ignored",
    record: complete("Perception Analysis", "Proposal/Price Quote", {
      Competition__c: null
    }),
    expected: ok
  },
  // Blank values and comparisons
  {
    name: "blank Amount does not satisfy greaterThan 0",
    record: complete("Prospecting", "Qualification", { Amount: null }),
    expected: blocked(["amount_positive"])
  },
  {
    name: "Amount 0 does not satisfy greaterThan 0",
    record: complete("Prospecting", "Qualification", { Amount: 0 }),
    expected: blocked(["amount_positive"])
  },
  {
    name: "missing Amount is blank on a saved record",
    record: move(
      "Prospecting",
      "Qualification",
      { CloseDate: TODAY },
      { related: COMPLETE_RELATED }
    ),
    expected: blocked(["amount_positive"])
  },
  {
    name: "blank next step date does not satisfy >= TODAY",
    record: complete("Proposal/Price Quote", "Negotiation/Review", {
      Next_Step_Date__c: null
    }),
    expected: blocked(["next_step_date"])
  },
  {
    name: "past next step date does not satisfy >= TODAY",
    record: complete("Proposal/Price Quote", "Negotiation/Review", {
      Next_Step_Date__c: "2025-06-01"
    }),
    expected: blocked(["next_step_date"])
  },
  {
    name: "next step date today satisfies >= TODAY",
    record: complete("Proposal/Price Quote", "Negotiation/Review", {
      Next_Step_Date__c: TODAY
    }),
    expected: ok
  },
  {
    name: "blank close date does not satisfy <= TODAY on Closed Won",
    record: complete("Negotiation/Review", "Closed Won", { CloseDate: null }),
    expected: blocked(["won_close_date"])
  },
  {
    name: "future close date blocks Closed Won",
    record: complete("Negotiation/Review", "Closed Won", {
      CloseDate: "2025-06-03"
    }),
    expected: blocked(["won_close_date"])
  },
  {
    name: "unchecked Budget Confirmed blocks",
    record: complete("Needs Analysis", "Value Proposition", {
      Budget_Confirmed__c: false
    }),
    expected: blocked(["budget_confirmed"])
  },
  // Placeholders
  ...["TBD", " n / a ", "None", "-", "?", "", "   "].map(
    (placeholder): Case => ({
      name: `NextStep ${JSON.stringify(placeholder)} is not meaningful`,
      record: complete("Qualification", "Needs Analysis", {
        NextStep: placeholder
      }),
      expected: blocked(["next_step"])
    })
  ),
  {
    name: "a real pain point is meaningful; 'tbd' is not",
    record: complete("Needs Analysis", "Value Proposition", {
      Pain_Points__c: "tbd"
    }),
    expected: blocked(["pain_points"])
  },
  // Related records
  {
    name: "a contact role that is not primary does not count",
    record: complete(
      "Prospecting",
      "Qualification",
      {},
      withRelated("OpportunityContactRole", [
        { IsPrimary: false, Role: "Decision Maker" }
      ])
    ),
    expected: blocked(["primary_contact"])
  },
  {
    name: "only a completed call counts as discovery call",
    record: complete(
      "Prospecting",
      "Qualification",
      {},
      withRelated("Task", [
        { Status: "Not Started", Type: "Call" },
        { Status: "Completed", Type: "Email" }
      ])
    ),
    expected: blocked(["discovery_call"])
  },
  {
    name: "where values match case-insensitively",
    record: complete(
      "Prospecting",
      "Qualification",
      {},
      withRelated("Task", [{ Status: "completed", Type: "call" }])
    ),
    expected: ok
  },
  {
    name: "a where list accepts any of its values",
    record: complete(
      "Needs Analysis",
      "Value Proposition",
      {},
      withRelated("OpportunityContactRole", [
        { IsPrimary: true, Role: "Economic Decision Maker" }
      ])
    ),
    expected: ok
  },
  {
    name: "no related records at all",
    record: complete("Proposal/Price Quote", "Negotiation/Review", {}, {}),
    expected: blocked(["proposal_attached"])
  },
  {
    name: "minCount 2: one file is not enough (warn)",
    record: complete(
      "Negotiation/Review",
      "Closed Won",
      {},
      withRelated("ContentDocumentLink", [{}])
    ),
    expected: { ...ok, warnings: ["contract_attached"] }
  },
  {
    name: "minCount 2: two files are enough",
    record: complete("Negotiation/Review", "Closed Won"),
    expected: ok
  },
  {
    name: "minCount 2 enforced (Enterprise proposal next to the action plan)",
    record: move(
      "Proposal/Price Quote",
      "Negotiation/Review",
      ENTERPRISE_COMPLETE,
      {
        recordType: "Enterprise",
        related: { ...ENTERPRISE_RELATED, ContentDocumentLink: [{}] }
      }
    ),
    expected: blocked(["ent_proposal_attached"])
  }
];

describe("check: every gate rule on the default map", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const [result] = checkRecords(
      loaded.runtime,
      [{ id: "r", ...c.record }],
      TODAY
    );
    expect({
      allowed: result.allowed,
      blocking: result.blocking,
      warnings: result.warnings
    }).toEqual(c.expected);
    expect(result.id).toBe("r");
    // As the org shows it: the flow's one message for the related criteria (first line), then
    // one line per field criterion's validation rule.
    const lines = result.message.split("\n").filter(Boolean);
    const related = result.blocking.filter((id) => isRelatedId(id));
    const fields = result.blocking.filter((id) => !isRelatedId(id));
    expect(lines).toHaveLength(fields.length + (related.length > 0 ? 1 : 0));
    if (related.length > 0) {
      expect(lines[0]).toBe(flowBlockedMessage(related.map(criterionById)));
    }
    fields.forEach((id, i) => {
      expect(lines[i + (related.length > 0 ? 1 : 0)]).toMatch(
        new RegExp(`^\\[${id}\\] `)
      );
    });
  });

  it("never mentions off criteria", () => {
    const results = checkRecords(
      loaded.runtime,
      cases.map((c, i) => ({ id: i, ...c.record })),
      TODAY
    );
    for (const r of results) {
      expect([...r.blocking, ...r.warnings]).not.toContain("competition_noted");
    }
  });

  it("keeps the order and ids of the records", () => {
    const results = checkRecords(
      loaded.runtime,
      [
        { id: "b", ...move("Prospecting", "Closed Lost") },
        { id: 7, ...move("Prospecting", "Prospecting") }
      ],
      TODAY
    );
    expect(results.map((r) => r.id)).toEqual(["b", 7]);
  });

  it("uses --today for relative dates", () => {
    const record = {
      id: "d",
      ...complete("Proposal/Price Quote", "Negotiation/Review", {
        Next_Step_Date__c: "2025-06-10"
      })
    };
    expect(
      checkRecords(loaded.runtime, [record], "2025-06-10")[0].allowed
    ).toBe(true);
    expect(
      checkRecords(loaded.runtime, [record], "2025-06-11")[0].blocking
    ).toEqual(["next_step_date"]);
  });
});

describe("records file", () => {
  const read = (value: unknown): string[] => {
    const result = readRecords(
      typeof value === "string" ? value : JSON.stringify(value, null, 2),
      "R.json",
      loaded.fields
    );
    return result.problems.map(formatProblem);
  };
  const valid = { id: "a", before: null, after: { StageName: "Prospecting" } };

  it("accepts a well-formed file", () => {
    expect(
      read([
        valid,
        {
          ...valid,
          id: 2,
          before: { StageName: "Prospecting" },
          recordType: "Enterprise",
          related: { Task: [{ Status: "Completed" }] },
          permissions: []
        },
        // An insert may say it has no related records.
        { ...valid, id: 3, related: { Task: [] } }
      ])
    ).toEqual([]);
  });

  it("refuses related records for an insert, naming the save and the JSON path (no related record can exist yet)", () => {
    expect(
      read([
        {
          ...valid,
          before: { StageName: "Prospecting" },
          related: { Task: [{ Status: "Completed" }] }
        },
        {
          ...valid,
          id: "new-deal",
          related: {
            Task: [],
            OpportunityContactRole: [{ IsPrimary: true }]
          }
        }
      ])
    ).toEqual([
      'R.json: $[1].related.OpportunityContactRole: save "new-deal" is an insert ("before": null): no related record can exist yet, so OpportunityContactRole rows cannot be given (the org counts 0 related records on insert)'
    ]);
  });

  it.each([
    ["not an array", { records: [] }, "R.json: $: must be an array"],
    [
      "after is not an object",
      [valid, valid, valid, { ...valid, after: [] }],
      "R.json: $[3].after: must be an object"
    ],
    [
      "before missing",
      [{ id: "a", after: { StageName: "Prospecting" } }],
      'R.json: $[0]: missing required property "before" (null for an insert)'
    ],
    [
      "before of the wrong type",
      [{ ...valid, before: "Prospecting" }],
      "R.json: $[0].before: must be an object or null"
    ],
    [
      "a field value that is an object",
      [{ ...valid, after: { StageName: "Prospecting", Amount: { value: 1 } } }],
      "R.json: $[0].after.Amount: must be a string or a number or true or false or null"
    ],
    [
      "unknown property",
      [{ ...valid, afterr: {} }],
      "R.json: $[0].afterr: unknown property (allowed: id, recordType, before, after, related, permissions, waived)"
    ],
    [
      "unknown related object",
      [{ ...valid, related: { Attachment: [] } }],
      "R.json: $[0].related.Attachment: not a related object the gates count (OpportunityContactRole, Task, Event, ContentDocumentLink, OpportunityLineItem)"
    ],
    [
      "permissions not strings",
      [{ ...valid, permissions: [1] }],
      "R.json: $[0].permissions[0]: must be a string"
    ],
    [
      "no stage after the save",
      [{ ...valid, after: { Amount: 1 } }],
      'R.json: $[0].after: missing "StageName": the stage after the save'
    ],
    [
      "no stage before an update",
      [{ ...valid, before: { Amount: 1 } }],
      'R.json: $[0].before: missing "StageName": the stage before the save'
    ],
    [
      "blank stage",
      [{ ...valid, after: { StageName: " " } }],
      "R.json: $[0].after.StageName: must be a stage name"
    ],
    [
      "unknown field",
      [{ ...valid, after: { StageName: "Prospecting", Amout: 1 } }],
      'R.json: $[0].after.Amout: no field "Amout" on Opportunity'
    ],
    [
      "number field with a string",
      [{ ...valid, after: { StageName: "Prospecting", Amount: "1000" } }],
      "R.json: $[0].after.Amount: must be a number (Opportunity.Amount is Currency)"
    ],
    [
      "date field with a bad date",
      [
        {
          ...valid,
          after: { StageName: "Prospecting", CloseDate: "2025-13-01" }
        }
      ],
      "R.json: $[0].after.CloseDate: must be an ISO date (YYYY-MM-DD) (Opportunity.CloseDate is a Date)"
    ],
    [
      "checkbox with a string",
      [
        {
          ...valid,
          after: { StageName: "Prospecting", Budget_Confirmed__c: "yes" }
        }
      ],
      "R.json: $[0].after.Budget_Confirmed__c: must be true or false (Opportunity.Budget_Confirmed__c is a Checkbox)"
    ],
    [
      "related field unknown",
      [
        {
          ...valid,
          related: { Task: [{ Status: "Completed" }, { State: "x" }] }
        }
      ],
      'R.json: $[0].related.Task[1].State: no field "State" on Task'
    ]
  ])("%s", (_name, value, message) => {
    expect(read(value)).toContain(message);
  });

  it("reports JSON syntax errors with line and column", () => {
    expect(
      read('[\n  { "id": "a", "before": null\n    "after": {} }\n]')
    ).toEqual(["R.json:3:5: invalid JSON: ',' expected"]);
  });

  it("lists every problem at once", () => {
    expect(
      read([
        { ...valid, after: [] },
        { ...valid, before: 1 }
      ])
    ).toHaveLength(2);
  });
});

describe("the check command (real CLI)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gates-check-"));
  const write = (name: string, content: unknown): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(
      file,
      typeof content === "string" ? content : JSON.stringify(content, null, 2)
    );
    return file;
  };
  const cli = (...args: string[]) =>
    spawnSync("npx", ["tsx", "scripts/gates/cli.ts", "check", ...args], {
      cwd: PROJECT_DIR,
      encoding: "utf8"
    });

  it("prints one result per record, in order, as JSON", () => {
    const records = write("records.json", [
      { id: "forward", ...complete("Prospecting", "Qualification") },
      {
        id: "blocked",
        ...move("Prospecting", "Needs Analysis", { Amount: 0, NextStep: "TBD" })
      },
      {
        id: "lost",
        ...move("Proposal/Price Quote", "Closed Lost", {
          Loss_Reason__c: "Competitor"
        })
      },
      {
        id: "bypass",
        ...move(null, "Closed Won", {}, { permissions: ["Bypass_Stage_Gates"] })
      }
    ]);
    const result = cli("--records", records, "--today", TODAY);
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as CheckResult[];
    expect(output).toEqual([
      { id: "forward", allowed: true, blocking: [], warnings: [], message: "" },
      {
        id: "blocked",
        allowed: false,
        blocking: [
          "amount_positive",
          "primary_contact",
          "discovery_call",
          "next_step"
        ],
        warnings: [],
        // As the org shows it: the flow's one message for the two related criteria, then one
        // per validation rule.
        message: [
          "Stage gates not met: [primary_contact] [discovery_call]. The Stage Gate Checklist shows how to meet each.",
          "[amount_positive] Amount is greater than 0. Enter your best estimate of the deal value in Amount; refine it as you learn more.",
          '[next_step] Next step is described. Write the next agreed action in Next Step, e.g. "Discovery workshop with IT on 12 May"; TBD or N/A do not count.'
        ].join("\n")
      },
      {
        id: "lost",
        allowed: true,
        blocking: [],
        warnings: ["loss_detail"],
        message: ""
      },
      { id: "bypass", allowed: true, blocking: [], warnings: [], message: "" }
    ]);
  });

  it("takes --config and defaults --today to the current date", () => {
    const records = write("dated.json", [
      {
        id: "x",
        ...complete("Proposal/Price Quote", "Negotiation/Review", {
          Next_Step_Date__c: localToday()
        })
      }
    ]);
    const result = cli(
      "--config",
      "config/stage-gates.json",
      "--records",
      records
    );
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as CheckResult[])[0].allowed).toBe(true);
  });

  it("rejects a bad records file naming the file and JSON path", () => {
    const records = write("R.json", [
      valid(),
      valid(),
      valid(),
      { id: "d", before: null, after: "Closed Won" }
    ]);
    const result = cli("--records", records);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `${records}: $[3].after: must be an object`
    );
  });

  it("rejects records that are not JSON with file:line:col", () => {
    const records = write("broken.json", '[\n  {"id": 1,,}\n]');
    const result = cli("--records", records);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `${records}:2:12: invalid JSON: property name expected`
    );
  });

  it("rejects missing options and bad dates with usage errors", () => {
    expect(cli().status).toBe(2);
    expect(
      cli("--records", write("ok.json", [valid()]), "--today", "2025-02-30")
        .status
    ).toBe(2);
    const missing = cli("--records", path.join(dir, "nope.json"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      "nope.json: cannot read the records file: no such file"
    );
  });

  function valid(): SaveRecord {
    return { id: "v", before: null, after: { StageName: "Prospecting" } };
  }
});
