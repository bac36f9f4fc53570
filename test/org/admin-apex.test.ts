/**
 * The anonymous Apex an admin runs once per org (scripts/admin/*.apex) parses, and names the
 * Apex it calls as the product defines it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexErrorListener,
  ApexParserFactory
} from "@apexdevtools/apex-parser";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const SCHEDULE = path.join(
  PROJECT_DIR,
  "scripts",
  "admin",
  "schedule-waiver-expiry.apex"
);

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

test("the parser reports syntax errors (so the next test can fail)", () => {
  expect(parseErrors("System.debug(;")).not.toEqual([]);
});

test("the waiver expiry schedule script parses and schedules the product's job once", () => {
  const source = fs.readFileSync(SCHEDULE, "utf8");
  expect(parseErrors(source)).toEqual([]);
  const job = fs.readFileSync(
    path.join(
      PROJECT_DIR,
      "force-app/main/default/classes/StageGateWaiverExpiry.cls"
    ),
    "utf8"
  );
  expect(job).toMatch(/public static Id scheduleDaily\(\)/);
  expect(job).toMatch(/public static final String JOB_NAME =/);
  expect(source).toContain("StageGateWaiverExpiry.scheduleDaily()");
  expect(source).toMatch(
    /CronJobDetail\.Name = :StageGateWaiverExpiry\.JOB_NAME\s+WITH USER_MODE/
  );
});
