/**
 * The formulon harness: each KNOWN_DIFFERENCES entry is shown to hold for
 * formulon (so the list cannot go stale silently) and to be handled or avoided
 * by the harness; term-wise evaluation agrees with whole-formula evaluation.
 */
import fc from "fast-check";
import { parse } from "formulon";
import type { FieldType } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  KNOWN_DIFFERENCES,
  evaluateFormula,
  evaluatePrepared,
  evaluatePreparedValue,
  evaluateTerms,
  percentForFormula,
  prepareFormula,
  topLevelAndArguments,
  type HarnessRecord
} from "../../scripts/gates/formula/formulon-harness";
import { SYNTHETIC_FIELDS, SYNTHETIC_MAP } from "./synthetic-map";
import {
  harnessFieldTypes,
  loadedFromMap,
  preparedRules,
  saveArbitrary
} from "./support";

const TYPES: Record<string, FieldType> = {
  StageName: "Picklist",
  Type: "Picklist",
  NextStep: "Text",
  Amount: "Currency",
  Probability: "Percent",
  CloseDate: "Date",
  Signed_At__c: "DateTime",
  Competitors__c: "MultiselectPicklist"
};

function record(partial: Partial<HarnessRecord> = {}): HarnessRecord {
  return {
    values: { StageName: "Qualification" },
    prior: { StageName: "Prospecting" },
    today: "2024-02-29",
    ...partial
  };
}

const blankPicklist = {
  type: "literal" as const,
  dataType: "picklist",
  value: null,
  options: {}
};

describe("KNOWN_DIFFERENCES between formulon and Salesforce", () => {
  test("every entry is tested below", () => {
    expect(KNOWN_DIFFERENCES.map((d) => d.id)).toEqual([
      "history-functions",
      "record-type",
      "today",
      "blank-text",
      "string-escapes",
      "datevalue-null",
      "isblank-multipicklist",
      "null-date-compare",
      "comments",
      "division-by-zero"
    ]);
  });

  test("history-functions: formulon has no ISNEW/ISCHANGED/PRIORVALUE; the harness follows Salesforce's insert rules", () => {
    expect(parse("ISNEW()")).toMatchObject({
      type: "error",
      errorType: "NoFunctionError"
    });
    const insert = record({ prior: null });
    expect(evaluateFormula("ISNEW()", TYPES, insert)).toBe(true);
    expect(evaluateFormula("ISNEW()", TYPES, record())).toBe(false);
    // On insert ISCHANGED is FALSE for every field and PRIORVALUE returns the current value.
    expect(evaluateFormula("ISCHANGED(StageName)", TYPES, insert)).toBe(false);
    expect(
      evaluateFormula(
        'ISPICKVAL(PRIORVALUE(StageName), "Qualification")',
        TYPES,
        insert
      )
    ).toBe(true);
    expect(evaluateFormula("ISCHANGED(StageName)", TYPES, record())).toBe(true);
    expect(
      evaluateFormula(
        'ISPICKVAL(PRIORVALUE(StageName), "Prospecting")',
        TYPES,
        record()
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        "ISCHANGED(StageName)",
        TYPES,
        record({ prior: { StageName: "Qualification" } })
      )
    ).toBe(false);
  });

  test("record-type: no relationship traversal in formulon; the harness binds the DeveloperName", () => {
    expect(parse('RecordType.DeveloperName = "A"')).toMatchObject({
      type: "error",
      errorType: "ReferenceError"
    });
    expect(
      evaluateFormula(
        'RecordType.DeveloperName = "Enterprise"',
        TYPES,
        record({ recordType: "Enterprise" })
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        "ISBLANK(RecordType.DeveloperName)",
        TYPES,
        record({ recordType: null })
      )
    ).toBe(true);
  });

  test("today: formulon uses the machine's date; the harness binds the given day", () => {
    expect(parse("TODAY()")).toMatchObject({
      type: "literal",
      dataType: "date"
    });
    expect(
      evaluateFormula("TODAY() = DATE(2024, 2, 29)", TYPES, record())
    ).toBe(true);
    expect(
      evaluateFormula(
        "CloseDate = TODAY() + 1",
        TYPES,
        record({ values: { CloseDate: "2024-03-01" } })
      )
    ).toBe(true);
  });

  test("blank-text: a null picklist is TEXT() 'NULL' in formulon; the harness binds blank text as \"\"", () => {
    expect(parse("TEXT(p)", { p: blankPicklist })).toMatchObject({
      value: "NULL"
    });
    expect(parse("ISBLANK(TEXT(p))", { p: blankPicklist })).toMatchObject({
      value: false
    });
    expect(
      evaluateFormula(
        "ISBLANK(TEXT(Type))",
        TYPES,
        record({ values: { Type: null } })
      )
    ).toBe(true);
    expect(
      evaluateFormula("ISBLANK(NextStep)", TYPES, record({ values: {} }))
    ).toBe(true);
    expect(
      evaluateFormula(
        'TEXT(Type) = ""',
        TYPES,
        record({ values: { Type: "" } })
      )
    ).toBe(true);
  });

  test("string-escapes: formulon rejects backslash escapes; the harness lifts such literals", () => {
    expect(parse('"a\\"b" = "x"')).toMatchObject({
      type: "error",
      errorType: "SyntaxError"
    });
    const values = { NextStep: 'say "hi"\\ then\nleave\tnow' };
    expect(
      evaluateFormula(
        'NextStep = "say \\"hi\\"\\\\ then\\nleave\\tnow"',
        TYPES,
        record({ values })
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        'NextStep = "say \\"hi\\"\\\\ then\\nleave now"',
        TYPES,
        record({ values })
      )
    ).toBe(false);
  });

  test("datevalue-null: DATEVALUE(null) is an error in formulon; the harness binds the GMT date or blank", () => {
    expect(
      parse("DATEVALUE(d)", {
        d: { type: "literal", dataType: "datetime", value: null }
      })
    ).toMatchObject({
      type: "error",
      errorType: "ArgumentError"
    });
    const formula =
      "OR(ISBLANK(Signed_At__c), NOT(DATEVALUE(Signed_At__c) >= DATE(2024, 2, 29)))";
    expect(
      evaluateFormula(
        formula,
        TYPES,
        record({ values: { Signed_At__c: null } })
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        formula,
        TYPES,
        record({ values: { Signed_At__c: "2024-02-29T00:00:00Z" } })
      )
    ).toBe(false);
    expect(
      evaluateFormula(
        formula,
        TYPES,
        record({ values: { Signed_At__c: "2024-02-28T23:59:59Z" } })
      )
    ).toBe(true);
  });

  test("isblank-multipicklist: formulon rejects ISBLANK(multipicklist); the harness binds it", () => {
    expect(
      parse("ISBLANK(m)", {
        m: {
          type: "literal",
          dataType: "multipicklist",
          value: ["a"],
          options: {}
        }
      })
    ).toMatchObject({ type: "error", errorType: "ArgumentError" });
    expect(
      evaluateFormula(
        "ISBLANK(Competitors__c)",
        TYPES,
        record({ values: { Competitors__c: "" } })
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        "ISBLANK(Competitors__c)",
        TYPES,
        record({ values: { Competitors__c: "A;B" } })
      )
    ).toBe(false);
    expect(
      evaluateFormula(
        'INCLUDES(Competitors__c, "B")',
        TYPES,
        record({ values: { Competitors__c: "A;B" } })
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        'INCLUDES(Competitors__c, "B")',
        TYPES,
        record({ values: {} })
      )
    ).toBe(false);
  });

  test("null-date-compare: formulon compares a null date with TODAY() as true and fails on null arithmetic; generated formulas test ISBLANK first", () => {
    const nullDate = {
      d: { type: "literal" as const, dataType: "date", value: null }
    };
    expect(parse("d < TODAY()", nullDate)).toMatchObject({ value: true });
    expect(
      parse("n + 1", {
        n: {
          type: "literal",
          dataType: "number",
          value: null,
          options: { length: 3, scale: 0 }
        }
      })
    ).toMatchObject({ type: "error" });
    expect(() =>
      parse("LEN(t)", {
        t: { type: "literal", dataType: "text", value: null, options: {} }
      })
    ).toThrow();
    expect(
      evaluateFormula(
        "OR(ISBLANK(CloseDate), NOT(CloseDate < TODAY()))",
        TYPES,
        record({ values: {} })
      )
    ).toBe(true);
  });

  test("comments and division by zero: avoided by the generator", () => {
    expect(parse("/* c */ TRUE")).toMatchObject({
      type: "error",
      errorType: "SyntaxError"
    });
    expect(parse("1/0")).toMatchObject({ type: "literal", value: Infinity });
  });
});

