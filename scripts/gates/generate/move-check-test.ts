/**
 * The product's Check Move test, generated from the map so that it passes in any org with any
 * map: classes/StageGateGeneratedMoveCheckTest.cls (+ meta). It covers StageGateMoveCheck and the
 * invocable StageGateCheckMoveAction against the org's own enforcement of the map:
 *
 * - allowed: a move with every criterion met (guided-cases.ts allowedCase) is allowed, with no
 *   codes and no messages, and nothing is saved;
 * - blocked by a field criterion, and by a related criterion: the smallest move requiring it,
 *   everything else met, reports the criterion's code and its message; a real save of the same
 *   move fails with the same messages; once the criterion is met, the check allows the move;
 * - waived: an approved, unexpired waiver for the blocking code (requested by the gated user,
 *   approved by a holder of Stage_Gates_Approver; StageGateWaiverSync writes the deal's waived
 *   list) lifts it: the move is allowed;
 * - bypass: the move that blocks the gated user is allowed for the bypass user;
 * - 200 requests through the invocable (half allowed, half blocked) answered in one rolled-back
 *   save: at most one bulk update of the moves plus the savepoint and the rollback in DML statements;
 * - a record asked about twice (two rounds), and the requests it refuses: no record id, no target
 *   stage, and a record the user cannot see (what it cannot know: here a deleted record).
 *
 * A case the map cannot provide (no enforced field criterion, say) is left out and named in the
 * class comment; the remaining tests still cover every path of the classes.
 */
import { isRelatedCriterion } from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../load";
import { apexString } from "./apex";
import {
  BULK_RECORD_COUNT,
  apexLiteral,
  comment,
  accountIdHelper,
  apexTestClassEmitter,
  scenario,
  stringList,
  type MovePlan,
  type TestValue
} from "./enforcement-test";
import {
  allowedCase,
  bestCase,
  blockedCases,
  reachableProcesses,
  type AllowedCase,
  type BlockedCase,
  type ProcessRef
} from "./guided-cases";
import { lineCommentHeader } from "./names";
import type { Emitter } from "./types";

export const MOVE_CHECK_TEST_CLASS = "StageGateGeneratedMoveCheckTest";
export const MOVE_CHECK_TEST_PATH = `classes/${MOVE_CHECK_TEST_CLASS}.cls`;
/** Days a test waiver runs (at most the map's waivers.maxDays, read from StageGateWaiverDefinitions). */
export const TEST_WAIVER_DAYS = 7;

export function processConst(ref: ProcessRef): string {
  return `PROCESS_${ref.number}_RECORD_TYPES`;
}

function moveText(plan: MovePlan): string {
  return comment(
    `${plan.process.name}: ${plan.from ?? "(insert)"} → ${plan.to}`
  );
}

function codeAssertions(
  variable: string,
  c: BlockedCase,
  indent: string
): string[] {
  const code = apexString(c.criterion.id);
  return [
    `${indent}Assert.isFalse(${variable}.allowed, ${apexString(`[${c.criterion.id}] is unmet: the move is not allowed`)});`,
    c.exact
      ? `${indent}Assert.areEqual(new List<String>{ ${code} }, ${variable}.unmetCodes, 'Only this criterion is unmet: ' + ${variable}.messages);`
      : c.byRule
        ? `${indent}Assert.isTrue(${variable}.unmetCodes.contains(${code}), 'The unmet codes name the criterion: ' + ${variable}.unmetCodes);`
        : // The flow lists several unmet codes only as far as they fit in its 255-character message.
          `${indent}Assert.isFalse(${variable}.unmetCodes.isEmpty(), 'The flow names the unmet criteria: ' + ${variable}.messages);`
  ];
}

/**
 * Meets the case's criterion and checks again: related records made by the gated user (as in the
 * enforcement test), or the field value set by the bypass user (no stage change).
 */
