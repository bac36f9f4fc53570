/**
 * The generated Check Move and stalled-deal alert tests (StageGateGeneratedMoveCheckTest,
 * StageGateGeneratedAlertsTest): their moves, replayed through the core, do what the tests
 * assert (blocked by exactly the criterion, allowed once met, allowed with everything met, a
 * regression only the chosen criterion explains); their structure follows the map (switches,
 * target days, what a map cannot provide is stated, never faked); every test method asserts; and
 * for two other maps the generated Apex passes the apex checks (parser,
 * prettier, SOQL fields, apex-ls, PMD) in a project of its own.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  evaluateTransition,
  orgErrors,
  selectProcess,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { parseApex } from "../../scripts/checks/apex";
import {
  ALERTS_TEST_PATH,
  emitAlertsTest
} from "../../scripts/gates/generate/alerts-test";
import { EMITTERS } from "../../scripts/gates/generate/emitters";
import {
  ENFORCEMENT_TEST_PATH,
  REFERENCE_TODAY,
  coreValue,
  type MovePlan
} from "../../scripts/gates/generate/enforcement-test";
import {
  codesInMessage,
  overdueCase,
  regressionCase
} from "../../scripts/gates/generate/guided-cases";
import {
  MOVE_CHECK_TEST_PATH,
  emitMoveCheckTest,
  moveCheckCases
} from "../../scripts/gates/generate/move-check-test";
import { isGeneratedContent } from "../../scripts/gates/generate/names";
import { loadMap, type LoadedMap } from "../../scripts/gates/load";
import { REPO, runGates, tempDir } from "./support";

const shipped = loadMap();
const basic = loadMap(path.join("test", "fixtures", "generator", "basic.json"));
const minimal = loadMap(
  path.join("test", "fixtures", "valid", "minimal-map.json")
);

function emitted(loaded: LoadedMap, file: string): string {
  const emit =
    file === MOVE_CHECK_TEST_PATH ? emitMoveCheckTest : emitAlertsTest;
  const found = emit({ loaded, configLabel: "config/stage-gates.json" }).find(
    (f) => f.path === file
  );
  if (!found) throw new Error(`${file} not emitted`);
  return found.content;
}

/** Apex with its white space collapsed, so expectations do not depend on line breaks. */
function flat(apex: string): string {
  return apex.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")");
}

/** The core's verdict on a plan's move, with `extra` values or related counts on top. */
function verdict(
  loaded: LoadedMap,
  plan: MovePlan,
  extra: {
    values?: Record<string, unknown>;
    counts?: Record<string, number>;
  } = {}
) {
  const values: Record<string, unknown> = {};
  for (const s of plan.fields) values[s.field] = coreValue(s.value);
  Object.assign(values, extra.values ?? {});
  const counts: Record<string, number> = {};
  for (const r of plan.related) counts[r.id] = r.count;
  Object.assign(counts, extra.counts ?? {});
  const recordType =
    plan.process.recordTypes.find(
      (rt) => selectProcess(loaded.runtime, rt) === plan.process
    ) ?? null;
  return evaluateTransition(loaded.runtime, {
    recordType,
    before: { ...values, StageName: plan.from },
    after: { ...values, StageName: plan.to },
    counts,
    today: REFERENCE_TODAY
  });
}

/** The test methods of a class: name → body. */
function methods(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of flat(text).split("@IsTest static void ").slice(1)) {
    out.set(part.slice(0, part.indexOf("(")), part);
  }
  return out;
}

const withMap = (
  base: LoadedMap,
  change: (map: StageGateMap) => StageGateMap,
  dir: string
): { map: StageGateMap; file: string } => {
  const map = change(JSON.parse(JSON.stringify(base.map)) as StageGateMap);
  const file = path.join(dir, "map.json");
  fs.writeFileSync(file, JSON.stringify(map, null, 2));
  return { map, file };
};

