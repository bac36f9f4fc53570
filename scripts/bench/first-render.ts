/**
 * `npm run bench:render`: time to first render of the stage gate component page
 * (the local preview with c-stage-gate-checklist) and of a bare lightning-card
 * page, in the same headless Chromium run, built the same way (production mode).
 *
 *   npm run bench:render                 10 runs of each page, alternating
 *   npm run bench:render -- --runs 30
 *   npm run bench:render -- --json       machine-readable result
 *   npm run bench:render -- --no-build   measure the existing preview/dist instead
 *
 * Time to first render: from navigation start to the first animation frame in
 * which the page's subject is in the DOM: the checklist component with its
 * criteria (record and related-record counts loaded) or the card's body.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { buildPreview, formatBuildError } from "../../preview/build";
import { launchBrowser } from "../../preview/lib/browser";
import { DEFAULT_OUT_DIR } from "../../preview/lib/paths";
import { serveDirectory } from "../../preview/lib/server";

/** The deal the component page opens: an open deal with field and related criteria in its checklist. */
export const BENCH_DEAL =
  "Acme — Needs Analysis (in progress: budget not confirmed)";

/** What each page must show to count as rendered (querySelector against the whole DOM). */
const SUBJECTS = {
  component:
    "c-stage-gate-checklist [data-id=checklist] c-stage-gate-criterion [data-id=status]",
  card: "lightning-card [data-id=bench-card-body]"
} as const;
type PageKind = keyof typeof SUBJECTS;

export interface Stats {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
}

export function stats(samples: number[]): Stats {
  if (samples.length === 0) {
    throw new Error("No samples");
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    runs: samples.length,
    medianMs: round(median),
    minMs: round(sorted[0]),
    maxMs: round(sorted[sorted.length - 1]),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length)
  };
}

/**
 * Runs before any page script: polls each animation frame with the browser's own
 * querySelector (synthetic shadow later patches document.querySelector to hide
 * shadow content) and records performance.now() once the subject is there.
 */
function probeScript(selector: string): string {
  return `(() => {
    const find = Document.prototype.querySelector;
    window.__firstRenderMs = undefined;
    const tick = () => {
      if (find.call(document, ${JSON.stringify(selector)})) {
        window.__firstRenderMs = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })();`;
}

async function measure(
  page: Page,
  url: string,
  kind: PageKind
): Promise<number> {
  await page.goto(url, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    () => (window as unknown as { __firstRenderMs?: number }).__firstRenderMs,
    undefined,
    {
      timeout: 60_000,
      polling: 50
    }
  );
  const ms = (await handle.jsonValue()) as number;
  if (typeof ms !== "number" || !(ms > 0)) {
    throw new Error(`No first render measured on the ${kind} page`);
  }
  return ms;
}

async function dealId(page: Page, url: string): Promise<string> {
  await page.goto(url);
  const select = page.locator("[data-id=deal-picker] select");
  await select.waitFor({ timeout: 60_000 });
  const value = await select
    .locator("option", { hasText: BENCH_DEAL })
    .getAttribute("value");
  if (!value) {
    throw new Error(`The sample data has no deal "${BENCH_DEAL}"`);
  }
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string", default: "10" },
      json: { type: "boolean", default: false },
      "no-build": { type: "boolean", default: false }
    }
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(
      `--runs must be a positive whole number, not "${values.runs}"`
    );
    return 2;
  }
  const log = (m: string): void => {
    if (!values.json) {
      console.log(m);
    }
  };
  const reuse = values["no-build"] === true;
  const outDir = reuse
    ? DEFAULT_OUT_DIR
    : fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
  try {
    if (reuse) {
      if (!fs.existsSync(path.join(outDir, "bench-card.html"))) {
        console.error(
          "preview/dist has no build: run npm run preview:build first, or drop --no-build"
        );
        return 1;
      }
      log("Measuring the existing preview/dist");
    } else {
      try {
        const built = await buildPreview({ outDir, mode: "production" });
        log(
          `Built both pages (production mode) in ${(built.durationMs / 1000).toFixed(1)} s`
        );
      } catch (error) {
        console.error(formatBuildError(error));
        return 1;
      }
    }
    const server = await serveDirectory(outDir, 0);
    const browser = await launchBrowser();
    try {
      const setup = await browser.newPage();
      const recordId = await dealId(setup, server.url);
      await setup.close();
      const urls: Record<PageKind, string> = {
        component: `${server.url}index.html?record=${recordId}`,
        card: `${server.url}bench-card.html`
      };
      const samples: Record<PageKind, number[]> = { component: [], card: [] };
      // One warm-up load of each (the browser's own caches), then alternate.
      for (let i = -1; i < runs; i++) {
        for (const kind of ["component", "card"] as PageKind[]) {
          const page = await browser.newPage();
          await page.addInitScript({ content: probeScript(SUBJECTS[kind]) });
          const ms = await measure(page, urls[kind], kind);
          await page.close();
          if (i >= 0) {
            samples[kind].push(ms);
          }
        }
      }
      const component = stats(samples.component);
      const card = stats(samples.card);
      const ratio =
        Math.round((component.medianMs / card.medianMs) * 100) / 100;
      if (values.json) {
        console.log(
          JSON.stringify({ deal: BENCH_DEAL, component, card, ratio }, null, 2)
        );
      } else {
        const row = (name: string, s: Stats): string =>
          `${name.padEnd(28)} ${String(s.medianMs).padStart(8)} ${String(s.minMs).padStart(8)} ${String(s.maxMs).padStart(8)}`;
        console.log(
          `\nTime to first render, ${runs} runs each, headless Chromium (ms)`
        );
        console.log(
          `${"page".padEnd(28)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)}`
        );
        console.log(row("stage gate component page", component));
        console.log(row("bare lightning-card page", card));
        console.log(`\nRatio (component / card, medians): ${ratio}`);
      }
      return 0;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    if (!reuse) {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }
}

if (require.main === module) {
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
}
