/**
 * Step "apex" (part 3): semantic Apex check with apex-ls (Apex Dev Tools' language server, the
 * engine behind its VS Code extension). It resolves types, methods and their argument types,
 * constructors, SObjects and the fields of `new SObject(Field = ...)` across every package
 * directory that sfdx-project.json lists (custom objects and fields included), which a parser
 * alone cannot. apex-ls ships in the jars of @salesforce/code-analyzer-pmd-engine (Java 8 class
 * files; runs on the Java 17 PMD needs). It does not look inside SOQL: see ./soql.ts.
 *
 *   java -cp "<java-lib>/*" io.github.apexdevtools.apexls.CheckForIssues -n -d warnings -f json -w <root>
 *
 * exits 0 when clean and 4 when it found issues (listed per file as JSON).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { exec } from "./lib/exec";
import { rel } from "./lib/files";
import type { Problem } from "./lib/problem";

export const APEX_LS_MAIN = "io.github.apexdevtools.apexls.CheckForIssues";
/** CheckForIssues' exit code when it found issues (0: none). */
export const APEX_LS_ISSUES_EXIT = 4;

/** The folder of jars that holds apex-ls (inside the installed PMD engine package). */
export function apexLsClasspath(): string {
  const engine = path.dirname(
    require.resolve("@salesforce/code-analyzer-pmd-engine")
  );
  const lib = path.join(engine, "java-lib");
  if (
    !fs.existsSync(lib) ||
    !fs.readdirSync(lib).some((f) => /^apex-ls_.*\.jar$/.test(f))
  ) {
    throw new Error(
      `apex-ls not found: no apex-ls_*.jar in ${lib} (is @salesforce/code-analyzer-pmd-engine installed?)`
    );
  }
  return path.join(lib, "*");
}

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, "bin", "java") : "java";
}

interface ApexLsPosition {
  line: number;
  /** 0-based column. */
  offset: number;
}

interface ApexLsReport {
  files: Array<{
    path: string;
    messages: Array<{
      start: ApexLsPosition;
      end: ApexLsPosition;
      category: string;
      message: string;
    }>;
  }>;
}

/** apex-ls' JSON report as problems (warnings count: the step allows none). */
export function parseApexLsReport(root: string, json: string): Problem[] {
  const report = JSON.parse(json) as ApexLsReport;
  return report.files.flatMap((file) =>
    file.messages.map((m) => ({
      file: rel(root, file.path),
      line: m.start.line,
      column: m.start.offset + 1,
      message: `${m.category}: ${m.message}`,
      rule: "apex-ls"
    }))
  );
}

/** Every issue apex-ls finds in the project's package directories (warnings included). */
export async function checkApexSemantics(root: string): Promise<Problem[]> {
  const java = javaCommand();
  let result;
  try {
    result = await exec(
      java,
      [
        "-cp",
        apexLsClasspath(),
        APEX_LS_MAIN,
        "--nocache",
        "--detail",
        "warnings",
        "--format",
        "json",
        "--workspace",
        root
      ],
      { cwd: root }
    );
  } catch (error) {
    return [
      {
        file: "(apex-ls)",
        message: `cannot run ${java} (Java 17 is a prerequisite; set JAVA_HOME or put java on PATH): ${(error as Error).message}`,
        rule: "apex-ls"
      }
    ];
  }
  if (result.code === 0) return [];
  if (result.code === APEX_LS_ISSUES_EXIT) {
    try {
      const problems = parseApexLsReport(root, result.stdout);
      if (problems.length > 0) return problems;
    } catch {
      // fall through: not the report we expected
    }
  }
  return [
    {
      file: "(apex-ls)",
      message: `apex-ls exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`,
      rule: "apex-ls"
    }
  ];
}