function meetAndCheck(c: BlockedCase): string[] {
  const check = `      met = StageGateMoveCheck.checkMove(recordId, ${apexString(c.plan.to)});`;
  if (isRelatedCriterion(c.criterion)) {
    return [
      "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
      `      StageGateMoveScenario.meet(records, ${apexString(c.criterion.id)}, ${c.criterion.minCount ?? 1});`,
      check,
      "    }"
    ];
  }
  return [
    "    System.runAs(StageGateTestDataFactory.bypassUser()) {",
    `      update new Opportunity(Id = recordId, ${c.criterion.field} = ${apexLiteral(c.meetValue as TestValue)});`,
    "    }",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    check,
    "    }"
  ];
}

function blockedTest(method: string, c: BlockedCase): string {
  const kind = isRelatedCriterion(c.criterion) ? "related" : "field";
  const lines = [
    `  /** Blocked by a ${kind} criterion: [${comment(c.criterion.id)}], move ${moveText(c.plan)}${c.exact ? ", every other criterion met" : ""}. The check names the code and its message, agrees with a real save${c.canMeet ? ", and allows the move once the criterion is met" : ""}. */`,
    "  @IsTest",
    `  static void ${method}() {`,
    `    List<Opportunity> records = ${scenario(processConst(c.ref), c.plan)}.place(1);`,
    "    Id recordId = records[0].Id;",
    "    StageGateMoveCheck.Outcome blocked;",
    "    Database.SaveResult saved;",
    ...(c.canMeet ? ["    StageGateMoveCheck.Outcome met;"] : []),
    "    Test.startTest();",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    `      blocked = StageGateMoveCheck.checkMove(recordId, ${apexString(c.plan.to)});`,
    `      Assert.areEqual(${apexString(c.plan.from as string)}, stageOf(recordId), 'The check saves nothing');`,
    `      saved = Database.update(new Opportunity(Id = recordId, StageName = ${apexString(c.plan.to)}), false, AccessLevel.USER_MODE);`,
    "    }",
    ...(c.canMeet ? meetAndCheck(c) : []),
    "    Test.stopTest();",
    ...codeAssertions("blocked", c, "    "),
    // A validation rule always shows the criterion's own message; the flow does when it is the only unmet one.
    ...(c.exact || c.byRule
      ? [
          `    Assert.isTrue(blocked.messages.contains(${apexString(c.message)}), 'The criterion\\'s message, as the org shows it: ' + blocked.messages);`
        ]
      : []),
    "    Assert.isFalse(saved.isSuccess(), 'A real save of the same move is blocked too');",
    "    Assert.areEqual(new Set<String>(saveLines(saved)), new Set<String>(blocked.messages), 'The check reports the save\\'s own messages');"
  ];
  if (c.canMeet) {
    lines.push(
      "    Assert.isTrue(met.allowed, 'Met, the move is allowed: ' + met.messages);",
      "    Assert.areEqual(new List<String>(), met.unmetCodes, 'Met, nothing is unmet');"
    );
  }
  lines.push("  }");
  return lines.join("\n");
}

function allowedTest(a: AllowedCase): string {
  const why = {
    forward: "with every criterion met",
    backward: "backward, which needs nothing",
    same: "staying in the stage, which needs nothing (the map offers no other move the generator can meet)"
  }[a.kind];
  return [
    `  /** Allowed: ${moveText(a.plan)} ${why}: no codes, no messages, nothing saved. */`,
    "  @IsTest",
    "  static void allowsAMoveThatMeetsEveryGate() {",
    `    List<Opportunity> records = ${scenario(processConst(a.ref), a.plan)}.place(1);`,
    "    StageGateMoveCheck.Outcome outcome;",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    "      Test.startTest();",
    `      outcome = StageGateMoveCheck.checkMove(records[0].Id, ${apexString(a.plan.to)});`,
    "      Test.stopTest();",
    "    }",
    "    Assert.isTrue(outcome.allowed, 'Every gate is met: ' + outcome.messages);",
    "    Assert.areEqual(new List<String>(), outcome.unmetCodes, 'No unmet codes');",
    "    Assert.areEqual(new List<String>(), outcome.messages, 'No messages');",
    "    Assert.areEqual(records[0].Id, outcome.recordId, 'The outcome names the record');",
    `    Assert.areEqual(${apexString(a.plan.to)}, outcome.targetStage, 'The outcome names the stage');`,
    `    Assert.areEqual(${apexString(a.plan.from as string)}, stageOf(records[0].Id), 'Nothing is saved');`,
    "  }"
  ].join("\n");
}

