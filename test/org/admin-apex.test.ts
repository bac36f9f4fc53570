/**
 * The anonymous Apex an admin runs once per org (scripts/admin/*.apex) parses, and names the
 * Apex it calls as the product defines it; the schedules org:create runs keep an existing job.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexErrorListener,
  ApexParserFactory
} from "@apexdevtools/apex-parser";
import { SCHEDULE_APEX } from "../../scripts/org/org";

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

/** The source without comments, so checks look at code only. */
function codeOnly(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

describe.each(SCHEDULE_APEX.map((a) => [a.file]))(
  "%s (run by org:create, and again on every re-run)",
  (file) => {
    const code = codeOnly(
      fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")
    );

    it("parses", () => {
      expect(parseErrors(code)).toEqual([]);
    });

    it("looks the job up by name first and schedules it only when none exists", () => {
      const lookup =
        /List<CronTrigger> existing = \[\s*SELECT [^\]]*FROM CronTrigger\s+WHERE CronJobDetail\.Name = :([\w.]+)\s+WITH USER_MODE\s*\];/.exec(
          code
        );
      expect(lookup).not.toBeNull();
      const branch = /if \(existing\.isEmpty\(\)\) \{([\s\S]*?)\} else \{/.exec(
        code
      );
      expect(branch).not.toBeNull();
      const schedules =
        code.match(/System\.schedule\(|scheduleDaily\(\)/g) ?? [];
      expect(schedules).toHaveLength(1);
      // The one schedule call sits in the branch taken when no job has that name.
      expect(branch?.[1]).toMatch(/System\.schedule\(|scheduleDaily\(\)/);
      expect(code.indexOf(lookup?.[0] ?? "?")).toBeLessThan(
        code.indexOf(branch?.[0] ?? "?")
      );
    });
  }
);

test("the idempotence check above fails for a script that schedules unconditionally", () => {
  const unconditional =
    "System.schedule('Stage Gate waiver expiry', '0 5 0 * * ?', new StageGateWaiverExpiry());";
  expect(/if \(existing\.isEmpty\(\)\) \{/.test(unconditional)).toBe(false);
});
