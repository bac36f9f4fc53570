/**
 * Runs the Salesforce CLI (and npm) for the org scripts: fixed environment,
 * `--json` output parsed, errors reduced to what an admin needs to read.
 */
import { spawnSync } from "node:child_process";

/** Environment for every child `sf` process (never SF_AUTOUPDATE_DISABLE: it starts a detached updater). */
export const SF_ENV: Readonly<Record<string, string>> = {
  SF_DISABLE_TELEMETRY: "true",
  SF_SKIP_NEW_VERSION_CHECK: "true",
  SF_DISABLE_AUTOUPDATE: "true"
};

/** The `sf` executable: env SF_BIN, else `sf` from PATH (npm run puts node_modules/.bin first). */
export function sfBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.SF_BIN && env.SF_BIN.trim() !== "" ? env.SF_BIN : "sf";
}

/** The `npm` executable: env NPM_BIN, else `npm` from PATH. */
export function npmBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.NPM_BIN && env.NPM_BIN.trim() !== "" ? env.NPM_BIN : "npm";
}

export interface CommandResult {
  /** Exit code; null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the executable could not be started (e.g. not on PATH). */
  spawnError?: Error;
}

/** Something that runs a command to completion. Swappable in tests. */
export type Exec = (
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; captureOutput: boolean }
) => CommandResult;

/** Quotes an argument for cmd.exe (used only on Windows, where npm.cmd and sf.cmd need a shell). */
function cmdQuote(arg: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
}

export const spawnExec: Exec = (command, args, options) => {
  const windows = process.platform === "win32";
  const result = spawnSync(
    windows ? cmdQuote(command) : command,
    windows ? args.map(cmdQuote) : [...args],
    {
      cwd: options.cwd,
      env: options.env,
      encoding: "utf8",
      // Windows resolves npm.cmd / sf.cmd only through a shell.
      shell: windows,
      stdio: options.captureOutput ? ["ignore", "pipe", "pipe"] : "inherit",
      maxBuffer: 512 * 1024 * 1024
    }
  );
  return {
    code: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    spawnError: result.error
  };
};

/** The parsed `--json` envelope of an sf command. */
export interface SfJson {
  status?: number;
  result?: unknown;
  name?: string;
  message?: string;
  warnings?: unknown[];
  [key: string]: unknown;
}

/**
 * Parses sf's `--json` output. sf prints one JSON document on stdout; anything
 * before it (a stray warning line) is skipped.
 */
export function parseSfJson(stdout: string): SfJson | undefined {
  const text = stdout.trim();
  if (text === "") {
    return undefined;
  }
  const candidates = [0];
  const lineStart = /\n\{/g;
  let m: RegExpExecArray | null;
  while ((m = lineStart.exec(text)) !== null) {
    candidates.push(m.index + 1);
  }
  for (const start of candidates) {
    try {
      const parsed: unknown = JSON.parse(text.slice(start));
      if (
        parsed !== null &&
        typeof parsed === "object" &&
        !Array.isArray(parsed)
      ) {
        return parsed as SfJson;
      }
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  return value === undefined || value === null ? [] : [value];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== ""
    ? value.trim()
    : undefined;
}

/**
 * The lines that explain why an sf command failed: the error's name and message,
 * deploy component failures, Apex compile/runtime problems, permission set failures.
 */
export function describeSfFailure(
  json: SfJson | undefined,
  run: CommandResult
): string[] {
  const lines: string[] = [];
  if (json) {
    const name = str(json.name);
    const message = str(json.message);
    if (message) {
      lines.push(name ? `${name}: ${message}` : message);
    }
    const result = isRecord(json.result)
      ? json.result
      : isRecord(json.data)
        ? json.data
        : undefined;
    if (result) {
      lines.push(...describeResult(result));
    }
  }
  if (lines.length === 0) {
    const stderr = run.stderr.trim();
    if (stderr) {
      lines.push(...stderr.split(/\r?\n/).slice(-15));
    } else if (!json && run.stdout.trim()) {
      lines.push(...run.stdout.trim().split(/\r?\n/).slice(-15));
    }
  }
  return lines;
}

function describeResult(result: Record<string, unknown>): string[] {
  const lines: string[] = [];
  // project deploy start: details.componentFailures (Metadata API DeployMessage)
  const details = isRecord(result.details) ? result.details : undefined;
  const componentFailures = asArray(details?.componentFailures).filter(
    isRecord
  );
  for (const f of componentFailures) {
    const where = [
      str(f.fileName),
      str(f.lineNumber !== undefined ? String(f.lineNumber) : undefined)
    ]
      .filter(Boolean)
      .join(":");
    lines.push(
      `${str(f.componentType) ?? "Component"} ${str(f.fullName) ?? ""}${where ? ` (${where})` : ""}: ${
        str(f.problem) ?? "failed"
      }`.replace(/\s+:/, ":")
    );
  }
  if (componentFailures.length === 0) {
    for (const f of asArray(result.files).filter(isRecord)) {
      if (f.state === "Failed") {
        lines.push(
          `${str(f.type) ?? "Component"} ${str(f.fullName) ?? ""}: ${str(f.error) ?? "failed"}`
        );
      }
    }
  }
  const testFailures = asArray(
    isRecord(details?.runTestResult)
      ? details?.runTestResult.failures
      : undefined
  );
  for (const t of testFailures.filter(isRecord)) {
    lines.push(
      `Test ${str(t.name) ?? ""}.${str(t.methodName) ?? ""}: ${str(t.message) ?? "failed"}`
    );
  }
  // org assign permset: failures[{name, message}]
  for (const f of asArray(result.failures).filter(isRecord)) {
    const message = str(f.message);
    if (message) {
      lines.push(`${str(f.name) ? `${str(f.name)}: ` : ""}${message}`);
    }
  }
  // apex run: compileProblem / exceptionMessage
  const compileProblem = str(result.compileProblem);
  if (compileProblem) {
    lines.push(
      `Apex compile error at line ${String(result.line ?? "?")}: ${compileProblem}`
    );
  }
  const exceptionMessage = str(result.exceptionMessage);
  if (exceptionMessage) {
    lines.push(`Apex exception: ${exceptionMessage}`);
    const stack = str(result.exceptionStackTrace);
    if (stack) {
      lines.push(stack);
    }
  }
  return lines;
}

/** Quotes an argument for display the way a POSIX shell would need it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(
  command: string,
  args: readonly string[]
): string {
  return [command, ...args].map(shellQuote).join(" ");
}

/** Escapes a value for a SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