function waiverTest(c: BlockedCase): string {
  const code = apexString(c.criterion.id);
  return [
    `  /** Waived: an approved, unexpired waiver for [${comment(c.criterion.id)}], the only unmet criterion of ${moveText(c.plan)}, lifts it (StageGateWaiverSync writes the deal's waived list). */`,
    "  @IsTest",
    "  static void anApprovedWaiverLiftsTheCriterion() {",
    `    List<Opportunity> records = ${scenario(processConst(c.ref), c.plan)}.place(1);`,
    "    Id recordId = records[0].Id;",
    "    User approver = StageGateTestDataFactory.createUser(",
    "      StageGateTestDataFactory.FULL_ACCESS_PROFILE,",
    "      new List<String>{ StageGateTestDataFactory.USER_PERMISSION_SET, StageGateTestDataFactory.APPROVER_PERMISSION_SET }",
    "    );",
    `    Stage_Gate_Waiver__c waiver = StageGateTestDataFactory.buildWaiver(recordId, ${code}, Math.min(${TEST_WAIVER_DAYS}, StageGateWaiverDefinitions.MAX_DAYS));`,
    "    StageGateMoveCheck.Outcome before;",
    "    StageGateMoveCheck.Outcome waived;",
    "    Test.startTest();",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    `      before = StageGateMoveCheck.checkMove(recordId, ${apexString(c.plan.to)});`,
    "      insert waiver;",
    "    }",
    "    System.runAs(approver) {",
    "      update new Stage_Gate_Waiver__c(Id = waiver.Id, Status__c = StageGateWaiverRules.APPROVED);",
    "    }",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    `      waived = StageGateMoveCheck.checkMove(recordId, ${apexString(c.plan.to)});`,
    "    }",
    "    Test.stopTest();",
    ...codeAssertions("before", c, "    "),
    `    Assert.areEqual(${apexString(`;${c.criterion.id};`)}, [SELECT Stage_Gate_Waived__c FROM Opportunity WHERE Id = :recordId].Stage_Gate_Waived__c, 'The approved waiver is on the deal');`,
    "    Assert.isTrue(waived.allowed, 'Waived, the criterion no longer blocks: ' + waived.messages);",
    "    Assert.areEqual(new List<String>(), waived.unmetCodes, 'Nothing else is unmet');",
    "  }"
  ].join("\n");
}

function bypassTest(c: BlockedCase): string {
  return [
    `  /** Bypass: the move ${moveText(c.plan)} that [${comment(c.criterion.id)}] blocks for the gated user is allowed for a holder of ${comment("Stage_Gates_Bypass")}. */`,
    "  @IsTest",
    "  static void holdersOfTheBypassMayMove() {",
    `    List<Opportunity> records = ${scenario(processConst(c.ref), c.plan)}.place(1);`,
    "    Id recordId = records[0].Id;",
    "    StageGateMoveCheck.Outcome gated;",
    "    StageGateMoveCheck.Outcome bypassed;",
    "    Test.startTest();",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    `      gated = StageGateMoveCheck.checkMove(recordId, ${apexString(c.plan.to)});`,
    "    }",
    "    System.runAs(StageGateTestDataFactory.bypassUser()) {",
    "      Assert.isTrue(FeatureManagement.checkPermission(BYPASS_PERMISSION), 'The bypass user holds ' + BYPASS_PERMISSION);",
    `      bypassed = StageGateMoveCheck.checkMove(recordId, ${apexString(c.plan.to)});`,
    "    }",
    "    Test.stopTest();",
    ...codeAssertions("gated", c, "    "),
    "    Assert.isTrue(bypassed.allowed, 'The bypass skips the gates: ' + bypassed.messages);",
    "    Assert.areEqual(new List<String>(), bypassed.unmetCodes, 'No unmet codes for the bypass');",
    `    Assert.areEqual(${apexString(c.plan.from as string)}, stageOf(recordId), 'Nothing is saved');`,
    "  }"
  ].join("\n");
}

