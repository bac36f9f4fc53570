import * as path from "node:path";

/** Problems found in an input file, printed as `file:line: json.path: what is wrong`. */

export interface Problem {
  file: string;
  /** JSON path, e.g. $.processes[0].stages[2].exit[1].operator */
  path: string;
  message: string;
  line?: number;
  /** Only for JSON syntax errors, printed as file:line:col. */
  column?: number;
}

export class MapValidationError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "MapValidationError";
  }
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}${p.line ? `:${p.line}` : ""}${p.line && p.column ? `:${p.column}` : ""}`;
  return p.column
    ? `${where}: ${p.message}`
    : `${where}: ${p.path}: ${p.message}`;
}

/** Problems in file order (line, then path), without repeats. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  return unique
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (a.p.line ?? 0) - (b.p.line ?? 0) ||
        (a.p.column ?? 0) - (b.p.column ?? 0) ||
        a.i - b.i
    )
    .map(({ p }) => p);
}

/** How a file is named in messages: relative to the working directory when inside it. */
export function displayPath(resolved: string): string {
  const relative = path.relative(process.cwd(), resolved);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative)
    ? relative.split(path.sep).join("/")
    : resolved;
}
