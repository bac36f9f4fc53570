/**
 * The product's stalled-deal alert test, generated from the map so that it passes in any org with
 * any map: classes/StageGateGeneratedAlertsTest.cls (+ meta). It covers StageGateStalledDealsJob,
 * StageGateDealDigest and StageGateRegressionCheck with the map's own stages, target days,
 * criteria and `alerts` switches (read from the generated StageGateStageDefinitions):
 *
 * - overdue: deals in a stage with target days, the job's "today" past the target, reach each
 *   owner in ONE digest even when the owner's deals span chunks; when the map sets no target days
 *   anywhere, the test gives one stage a target for its own transaction (the Process's target map
 *   is a final reference to a mutable map) and says so, so the digest path is still exercised;
 * - regression: a deal placed (by the bypass user) in a later stage with one criterion of
 *   reaching it unmet is reported with that code, and nothing is saved; a bypass holder running
 *   the job finds no regression;
 * - the map's switches: with the job's defaults, an overdue (or regressed) deal is reported when
 *   the map turns the alert on and nothing is sent when it turns it off;
 * - deals within their target that meet their gates: nothing is sent;
 * - 200 deals of two owners in one chunk: one capped digest each;
 * - scheduling, and days in stage from the last stage change or creation.
 *
 * What the map cannot provide (no stage after the first whose gates a test can leave unmet, so no
 * regression) is named in the class comment.
 */
import type { LoadedMap } from "../load";
import { apexString } from "./apex";
import {
  BULK_RECORD_COUNT,
  comment,
  accountIdHelper,
  apexTestClassEmitter,
  scenario,
  stringList,
  type MovePlan
} from "./enforcement-test";
import {
  overdueCase,
  reachableProcesses,
  regressionCase,
  type OverdueCase,
  type RegressionCase
} from "./guided-cases";
import { helper, processConst } from "./move-check-test";
import { lineCommentHeader } from "./names";
import { alertSettings } from "./stage-definitions-apex";
import type { Emitter } from "./types";

export const ALERTS_TEST_CLASS = "StageGateGeneratedAlertsTest";
export const ALERTS_TEST_PATH = `classes/${ALERTS_TEST_CLASS}.cls`;
/** The target the test gives a stage when the map sets none. */
export const INJECTED_TARGET_DAYS = 1;
/**
 * Days past the target for "today": days in stage count GMT dates against the user's local date,
 * which differ by at most one day, so target + 2 is always over the target.
 */
export const DAYS_PAST_TARGET = 2;

const GATED = "StageGateTestDataFactory.gatedUser()";
const BYPASS = "StageGateTestDataFactory.bypassUser()";

/** The case's plan re-aimed at placing deals in `stage` (placed there directly by the bypass user). */
function inStage(plan: MovePlan, stage: string): MovePlan {
  return { ...plan, from: stage, to: stage };
}

/** Deals in the overdue stage, meeting every gate of reaching it when the generator can. */
function overdueDeals(o: OverdueCase): MovePlan {
  return o.metPlan.limits.length === 0
    ? inStage(o.metPlan, o.stage)
    : inStage({ ...o.metPlan, fields: [], related: [] }, o.stage);
}

function place(plan: MovePlan, ref: string, count: string, owner: string) {
  return `${scenario(ref, plan)}\n      .withValues(new Map<String, Object>{ 'OwnerId' => ${owner} })\n      .place(${count})`;
}

