/**
 * The stalled-deal alert scripts (scripts/apex/alerts/*.apex): they parse as anonymous Apex,
 * schedule and unschedule the same job name, and the schedule runs StageGateStalledDealsJob daily.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexErrorListener,
  ApexParserFactory
} from "@apexdevtools/apex-parser";

const ALERTS_DIR = path.resolve(
  __dirname,
  "..",
  "..",
  "scripts",
  "apex",
  "alerts"
);
const CLASSES_DIR = path.resolve(
  __dirname,
  "..",
  "..",
  "force-app",
  "main",
  "default",
  "classes"
);
const read = (file: string): string =>
  fs.readFileSync(path.join(ALERTS_DIR, file), "utf8");

class Collect extends ApexErrorListener {
  readonly errors: string[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push(`${line}:${column + 1}: ${message}`);
  }
}

function parseErrors(source: string): string[] {
  const listener = new Collect();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  parser.anonymousUnit();
  return listener.errors;
}

function jobName(source: string): string | undefined {
  return /String jobName = '([^']+)';/.exec(source)?.[1];
}

const SCHEDULE = "schedule-stalled-deal-alerts.apex";
const UNSCHEDULE = "unschedule-stalled-deal-alerts.apex";

test("the parser reports syntax errors (so the parse tests can fail)", () => {
  expect(parseErrors("System.schedule(;")).not.toEqual([]);
});

test.each([SCHEDULE, UNSCHEDULE])("%s parses as anonymous Apex", (file) => {
  expect(parseErrors(read(file))).toEqual([]);
});

test("the schedule runs the alerts job daily, once per name", () => {
  const source = read(SCHEDULE);
  expect(source).toMatch(/new StageGateStalledDealsJob\(\)/);
  expect(source).toMatch(/String everyDayAtSix = '0 0 6 \* \* \?';/);
  expect(source).toMatch(
    /WHERE CronJobDetail\.Name = :jobName\s+WITH USER_MODE/
  );
  expect(
    fs.existsSync(path.join(CLASSES_DIR, "StageGateStalledDealsJob.cls"))
  ).toBe(true);
});

test("unscheduling aborts the job the schedule created", () => {
  const source = read(UNSCHEDULE);
  expect(jobName(source)).toBeDefined();
  expect(jobName(source)).toBe(jobName(read(SCHEDULE)));
  expect(source).toMatch(/System\.abortJob\(job\.Id\)/);
});
