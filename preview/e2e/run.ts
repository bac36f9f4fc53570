/**
 * The preview's test suite (a step of `npm test`): builds the preview once, serves
 * it on a free port and runs the browser tests and the build tests with Node's
 * test runner.
 *
 *   tsx preview/e2e/run.ts            build, serve, run every test file
 *   tsx preview/e2e/run.ts --build-only-tests   only the build tests (no browser)
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildPreview, formatBuildError } from "../build";
import { PROJECT_DIR } from "../lib/paths";
import { serveDirectory } from "../lib/server";

const BUILD_TESTS = [
  path.join(__dirname, "build-inputs.test.ts"),
  path.join(__dirname, "unresolved.test.ts")
];
const BROWSER_TESTS = [
  path.join(__dirname, "preview.test.ts"),
  path.join(__dirname, "waivers.test.ts"),
  path.join(__dirname, "phone.test.ts"),
  path.join(__dirname, "history-report.test.ts")
];

function runTests(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        "--test-reporter=spec",
        "--test-concurrency=1",
        ...files
      ],
      { cwd: PROJECT_DIR, env, stdio: "inherit" }
    );
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--build-only-tests")) {
    return runTests(BUILD_TESTS, process.env);
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-e2e-"));
  try {
    console.log("Building the preview...");
    try {
      const result = await buildPreview({ outDir });
      console.log(
        `Built in ${(result.durationMs / 1000).toFixed(1)} s (sample data: ${result.seedSource})`
      );
    } catch (error) {
      console.error(formatBuildError(error));
      return 1;
    }
    const server = await serveDirectory(outDir, 0);
    try {
      return await runTests([...BUILD_TESTS, ...BROWSER_TESTS], {
        ...process.env,
        PREVIEW_URL: server.url,
        PREVIEW_BUILT_DIR: outDir
      });
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    );
    process.exitCode = 1;
  }
);