function overdueTests(o: OverdueCase, overdueOn: boolean): string[] {
  const ref = processConst(o.ref);
  const plan = overdueDeals(o);
  const dealsMeetGates = o.metPlan.limits.length === 0;
  // Deals in a process's first stage are never re-checked (StageGateStalledDealsJob.dealsToRecheck).
  const rechecked = dealsMeetGates && o.index > 0;
  const acrossChunks = [
    `  /** Overdue: 3 deals of each of two owners in ${comment(o.stage)} (${comment(o.ref.process.name)}), past the target, read in chunks of 2: each owner gets ONE digest listing their 3 deals. The overdue alert is switched on here whatever the map says (the map's switch has its own test). */`,
    "  @IsTest",
    "  static void sendsEachOwnerOneOverdueDigestAcrossChunks() {",
    "    Integer target = overdueTarget();",
    `    Id first = ${GATED}.Id;`,
    `    Id second = ${BYPASS}.Id;`,
    `    ${place(plan, ref, "3", "first")};`,
    `    ${place(plan, ref, "3", "second")};`,
    "    StageGateStalledDealsJob overdue;",
    `    System.runAs(${GATED}) {`,
    "      assertGated();",
    `      overdue = job(target + ${DAYS_PAST_TARGET});`,
    "      overdue.overdueAlerts = true;",
    "      overdue.regressionAlerts = false;",
    "      Test.startTest();",
    "      run(overdue, 2);",
    "      Test.stopTest();",
    "    }",
    "    Map<Id, StageGateDealDigest> byOwner = sentByOwner();",
    "    Assert.areEqual(2, byOwner.size(), 'Both owners hear, once each');",
    "    for (Id owner : new List<Id>{ first, second }) {",
    "      StageGateDealDigest digest = byOwner.get(owner);",
    "      Assert.areEqual(3, digest.dealCount(), 'All three of their deals');",
    "      Assert.areEqual(3, digest.lines.size(), 'One line per deal: ' + digest.lines);",
    "      Assert.isTrue(digest.lines[0].contains(OVERDUE_STAGE), 'A line names the stage: ' + digest.lines);",
    "      Assert.areEqual(String.format(StageGateDealDigest.TITLE_MANY, new List<Object>{ 3 }), digest.title(), 'The title counts the deals');",
    "    }",
    "    Assert.areEqual(0, overdue.failedSends, 'Every send succeeded');",
    "  }"
  ].join("\n");
  const bySwitch = [
    overdueOn
      ? `  /** The map turns the overdue alert on (alerts.overdue): with the job's defaults, two deals past the target reach their owner in one digest. */`
      : `  /** The map turns the overdue alert off (alerts.overdue: false): with the job's defaults, deals past the target send nothing. */`,
    "  @IsTest",
    "  static void followsTheMapsOverdueSwitch() {",
    "    Integer target = overdueTarget();",
    `    Id owner = ${GATED}.Id;`,
    `    ${place(plan, ref, "2", "owner")};`,
    "    StageGateStalledDealsJob byMap;",
    `    System.runAs(${GATED}) {`,
    "      assertGated();",
    `      byMap = job(target + ${DAYS_PAST_TARGET});`,
    "      byMap.regressionAlerts = false;",
    "      Test.startTest();",
    "      run(byMap, BULK_RECORD_COUNT);",
    "      Test.stopTest();",
    "    }",
    `    Assert.areEqual(${overdueOn}, byMap.overdueAlerts, 'The job follows alerts.overdue of the map');`,
    ...(overdueOn
      ? [
          "    StageGateDealDigest digest = sentByOwner().get(owner);",
          "    Assert.isNotNull(digest, 'The owner hears about the overdue deals');",
          "    Assert.areEqual(2, digest.dealCount(), 'Both deals are listed');"
        ]
      : [
          "    Assert.areEqual(0, StageGateStalledDealsJob.sentDigests.size(), 'Overdue deals, but the map turns the alert off');"
        ]),
    "  }"
  ].join("\n");
  const bulk = [
    `  /** ${BULK_RECORD_COUNT} deals of two owners in ${comment(o.stage)}, past the target, in one chunk${rechecked ? " (they meet every gate of reaching it: the regression re-check of all 200 finds nothing)" : ""}: one digest per owner, listing all 100 deals, its body capped at MAX_LINES lines and one for the rest. */`,
    "  @IsTest",
    "  static void handlesTwoHundredDealsInOneChunk() {",
    "    Integer target = overdueTarget();",
    `    Id first = ${GATED}.Id;`,
    `    Id second = ${BYPASS}.Id;`,
    `    ${place(plan, ref, "BULK_RECORD_COUNT / 2", "first")};`,
    `    ${place(plan, ref, "BULK_RECORD_COUNT / 2", "second")};`,
    "    List<Opportunity> scope;",
    `    System.runAs(${GATED}) {`,
    "      assertGated();",
    `      StageGateStalledDealsJob both = job(target + ${DAYS_PAST_TARGET});`,
    "      both.overdueAlerts = true;",
    `      both.regressionAlerts = ${dealsMeetGates};`,
    "      both.start(null);",
    "      scope = Database.query(both.query(), AccessLevel.USER_MODE);",
    "      Test.startTest();",
    "      both.execute(null, scope);",
    "      both.finish(null);",
    "      Test.stopTest();",
    "    }",
    "    Assert.areEqual(BULK_RECORD_COUNT, scope.size(), 'One full chunk');",
    "    Map<Id, StageGateDealDigest> byOwner = sentByOwner();",
    "    Assert.areEqual(2, byOwner.size(), 'One digest per owner');",
    "    for (Id owner : new List<Id>{ first, second }) {",
    "      Assert.areEqual(BULK_RECORD_COUNT / 2, byOwner.get(owner).dealCount(), 'All their deals');",
    "      Assert.areEqual(StageGateDealDigest.MAX_LINES + 1, byOwner.get(owner).body().split('\\n').size(), 'The body is capped, with a line for the rest');",
    "    }",
    "  }"
  ].join("\n");
  const quiet = [
    `  /** Deals in ${comment(o.stage)} within their target${dealsMeetGates ? " that meet every gate of reaching it" : ""}: with the map's switches${dealsMeetGates ? "" : " (regressions off: the generator cannot meet every gate of reaching the stage)"}, nothing is sent. */`,
    "  @IsTest",
    "  static void staysQuietForDealsWithinTheirTargetThatMeetTheirGates() {",
    `    Id owner = ${GATED}.Id;`,
    `    ${place(plan, ref, "2", "owner")};`,
    `    System.runAs(${GATED}) {`,
    "      assertGated();",
    "      StageGateStalledDealsJob quiet = job(0);",
    ...(dealsMeetGates ? [] : ["      quiet.regressionAlerts = false;"]),
    "      Test.startTest();",
    "      run(quiet, BULK_RECORD_COUNT);",
    "      Test.stopTest();",
    "    }",
    "    Assert.areEqual(0, StageGateStalledDealsJob.sentDigests.size(), 'Fresh deals that meet their gates: no digest');",
    "  }"
  ].join("\n");
  return [acrossChunks, bySwitch, quiet, bulk];
}

