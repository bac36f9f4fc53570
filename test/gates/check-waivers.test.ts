/**
 * `gates check` with waivers: a save's "waived" list (approved, unexpired waivers) lifts those
 * criteria exactly as the deal's waived list (Stage_Gate_Waived__c) does in the org: a waived
 * criterion never blocks, is reported under "waived" and leaves the message. Codes are matched
 * without case; a code that is not an enforced criterion of the map is refused with the records
 * file and the JSON path.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WAIVED_FIELD } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  checkRecords,
  readRecords,
  type SaveRecord
} from "../../scripts/gates/commands/check";
import { formatProblem, loadMap } from "../../scripts/gates/load";
import { runGates } from "../generator/support";

const TODAY = "2026-11-23";
const loaded = loadMap("config/stage-gates.json");

/** The README's example: Prospecting → Proposal/Price Quote, skipping three stages. */
function skipToProposal(extra: Partial<SaveRecord> = {}): SaveRecord {
  return {
    id: "skip-to-proposal",
    before: { StageName: "Prospecting", Amount: 5000 },
    after: {
      StageName: "Proposal/Price Quote",
      Amount: 5000,
      NextStep: "TBD"
    },
    related: { OpportunityContactRole: [{ IsPrimary: true }] },
    ...extra
  };
}

const BLOCKING = [
  "discovery_call",
  "next_step",
  "pain_points",
  "budget_confirmed",
  "decision_maker",
  "solution_meeting"
];

function check(save: SaveRecord) {
  const read = readRecords(
    JSON.stringify([save]),
    "r.json",
    loaded.fields,
    loaded.runtime
  );
  if (!read.records) {
    throw new Error(read.problems.map(formatProblem).join("\n"));
  }
  return checkRecords(loaded.runtime, read.records, TODAY)[0];
}

describe("gates check with waivers", () => {
  it("blocks as before when the save lists no waivers, and says nothing about waivers", () => {
    const result = check(skipToProposal());
    expect(result.blocking).toEqual(BLOCKING);
    expect(result).not.toHaveProperty("waived");
  });

  it("a waived criterion never blocks and is reported under waived", () => {
    const result = check(
      skipToProposal({ waived: ["next_step", "pain_points"] })
    );
    expect(result.allowed).toBe(false);
    expect(result.blocking).toEqual(
      BLOCKING.filter((id) => id !== "next_step" && id !== "pain_points")
    );
    expect(result.waived).toEqual(["next_step", "pain_points"]);
    expect(result.message).not.toContain("[next_step]");
    expect(result.message).not.toContain("[pain_points]");
    expect(result.message).toContain("[discovery_call]");
  });

  it("waiving every blocking criterion allows the save", () => {
    const result = check(skipToProposal({ waived: BLOCKING }));
    expect(result).toMatchObject({
      allowed: true,
      blocking: [],
      waived: BLOCKING,
      message: ""
    });
    // Warnings are unaffected.
    expect(result.warnings).toEqual(check(skipToProposal()).warnings);
  });

  it("reports only waivers that lifted an unmet criterion", () => {
    // amount_positive is met (Amount 5000): its waiver changes nothing.
    const result = check(
      skipToProposal({ waived: ["amount_positive", "next_step"] })
    );
    expect(result.waived).toEqual(["next_step"]);
  });

  it("a waiver for a criterion the move does not require changes nothing", () => {
    const result = check(skipToProposal({ waived: ["loss_reason"] }));
    expect(result.waived).toEqual([]);
    expect(result.blocking).toEqual(BLOCKING);
  });

  it("matches codes without case, as the org stores the map's spelling", () => {
    expect(check(skipToProposal({ waived: ["NEXT_STEP"] })).waived).toEqual([
      "next_step"
    ]);
  });

  it("the deal's waived list in after has the same effect (what the org's rules read)", () => {
    const save = skipToProposal();
    const viaField = check({
      ...save,
      after: { ...save.after, [WAIVED_FIELD]: ";next_step;pain_points;" }
    });
    expect(viaField.blocking).toEqual(
      check(skipToProposal({ waived: ["next_step", "pain_points"] })).blocking
    );
    // A code inside a longer one is not a match: ;next_step_date; does not waive next_step.
    const longer = check({
      ...save,
      after: { ...save.after, [WAIVED_FIELD]: ";next_step_date;" }
    });
    expect(longer.blocking).toContain("next_step");
  });

  it("the bypass still allows everything; waivers do not matter then", () => {
    const result = check(
      skipToProposal({ permissions: ["Bypass_Stage_Gates"], waived: [] })
    );
    expect(result).toMatchObject({ allowed: true, blocking: [], waived: [] });
  });

  it("refuses codes that are not enforced criteria of the map, naming the file and JSON path", () => {
    const text = JSON.stringify(
      [
        skipToProposal({
          waived: ["next_step", "no_such_code", "exec_sponsor"]
        })
      ],
      null,
      2
    );
    const read = readRecords(text, "r.json", loaded.fields, loaded.runtime);
    expect(read.records).toBeUndefined();
    expect(read.problems.map(formatProblem)).toEqual([
      'r.json: $[0].waived[1]: no enforced criterion "no_such_code" in the process map: only enforced criteria can be waived',
      'r.json: $[0].waived[2]: no enforced criterion "exec_sponsor" in the process map: only enforced criteria can be waived'
    ]);
  });

  it("refuses a waived list that is not a list of strings", () => {
    const read = readRecords(
      JSON.stringify([{ ...skipToProposal(), waived: "next_step" }]),
      "r.json",
      loaded.fields,
      loaded.runtime
    );
    expect(read.problems.map(formatProblem)).toEqual([
      "r.json: $[0].waived: must be an array"
    ]);
  });

  it("the command prints waived per save", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stage-gates-waived-"));
    const file = path.join(dir, "saves.json");
    fs.writeFileSync(
      file,
      JSON.stringify([skipToProposal({ waived: BLOCKING }), skipToProposal()])
    );
    const result = await runGates([
      "check",
      "--records",
      file,
      "--today",
      TODAY
    ]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(output.map((r) => [r.allowed, r.waived])).toEqual([
      [true, BLOCKING],
      [false, undefined]
    ]);
  }, 60_000);
});
