/**
 * Step "tsc": type-checks everything (tsconfig.json: LWC sources, their tests, scripts, preview) and
 * compiles the LWC sources in place to the .js the platform deploys (the build tsconfig, which
 * emits nothing when it has errors: noEmitOnError).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { exec } from "./lib/exec";
import { rel, TOOL_ROOT, toolBin } from "./lib/files";
import type { Problem } from "./lib/problem";

export const TYPECHECK_PROJECT = "tsconfig.json";
export const BUILD_PROJECT = "force-app/main/default/lwc/tsconfig.build.json";

/** `path(line,col): error TS1234: message` as tsc prints it with --pretty false. */
const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;

/** Parses tsc's plain output into problems, paths made relative to `root`. */
export function parseTscOutput(
  output: string,
  projectDir: string,
  root: string
): Problem[] {
  const problems: Problem[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      const [, file, lineNo, column, , code, message] = match;
      problems.push({
        file: rel(root, path.resolve(projectDir, file)),
        line: Number(lineNo),
        column: Number(column),
        message,
        rule: code
      });
    } else if (/^\s+\S/.test(line) && problems.length > 0) {
      // Continuation of the previous diagnostic's message chain.
      problems[problems.length - 1].message += ` ${line.trim()}`;
    } else if (/^error (TS\d+): (.*)$/.test(line)) {
      const [, code, message] = /^error (TS\d+): (.*)$/.exec(line) ?? [];
      problems.push({ file: rel(root, projectDir), message, rule: code });
    }
  }
  return problems;
}

/** Runs `tsc -p <project> [--noEmit]` from `root`; returns its diagnostics as problems. */
export async function runTsc(
  root: string,
  project: string,
  options: { noEmit: boolean }
): Promise<Problem[]> {
  const projectFile = path.resolve(root, project);
  if (!fs.existsSync(projectFile)) {
    return [
      {
        file: rel(root, projectFile),
        message: "TypeScript project file not found"
      }
    ];
  }
  const args = ["-p", projectFile, "--pretty", "false"];
  if (options.noEmit) {
    // Incremental type-check: warm runs re-check only what changed. (Not for the build: an
    // incremental build would not notice a deleted .js.)
    const buildInfo = path.join(
      TOOL_ROOT,
      "node_modules",
      ".cache",
      "tsc",
      `${projectFile.replace(/[^A-Za-z0-9]+/g, "_")}.tsbuildinfo`
    );
    args.push("--noEmit", "--incremental", "--tsBuildInfoFile", buildInfo);
  }
  const result = await exec(toolBin("tsc"), args, { cwd: root });
  const output = `${result.stdout}\n${result.stderr}`;
  // TS18003: no inputs — a project with nothing to compile is not an error here.
  const problems = parseTscOutput(output, root, root).filter(
    (p) => p.rule !== "TS18003"
  );
  if (
    result.code !== 0 &&
    problems.length === 0 &&
    !output.includes("TS18003")
  ) {
    problems.push({
      file: rel(root, projectFile),
      message: `tsc failed (exit ${result.code}): ${output.trim()}`
    });
  }
  return problems;
}

/**
 * Type-check everything (no output) and build the LWC .js files. The two tsc runs are independent,
 * so they run side by side; the problems of both are reported.
 */
export async function checkTypeScript(
  root: string,
  projects: { typecheck?: string; build?: string } = {
    typecheck: TYPECHECK_PROJECT,
    build: BUILD_PROJECT
  }
): Promise<Problem[]> {
  const runs = await Promise.all([
    projects.typecheck
      ? runTsc(root, projects.typecheck, { noEmit: true })
      : [],
    projects.build ? runTsc(root, projects.build, { noEmit: false }) : []
  ]);
  // The build repeats the type-check's diagnostics for LWC sources: report each once.
  const seen = new Set<string>();
  return runs.flat().filter((p) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
