/**
 * Shared set-up of the browser tests: the preview site (the URL in PREVIEW_URL, as
 * `preview/e2e/run.ts` provides it, or a fresh build served on a free port), a
 * headless Chromium, and helpers that drive the page like a rep does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Locator, Page } from "playwright-core";
import { buildPreview } from "../build";
import { launchBrowser, watchErrors, type Browser } from "../lib/browser";
import { loadCustomLabels } from "../lib/schema";
import { serveDirectory } from "../lib/server";

/** Generous: CI machines have two slow cores. */
export const TIMEOUT = 60_000;

export interface PreviewSite {
  url: string;
  close(): Promise<void>;
}

export async function startPreview(): Promise<PreviewSite> {
  if (process.env.PREVIEW_URL) {
    return { url: process.env.PREVIEW_URL, close: async () => undefined };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-e2e-"));
  await buildPreview({ outDir });
  const server = await serveDirectory(outDir, 0);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  };
}

const labels = loadCustomLabels();

/** A custom label's text with {0}, {1}... filled in, as the component shows it. */
export function label(name: string, ...args: (string | number)[]): string {
  const text = labels.get(name);
  if (text === undefined) {
    throw new Error(`No custom label ${name} in force-app`);
  }
  return text.replace(/\{(\d+)\}/g, (m, i: string) =>
    String(args[Number(i)] ?? m)
  );
}

export interface PreviewPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  problems(): string[];
}

export async function openPreview(
  browser: Browser,
  url: string,
  query = ""
): Promise<PreviewPage> {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = watchErrors(page);
  await page.goto(`${url}${query}`, { timeout: TIMEOUT });
  await page.locator("[data-id=deal-picker] select").waitFor();
  return { page, problems: errors.problems };
}

export function checklist(page: Page): Locator {
  return page.locator("c-stage-gate-checklist");
}

/** Opens a deal with the picker and waits until the component shows its stage. */
export async function openDeal(
  page: Page,
  name: string,
  stage: string
): Promise<void> {
  await page
    .locator("[data-id=deal-picker] select")
    .selectOption({ label: name });
  await checklist(page)
    .locator("[data-id=stage] dd")
    .first()
    .filter({ hasText: stage })
    .waitFor();
}

/** A criterion row of the current stage's checklist (not the regressions or the move preview). */
export function exitCriterion(page: Page, id: string): Locator {
  return checklist(page)
    .locator("[data-id=checklist] c-stage-gate-criterion")
    .filter({ has: page.locator("[data-id=code]", { hasText: `[${id}]` }) });
}

export async function expectStatus(
  row: Locator,
  status: string
): Promise<void> {
  await row
    .locator("[data-id=status]")
    .filter({ hasText: new RegExp(`^\\s*${status}\\s*$`) })
    .waitFor();
}

/** Moves the deal with the record page's Stage field and Save (a rep's stage change). */
export async function saveStage(page: Page, stage: string): Promise<void> {
  await page
    .locator("[data-id=stage-select] select")
    .selectOption({ label: stage });
  await page.locator("[data-id=stage-save] button").click();
}

export { launchBrowser };
