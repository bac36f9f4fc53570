/**
 * Browser test of `gates history --format html`: the report of the hand-computed fixture
 * opened from a file in headless Chromium renders its ECharts SVG charts, loads nothing
 * from anywhere else and logs no errors.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { runHistory } from "../../scripts/gates/commands/history";
import { launchBrowser, watchErrors, type Browser } from "../lib/browser";
import { PROJECT_DIR } from "../lib/paths";

const FIXTURES = path.join(PROJECT_DIR, "test", "fixtures", "history");
const TIMEOUT = 60_000;

async function renderReport(file: string): Promise<void> {
  let html = "";
  let errors = "";
  const code = await runHistory(
    [
      "--config",
      path.join(FIXTURES, "map.json"),
      "--records",
      path.join(FIXTURES, "opportunities.sf-query.json"),
      "--from",
      "2026-01-01",
      "--to",
      "2026-04-01",
      "--today",
      "2026-04-10",
      "--format",
      "html"
    ],
    {
      stdout: { write: (c: string) => ((html += c), true) },
      stderr: { write: (c: string) => ((errors += c), true) },
      env: process.env
    }
  );
  assert.equal(code, 0, errors);
  fs.writeFileSync(file, html);
}

describe("history report in the browser", { timeout: 4 * TIMEOUT }, () => {
  let browser: Browser;
  let dir: string;
  let file: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-report-"));
    file = path.join(dir, "report.html");
    await renderReport(file);
    browser = await launchBrowser({ width: 1280, height: 1000 });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("renders two SVG charts per process, loads nothing else, no console errors", async () => {
    const page = await browser.newPage();
    const watcher = watchErrors(page);
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { timeout: TIMEOUT });
    await page.waitForLoadState("load");

    assert.equal(
      await page.title(),
      "Stage KPIs from history, 2026-01-01 to 2026-04-01"
    );
    const charts = page.locator("figure.chart > svg");
    assert.equal(await charts.count(), 4);
    for (let i = 0; i < 4; i++) {
      const box = await charts.nth(i).boundingBox();
      assert.ok(
        box && box.width >= 500 && box.height >= 200,
        `chart ${i} is laid out: ${JSON.stringify(box)}`
      );
      // Drawn shapes, not an empty canvas.
      const shapes = await charts.nth(i).locator("path, rect").count();
      assert.ok(shapes > 5, `chart ${i} has ${shapes} shapes`);
    }
    // The funnel's labels and the days chart's values are visible text in the SVG.
    await page
      .locator("figure.funnel svg text", { hasText: "Prospecting: 7" })
      .first()
      .waitFor({ state: "visible", timeout: TIMEOUT });
    await page
      .locator("figure.funnel svg text", { hasText: "5 advanced (71.4%)" })
      .first()
      .waitFor({ state: "visible", timeout: TIMEOUT });
    await page
      .locator("figure.days svg text", { hasText: "15.5" })
      .first()
      .waitFor({ state: "visible", timeout: TIMEOUT });
    // The charts are described for assistive technology.
    assert.equal(
      await page.locator("figure.funnel").first().getAttribute("aria-label"),
      "Standard Sales, entered and advanced per stage: Prospecting 7 entered, 5 advanced; " +
        "Qualification 3 entered, 1 advanced; Needs Analysis 3 entered, 2 advanced"
    );
    // The tables.
    const row = page
      .locator("section.process")
      .first()
      .locator("tbody tr")
      .nth(1);
    assert.equal(
      (await row.locator("th, td").allInnerTexts()).join("|"),
      "Qualification|3|1|1|33.3%|1|1|4|15.5|35.0|5|75.0%|2"
    );
    assert.deepEqual(requests, [url], "the page loads nothing but itself");
    assert.deepEqual(watcher.problems(), []);
    await page.close();
  });
});
