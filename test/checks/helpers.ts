import { execFile } from "node:child_process";
import * as path from "node:path";
import type { Problem } from "../../scripts/checks/lib/problem";

export const FIXTURES = path.resolve(__dirname, "../fixtures");
export const GOOD = path.join(FIXTURES, "good");
export const broken = (name: string): string =>
  path.join(FIXTURES, "broken", name);

/** The problems reported for one file (root-relative path). */
export function about(problems: Problem[], file: string): Problem[] {
  return problems.filter((p) => p.file === file);
}

const REPO = path.resolve(__dirname, "../..");

/**
 * Runs a check in its own Node process (scripts/checks/run-check.ts) on several roots at once and
 * returns the problems of each root: for checks whose dependencies are ES modules that jest's
 * module system cannot load (the LWC platform compiler).
 */
export function runCheckProcess(
  check: string,
  roots: string[]
): Promise<Record<string, Problem[]>> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(REPO, "node_modules", ".bin", "tsx"),
      [path.join(REPO, "scripts", "checks", "run-check.ts"), check, ...roots],
      { cwd: REPO, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && error.code !== 1) {
          reject(new Error(`${check} failed: ${stderr || error.message}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as Record<string, Problem[]>);
        } catch {
          reject(new Error(`${check} printed no JSON: ${stdout}${stderr}`));
        }
      }
    );
  });
}
