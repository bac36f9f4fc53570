/**
 * `npm run screenshots:history`: the HTML report of seeded, generated history for the
 * shipped map (the benchmark's generator, 20,000 rows), opened in headless Chromium and
 * saved as docs/history-report.png for the README.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { launchBrowser, watchErrors } from "../../preview/lib/browser";
import { runHistory } from "../gates/commands/history";
import { DEFAULT_CONFIG, loadMap, PROJECT_DIR } from "../gates/load";
import { syntheticDeals, writeSyntheticJson } from "./synthetic";

const TODAY = "2026-11-16";
const OUT = path.join(PROJECT_DIR, "docs", "history-report.png");

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-shot-"));
  try {
    const data = path.join(dir, "opportunities.sf-query.json");
    writeSyntheticJson(
      data,
      syntheticDeals(loadMap(DEFAULT_CONFIG).runtime, {
        rows: 20_000,
        seed: 42,
        today: TODAY
      })
    );
    let html = "";
    let errors = "";
    const code = await runHistory(
      ["--records", data, "--today", TODAY, "--format", "html"],
      {
        stdout: { write: (c: string) => ((html += c), true) },
        stderr: { write: (c: string) => ((errors += c), true) },
        env: process.env
      }
    );
    if (code !== 0) {
      console.error(errors);
      return 1;
    }
    // The source line names the generated file, not a temporary path.
    html = html.replace(data, "generated history (seed 42, 20,000 rows)");
    const file = path.join(dir, "report.html");
    fs.writeFileSync(file, html);
    const browser = await launchBrowser({ width: 1280, height: 1000 });
    try {
      const page = await browser.newPage();
      const watcher = watchErrors(page);
      await page.goto(pathToFileURL(file).href);
      const first = page.locator("section.process").first();
      const box = await first.boundingBox();
      if (!box) {
        throw new Error("the report has no process section");
      }
      await page.screenshot({
        path: OUT,
        fullPage: true,
        clip: {
          x: 0,
          y: 0,
          width: 1280,
          height: Math.ceil(box.y + box.height) + 8
        }
      });
      if (watcher.problems().length > 0) {
        console.error(watcher.problems().join("\n"));
        return 1;
      }
    } finally {
      await browser.close();
    }
    console.log(`Wrote ${path.relative(PROJECT_DIR, OUT)}`);
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
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
