/**
 * Unit tests of the stage gate core: transition rule, operators, related counts,
 * dates, messages, checklist and move preview.
 */
import {
  addDays,
  buildChecklist,
  countMatching,
  countRelated,
  criterionMessage,
  dateOnly,
  enforcerOf,
  FLOW_MESSAGE_PREFIX,
  orgErrors,
  daysBetween,
  evaluateCriterion,
  evaluateField,
  evaluateRelated,
  evaluateTransition,
  fieldKind,
  fieldsUsed,
  laterStages,
  normalizeForPlaceholder,
  OPERATORS_BY_KIND,
  previewMove,
  relatedCriterionIds,
  requiredForMove,
  requiredToBeIn,
  resolveDateValue,
  selectProcess,
  stageIndex,
  stageKind,
  toRuntimeMap,
  type Criterion,
  type FieldOperator,
  type FieldType,
  type RuntimeFieldCriterion,
  type RuntimeMap,
  type RuntimeProcess,
  type Scalar,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";

const TODAY = "2025-06-02";

const FIELD_TYPES: Record<string, FieldType> = {
  Amount: "Currency",
  Probability: "Percent",
  CloseDate: "Date",
  NextStep: "Text",
  Pain_Points__c: "TextArea",
  Budget_Confirmed__c: "Checkbox",
  Loss_Reason__c: "Picklist",
  Products__c: "MultiselectPicklist",
  LastStageChangeDate: "DateTime"
};

const crit = (id: string, extra: Partial<Criterion> = {}): Criterion =>
  ({
    id,
    label: `Label ${id}`,
    field: "NextStep",
    operator: "isSet",
    ...extra
  }) as Criterion;

/** A three-stage process where every list holds one criterion named after it. */
const SMALL_MAP: StageGateMap = {
  bypassPermission: "Bypass_Stage_Gates",
  processes: [
    {
      name: "Default",
      stages: [
        {
          name: "Prospecting",
          targetDays: 10,
          entry: [crit("p_in")],
          exit: [crit("p_out")]
        },
        {
          name: "Qualification",
          targetDays: 5,
          entry: [crit("q_in")],
          exit: [crit("q_out")]
        },
        { name: "Needs Analysis", entry: [crit("n_in")], exit: [crit("n_out")] }
      ],
      won: {
        name: "Closed Won",
        guidance: "Hand over.",
        entry: [crit("w_in")]
      },
      lost: { name: "Closed Lost", entry: [crit("l_in")] }
    },
    {
      name: "Enterprise",
      recordTypes: ["Enterprise"],
      stages: [
        { name: "Qualification", exit: [crit("e_q_out", { mode: "warn" })] }
      ],
      won: {
        name: "Closed Won",
        entry: [crit("e_w_in"), crit("e_w_off", { mode: "off" })]
      },
      lost: { name: "Closed Lost" }
    }
  ]
};

const runtime = (map: StageGateMap = SMALL_MAP): RuntimeMap =>
  toRuntimeMap(map, (f) => FIELD_TYPES[f]);
const RT = runtime();
const DEFAULT = RT.processes[0];

const ids = (list: { criterion: { id: string } }[]): string[] =>
  list.map((r) => r.criterion.id);

describe("transition rule (requiredForMove)", () => {
  const cases: [string, string | null, string, boolean, string[]][] = [
    [
      "forward one stage: exit of the current stage, entry of the next",
      "Prospecting",
      "Qualification",
      false,
      ["p_out", "q_in"]
    ],
    [
      "skipping a stage: exit criteria of every skipped stage",
      "Prospecting",
      "Needs Analysis",
      false,
      ["p_out", "q_out", "n_in"]
    ],
    [
      "insert at the first stage: its entry only",
      null,
      "Prospecting",
      true,
      ["p_in"]
    ],
    [
      "insert at a later stage: exits of the earlier stages and its entry",
      null,
      "Needs Analysis",
      true,
      ["p_out", "q_out", "n_in"]
    ],
    [
      "insert at Closed Won: every exit and the won entry",
      null,
      "Closed Won",
      true,
      ["p_out", "q_out", "n_out", "w_in"]
    ],
    [
      "last open stage to won",
      "Needs Analysis",
      "Closed Won",
      false,
      ["n_out", "w_in"]
    ],
    [
      "reopen from Closed Lost: as if from before the first stage",
      "Closed Lost",
      "Qualification",
      false,
      ["p_out", "q_in"]
    ],
    [
      "from a stage not in the map: as if from before the first stage",
      "Discovery",
      "Qualification",
      false,
      ["p_out", "q_in"]
    ],
    [
      "from Closed Lost straight to Closed Won",
      "Closed Lost",
      "Closed Won",
      false,
      ["p_out", "q_out", "n_out", "w_in"]
    ],
    ["backward: nothing", "Needs Analysis", "Prospecting", false, []],
    [
      "backward from Closed Won: nothing",
      "Closed Won",
      "Qualification",
      false,
      []
    ],
    [
      "to Closed Lost from an open stage: its entry only",
      "Needs Analysis",
      "Closed Lost",
      false,
      ["l_in"]
    ],
    [
      "to Closed Lost from Closed Won: its entry only",
      "Closed Won",
      "Closed Lost",
      false,
      ["l_in"]
    ],
    [
      "insert at Closed Lost: its entry only",
      null,
      "Closed Lost",
      true,
      ["l_in"]
    ],
    [
      "to a stage not in the map: nothing",
      "Prospecting",
      "Discovery",
      false,
      []
    ],
    [
      "unchanged stage on update: nothing",
      "Qualification",
      "Qualification",
      false,
      []
    ],
    [
      "unchanged Closed Lost on update: nothing",
      "Closed Lost",
      "Closed Lost",
      false,
      []
    ]
  ];
  it.each(cases)("%s", (_name, from, to, insert, expected) => {
    expect(ids(requiredForMove(DEFAULT, from, to, insert))).toEqual(expected);
  });

  it("labels each required criterion with the stage and list it comes from", () => {
    expect(
      requiredForMove(DEFAULT, "Prospecting", "Needs Analysis", false).map(
        (r) => [r.stage, r.list]
      )
    ).toEqual([
      ["Prospecting", "exit"],
      ["Qualification", "exit"],
      ["Needs Analysis", "entry"]
    ]);
  });

  it("requiredToBeIn is the insert rule", () => {
    expect(ids(requiredToBeIn(DEFAULT, "Needs Analysis"))).toEqual([
      "p_out",
      "q_out",
      "n_in"
    ]);
    expect(ids(requiredToBeIn(DEFAULT, "Closed Lost"))).toEqual(["l_in"]);
  });

  it("orders stages: open 1..n, won n+1, lost and unknown 0", () => {
    expect(
      [
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Closed Won",
        "Closed Lost",
        "Discovery",
        null
      ].map((s) => stageIndex(DEFAULT, s))
    ).toEqual([1, 2, 3, 4, 0, 0, 0]);
    expect(
      ["Prospecting", "Closed Won", "Closed Lost", "Discovery"].map((s) =>
        stageKind(DEFAULT, s)
      )
    ).toEqual(["open", "won", "lost", "unknown"]);
  });
});

describe("process selection", () => {
  it("picks the process that claims the record type, else the default", () => {
    expect(selectProcess(RT, "Enterprise")?.name).toBe("Enterprise");
    expect(selectProcess(RT, "Renewal")?.name).toBe("Default");
    expect(selectProcess(RT, null)?.name).toBe("Default");
    expect(selectProcess(RT, undefined)?.name).toBe("Default");
  });

  it("has no process for unclaimed record types when there is no default", () => {
    const onlyEnterprise = runtime({
      ...SMALL_MAP,
      processes: [SMALL_MAP.processes[1]]
    });
    expect(selectProcess(onlyEnterprise, "Renewal")).toBeUndefined();
    const result = evaluateTransition(onlyEnterprise, {
      before: null,
      after: { StageName: "Closed Won" },
      today: TODAY
    });
    expect(result).toMatchObject({ allowed: true, blocking: [], warnings: [] });
  });
});

describe("runtime map", () => {
  it("drops off criteria and annotates field types", () => {
    const enterprise = RT.processes[1];
    expect(enterprise.won.entry.map((c) => c.id)).toEqual(["e_w_in"]);
    expect((enterprise.won.entry[0] as RuntimeFieldCriterion).fieldType).toBe(
      "Text"
    );
    expect(enterprise.recordTypes).toEqual(["Enterprise"]);
    expect(DEFAULT.recordTypes).toEqual([]);
  });

  it("throws on a field the type lookup does not know", () => {
    const map: StageGateMap = {
      ...SMALL_MAP,
      processes: [
        {
          ...SMALL_MAP.processes[0],
          won: { name: "Closed Won", entry: [crit("x", { field: "Nope__c" })] }
        }
      ]
    };
    expect(() => runtime(map)).toThrow(
      'Unknown Opportunity field "Nope__c" in criterion "x"'
    );
  });

  it("normalizes placeholders and defaults them", () => {
    expect(RT.placeholders).toContain("n/a");
    expect(
      runtime({
        ...SMALL_MAP,
        placeholders: ["To Be Decided", "to be decided"]
      }).placeholders
    ).toEqual(["tobedecided"]);
  });
});

function field(
  fieldName: string,
  operator: FieldOperator,
  value?: Scalar | Scalar[]
): RuntimeFieldCriterion {
  return {
    id: "c",
    label: "c",
    field: fieldName,
    operator,
    value,
    fieldType: FIELD_TYPES[fieldName]
  };
}
const evalField = (
  c: RuntimeFieldCriterion,
  v: unknown,
  placeholders?: string[]
): string => evaluateField(c, v, TODAY, placeholders);

describe("field operators", () => {
  it("isSet: any non-blank value; null and empty string are blank; undefined is unknown", () => {
    const c = field("NextStep", "isSet");
    expect([
      evalField(c, "x"),
      evalField(c, " "),
      evalField(c, null),
      evalField(c, ""),
      evalField(c, undefined)
    ]).toEqual(["met", "met", "unmet", "unmet", "unknown"]);
    expect(evalField(field("Amount", "isSet"), 0)).toBe("met");
  });

  it("isMeaningful rejects placeholders case- and space-insensitively", () => {
    const c = field("Pain_Points__c", "isMeaningful");
    for (const placeholder of [
      "TBD",
      "tbd",
      " n / a ",
      "N/A",
      "None",
      "-",
      "?",
      "Unknown",
      "  ",
      "t b d"
    ]) {
      expect(evalField(c, placeholder)).toBe("unmet");
    }
    expect(evalField(c, "Invoicing takes 5 days")).toBe("met");
    expect(evalField(c, "none yet, call on Monday")).toBe("met");
    expect(evalField(c, null)).toBe("unmet");
    expect(evalField(c, "pending", ["Pending"])).toBe("unmet");
    expect(evalField(c, "TBD", ["Pending"])).toBe("met");
    expect(normalizeForPlaceholder(" N / A ")).toBe("n/a");
  });

  it("equals / notEquals on text and picklists; a blank never satisfies either", () => {
    expect(evalField(field("Loss_Reason__c", "equals", "Price"), "Price")).toBe(
      "met"
    );
    expect(
      evalField(field("Loss_Reason__c", "equals", "Price"), "Timing")
    ).toBe("unmet");
    expect(
      evalField(field("Loss_Reason__c", "notEquals", "Price"), "Timing")
    ).toBe("met");
    expect(
      evalField(field("Loss_Reason__c", "notEquals", "Price"), "Price")
    ).toBe("unmet");
    expect(evalField(field("Loss_Reason__c", "notEquals", "Price"), null)).toBe(
      "unmet"
    );
    expect(evalField(field("Loss_Reason__c", "notEquals", "Price"), "")).toBe(
      "unmet"
    );
  });

  it("number comparisons (Currency, Percent); a blank is not 0", () => {
    const table: [FieldOperator, number, unknown, string][] = [
      ["greaterThan", 0, 1, "met"],
      ["greaterThan", 0, 0, "unmet"],
      ["greaterThan", 0, -5, "unmet"],
      ["greaterThan", 0, null, "unmet"],
      ["greaterOrEqual", 100, 100, "met"],
      ["greaterOrEqual", 100, 99.99, "unmet"],
      ["lessThan", 100, 99, "met"],
      ["lessThan", 100, 100, "unmet"],
      ["lessOrEqual", 0, 0, "met"],
      ["lessOrEqual", 0, null, "unmet"],
      ["lessThan", 10, null, "unmet"],
      ["equals", 0, null, "unmet"],
      ["equals", 1500, 1500, "met"],
      ["notEquals", 0, null, "unmet"],
      ["notEquals", 0, 5, "met"]
    ];
    for (const [op, value, actual, verdict] of table) {
      expect([
        op,
        value,
        actual,
        evalField(field("Amount", op, value), actual)
      ]).toEqual([op, value, actual, verdict]);
    }
    expect(evalField(field("Probability", "greaterOrEqual", 50), 75)).toBe(
      "met"
    );
    expect(evalField(field("Probability", "greaterOrEqual", 50), 10)).toBe(
      "unmet"
    );
    expect(evalField(field("Probability", "greaterOrEqual", 50), null)).toBe(
      "unmet"
    );
  });

  it("date comparisons with ISO dates and TODAY, TODAY+N, TODAY-N", () => {
    const table: [FieldOperator, string, unknown, string][] = [
      ["greaterOrEqual", "TODAY", TODAY, "met"],
      ["greaterOrEqual", "TODAY", "2025-06-01", "unmet"],
      ["greaterThan", "TODAY", TODAY, "unmet"],
      ["greaterThan", "TODAY", "2025-06-03", "met"],
      ["lessOrEqual", "TODAY", TODAY, "met"],
      ["lessOrEqual", "TODAY", "2025-06-03", "unmet"],
      ["greaterOrEqual", "TODAY+30", "2025-07-02", "met"],
      ["greaterOrEqual", "TODAY+30", "2025-07-01", "unmet"],
      ["lessThan", "TODAY-3", "2025-05-29", "met"],
      ["lessThan", "TODAY-3", "2025-05-30", "unmet"],
      ["equals", "2025-12-31", "2025-12-31", "met"],
      ["notEquals", "2025-12-31", "2025-12-30", "met"],
      ["greaterOrEqual", "TODAY", null, "unmet"],
      ["lessOrEqual", "TODAY", null, "unmet"],
      ["lessOrEqual", "TODAY", "", "unmet"]
    ];
    for (const [op, value, actual, verdict] of table) {
      expect([
        op,
        value,
        actual,
        evalField(field("CloseDate", op, value), actual)
      ]).toEqual([op, value, actual, verdict]);
    }
  });

  it("date-time values compare by their GMT date", () => {
    const c = field("LastStageChangeDate", "greaterOrEqual", "TODAY");
    expect(evalField(c, "2025-06-02T00:30:00Z")).toBe("met");
    expect(evalField(c, "2025-06-01T23:30:00Z")).toBe("unmet");
    expect(evalField(c, "2025-06-01T23:30:00-05:00")).toBe("met");
  });

  it("in / notIn: any of the listed values; a blank satisfies neither", () => {
    const list = ["Price", "Timing"];
    expect(evalField(field("Loss_Reason__c", "in", list), "Timing")).toBe(
      "met"
    );
    expect(evalField(field("Loss_Reason__c", "in", list), "Other")).toBe(
      "unmet"
    );
    expect(evalField(field("Loss_Reason__c", "in", list), null)).toBe("unmet");
    expect(evalField(field("Loss_Reason__c", "notIn", list), "Other")).toBe(
      "met"
    );
    expect(evalField(field("Loss_Reason__c", "notIn", list), "Price")).toBe(
      "unmet"
    );
    expect(evalField(field("Loss_Reason__c", "notIn", list), null)).toBe(
      "unmet"
    );
  });

  it("includes: every listed value is selected in the multi-select picklist", () => {
    expect(
      evalField(field("Products__c", "includes", ["A", "C"]), "A;B;C")
    ).toBe("met");
    expect(evalField(field("Products__c", "includes", "B"), "A;B;C")).toBe(
      "met"
    );
    expect(
      evalField(field("Products__c", "includes", ["A", "D"]), "A;B;C")
    ).toBe("unmet");
    expect(evalField(field("Products__c", "includes", ["A"]), "AB")).toBe(
      "unmet"
    );
    expect(evalField(field("Products__c", "includes", ["A"]), null)).toBe(
      "unmet"
    );
  });

  it("isTrue / isFalse: a checkbox is never blank (missing = false)", () => {
    const t = field("Budget_Confirmed__c", "isTrue");
    const f = field("Budget_Confirmed__c", "isFalse");
    expect([true, false, null, "true"].map((v) => evalField(t, v))).toEqual([
      "met",
      "unmet",
      "unmet",
      "met"
    ]);
    expect([true, false, null].map((v) => evalField(f, v))).toEqual([
      "unmet",
      "met",
      "met"
    ]);
    expect(evalField(t, undefined)).toBe("unknown");
  });

  it("every operator reports unknown for an unreadable (undefined) value", () => {
    for (const [name, type] of Object.entries(FIELD_TYPES)) {
      for (const op of OPERATORS_BY_KIND[fieldKind(type)]) {
        expect([
          name,
          op,
          evalField(
            field(name, op, op === "in" || op === "notIn" ? ["x"] : 1),
            undefined
          )
        ]).toEqual([name, op, "unknown"]);
      }
    }
  });

  it("evaluateCriterion treats a missing value as blank only for saved records", () => {
    const c = field("NextStep", "isSet");
    expect(evaluateCriterion(c, { values: {}, counts: {}, today: TODAY })).toBe(
      "unknown"
    );
    expect(
      evaluateCriterion(c, {
        values: {},
        counts: {},
        today: TODAY,
        missingIsBlank: true
      })
    ).toBe("unmet");
  });

  it("maps field types to kinds", () => {
    const kinds = (
      [
        "Text",
        "TextArea",
        "LongTextArea",
        "Email",
        "Phone",
        "Url",
        "Reference",
        "Id",
        "Picklist",
        "MultiselectPicklist",
        "Number",
        "Currency",
        "Percent",
        "Date",
        "DateTime",
        "Checkbox"
      ] as FieldType[]
    ).map(fieldKind);
    expect(kinds).toEqual([
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "text",
      "picklist",
      "multipicklist",
      "number",
      "number",
      "number",
      "date",
      "datetime",
      "checkbox"
    ]);
  });
});

describe("related records", () => {
  it("lists every related criterion of every process once, sorted; none for a map of field criteria", () => {
    const related = (id: string): Criterion =>
      ({
        id,
        label: id,
        related: "Task",
        where: { Status: "Completed" },
        minCount: 1
      }) as unknown as Criterion;
    const map = runtime({
      ...SMALL_MAP,
      processes: [
        {
          ...SMALL_MAP.processes[0],
          stages: [
            {
              name: "Prospecting",
              entry: [related("z_call")],
              exit: [related("a_call"), crit("p_out")]
            }
          ],
          won: { name: "Closed Won", entry: [related("a_call")] }
        },
        {
          ...SMALL_MAP.processes[1],
          lost: { name: "Closed Lost", entry: [related("m_call")] }
        }
      ]
    });
    expect(relatedCriterionIds(map)).toEqual(["a_call", "m_call", "z_call"]);
    expect(relatedCriterionIds(RT)).toEqual([]);
  });

  const roles = [
    { IsPrimary: true, Role: "Business User" },
    { IsPrimary: false, Role: "Decision Maker" },
    { IsPrimary: false, Role: "economic buyer" },
    { IsPrimary: false, Role: null }
  ];
  it("counts records matching every where condition", () => {
    expect(countMatching(roles, { IsPrimary: true })).toBe(1);
    expect(countMatching(roles, { IsPrimary: false })).toBe(3);
    expect(countMatching(roles, undefined)).toBe(4);
    expect(countMatching(roles, {})).toBe(4);
    expect(
      countMatching(roles, { IsPrimary: false, Role: "Decision Maker" })
    ).toBe(1);
    expect(
      countMatching(roles, { IsPrimary: true, Role: "Decision Maker" })
    ).toBe(0);
  });

  it("a list means any of its values; text matches case-insensitively; null matches blank", () => {
    expect(
      countMatching(roles, { Role: ["Decision Maker", "Economic Buyer"] })
    ).toBe(2);
    expect(countMatching(roles, { Role: null })).toBe(1);
    expect(
      countMatching([{ Quantity: 2 }, { Quantity: "2" }, { Quantity: null }], {
        Quantity: 2
      })
    ).toBe(2);
    expect(
      countMatching([{ IsPrimary: undefined }], { IsPrimary: false })
    ).toBe(1);
  });

  it("countRelated gives a count for every related criterion of the map; minCount decides", () => {
    const map = runtime({
      bypassPermission: "B",
      processes: [
        {
          name: "P",
          stages: [
            {
              name: "Prospecting",
              exit: [
                {
                  id: "calls",
                  label: "Calls",
                  related: "Task",
                  where: { Status: "Completed", Type: "Call" }
                },
                {
                  id: "files",
                  label: "Files",
                  related: "ContentDocumentLink",
                  minCount: 2
                }
              ]
            }
          ],
          won: { name: "Closed Won" },
          lost: { name: "Closed Lost" }
        }
      ]
    });
    const counts = countRelated(map, {
      Task: [
        { Status: "Completed", Type: "Call" },
        { Status: "completed", Type: "CALL" },
        { Status: "Not Started", Type: "Call" },
        { Status: "Completed", Type: "Email" }
      ],
      ContentDocumentLink: [{ ContentDocumentId: "069A" }]
    });
    expect(counts).toEqual({ calls: 2, files: 1 });
    const [calls, files] = map.processes[0].stages[0].exit;
    expect(evaluateRelated(calls as never, counts.calls)).toBe("met");
    expect(evaluateRelated(files as never, counts.files)).toBe("unmet");
    expect(evaluateRelated(files as never, 2)).toBe("met");
    expect(evaluateRelated(files as never, undefined)).toBe("unknown");
    expect(countRelated(map, {})).toEqual({ calls: 0, files: 0 });
  });
});

describe("dates", () => {
  it("resolves TODAY±N across month and year ends and leap days", () => {
    expect(resolveDateValue("TODAY", TODAY)).toBe(TODAY);
    expect(resolveDateValue("TODAY+30", TODAY)).toBe("2025-07-02");
    expect(resolveDateValue("TODAY-2", TODAY)).toBe("2025-05-31");
    expect(resolveDateValue("TODAY+1", "2024-02-28")).toBe("2024-02-29");
    expect(resolveDateValue("TODAY+1", "2025-12-31")).toBe("2026-01-01");
    expect(resolveDateValue("2025-01-15", TODAY)).toBe("2025-01-15");
    expect(() => resolveDateValue("tomorrow", TODAY)).toThrow("Not a date");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
  });

  it("dateOnly takes the GMT date of a date-time; daysBetween counts whole days", () => {
    expect(dateOnly("2025-06-02")).toBe("2025-06-02");
    expect(dateOnly("2025-06-01T22:00:00-04:00")).toBe("2025-06-02");
    expect(() => dateOnly("soon")).toThrow("Not a date");
    expect(daysBetween("2025-05-20T10:00:00Z", TODAY)).toBe(13);
    expect(daysBetween(TODAY, TODAY)).toBe(0);
  });
});

describe("the org's errors for a blocked save", () => {
  const field = (id: string): Criterion => ({
    id,
    label: `Field ${id}`,
    field: "Amount",
    operator: "isSet"
  });
  const related = (id: string): Criterion => ({
    id,
    label: `Related ${id}`,
    related: "Task"
  });

  it("a field criterion has its validation rule, a related one the flow; fieldCriteriaIn flow moves field criteria to the flow", () => {
    expect(enforcerOf(undefined, field("a"))).toBe("validationRule");
    expect(enforcerOf("validationRules", field("a"))).toBe("validationRule");
    expect(enforcerOf("flow", field("a"))).toBe("flow");
    expect(enforcerOf(undefined, related("r"))).toBe("flow");
    expect(enforcerOf("validationRules", related("r"))).toBe("flow");
  });

  it("one error per validation rule after the flow's one error, which lists several related codes", () => {
    const errors = orgErrors({}, [
      field("a"),
      related("r1"),
      field("b"),
      related("r2")
    ]);
    expect(errors.map((e) => [e.enforcedBy, e.criteria])).toEqual([
      ["flow", ["r1", "r2"]],
      ["validationRule", ["a"]],
      ["validationRule", ["b"]]
    ]);
    expect(errors[0].message).toBe(
      `${FLOW_MESSAGE_PREFIX} [r1] [r2]. The Stage Gate Checklist shows how to meet each.`
    );
    expect(errors[1].message).toBe("[a] Field a.");
  });

  it("with fieldCriteriaIn flow every criterion is in the flow's one message, at most 255 characters", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? field(`field_${"x".repeat(30)}_${i}`) : related(`rel_${i}`)
    );
    const errors = orgErrors({ fieldCriteriaIn: "flow" }, many);
    expect(errors).toHaveLength(1);
    expect(errors[0].criteria).toHaveLength(40);
    expect(errors[0].message.length).toBeLessThanOrEqual(255);
    expect(errors[0].message).toMatch(/ \+\d+ more\. /);
  });

  it("nothing blocking, no error", () => {
    expect(orgErrors({}, [])).toEqual([]);
  });
});

