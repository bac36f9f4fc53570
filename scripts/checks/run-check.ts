/**
 * One check on one or more project folders, printing `{ "<root>": problems }` as JSON (exit 1 if
 * there are any problems):
 *
 *   tsx scripts/checks/run-check.ts <check> [root...]      e.g. lwc /tmp/other-project
 *
 * Checks are loaded lazily, so a check whose dependencies are ES modules (the LWC platform compiler)
 * can run in a plain Node process — which is how the jest tests call it: jest's module system
 * cannot load those dependencies.
 */
import * as path from "node:path";
import type { Problem } from "./lib/problem";

export const CHECKS: Record<string, (root: string) => Promise<Problem[]>> = {
  typescript: async (root) =>
    (await import("./typescript")).checkTypeScript(root),
  lint: async (root) => (await import("./lint")).checkLint(root),
  "metadata-schema": async (root) =>
    (await import("./metadata-schema")).checkMetadataSchema(root),
  "lwc-meta": async (root) => (await import("./lwc-meta")).checkLwcMeta(root),
  lwc: async (root) => (await import("./lwc-compile")).checkLwcBundles(root),
  "apex-syntax": async (root) => (await import("./apex")).checkApexSyntax(root),
  "apex-format": async (root) => (await import("./apex")).checkApexFormat(root),
  "apex-ls": async (root) =>
    (await import("./apex-ls")).checkApexSemantics(root),
  soql: async (root) => (await import("./soql")).checkSoql(root),
  pmd: async (root) => (await import("./pmd")).checkPmd(root),
  flows: async (root) => (await import("./flows")).checkFlows(root),
  sf: async (root) => (await import("./sf-project")).checkSfProject(root)
};

async function main(argv: string[]): Promise<number> {
  const [name, ...roots] = argv;
  const check = name ? CHECKS[name] : undefined;
  if (!check) {
    console.error(
      `Usage: tsx scripts/checks/run-check.ts <${Object.keys(CHECKS).join("|")}> [root...]`
    );
    return 2;
  }
  const results: Record<string, Problem[]> = {};
  for (const root of roots.length > 0 ? roots : ["."]) {
    results[root] = await check(path.resolve(root));
  }
  console.log(JSON.stringify(results, null, 2));
  return Object.values(results).some((problems) => problems.length > 0) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    }
  );
}