function bulkTest(a: AllowedCase, blocked: BlockedCase | undefined): string {
  const half = BULK_RECORD_COUNT / 2;
  const lines = [
    blocked
      ? `  /** ${BULK_RECORD_COUNT} requests through the invocable action: ${half} allowed (${moveText(a.plan)}) and ${half} blocked by [${comment(blocked.criterion.id)}] (${moveText(blocked.plan)}), answered by one rolled-back save. */`
      : `  /** ${BULK_RECORD_COUNT} requests through the invocable action, all allowed (${moveText(a.plan)}; the map has no move the generator can block), answered by one rolled-back save. */`,
    "  @IsTest",
    "  static void checksTwoHundredMovesWithOneSave() {",
    `    List<Opportunity> ready = ${scenario(processConst(a.ref), a.plan)}.place(${blocked ? half : BULK_RECORD_COUNT});`,
    ...(blocked
      ? [
          `    List<Opportunity> blocked = ${scenario(processConst(blocked.ref), blocked.plan)}.place(${half});`
        ]
      : ["    List<Opportunity> blocked = new List<Opportunity>();"]),
    "    List<StageGateCheckMoveAction.Request> requests = new List<StageGateCheckMoveAction.Request>();",
    "    for (Opportunity record : ready) {",
    `      requests.add(request(record.Id, ${apexString(a.plan.to)}));`,
    "    }",
    "    for (Opportunity record : blocked) {",
    `      requests.add(request(record.Id, ${apexString(blocked ? blocked.plan.to : a.plan.to)}));`,
    "    }",
    "    List<StageGateCheckMoveAction.Result> results;",
    "    Integer checkCost;",
    "    Integer saveCost;",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    "      Test.startTest();",
    "      Integer beforeCheck = Limits.getDmlStatements();",
    "      results = StageGateCheckMoveAction.checkMoves(requests);",
    "      checkCost = Limits.getDmlStatements() - beforeCheck;",
    "      Test.stopTest();",
    "      // The same moves as one plain update (rolled back here): what the org's automation costs.",
    "      List<Opportunity> moves = new List<Opportunity>();",
    "      for (StageGateCheckMoveAction.Request item : requests) {",
    "        moves.add(new Opportunity(Id = item.recordId, StageName = item.targetStage));",
    "      }",
    "      Savepoint beforeSave = Database.setSavepoint();",
    "      Integer beforeUpdate = Limits.getDmlStatements();",
    "      Database.update(moves, false, AccessLevel.USER_MODE);",
    "      saveCost = Limits.getDmlStatements() - beforeUpdate;",
    "      Database.rollback(beforeSave);",
    "    }",
    "    Assert.areEqual(BULK_RECORD_COUNT, results.size(), 'One result per request');",
    "    for (Integer i = 0; i < ready.size(); i++) {",
    "      Assert.isTrue(results[i].allowed, 'Request ' + i + ' meets every gate: ' + results[i].messages);",
    "      Assert.areEqual(new List<String>(), results[i].unmetCodes, 'Request ' + i + ' has no unmet codes');",
    "    }"
  ];
  if (blocked) {
    const code = apexString(blocked.criterion.id);
    lines.push(
      "    for (Integer i = ready.size(); i < BULK_RECORD_COUNT; i++) {",
      "      Assert.isFalse(results[i].allowed, 'Request ' + i + ' is blocked');",
      blocked.exact
        ? `      Assert.areEqual(new List<String>{ ${code} }, results[i].unmetCodes, 'Request ' + i + ': ' + results[i].messages);`
        : blocked.byRule
          ? `      Assert.isTrue(results[i].unmetCodes.contains(${code}), 'Request ' + i + ': ' + results[i].unmetCodes);`
          : `      Assert.isFalse(results[i].unmetCodes.isEmpty(), 'Request ' + i + ': ' + results[i].messages);`,
      "    }"
    );
  }
  lines.push(
    "    Assert.isTrue(",
    "      checkCost <= saveCost + 2,",
    "      'One bulk update, the savepoint and the rollback: ' + checkCost + ' DML statements; a plain update of the same moves costs ' + saveCost",
    "    );",
    `    Assert.areEqual(ready.size(), [SELECT COUNT() FROM Opportunity WHERE Id IN :ready AND StageName = ${apexString(a.plan.from as string)}], 'Nothing is saved');`,
    "  }"
  );
  return lines.join("\n");
}