function regressionTests(r: RegressionCase, regressionsOn: boolean): string[] {
  const ref = processConst(r.ref);
  const plan = inStage(r.plan, r.stage);
  const code = apexString(r.criterion.id);
  const exact = r.plan.limits.length === 0;
  // Several unmet related criteria share the flow's one message, which lists codes as far as they fit.
  const namesCode = exact || r.byRule;
  const what = `a deal in ${comment(r.stage)} (${comment(r.ref.process.name)}) with [${comment(r.criterion.id)}] unmet${exact ? ", every other gate of reaching it met" : ""}`;
  const reported = [
    `  /** Regression: ${what} is reported to its owner with that code; the re-check saves nothing. The regression alert is switched on here whatever the map says. */`,
    "  @IsTest",
    "  static void reportsDealsThatNoLongerMeetAGateTheyPassed() {",
    `    Id owner = ${BYPASS}.Id;`,
    `    Opportunity deal = ${place(plan, ref, "1", "owner")}[0];`,
    `    System.runAs(${GATED}) {`,
    "      assertGated();",
    "      StageGateStalledDealsJob regressions = job(0);",
    "      regressions.overdueAlerts = false;",
    "      regressions.regressionAlerts = true;",
    "      Test.startTest();",
    "      run(regressions, BULK_RECORD_COUNT);",
    "      Test.stopTest();",
    "    }",
    "    StageGateDealDigest digest = sentByOwner().get(owner);",
    "    Assert.isNotNull(digest, 'The owner hears about the regression');",
    "    Assert.areEqual(1, digest.lines.size(), 'One line: ' + digest.lines);",
    ...(namesCode
      ? [
          `    Assert.isTrue(digest.lines[0].contains(${code}), 'It names the unmet gate: ' + digest.lines);`
        ]
      : []),
    "    Assert.areEqual(StageGateDealDigest.TITLE_ONE, digest.title(), 'One deal');",
    "    Assert.areEqual(deal.Id, digest.firstDealId, 'It opens the deal');",
    `    Assert.areEqual(${apexString(r.stage)}, [SELECT StageName FROM Opportunity WHERE Id = :deal.Id].StageName, 'The re-check saves nothing');`,
    "  }"
  ].join("\n");
  const bypass = [
    `  /** A bypass holder running the job meets every gate: ${what} is not reported. */`,
    "  @IsTest",
    "  static void aRunningUserWithTheBypassCannotFindRegressions() {",
    `    Id owner = ${GATED}.Id;`,
    `    ${place(plan, ref, "1", "owner")};`,
    `    System.runAs(${BYPASS}) {`,
    "      Assert.isTrue(StageGateRegressionCheck.runningUserBypasses(), 'The bypass user holds ' + BYPASS_PERMISSION);",
    "      StageGateStalledDealsJob regressions = job(0);",
    "      regressions.overdueAlerts = false;",
    "      regressions.regressionAlerts = true;",
    "      Test.startTest();",
    "      run(regressions, BULK_RECORD_COUNT);",
    "      Test.stopTest();",
    "    }",
    "    Assert.areEqual(0, StageGateStalledDealsJob.sentDigests.size(), 'Every gate passes for a bypass holder: no regression is reported');",
    "  }"
  ].join("\n");
  const bySwitch = [
    regressionsOn
      ? `  /** The map turns the regression alert on (alerts.regressions): with the job's defaults, ${what} is reported. */`
      : `  /** The map turns the regression alert off (alerts.regressions: false): with the job's defaults, ${what} sends nothing. */`,
    "  @IsTest",
    "  static void followsTheMapsRegressionSwitch() {",
    `    Id owner = ${BYPASS}.Id;`,
    `    ${place(plan, ref, "1", "owner")};`,
    "    StageGateStalledDealsJob byMap;",
    `    System.runAs(${GATED}) {`,
    "      assertGated();",
    "      byMap = job(0);",
    "      byMap.overdueAlerts = false;",
    "      Test.startTest();",
    "      run(byMap, BULK_RECORD_COUNT);",
    "      Test.stopTest();",
    "    }",
    `    Assert.areEqual(${regressionsOn}, byMap.regressionAlerts, 'The job follows alerts.regressions of the map');`,
    regressionsOn
      ? "    Assert.isNotNull(sentByOwner().get(owner), 'The owner hears about the regression');"
      : "    Assert.areEqual(0, StageGateStalledDealsJob.sentDigests.size(), 'A regressed deal, but the map turns the alert off');",
    "  }"
  ].join("\n");
  return [reported, bypass, bySwitch];
}

