/**
 * The anonymous Apex scripts org:create runs (scripts/apex/*.apex) parse, and
 * query and write in user mode.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexErrorListener,
  ApexParserFactory
} from "@apexdevtools/apex-parser";
import { POST_IMPORT_APEX, REMOVE_BYPASS_APEX } from "../../scripts/org/org";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const APEX_DIR = path.join(PROJECT_DIR, "scripts", "apex");
const files = fs
  .readdirSync(APEX_DIR)
  .filter((f) => f.endsWith(".apex"))
  .sort();

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

/** The source without comments and string literals, so checks look at code only. */
function codeOnly(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/'(?:[^'\\]|\\.)*'/g, "''");
}

test("org:create runs every script in scripts/apex", () => {
  expect(
    [...POST_IMPORT_APEX.map((a) => a.file), REMOVE_BYPASS_APEX]
      .map((f) => path.basename(f))
      .sort()
  ).toEqual(files);
});

test("the parser reports syntax errors (so the next test can fail)", () => {
  expect(parseErrors("Integer x = ;")).not.toEqual([]);
});

describe.each(files)("scripts/apex/%s", (file) => {
  const source = fs.readFileSync(path.join(APEX_DIR, file), "utf8");
  const code = codeOnly(source);

  test("parses as anonymous Apex", () => {
    expect(parseErrors(source)).toEqual([]);
  });

  test("every SOQL query runs WITH USER_MODE", () => {
    const queries = code.match(/\[\s*SELECT[\s\S]*?\]/gi) ?? [];
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      // A parent query's subqueries are covered by its WITH USER_MODE.
      const outer = q.replace(/\(\s*SELECT[\s\S]*?\)/gi, "()");
      expect({
        query: outer,
        userMode: /WITH\s+USER_MODE/i.test(outer)
      }).toEqual({ query: outer, userMode: true });
    }
  });

  test("every DML statement runs as user", () => {
    const dml =
      code.match(
        /\b(insert|update|delete|upsert)\b(?!\s+as\s+user)\s+[A-Za-z_[]/gi
      ) ?? [];
    expect(dml).toEqual([]);
    expect(code).toMatch(/\b(insert|update|delete|upsert)\s+as\s+user\b/i);
  });
});
