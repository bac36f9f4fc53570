/** One finding of a check: the file it is about (relative to the checked root), where, and what. */
export interface Problem {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** The rule or tool that reported it, e.g. "eslint:no-undef", "pmd:ApexCRUDViolation". */
  rule?: string;
}

/** `file:line:column: message [rule]` — the shape editors and CI logs turn into links. */
export function formatProblem(problem: Problem): string {
  let where = problem.file;
  if (problem.line !== undefined) {
    where += `:${problem.line}`;
    if (problem.column !== undefined) where += `:${problem.column}`;
  }
  const rule = problem.rule ? ` [${problem.rule}]` : "";
  return `${where}: ${problem.message}${rule}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message)
  );
}

/** 1-based line of a character offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) line++;
  }
  return line;
}