function twiceTest(a: AllowedCase, blocked: BlockedCase | undefined): string {
  const plan = blocked ? blocked.plan : a.plan;
  const ref = blocked ? blocked.ref : a.ref;
  return [
    `  /** The same record asked about twice in one call (two rounds): ${moveText(plan)}${blocked ? `, blocked by [${comment(blocked.criterion.id)}]` : ", allowed"}, and staying in ${comment(plan.from as string)}, which needs nothing. */`,
    "  @IsTest",
    "  static void answersTheSameRecordAskedTwice() {",
    `    List<Opportunity> records = ${scenario(processConst(ref), plan)}.place(1);`,
    "    List<StageGateMoveCheck.Outcome> outcomes;",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    "      Test.startTest();",
    "      outcomes = StageGateMoveCheck.check(",
    "        new List<Id>{ records[0].Id, records[0].Id },",
    `        new List<String>{ ${apexString(plan.to)}, ${apexString(plan.from as string)} }`,
    "      );",
    "      Test.stopTest();",
    "    }",
    "    Assert.areEqual(2, outcomes.size(), 'One outcome per request');",
    blocked
      ? blocked.exact || blocked.byRule
        ? `    Assert.isTrue(outcomes[0].unmetCodes.contains(${apexString(blocked.criterion.id)}), 'The move is blocked: ' + outcomes[0].messages);`
        : "    Assert.isFalse(outcomes[0].allowed, 'The move is blocked: ' + outcomes[0].messages);"
      : "    Assert.isTrue(outcomes[0].allowed, 'The move is allowed: ' + outcomes[0].messages);",
    "    Assert.isTrue(outcomes[1].allowed, 'Staying in the stage needs nothing: ' + outcomes[1].messages);",
    "  }"
  ].join("\n");
}

function badRequestsTest(a: AllowedCase): string {
  return [
    "  /** Requests it refuses without a save: no record id, no target stage, and a record the user cannot see (what the check cannot know; here a deleted one). */",
    "  @IsTest",
    "  static void explainsBadRequests() {",
    `    List<Opportunity> records = ${scenario(processConst(a.ref), a.plan)}.place(1);`,
    "    Id gone = records[0].Id;",
    "    System.runAs(StageGateTestDataFactory.bypassUser()) {",
    "      delete records;",
    "    }",
    "    List<StageGateMoveCheck.Outcome> outcomes;",
    "    System.runAs(StageGateTestDataFactory.gatedUser()) {",
    "      assertGated();",
    "      Test.startTest();",
    "      outcomes = StageGateMoveCheck.check(",
    "        new List<Id>{ null, gone, gone },",
    `        new List<String>{ ${apexString(a.plan.to)}, '', ${apexString(a.plan.to)} }`,
    "      );",
    "      Test.stopTest();",
    "    }",
    "    Assert.areEqual(new List<String>{ StageGateMoveCheck.NO_RECORD_ID }, outcomes[0].messages, 'No record id');",
    "    Assert.areEqual(new List<String>{ StageGateMoveCheck.NO_TARGET_STAGE }, outcomes[1].messages, 'No target stage');",
    "    Assert.areEqual(new List<String>{ StageGateMoveCheck.RECORD_NOT_ACCESSIBLE }, outcomes[2].messages, 'A record the user cannot see');",
    "    for (StageGateMoveCheck.Outcome outcome : outcomes) {",
    "      Assert.isFalse(outcome.allowed, 'Bad requests are never allowed');",
    "      Assert.areEqual(0, outcome.unmetCodes.size(), 'No gate codes');",
    "    }",
    "  }"
  ].join("\n");
}