describe("messages", () => {
  it("formats [id] Label. Help on one line", () => {
    expect(
      criterionMessage({
        id: "amount_positive",
        label: "Amount is greater than 0",
        help: "Enter the deal value.",
        field: "Amount",
        operator: "greaterThan",
        value: 0
      })
    ).toBe("[amount_positive] Amount is greater than 0. Enter the deal value.");
    expect(
      criterionMessage({
        id: "x",
        label: "Ends with a dot. ",
        field: "Amount",
        operator: "isSet"
      })
    ).toBe("[x] Ends with a dot.");
    expect(
      criterionMessage({
        id: "x",
        label: "Two\nlines",
        help: "  a\n b ",
        field: "Amount",
        operator: "isSet"
      })
    ).toBe("[x] Two lines. a b");
  });

  it("cuts messages to Salesforce's 255 characters", () => {
    const message = criterionMessage({
      id: "x",
      label: "L",
      help: "h".repeat(300),
      field: "Amount",
      operator: "isSet"
    });
    expect(message).toHaveLength(255);
    expect(message.endsWith("…")).toBe(true);
    const fits = criterionMessage({
      id: "x",
      label: "L",
      help: "h".repeat(255 - "[x] L. ".length),
      field: "Amount",
      operator: "isSet"
    });
    expect(fits).toHaveLength(255);
    expect(fits.endsWith("h")).toBe(true);
  });
});

