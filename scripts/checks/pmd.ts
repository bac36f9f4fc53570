/**
 * Step "apex" (part 2): Salesforce Code Analyzer's PMD and regex engines (the library behind
 * `sf code-analyzer`, driven directly: the CLI plugin is not installable offline) with the
 * Recommended rules at severity 1 (Critical) and 2 (High), over all package directories in one
 * run. Code Analyzer reports but does not fail; this check fails on any such violation.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  EventType,
  LogLevel,
  type LogEvent
} from "@salesforce/code-analyzer-core";
import * as pmdEngine from "@salesforce/code-analyzer-pmd-engine";
import * as regexEngine from "@salesforce/code-analyzer-regex-engine";
import { packageDirs, rel } from "./lib/files";
import type { Problem } from "./lib/problem";

/** Rule selectors: Recommended rules of severity 1 and 2. */
export const PMD_SELECTORS = ["Recommended:1", "Recommended:2"];

export async function checkPmd(
  root: string,
  targets: string[] = packageDirs(root),
  options: { selectors?: string[] } = {}
): Promise<Problem[]> {
  const paths = targets
    .map((t) => path.resolve(root, t))
    .filter((p) => fs.existsSync(p));
  if (paths.length === 0) return [];
  const logFolder = fs.mkdtempSync(path.join(os.tmpdir(), "code-analyzer-"));
  try {
    const config = CodeAnalyzerConfig.fromObject(
      {
        log_folder: logFolder,
        root_working_folder: logFolder,
        engines: { cpd: { disable_engine: true } }
      },
      root
    );
    const analyzer = new CodeAnalyzer(config);
    const errors: string[] = [];
    analyzer.onEvent(EventType.LogEvent, (event: LogEvent) => {
      if (event.logLevel === LogLevel.Error) errors.push(event.message);
    });
    await analyzer.addEnginePlugin(pmdEngine.createEnginePlugin());
    await analyzer.addEnginePlugin(regexEngine.createEnginePlugin());
    const workspace = await analyzer.createWorkspace(paths);
    const rules = await analyzer.selectRules(
      options.selectors ?? PMD_SELECTORS,
      { workspace }
    );
    const results = await analyzer.run(rules, { workspace });
    const problems: Problem[] = [];
    for (const violation of results.getViolations()) {
      const rule = violation.getRule();
      if (rule.getSeverityLevel() > 2) continue;
      const location = violation.getPrimaryLocation();
      const file = location.getFile();
      problems.push({
        file: file ? rel(root, file) : "(code analyzer)",
        line: location.getStartLine(),
        column: location.getStartColumn(),
        message: `${violation.getMessage().trim()} (severity ${rule.getSeverityLevel()})`,
        rule: `${rule.getEngineName()}:${rule.getName()}`
      });
    }
    for (const message of errors)
      problems.push({
        file: "(code analyzer)",
        message,
        rule: "code-analyzer"
      });
    return problems;
  } finally {
    fs.rmSync(logFolder, { recursive: true, force: true });
  }
}
