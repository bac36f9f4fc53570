/**
 * Step "lint": ESLint on the TypeScript sources (LWC rules for force-app, typescript-eslint for the
 * tooling; eslint.config.js) and `prettier --check` on TypeScript, LWC templates and metadata XML.
 * Apex formatting is checked by the "apex" step. Both tools run as child processes (their Node APIs
 * load ESM config at run time, which jest's module sandbox cannot do).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { exec } from "./lib/exec";
import { rel, TOOL_ROOT, toolBin } from "./lib/files";
import type { Problem } from "./lib/problem";

/** Folders ESLint lints (those that exist), as `npm run lint` does, plus the ambient types. */
export const ESLINT_TARGETS = [
  "force-app",
  "scripts",
  "test",
  "types",
  "preview"
];

/** Globs prettier checks: TS, LWC HTML and XML (the broken fixtures are in .prettierignore). */
export const PRETTIER_GLOBS = [
  "force-app/**/*.{ts,html,xml}",
  "scripts/**/*.{ts,html,xml}",
  "test/**/*.{ts,html,xml}",
  "types/**/*.ts"
];

interface EslintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line?: number;
  column?: number;
  fatal?: boolean;
}

/**
 * ESLint over `targets` (folders or files, relative to root). Errors only; warnings do not fail.
 * `noIgnore` lints files the config ignores (used by tests on the broken fixtures).
 */
export async function checkEslint(
  root: string,
  targets: string[] = ESLINT_TARGETS,
  options: { noIgnore?: boolean; cache?: boolean } = {}
): Promise<Problem[]> {
  const existing = targets.filter((t) => fs.existsSync(path.resolve(root, t)));
  if (existing.length === 0) return [];
  const args = ["--format", "json", "--no-warn-ignored"];
  if (options.noIgnore) args.push("--no-ignore");
  if (options.cache) {
    args.push(
      "--cache",
      "--cache-location",
      path.join(TOOL_ROOT, "node_modules", ".cache", "eslint") + path.sep
    );
  }
  args.push(...existing);
  const result = await exec(toolBin("eslint"), args, { cwd: root });
  let report: Array<{ filePath: string; messages: EslintMessage[] }>;
  try {
    report = JSON.parse(result.stdout) as typeof report;
  } catch {
    return [
      {
        file: "eslint.config.js",
        message: `ESLint did not run (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`
      }
    ];
  }
  const problems: Problem[] = [];
  for (const fileReport of report) {
    for (const message of fileReport.messages) {
      if (message.severity < 2) continue;
      problems.push({
        file: rel(root, fileReport.filePath),
        line: message.line,
        column: message.column,
        message: message.message,
        rule: message.ruleId ? `eslint:${message.ruleId}` : "eslint"
      });
    }
  }
  return problems;
}

const PRETTIER_SYNTAX_ERROR =
  /^\[error\] (.+?): (\w*Error): (.*?)(?: \((\d+):(\d+)\))?$/;

/**
 * `prettier --check` on `patterns` (globs or files relative to root). An unformatted file is
 * reported at its first line that differs from prettier's output; a file prettier cannot parse at
 * the syntax error. `ignoreFiles: false` checks files even if .prettierignore lists them.
 */
export async function checkPrettier(
  root: string,
  patterns: string[] = PRETTIER_GLOBS,
  options: { ignoreFiles?: boolean; cache?: boolean } = {}
): Promise<Problem[]> {
  const args = ["--check", "--no-color", "--no-error-on-unmatched-pattern"];
  if (options.cache) {
    args.push(
      "--cache",
      "--cache-location",
      path.join(
        TOOL_ROOT,
        "node_modules",
        ".cache",
        "prettier",
        ".prettier-cache"
      )
    );
  }
  if (options.ignoreFiles === false)
    args.push("--ignore-path", path.join(root, ".no-ignore-file"));
  const result = await exec(toolBin("prettier"), [...args, ...patterns], {
    cwd: root
  });
  if (result.code === 0) return [];
  const problems: Problem[] = [];
  for (const line of `${result.stdout}\n${result.stderr}`.split(/\r?\n/)) {
    const syntax = PRETTIER_SYNTAX_ERROR.exec(line);
    if (syntax) {
      const [, file, kind, message, lineNo, column] = syntax;
      problems.push({
        file: rel(root, file),
        line: lineNo ? Number(lineNo) : undefined,
        column: column ? Number(column) : undefined,
        message: `prettier cannot parse the file: ${kind}: ${message}`,
        rule: "prettier"
      });
      continue;
    }
    const warn = /^\[warn\] (.+)$/.exec(line);
    if (warn && !/^Code style issues/.test(warn[1])) {
      problems.push({
        file: rel(root, warn[1]),
        message:
          "not formatted as prettier formats it (run `npm run prettier`)",
        rule: "prettier"
      });
    }
  }
  if (problems.length === 0) {
    problems.push({
      file: ".prettierrc",
      message: `prettier failed (exit ${result.code}): ${result.stderr.trim()}`
    });
  }
  await locateFirstDifferences(root, problems, options);
  return problems;
}

/** Adds the first differing line to (at most 10) "not formatted" problems. */
async function locateFirstDifferences(
  root: string,
  problems: Problem[],
  options: { ignoreFiles?: boolean }
): Promise<void> {
  const unformatted = problems
    .filter((p) => p.line === undefined && p.rule === "prettier")
    .slice(0, 10);
  await Promise.all(
    unformatted.map(async (problem) => {
      const file = path.resolve(root, problem.file);
      if (!fs.existsSync(file)) return;
      const args =
        options.ignoreFiles === false
          ? ["--ignore-path", path.join(root, ".no-ignore-file")]
          : [];
      const formatted = await exec(toolBin("prettier"), [...args, file], {
        cwd: root
      });
      if (formatted.code !== 0) return;
      const before = fs.readFileSync(file, "utf8").split(/\r?\n/);
      const after = formatted.stdout.split(/\r?\n/);
      const index = before.findIndex((text, i) => text !== after[i]);
      const line = index === -1 ? Math.min(before.length, after.length) : index;
      problem.line = line + 1;
      const expected = after[line];
      if (expected !== undefined)
        problem.message += `; prettier writes line ${line + 1} as: ${JSON.stringify(expected.trim())}`;
    })
  );
}

/**
 * The whole step: ESLint and prettier side by side, each with its cache in node_modules/.cache
 * (a file is checked again only when it or the configuration changed).
 */
export async function checkLint(root: string): Promise<Problem[]> {
  const [eslint, prettier] = await Promise.all([
    checkEslint(root, ESLINT_TARGETS, { cache: true }),
    checkPrettier(root, PRETTIER_GLOBS, { cache: true })
  ]);
  return [...eslint, ...prettier];
}