describe("evaluateTransition", () => {
  const map = runtime({
    bypassPermission: "Bypass_Stage_Gates",
    processes: [
      {
        name: "Default",
        stages: [
          {
            name: "Prospecting",
            exit: [
              {
                id: "amount",
                label: "Amount > 0",
                help: "Enter Amount.",
                field: "Amount",
                operator: "greaterThan",
                value: 0
              },
              {
                id: "next_step",
                label: "Next step",
                field: "NextStep",
                operator: "isMeaningful",
                mode: "warn"
              },
              {
                id: "pains",
                label: "Pains",
                field: "Pain_Points__c",
                operator: "isMeaningful",
                mode: "off"
              }
            ]
          },
          {
            name: "Qualification",
            exit: [
              {
                id: "contact",
                label: "Primary contact",
                related: "OpportunityContactRole",
                where: { IsPrimary: true }
              }
            ]
          }
        ],
        won: { name: "Closed Won" },
        lost: {
          name: "Closed Lost",
          entry: [
            {
              id: "reason",
              label: "Loss reason",
              field: "Loss_Reason__c",
              operator: "isSet"
            }
          ]
        }
      }
    ]
  });

  it("blocks on unmet enforced criteria, warns on warn criteria, ignores off criteria", () => {
    const result = evaluateTransition(map, {
      before: { StageName: "Prospecting" },
      after: {
        StageName: "Closed Won",
        Amount: null,
        NextStep: "TBD",
        Pain_Points__c: null
      },
      counts: { contact: 0 },
      today: TODAY
    });
    expect(result).toMatchObject({
      allowed: false,
      blocking: ["amount", "contact"],
      warnings: ["next_step"],
      process: "Default"
    });
    // The org's errors: the flow's for the related criterion first (before-save flows run
    // before validation rules), then the field criterion's validation rule.
    expect(result.errors).toEqual([
      {
        enforcedBy: "flow",
        criteria: ["contact"],
        message: "[contact] Primary contact."
      },
      {
        enforcedBy: "validationRule",
        criteria: ["amount"],
        message: "[amount] Amount > 0. Enter Amount."
      }
    ]);
    expect(result.message).toBe(
      "[contact] Primary contact.\n[amount] Amount > 0. Enter Amount."
    );
    expect(result.results.map((r) => r.criterion.id)).not.toContain("pains");
  });

  it("allows when everything is met, with an empty message", () => {
    const result = evaluateTransition(map, {
      before: { StageName: "Prospecting" },
      after: { StageName: "Closed Won", Amount: 10, NextStep: "Call CFO" },
      counts: { contact: 1 },
      today: TODAY
    });
    expect(result).toMatchObject({
      allowed: true,
      blocking: [],
      warnings: [],
      message: ""
    });
  });

  it("absent fields of a saved record are blank; absent counts are not met", () => {
    const result = evaluateTransition(map, {
      before: null,
      after: { StageName: "Closed Won" },
      today: TODAY
    });
    expect(result.blocking).toEqual(["amount", "contact"]);
  });

  it("the bypass permission allows anything; other permissions do not", () => {
    const input = {
      before: { StageName: "Prospecting" },
      after: { StageName: "Closed Won" },
      today: TODAY
    };
    expect(
      evaluateTransition(map, { ...input, permissions: ["Bypass_Stage_Gates"] })
    ).toMatchObject({ allowed: true, blocking: [], warnings: [] });
    expect(
      evaluateTransition(map, { ...input, permissions: ["Other"] }).allowed
    ).toBe(false);
  });

  it("a record without a stage is not gated", () => {
    expect(
      evaluateTransition(map, {
        before: null,
        after: { StageName: "" },
        today: TODAY
      }).allowed
    ).toBe(true);
  });
});