const SCHEDULE_TEST = [
  "  /** The job schedules with a daily cron expression. */",
  "  @IsTest",
  "  static void schedulesDaily() {",
  "    Id jobId;",
  `    System.runAs(${GATED}) {`,
  "      Test.startTest();",
  "      jobId = System.schedule('Stage gate alerts test', '0 0 6 * * ?', new StageGateStalledDealsJob());",
  "      Test.stopTest();",
  "    }",
  "    CronTrigger scheduled = [SELECT CronExpression FROM CronTrigger WHERE Id = :jobId];",
  "    Assert.areEqual('0 0 6 * * ?', scheduled.CronExpression, 'Scheduled at 6:00 every day');",
  "  }"
].join("\n");

const DAYS_IN_STAGE_TEST = [
  "  /** Days in stage count from the last stage change, else from creation, in GMT dates. */",
  "  @IsTest",
  "  static void countsDaysInStageFromTheLastStageChangeOrCreation() {",
  `    System.runAs(${GATED}) {`,
  "      StageGateStalledDealsJob counter = job(0);",
  "      counter.today = Date.newInstance(2027, 3, 10);",
  "      // Read-only date-times, set the way the platform returns them.",
  '      Opportunity created = (Opportunity) JSON.deserialize(\'{"CreatedDate":"2027-03-01T23:30:00.000+0000"}\', Opportunity.class);',
  '      Opportunity moved = (Opportunity) JSON.deserialize(\'{"CreatedDate":"2027-03-01T23:30:00.000+0000","LastStageChangeDate":"2027-03-05T00:10:00.000+0000"}\', Opportunity.class);',
  "      Assert.areEqual(9, counter.daysInStage(created), 'From creation (GMT date)');",
  "      Assert.areEqual(5, counter.daysInStage(moved), 'From the last stage change');",
  "      Assert.areEqual(0, counter.daysInStage(new Opportunity()), 'No dates known: not overdue');",
  "    }",
  "  }"
].join("\n");