describe("the shipped map's generated Check Move test", () => {
  const raw = emitted(shipped, MOVE_CHECK_TEST_PATH);
  const text = flat(raw);
  const cases = moveCheckCases(shipped);

  test("is a generated, syntactically valid Apex test class listed among the emitters", () => {
    expect(isGeneratedContent(raw)).toBe(true);
    expect(parseApex(raw).errors).toEqual([]);
    expect(EMITTERS).toContain(emitMoveCheckTest);
    expect(text).toContain(
      "@IsTest private class StageGateGeneratedMoveCheckTest {"
    );
    expect(text).not.toContain("Not generated");
  });

  test("has every case the issue asks for, and each test method asserts", () => {
    const all = methods(text);
    expect([...all.keys()]).toEqual([
      "allowsAMoveThatMeetsEveryGate",
      "reportsAnUnmetFieldCriterionWithItsCode",
      "reportsAnUnmetRelatedCriterionWithItsCode",
      "anApprovedWaiverLiftsTheCriterion",
      "holdersOfTheBypassMayMove",
      "checksTwoHundredMovesWithOneSave",
      "answersTheSameRecordAskedTwice",
      "explainsBadRequests"
    ]);
    for (const body of all.values()) {
      expect(body).toMatch(/Assert\.(areEqual|isTrue|isFalse|isNotNull)\(/);
      expect(body).toContain(
        "System.runAs(StageGateTestDataFactory.gatedUser())"
      );
    }
  });

  test("the field case: the core blocks its move by exactly that criterion and allows it once met", () => {
    const c = cases.field;
    expect(c?.criterion.id).toBe("amount_positive");
    if (!c || !c.meetValue) throw new Error("no field case");
    expect(c.exact && c.canMeet).toBe(true);
    expect(verdict(shipped, c.plan).blocking).toEqual(["amount_positive"]);
    const field = (c.criterion as { field: string }).field;
    expect(
      verdict(shipped, c.plan, { values: { [field]: coreValue(c.meetValue) } })
    ).toMatchObject({ allowed: true, blocking: [] });
    expect(text).toContain(
      "new List<String>{ 'amount_positive' }, blocked.unmetCodes,"
    );
    expect(text).toContain(
      "update new Opportunity(Id = recordId, Amount = 1000);"
    );
    // The org's message, as the generated validation rule shows it.
    expect(text).toContain(
      "'[amount_positive] Amount is greater than 0. Enter your best estimate"
    );
    expect(codesInMessage(c.message)).toEqual(["amount_positive"]);
    // The message the test expects is the org's one error for the move, as the core models it.
    expect(orgErrors(shipped.runtime, [c.criterion])).toEqual([
      {
        enforcedBy: "validationRule",
        criteria: ["amount_positive"],
        message: c.message
      }
    ]);
    expect(c.byRule).toBe(true);
  });

  test("the related case: the core blocks its move by exactly that criterion and allows it once its records exist", () => {
    const c = cases.related;
    expect(c?.criterion.id).toBe("primary_contact");
    if (!c) throw new Error("no related case");
    expect(verdict(shipped, c.plan).blocking).toEqual(["primary_contact"]);
    expect(
      verdict(shipped, c.plan, { counts: { primary_contact: 1 } })
    ).toMatchObject({ allowed: true, blocking: [] });
    expect(text).toContain(
      "StageGateMoveScenario.meet(records, 'primary_contact', 1);"
    );
    expect(orgErrors(shipped.runtime, [c.criterion])).toEqual([
      { enforcedBy: "flow", criteria: ["primary_contact"], message: c.message }
    ]);
    expect(text).toContain(`blocked.messages.contains('${c.message}')`);
  });

  test("the allowed move, the waiver, the bypass and the bulk half use moves the core agrees with", () => {
    if (!cases.allowed || !cases.waiver || !cases.main)
      throw new Error("cases");
    expect(verdict(shipped, cases.allowed.plan)).toMatchObject({
      allowed: true,
      blocking: []
    });
    // Waived, the only unmet criterion no longer blocks (the core reads the waived list).
    const waived = verdict(shipped, cases.waiver.plan, {
      values: { Stage_Gate_Waived__c: ";amount_positive;" }
    });
    expect(waived).toMatchObject({ allowed: true, blocking: [] });
    expect(text).toContain(
      "StageGateTestDataFactory.buildWaiver(recordId, 'amount_positive', Math.min(7, StageGateWaiverDefinitions.MAX_DAYS));"
    );
    expect(text).toContain("Status__c = StageGateWaiverRules.APPROVED");
    expect(text).toContain("Assert.isTrue(bypassed.allowed,");
    expect(text).toContain(".place(100);");
    expect(text).toContain("checkCost <= saveCost + 2");
  });
});

describe("the shipped map's generated alert test", () => {
  const raw = emitted(shipped, ALERTS_TEST_PATH);
  const text = flat(raw);

  test("is a generated, syntactically valid Apex test class listed among the emitters", () => {
    expect(isGeneratedContent(raw)).toBe(true);
    expect(parseApex(raw).errors).toEqual([]);
    expect(EMITTERS).toContain(emitAlertsTest);
    expect(text).not.toContain("Not generated");
  });

  test("every case, each asserting, run as the gated or the bypass user", () => {
    const all = methods(text);
    expect([...all.keys()]).toEqual([
      "sendsEachOwnerOneOverdueDigestAcrossChunks",
      "followsTheMapsOverdueSwitch",
      "staysQuietForDealsWithinTheirTargetThatMeetTheirGates",
      "handlesTwoHundredDealsInOneChunk",
      "reportsDealsThatNoLongerMeetAGateTheyPassed",
      "aRunningUserWithTheBypassCannotFindRegressions",
      "followsTheMapsRegressionSwitch",
      "schedulesDaily",
      "countsDaysInStageFromTheLastStageChangeOrCreation"
    ]);
    for (const body of all.values()) {
      expect(body).toMatch(/Assert\.(areEqual|isTrue|isFalse|isNotNull)\(/);
      expect(body).toMatch(
        /System\.runAs\(StageGateTestDataFactory\.(gatedUser|bypassUser)\(\)\)/
      );
    }
  });

  test("the overdue stage has the map's target days and comes after the first stage (so its deals are re-checked)", () => {
    const o = overdueCase(shipped);
    expect(o).toMatchObject({
      stage: "Qualification",
      index: 1,
      targetDays: 14
    });
    expect(o?.metPlan.limits).toEqual([]);
    expect(text).toContain(
      "Assert.areEqual(14, target, 'targetDays of the map');"
    );
    expect(text).toContain("overdue = job(target + 2);");
    expect(text).toContain("both.regressionAlerts = true;");
    expect(text).not.toContain("INJECTED_TARGET_DAYS");
  });

  test("the regression deal: the re-check's forward move (first stage → its stage) is blocked by exactly the chosen criterion", () => {
    const r = regressionCase(shipped);
    if (!r) throw new Error("no regression case");
    expect(r).toMatchObject({ stage: "Qualification" });
    expect(r.plan.from).toBe("Prospecting");
    expect(verdict(shipped, r.plan).blocking).toEqual([r.criterion.id]);
    expect(text).toContain(`digest.lines[0].contains('${r.criterion.id}')`);
  });

  test("both switches on in the shipped map: the switch tests expect digests", () => {
    expect(text).toContain("Assert.areEqual(true, byMap.overdueAlerts,");
    expect(text).toContain("Assert.areEqual(true, byMap.regressionAlerts,");
  });
});

describe("other maps", () => {
  test("basic.json sets no targetDays: the tests give a stage a target for their own transaction, and say so", () => {
    const textRaw = emitted(basic, ALERTS_TEST_PATH);
    const text = flat(textRaw);
    expect(parseApex(textRaw).errors).toEqual([]);
    expect(overdueCase(basic)).toMatchObject({
      stage: "Qualification",
      index: 1
    });
    expect(text).toContain(
      "the map sets no targetDays, so the tests give this stage a target of 1 day for their own transaction"
    );
    expect(text).toContain(
      "StageGateStageDefinitions.PROCESSES.get(OVERDUE_PROCESS).targetDays.put(OVERDUE_STAGE, INJECTED_TARGET_DAYS);"
    );
    expect(text).toContain(
      "private static final Integer INJECTED_TARGET_DAYS = 1;"
    );
  });

  test("basic.json: Check Move uses its own criteria and stages", () => {
    const textRaw = emitted(basic, MOVE_CHECK_TEST_PATH);
    const text = flat(textRaw);
    const cases = moveCheckCases(basic);
    expect(cases.field?.criterion.id).toBe("amount_positive");
    expect(cases.related?.criterion.id).toBe("primary_contact");
    if (!cases.field || !cases.related) throw new Error("cases");
    expect(verdict(basic, cases.field.plan).blocking).toEqual([
      "amount_positive"
    ]);
    expect(verdict(basic, cases.related.plan).blocking).toEqual([
      "primary_contact"
    ]);
    expect(text).toContain("'[primary_contact] A primary contact role.'");
    expect(text).not.toContain("Enterprise");
  });

  test('"fieldCriteriaIn": "flow": field criteria are the flow\'s too, and the exact case still expects the criterion\'s own message', () => {
    const dir = tempDir("guided-flow");
    try {
      const loaded = loadMap(
        withMap(basic, (map) => ({ ...map, fieldCriteriaIn: "flow" }), dir)
          .file,
        { projectDir: REPO }
      );
      const { field } = moveCheckCases(loaded);
      if (!field) throw new Error("no field case");
      expect(field.byRule).toBe(false);
      expect(field.exact).toBe(true);
      expect(orgErrors(loaded.runtime, [field.criterion])).toEqual([
        {
          enforcedBy: "flow",
          criteria: [field.criterion.id],
          message: field.message
        }
      ]);
      const raw = emitted(loaded, MOVE_CHECK_TEST_PATH);
      expect(parseApex(raw).errors).toEqual([]);
      expect(flat(raw)).toContain(
        `blocked.messages.contains('${field.message}')`
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("alerts off in the map: the switch tests assert that nothing is sent", () => {
    const off = {
      ...minimal,
      map: { ...minimal.map, alerts: { overdue: false, regressions: false } }
    };
    const textRaw = emitted(off, ALERTS_TEST_PATH);
    const text = flat(textRaw);
    expect(parseApex(textRaw).errors).toEqual([]);
    expect(text).toContain("the map's switches: overdue off, regressions off");
    const all = methods(text);
    expect(all.get("followsTheMapsOverdueSwitch")).toContain(
      "'Overdue deals, but the map turns the alert off'"
    );
    expect(all.get("followsTheMapsOverdueSwitch")).toMatch(
      /Assert\.areEqual\(\s*false,\s*byMap\.overdueAlerts,/
    );
    expect(all.get("followsTheMapsRegressionSwitch")).toContain(
      "'A regressed deal, but the map turns the alert off'"
    );
    // The digest paths are still exercised, switched on in the tests themselves.
    expect(all.get("sendsEachOwnerOneOverdueDigestAcrossChunks")).toContain(
      "overdue.overdueAlerts = true;"
    );
    expect(all.get("reportsDealsThatNoLongerMeetAGateTheyPassed")).toContain(
      "regressions.regressionAlerts = true;"
    );
  });

  test("a map without field criteria: no field test, the class says why, the other cases remain", () => {
    const dir = tempDir("guided-related");
    try {
      const loaded = loadMap(
        withMap(
          basic,
          (map) => {
            const p = map.processes[0];
            p.stages[0].exit = (p.stages[0].exit ?? []).filter(
              (c) => "related" in c
            );
            p.stages[1].entry = [];
            p.won.entry = [];
            p.lost.entry = [];
            return map;
          },
          dir
        ).file,
        { projectDir: REPO }
      );
      const textRaw = emitted(loaded, MOVE_CHECK_TEST_PATH);
      const text = flat(textRaw);
      expect(parseApex(textRaw).errors).toEqual([]);
      expect(text).toContain(
        "blocked by a field criterion: the map enforces no field criterion whose value a test can leave unmet"
      );
      expect(text).not.toContain("reportsAnUnmetFieldCriterionWithItsCode");
      expect(text).toContain("reportsAnUnmetRelatedCriterionWithItsCode");
      // The waiver and the bypass use the related criterion instead.
      expect(text).toContain("'primary_contact', Math.min(7,");
      expect(methods(text).get("holdersOfTheBypassMayMove")).toContain(
        "'primary_contact'"
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a map that enforces nothing: no blocked, waived or bypass test, each named; the allowed, bulk and refused requests remain", () => {
    const dir = tempDir("guided-warn");
    try {
      const loaded = loadMap(
        withMap(
          basic,
          (map) => {
            for (const s of map.processes[0].stages) {
              for (const c of [...(s.entry ?? []), ...(s.exit ?? [])])
                c.mode = "warn";
            }
            for (const c of [
              ...(map.processes[0].won.entry ?? []),
              ...(map.processes[0].lost.entry ?? [])
            ])
              c.mode = "warn";
            return map;
          },
          dir
        ).file,
        { projectDir: REPO }
      );
      const checkRaw = emitted(loaded, MOVE_CHECK_TEST_PATH);
      const check = flat(checkRaw);
      expect(parseApex(checkRaw).errors).toEqual([]);
      expect([...methods(check).keys()]).toEqual([
        "allowsAMoveThatMeetsEveryGate",
        "checksTwoHundredMovesWithOneSave",
        "answersTheSameRecordAskedTwice",
        "explainsBadRequests"
      ]);
      for (const reason of [
        "blocked by a field criterion:",
        "blocked by a related criterion:",
        "waived:",
        "bypass: the map enforces nothing"
      ])
        expect(check).toContain(reason);
      expect(check).toContain(".place(200);");
      const alertsRaw = emitted(loaded, ALERTS_TEST_PATH);
      const alerts = flat(alertsRaw);
      expect(alerts).toContain(
        "regression tests: no open stage after a process's first"
      );
      expect(alerts).not.toContain(
        "reportsDealsThatNoLongerMeetAGateTheyPassed"
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------
// The apex checks on the generated classes of other maps, each in a project of its own
// ---------------------------------------------------------------------------

const TSX = path.join(REPO, "node_modules", ".bin", "tsx");

function runCheck(
  check: string,
  roots: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(REPO, "scripts", "checks", "run-check.ts"), check, ...roots],
      { cwd: REPO, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr
        })
    );
  });
}

/** A copy of this project (package directories, formatting and ignore files) with another map generated into force-app. */
async function projectFor(name: string, map: StageGateMap): Promise<string> {
  const dir = tempDir(`guided-${name}`);
  for (const entry of [
    "sfdx-project.json",
    ".prettierrc",
    ".prettierignore",
    ".forceignore",
    "force-app",
    "example-app",
    "org-metadata"
  ]) {
    const from = path.join(REPO, entry);
    if (fs.existsSync(from)) {
      fs.cpSync(from, path.join(dir, entry), {
        recursive: true,
        filter: (src) => !src.split(path.sep).includes("node_modules")
      });
    }
  }
  // prettier resolves the Apex plugin from the formatted files' folder.
  fs.symlinkSync(
    path.join(REPO, "node_modules"),
    path.join(dir, "node_modules")
  );
  fs.mkdirSync(path.join(dir, "config"));
  const config = path.join(dir, "config", "stage-gates.json");
  fs.writeFileSync(config, JSON.stringify(map, null, 2));
  const out = path.join(dir, "force-app", "main", "default");
  const result = await runGates(["generate", "--config", config, "--out", out]);
  if (result.code !== 0) {
    throw new Error(
      `generate failed for ${name}: ${result.stdout}${result.stderr}`
    );
  }
  return dir;
}

describe("the generated classes of other maps pass the apex checks", () => {
  const projects: Record<string, string> = {};
  /** basic.json with every criterion in warn mode and both alerts off: the fewest generated tests. */
  const enforcesNothing = (): StageGateMap => {
    const map = JSON.parse(JSON.stringify(basic.map)) as StageGateMap;
    const p = map.processes[0];
    for (const list of [
      ...p.stages.flatMap((s) => [s.entry ?? [], s.exit ?? []]),
      p.won.entry ?? [],
      p.lost.entry ?? []
    ])
      for (const c of list) c.mode = "warn";
    return { ...map, alerts: { overdue: false, regressions: false } };
  };

  beforeAll(async () => {
    // basic.json: no targetDays, field and related criteria, the default process only.
    projects.basic = await projectFor("basic", basic.map);
    projects["enforces-nothing"] = await projectFor(
      "enforces-nothing",
      enforcesNothing()
    );
  }, 300_000);

  afterAll(() => {
    for (const dir of Object.values(projects)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("each project holds its own generated tests (not the shipped map's)", () => {
    const read = (name: string, file: string): string =>
      fs.readFileSync(
        path.join(projects[name], "force-app", "main", "default", file),
        "utf8"
      );
    expect(read("basic", ALERTS_TEST_PATH)).toContain("INJECTED_TARGET_DAYS");
    expect(read("enforces-nothing", ALERTS_TEST_PATH)).toContain(
      "overdue off, regressions off"
    );
    expect(read("enforces-nothing", MOVE_CHECK_TEST_PATH)).not.toContain(
      "holdersOfTheBypassMayMove"
    );
    expect(read("basic", ENFORCEMENT_TEST_PATH)).not.toContain("Enterprise");
  });

  test.each(["apex-syntax", "apex-format", "soql", "apex-ls", "pmd"])(
    "%s finds nothing",
    async (check) => {
      const roots = Object.values(projects);
      const result = await runCheck(check, roots);
      expect(result.stderr).toBe("");
      const problems = JSON.parse(result.stdout) as Record<string, unknown[]>;
      expect(Object.keys(problems)).toHaveLength(roots.length);
      for (const root of roots) expect(problems[root]).toEqual([]);
      expect(result.code).toBe(0);
    },
    300_000
  );

  test("and the check would see a broken generated test: apex-ls names an unknown method in it", async () => {
    const root = projects.basic;
    const file = path.join(
      root,
      "force-app",
      "main",
      "default",
      MOVE_CHECK_TEST_PATH
    );
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
      file,
      original.replace(
        "StageGateMoveCheck.checkMove(",
        "StageGateMoveCheck.checkMoves("
      )
    );
    try {
      const result = await runCheck("apex-ls", [root]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("StageGateGeneratedMoveCheckTest.cls");
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 300_000);
});