describe("checklist", () => {
  const values = { StageName: "Qualification", NextStep: "x" };
  const input = { values, counts: {}, today: TODAY, stage: "Qualification" };

  it("open: the exit criteria of the current stage, the next stage and guidance", () => {
    const list = buildChecklist(RT, {
      ...input,
      lastStageChange: "2025-05-30T09:00:00Z"
    });
    expect(list).toMatchObject({
      status: "open",
      process: "Default",
      stage: "Qualification",
      targetDays: 5,
      met: 1,
      total: 1,
      ready: true,
      nextStage: "Needs Analysis",
      daysInStage: 3,
      overdue: false
    });
    expect(list.items.map((i) => [i.criterion.id, i.verdict, i.list])).toEqual([
      ["q_out", "met", "exit"]
    ]);
  });

  it("the last open stage leads to the won stage", () => {
    expect(
      buildChecklist(RT, { ...input, stage: "Needs Analysis" }).nextStage
    ).toBe("Closed Won");
  });

  it("overdue after more days in stage than targetDays (not on the day itself)", () => {
    expect(
      buildChecklist(RT, { ...input, lastStageChange: "2025-05-28T12:00:00Z" })
    ).toMatchObject({ daysInStage: 5, overdue: false });
    expect(
      buildChecklist(RT, { ...input, lastStageChange: "2025-05-27T12:00:00Z" })
    ).toMatchObject({ daysInStage: 6, overdue: true });
    expect(
      buildChecklist(RT, { ...input, lastStageChange: null })
    ).toMatchObject({ overdue: false });
    expect(buildChecklist(RT, input).daysInStage).toBeUndefined();
  });

  it("regressions: criteria needed to be in the stage that are no longer met", () => {
    const list = buildChecklist(RT, {
      ...input,
      values: { StageName: "Qualification", NextStep: null }
    });
    expect(list.regressions.map((r) => r.criterion.id)).toEqual([
      "p_out",
      "q_in"
    ]);
    expect(list).toMatchObject({ met: 0, ready: false });
    // Unreadable values are not regressions.
    expect(
      buildChecklist(RT, { ...input, values: { StageName: "Qualification" } })
        .regressions
    ).toEqual([]);
  });

  it("warn items never hold a deal back", () => {
    const list = buildChecklist(RT, {
      ...input,
      recordType: "Enterprise",
      values: { NextStep: null }
    });
    expect(list).toMatchObject({
      process: "Enterprise",
      ready: true,
      met: 0,
      total: 1,
      nextStage: "Closed Won"
    });
    expect(list.items[0].mode).toBe("warn");
  });

  it("statuses: won, lost, notInMap, noStage, noProcess", () => {
    expect(buildChecklist(RT, { ...input, stage: "Closed Won" })).toMatchObject(
      { status: "won", ready: true, guidance: "Hand over.", items: [] }
    );
    expect(
      buildChecklist(RT, { ...input, stage: "Closed Lost" })
    ).toMatchObject({ status: "lost", ready: true });
    expect(buildChecklist(RT, { ...input, stage: "Discovery" })).toMatchObject({
      status: "notInMap",
      ready: false
    });
    expect(buildChecklist(RT, { ...input, stage: null })).toMatchObject({
      status: "noStage",
      process: "Default"
    });
    const onlyEnterprise = runtime({
      ...SMALL_MAP,
      processes: [SMALL_MAP.processes[1]]
    });
    expect(buildChecklist(onlyEnterprise, input)).toMatchObject({
      status: "noProcess",
      items: []
    });
  });
});