export function alertsTestSource(
  loaded: LoadedMap,
  configLabel: string,
  claimedRecordTypes: string[]
): string {
  const { runtime, map } = loaded;
  const alerts = alertSettings(map);
  const overdue = overdueCase(loaded);
  const regression = regressionCase(loaded);
  const tests: string[] = [];
  const chosen: string[] = [];
  const notGenerated: string[] = [];
  if (overdue) {
    chosen.push(
      overdue.targetDays !== undefined
        ? `overdue: ${overdue.ref.process.name}, ${overdue.stage} (target ${overdue.targetDays} days)`
        : `overdue: ${overdue.ref.process.name}, ${overdue.stage}; the map sets no targetDays, so the tests give this stage a target of ${INJECTED_TARGET_DAYS} day for their own transaction`
    );
    tests.push(...overdueTests(overdue, alerts.overdue));
  } else {
    notGenerated.push(
      "overdue, quiet and bulk tests: the map has no reachable process with an open stage"
    );
  }
  if (regression) {
    chosen.push(
      `regression: ${regression.ref.process.name}, a deal in ${regression.stage} with [${regression.criterion.id}] unmet`
    );
    tests.push(...regressionTests(regression, alerts.regressions));
  } else {
    notGenerated.push(
      "regression tests: no open stage after a process's first has an enforced criterion a test can leave unmet (the quiet and bulk tests still run the re-check)"
    );
  }
  chosen.push(
    `the map's switches: overdue ${alerts.overdue ? "on" : "off"}, regressions ${alerts.regressions ? "on" : "off"}`
  );
  tests.push(SCHEDULE_TEST, DAYS_IN_STAGE_TEST);
  const usedRefs = reachableProcesses(runtime).filter((ref) =>
    tests.some((t) => t.includes(processConst(ref)))
  );
  const usesAccount = tests.some((t) => t.includes("accountId()"));
  const targetHelper = overdue
    ? overdue.targetDays !== undefined
      ? [
          "  /** The overdue stage's target days, as the generated StageGateStageDefinitions holds them. */",
          "  private static Integer overdueTarget() {",
          "    Integer target = StageGateStageDefinitions.PROCESSES.get(OVERDUE_PROCESS).targetDays.get(OVERDUE_STAGE);",
          `    Assert.areEqual(${overdue.targetDays}, target, 'targetDays of the map');`,
          "    return target;",
          "  }"
        ]
      : [
          "  /**",
          "   * The map sets no targetDays: the overdue stage gets one for this test's transaction (the",
          "   * process's target map is mutable), so the overdue digest is exercised.",
          "   */",
          "  private static Integer overdueTarget() {",
          "    StageGateStageDefinitions.PROCESSES.get(OVERDUE_PROCESS).targetDays.put(OVERDUE_STAGE, INJECTED_TARGET_DAYS);",
          "    return INJECTED_TARGET_DAYS;",
          "  }"
        ]
    : [];
  const header = [
    lineCommentHeader(configLabel),
    "/**",
    " * The stalled-deal alerts (StageGateStalledDealsJob, StageGateDealDigest, StageGateRegressionCheck)",
    " * with the map's stages, target days, criteria and alert switches, in any org: one digest per",
    " * owner across chunks, overdue deals, regressions re-checked by the org's enforcement, the",
    " * bypass, the map's switches, quiet deals, 200 deals in one chunk, scheduling and days in stage.",
    " * Deals are placed by the factory's bypass user; the job runs as its gated user.",
    " *",
    " * Chosen from the map:",
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
    `private class ${ALERTS_TEST_CLASS} {`,
    `  private static final String BYPASS_PERMISSION = ${apexString(runtime.bypassPermission)};`,
    `  private static final Integer BULK_RECORD_COUNT = ${BULK_RECORD_COUNT};`,
    "  /** Every record type the map's processes claim. */",
    `  private static final Set<String> CLAIMED_RECORD_TYPES = new Set<String>(${stringList(claimedRecordTypes)});`,
    ...usedRefs.flatMap((ref) => [
      `  /** Record types of process "${comment(ref.process.name)}"${ref.recordTypes.length === 0 ? " (none: the default process)" : ""}. */`,
      `  private static final List<String> ${processConst(ref)} = ${stringList(ref.recordTypes)};`
    ]),
    ...(overdue
      ? [
          `  private static final String OVERDUE_PROCESS = ${apexString(overdue.ref.process.name)};`,
          `  private static final String OVERDUE_STAGE = ${apexString(overdue.stage)};`,
          ...(overdue.targetDays === undefined
            ? [
                `  private static final Integer INJECTED_TARGET_DAYS = ${INJECTED_TARGET_DAYS};`
              ]
            : [])
        ]
      : []),
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
    "",
    '  /** A job whose "today" lies `daysFromNow` days after the running user\'s today. */',
    "  private static StageGateStalledDealsJob job(Integer daysFromNow) {",
    "    StageGateStalledDealsJob job = new StageGateStalledDealsJob();",
    "    job.today = Date.today().addDays(daysFromNow);",
    "    return job;",
    "  }",
    ...(targetHelper.length > 0 ? ["", ...targetHelper] : []),
    ...helper(tests, "run(", [
      "  /** Runs the job's chunks directly, `chunkSize` deals each, as the platform would. */",
      "  private static void run(StageGateStalledDealsJob job, Integer chunkSize) {",
      "    job.start(null);",
      "    List<Opportunity> chunk = new List<Opportunity>();",
      "    for (Opportunity deal : Database.query(job.query(), AccessLevel.USER_MODE)) {",
      "      chunk.add(deal);",
      "      if (chunk.size() == chunkSize) {",
      "        job.execute(null, chunk);",
      "        chunk = new List<Opportunity>();",
      "      }",
      "    }",
      "    if (!chunk.isEmpty()) {",
      "      job.execute(null, chunk);",
      "    }",
      "    job.finish(null);",
      "  }"
    ]),
    ...helper(tests, "sentByOwner()", [
      "  /** The digests sent, by owner; an owner with two digests fails the test. */",
      "  private static Map<Id, StageGateDealDigest> sentByOwner() {",
      "    Map<Id, StageGateDealDigest> byOwner = new Map<Id, StageGateDealDigest>();",
      "    for (StageGateDealDigest digest : StageGateStalledDealsJob.sentDigests) {",
      "      Assert.isFalse(byOwner.containsKey(digest.ownerId), 'One digest per owner: ' + digest.ownerId);",
      "      byOwner.put(digest.ownerId, digest);",
      "    }",
      "    return byOwner;",
      "  }"
    ]),
    ...accountIdHelper(usesAccount)
  ];
  return [...header, "", tests.join("\n\n"), "}", ""].join("\n");
}

export const emitAlertsTest: Emitter = apexTestClassEmitter(
  ALERTS_TEST_PATH,
  alertsTestSource
);