/** A private helper's lines (after a blank line), only when some test calls it. */
export function helper(
  tests: string[],
  call: string,
  lines: string[]
): string[] {
  return tests.some((t) => t.includes(call)) ? ["", ...lines] : [];
}

export interface MoveCheckCases {
  field?: BlockedCase;
  related?: BlockedCase;
  allowed?: AllowedCase;
  /** The case the waiver, bypass, bulk and twice tests use: exact field case, else exact related, else any. */
  main?: BlockedCase;
  /** The case the waiver test uses (its criterion is the move's only unmet one). */
  waiver?: BlockedCase;
}

export function moveCheckCases(loaded: LoadedMap): MoveCheckCases {
  const cases = blockedCases(loaded);
  const field = bestCase(cases, "field");
  const related = bestCase(cases, "related");
  const exact = [field, related].find((c) => c?.exact);
  return {
    field,
    related,
    allowed: allowedCase(loaded, [field, related]),
    main: exact ?? field ?? related,
    waiver: exact
  };
}

export function moveCheckTestSource(
  loaded: LoadedMap,
  configLabel: string,
  claimedRecordTypes: string[]
): string {
  const { runtime } = loaded;
  const cases = moveCheckCases(loaded);
  const tests: string[] = [];
  const notGenerated: string[] = [];
  const chosen: string[] = [];
  const { allowed, field, related, main, waiver } = cases;
  if (allowed) {
    chosen.push(`allowed: ${moveText(allowed.plan)} (${allowed.kind})`);
    tests.push(allowedTest(allowed));
  } else {
    notGenerated.push(
      "the allowed move, the bulk test, the repeated request and the refused requests: the map has no reachable process with an open stage"
    );
  }
  if (field) {
    chosen.push(
      `blocked by a field criterion: [${field.criterion.id}], ${moveText(field.plan)}`
    );
    tests.push(blockedTest("reportsAnUnmetFieldCriterionWithItsCode", field));
  } else {
    notGenerated.push(
      "blocked by a field criterion: the map enforces no field criterion whose value a test can leave unmet (the related-criterion and refused-request tests cover the blocked path)"
    );
  }
  if (related) {
    chosen.push(
      `blocked by a related criterion: [${related.criterion.id}], ${moveText(related.plan)}`
    );
    tests.push(
      blockedTest("reportsAnUnmetRelatedCriterionWithItsCode", related)
    );
  } else {
    notGenerated.push(
      "blocked by a related criterion: the map enforces no related-record criterion a test can leave unmet (the field-criterion and refused-request tests cover the blocked path)"
    );
  }
  for (const c of [field, related]) {
    if (c && !c.exact) {
      notGenerated.push(
        `the exact codes of the move blocked by [${c.criterion.id}]: ${c.plan.limits.length > 0 ? `other criteria of its move cannot be met (${c.plan.limits.join("; ")})` : "its message names another code"}, so the tests assert that its code is among the unmet ones`
      );
    }
    if (c && c.exact && !c.canMeet) {
      notGenerated.push(
        `the move blocked by [${c.criterion.id}] once met: no value meets it`
      );
    }
  }
  if (waiver) {
    chosen.push(`waived: [${waiver.criterion.id}], ${moveText(waiver.plan)}`);
    tests.push(waiverTest(waiver));
  } else {
    notGenerated.push(
      "waived: no move has a single unmet criterion the generator can produce, so a waiver cannot be shown to make a move allowed"
    );
  }
  if (main) {
    tests.push(bypassTest(main));
  } else {
    notGenerated.push(
      "bypass: the map enforces nothing a test can leave unmet, so there is nothing for the bypass to skip"
    );
  }
  if (allowed) {
    tests.push(bulkTest(allowed, main));
    tests.push(twiceTest(allowed, main));
    tests.push(badRequestsTest(allowed));
  }
  const usedRefs = reachableProcesses(runtime).filter((ref) =>
    tests.some((t) => t.includes(processConst(ref)))
  );
  const usesAccount = tests.some((t) => t.includes("accountId()"));
  const header = [
    lineCommentHeader(configLabel),
    "/**",
    " * Check Move (StageGateMoveCheck and the invocable StageGateCheckMoveAction) against the org's",
    " * own enforcement of the map, in any org: allowed, blocked by a field criterion and by a related",
    " * criterion (code, message, the same answer as a real save, allowed once met), waived, the",
    " * bypass, 200 requests in one rolled-back save, a record asked about twice and the requests it",
    " * refuses. Test bodies run as the factory's gated user (no bypass) unless they show another",
    " * user's answer; record types are set explicitly.",
    " *",
    " * Moves chosen from the map:",
    ...chosen.map((c) => ` * - ${comment(c)}`),
    ...(notGenerated.length > 0
      ? [
          " *",
          " * Not generated for this map:",
          ...notGenerated.map((l) => ` * - ${comment(l)}`)
        ]
      : []),
    " */",
    "@IsTest",
    `private class ${MOVE_CHECK_TEST_CLASS} {`,
    `  private static final String BYPASS_PERMISSION = ${apexString(runtime.bypassPermission)};`,
    `  private static final Integer BULK_RECORD_COUNT = ${BULK_RECORD_COUNT};`,
    "  /** Every record type the map's processes claim. */",
    `  private static final Set<String> CLAIMED_RECORD_TYPES = new Set<String>(${stringList(claimedRecordTypes)});`,
    ...usedRefs.flatMap((ref) => [
      `  /** Record types of process "${comment(ref.process.name)}"${ref.recordTypes.length === 0 ? " (none: the default process)" : ""}. */`,
      `  private static final List<String> ${processConst(ref)} = ${stringList(ref.recordTypes)};`
    ]),
    "",
    "  @TestSetup",
    "  static void setup() {",
    "    StageGateTestDataFactory.createGatedUser(BYPASS_PERMISSION);",
    "    StageGateTestDataFactory.createBypassUser(BYPASS_PERMISSION);",
    "    Account account = StageGateTestDataFactory.createAccount();",
    "    StageGateTestDataFactory.createContact(account.Id);",
    "  }",
    "",
    "  /** The running user holds no bypass: the gates apply. */",
    "  private static void assertGated() {",
    "    Assert.isFalse(",
    "      FeatureManagement.checkPermission(BYPASS_PERMISSION),",
    "      'The gated test user must not hold ' + BYPASS_PERMISSION",
    "    );",
    "  }",
    ...helper(tests, "stageOf(", [
      "  private static String stageOf(Id recordId) {",
      "    return [SELECT StageName FROM Opportunity WHERE Id = :recordId].StageName;",
      "  }"
    ]),
    ...helper(tests, "saveLines(", [
      "  /** A save's messages, one per line, as StageGateMoveCheck.Outcome lists them. */",
      "  private static List<String> saveLines(Database.SaveResult result) {",
      "    List<String> lines = new List<String>();",
      "    for (Database.Error error : result.getErrors()) {",
      "      for (String line : error.getMessage().split('\\n')) {",
      "        if (String.isNotBlank(line)) {",
      "          lines.add(line.trim());",
      "        }",
      "      }",
      "    }",
      "    return lines;",
      "  }"
    ]),
    ...helper(tests, "request(record.Id", [
      "  private static StageGateCheckMoveAction.Request request(Id recordId, String targetStage) {",
      "    StageGateCheckMoveAction.Request request = new StageGateCheckMoveAction.Request();",
      "    request.recordId = recordId;",
      "    request.targetStage = targetStage;",
      "    return request;",
      "  }"
    ]),
    ...accountIdHelper(usesAccount)
  ];
  return [...header, "", tests.join("\n\n"), "}", ""].join("\n");
}

export const emitMoveCheckTest: Emitter = apexTestClassEmitter(
  MOVE_CHECK_TEST_PATH,
  moveCheckTestSource
);