describe("previewMove and helpers", () => {
  it("previews what a move from the current stage would require, evaluated now", () => {
    const preview = previewMove(RT, {
      values: { NextStep: "x" },
      counts: {},
      today: TODAY,
      stage: "Prospecting",
      toStage: "Needs Analysis"
    });
    expect(preview.map((r) => [r.criterion.id, r.verdict])).toEqual([
      ["p_out", "met"],
      ["q_out", "met"],
      ["n_in", "met"]
    ]);
    const toLost = previewMove(RT, {
      values: {},
      counts: {},
      today: TODAY,
      stage: "Needs Analysis",
      toStage: "Closed Lost"
    });
    expect(toLost.map((r) => [r.criterion.id, r.verdict])).toEqual([
      ["l_in", "unknown"]
    ]);
    expect(
      previewMove(RT, {
        values: {},
        counts: {},
        today: TODAY,
        stage: "Needs Analysis",
        toStage: "Prospecting"
      })
    ).toEqual([]);
  });

  it("laterStages lists the stages a rep can move forward to", () => {
    const p: RuntimeProcess = DEFAULT;
    expect(laterStages(p, "Qualification")).toEqual([
      "Needs Analysis",
      "Closed Won"
    ]);
    expect(laterStages(p, "Closed Lost")).toEqual([
      "Prospecting",
      "Qualification",
      "Needs Analysis",
      "Closed Won"
    ]);
    expect(laterStages(p, "Closed Won")).toEqual([]);
  });

  it("fieldsUsed lists the Opportunity fields the map reads", () => {
    expect(fieldsUsed(RT)).toEqual(["NextStep"]);
  });
});
