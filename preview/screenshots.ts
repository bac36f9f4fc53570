/**
 * `npm run screenshots`: builds the preview, opens it in headless Chromium and
 * writes PNGs of its main states into docs/ (for the README).
 *
 *   docs/preview-checklist.png    a deal whose gate is not met yet
 *   docs/preview-inline-fix.png   fixing a criterion inline (the record edit form)
 *   docs/preview-blocked-move.png a stage move the gates block, with the org's message
 *   docs/preview-enterprise.png   a deal of the Enterprise record type, a file uploaded
 *   docs/preview-waiver-approval.png  the manager's view: a rep's waiver request to approve
 *
 *   npm run screenshots -- --no-build   use the existing preview/dist (npm run preview:build)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { buildPreview, formatBuildError } from "./build";
import { launchBrowser, watchErrors } from "./lib/browser";
import { DEFAULT_OUT_DIR, PROJECT_DIR, relativeToProject } from "./lib/paths";
import { loadCustomLabels } from "./lib/schema";
import { serveDirectory } from "./lib/server";

const DOCS = path.join(PROJECT_DIR, "docs");
const TIMEOUT = 60_000;
const CHECKING = loadCustomLabels().get("StageGate_StatusChecking") ?? "";
const MET = loadCustomLabels().get("StageGate_StatusMet") ?? "";

async function openDeal(page: Page, name: string): Promise<void> {
  await page
    .locator("[data-id=deal-picker] select")
    .selectOption({ label: name });
  await page.locator("c-stage-gate-checklist [data-id=checklist]").waitFor();
  // Let related-record counts arrive and icons render.
  await page
    .locator("c-stage-gate-checklist [data-id=status]", { hasText: CHECKING })
    .first()
    .waitFor({ state: "detached" });
  await page.waitForLoadState("networkidle");
}

function criterion(page: Page, id: string) {
  return page
    .locator(
      "c-stage-gate-checklist [data-id=checklist] c-stage-gate-criterion"
    )
    .filter({ has: page.locator("[data-id=code]", { hasText: `[${id}]` }) });
}

/** Closes the toasts of earlier steps, so each picture shows its own state. */
async function closeToasts(page: Page): Promise<void> {
  const close = page.locator("[data-id=toast] lightning-button-icon button");
  while ((await close.count()) > 0) {
    await close.first().click();
  }
}

async function shoot(
  page: Page,
  name: string,
  keepToasts = false
): Promise<string> {
  const file = path.join(DOCS, name);
  if (!keepToasts) {
    await closeToasts(page);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file });
  return file;
}

async function main(argv: string[]): Promise<number> {
  const reuse = argv.includes("--no-build");
  const outDir = reuse
    ? DEFAULT_OUT_DIR
    : fs.mkdtempSync(path.join(os.tmpdir(), "preview-shots-"));
  if (reuse && !fs.existsSync(path.join(outDir, "index.html"))) {
    console.error(
      "preview/dist has no build: run npm run preview:build first, or drop --no-build"
    );
    return 1;
  }
  if (!reuse) {
    try {
      await buildPreview({ outDir, log: (m) => console.log(m) });
    } catch (error) {
      console.error(formatBuildError(error));
      return 1;
    }
  }
  const server = await serveDirectory(outDir, 0);
  const browser = await launchBrowser({ width: 1440, height: 960 });
  const written: string[] = [];
  try {
    fs.mkdirSync(DOCS, { recursive: true });
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = watchErrors(page);
    await page.goto(server.url);

    await openDeal(
      page,
      "Acme — Needs Analysis (in progress: budget not confirmed)"
    );
    written.push(await shoot(page, "preview-checklist.png"));

    await closeToasts(page);
    await openDeal(
      page,
      "Initech — Qualification (in progress: next step is TBD)"
    );
    const nextStep = criterion(page, "next_step");
    await nextStep.locator("[data-id=edit] button").click();
    await nextStep
      .locator("[data-id=input] input")
      .fill("Discovery workshop with IT on 12 May");
    written.push(await shoot(page, "preview-inline-fix.png"));
    await nextStep.locator("[data-id=save] button").click();
    await nextStep.locator("[data-id=status]", { hasText: MET }).waitFor();

    await openDeal(
      page,
      "Northwind — Needs Analysis (blocked: next step is N/A)"
    );
    await page
      .locator("[data-id=stage-select] select")
      .selectOption({ label: "Value Proposition" });
    await page.locator("[data-id=stage-save] button").click();
    await page.locator("[data-id=save-error-message]").first().waitFor();
    written.push(await shoot(page, "preview-blocked-move.png"));

    await closeToasts(page);
    await openDeal(
      page,
      "Globex — Needs Analysis (in progress: no mutual action plan)"
    );
    const plan = criterion(page, "ent_action_plan");
    await plan.locator("input[type=file]").setInputFiles({
      name: "Mutual action plan.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4 mutual action plan")
    });
    await plan.locator("[data-id=status]", { hasText: MET }).waitFor();
    written.push(await shoot(page, "preview-enterprise.png", true));

    // The rep asks for a waiver; the manager (the header's toggle logs in as them) sees it.
    await closeToasts(page);
    await openDeal(
      page,
      "Acme — Needs Analysis (in progress: budget not confirmed)"
    );
    const budget = criterion(page, "budget_confirmed");
    await budget.locator("[data-id=request-waiver] button").click();
    await budget
      .locator("textarea[data-id=waiver-reason]")
      .fill(
        "The CFO confirmed the budget on the call; the signed form follows"
      );
    await budget.locator("[data-id=waiver-submit] button").click();
    await budget.locator("[data-id=waiver-note]").waitFor();
    await closeToasts(page);
    await page.locator("[data-id=manager-toggle] label").first().click();
    await page.waitForURL(/[?&]manager=1/);
    await page
      .locator("[data-id=waiver-requests] [data-id=approve] button")
      .waitFor();
    await page
      .locator("c-stage-gate-checklist [data-id=waiver-note]")
      .first()
      .waitFor();
    await page.waitForLoadState("networkidle");
    written.push(await shoot(page, "preview-waiver-approval.png"));

    const problems = errors.problems();
    if (problems.length > 0) {
      console.error(`The page logged errors:\n${problems.join("\n")}`);
      return 1;
    }
  } finally {
    await browser.close();
    await server.close();
    if (!reuse) {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }
  for (const file of written) {
    console.log(`wrote ${relativeToProject(file)}`);
  }
  return 0;
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