describe("harness details", () => {
  test("Percent values are seen divided by 100, exactly", () => {
    expect(percentForFormula(50)).toBe(0.5);
    expect(percentForFormula(33.5)).toBe(0.335);
    expect(percentForFormula(0.1)).toBe(0.001);
    expect(percentForFormula(-12.25)).toBe(-0.1225);
    expect(
      evaluateFormula(
        "Probability >= 0.335",
        TYPES,
        record({ values: { Probability: 33.5 } })
      )
    ).toBe(true);
    expect(
      evaluateFormula(
        "Probability > 0.335",
        TYPES,
        record({ values: { Probability: 33.5 } })
      )
    ).toBe(false);
  });

  test("evaluatePreparedValue returns numbers and text", () => {
    const types = TYPES;
    const prepared = prepareFormula(
      'IF(ISNEW(), 0, CASE(TEXT(PRIORVALUE(StageName)), "Prospecting", 1, 0))',
      types
    );
    expect(evaluatePreparedValue(prepared, types, record())).toBe(1);
    expect(
      evaluatePreparedValue(prepared, types, record({ prior: null }))
    ).toBe(0);
    expect(
      evaluatePreparedValue(
        prepareFormula('"a\\nb" & NextStep', types),
        types,
        record({ values: { NextStep: "c" } })
      )
    ).toBe("a\nb" + "c");
  });

  test("top-level AND arguments respect parentheses and string literals", () => {
    expect(
      topLevelAndArguments('AND(\n  A, OR(B, C),\n  D = "x, (y)"\n)')
    ).toEqual(["A", "OR(B, C)", 'D = "x, (y)"']);
    expect(topLevelAndArguments("OR(A, B)")).toBeUndefined();
    expect(topLevelAndArguments("AND(A, B) = C")).toBeUndefined();
  });

  test("term-wise evaluation (short-circuit, memoised) agrees with evaluating the whole formula", () => {
    const loaded = loadedFromMap(SYNTHETIC_MAP, SYNTHETIC_FIELDS);
    const rules = preparedRules(loaded);
    const types = harnessFieldTypes(loaded);
    const cache = new Map<string, boolean>();
    let fired = 0;
    fc.assert(
      fc.property(saveArbitrary(loaded), (save) => {
        const rec: HarnessRecord = {
          values: save.after,
          prior: save.before,
          recordType: save.recordType,
          permissions: save.permissions,
          today: save.today
        };
        for (const rule of rules) {
          const whole = evaluatePrepared(rule.prepared, types, rec);
          expect(evaluateTerms(rule.prepared, types, rec, cache)).toBe(whole);
          fired += whole ? 1 : 0;
        }
      }),
      { seed: 8, numRuns: 12 }
    );
    expect(fired).toBeGreaterThan(10);
  });
});
