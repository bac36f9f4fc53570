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
