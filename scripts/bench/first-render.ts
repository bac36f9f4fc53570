/**
 * `npm run bench:render`: time to first render of a page holding c-stage-gate-checklist alone
 * and of a page holding a bare lightning-card, in the same headless Chromium run, built and
 * served the same way (production mode, the preview's platform stand-ins), and the JavaScript
 * the component adds: its own modules (checklist, criterion row, core, generated map, templates,
 * styles, labels) as compiled, minified (terser) and gzipped.
 *
 *   npm run bench:render                 10 runs of each page, alternating
 *   npm run bench:render -- --runs 30
 *   npm run bench:render -- --json       machine-readable result
 *
 * Time to first render: from navigation start to the end of the rendering (style, layout,
 * paint) of the first frame in which the page's subject is complete: every criterion of the
 * checklist shows its status with the record and the related-record counts loaded (none still
 * "Checking…"), or the card's body.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import type { OutputChunk } from "rollup";
import { minify } from "terser";
import { buildPreview, formatBuildError } from "../../preview/build";
import { launchBrowser } from "../../preview/lib/browser";
import { DEFAULT_LWC_DIR } from "../../preview/lib/paths";
import { loadCustomLabels } from "../../preview/lib/schema";
import { serveDirectory } from "../../preview/lib/server";

/** The deal the checklist page shows: an open deal with field and related criteria in its checklist. */
export const BENCH_DEAL =
  "Acme — Needs Analysis (in progress: budget not confirmed)";

const CHECKLIST_ENTRY = "bench-checklist";
const CARD_ENTRY = "bench-card";

/** The status a criterion shows while its related records are counted. */
function checkingText(): string {
  const text = loadCustomLabels().get("StageGate_StatusChecking");
  if (!text) {
    throw new Error("No custom label StageGate_StatusChecking");
  }
  return text;
}

/**
 * What each page must show to count as rendered, as the body of a predicate over
 * `all(selector)` (the browser's own querySelectorAll on the whole document).
 */
function subjects(checking: string): Record<PageKind, string> {
  return {
    checklist: `const rows = all("c-stage-gate-checklist [data-id=checklist] c-stage-gate-criterion [data-id=status]");
      return rows.length > 0 && rows.every((r) => r.textContent.trim() !== ${JSON.stringify(checking)});`,
    card: `return all("lightning-card [data-id=bench-card-body]").length > 0;`
  };
}
type PageKind = "checklist" | "card";

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
 * querySelectorAll (synthetic shadow later patches document.querySelector to hide
 * shadow content) and records performance.now() once the frame in which the subject is
 * complete has been rendered.
 */
function probeScript(predicateBody: string): string {
  return `(() => {
    const findAll = Document.prototype.querySelectorAll;
    const all = (selector) => Array.from(findAll.call(document, selector));
    const done = () => { ${predicateBody} };
    window.__firstRenderMs = undefined;
    const tick = () => {
      if (done()) {
        // Animation frame callbacks run before the frame's style, layout and paint; a message
        // posted now is handled after them, when the frame holding the subject is rendered.
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          window.__firstRenderMs = performance.now();
        };
        channel.port2.postMessage(0);
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

export interface Size {
  bytes: number;
  minifiedBytes: number;
  gzippedBytes: number;
}

/** The chunks an entry loads: its own and every chunk it imports, transitively. */
export function chunksOf(entry: string, chunks: OutputChunk[]): OutputChunk[] {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const start = chunks.find((c) => c.isEntry && c.name === entry);
  if (!start) {
    throw new Error(`The build has no entry "${entry}"`);
  }
  const seen = new Map<string, OutputChunk>();
  const visit = (chunk: OutputChunk): void => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const file of chunk.imports) {
      const next = byFile.get(file);
      if (next) visit(next);
    }
  };
  visit(start);
  return Array.from(seen.values());
}

/**
 * The JavaScript of the modules under `dir` that an entry loads: what the component adds to a
 * page. `bytes` is each module as the LWC compiler emitted it (from `compiledBytes` where the
 * build recorded it, else as rendered into the bundle); then the modules as rendered, each
 * minified with terser on its own (top-level names kept, nothing dropped as unused: other
 * chunks may import them), and those gzipped together.
 */
export async function codeSize(
  entry: string,
  chunks: OutputChunk[],
  dir: string,
  compiledBytes: ReadonlyMap<string, number> = new Map()
): Promise<Size & { modules: number }> {
  const prefix = path.resolve(dir) + path.sep;
  const parts = new Map<string, string>();
  for (const chunk of chunksOf(entry, chunks)) {
    for (const [id, module] of Object.entries(chunk.modules)) {
      if (id.startsWith(prefix) && module.code) {
        parts.set(id, module.code);
      }
    }
  }
  const minified: string[] = [];
  for (const code of parts.values()) {
    const result = await minify(code, {
      module: false,
      toplevel: false,
      compress: true,
      mangle: true
    });
    minified.push(result.code ?? "");
  }
  const all = minified.join("\n");
  return {
    modules: parts.size,
    bytes: Array.from(parts.entries()).reduce(
      (n, [id, code]) => n + (compiledBytes.get(id) ?? Buffer.byteLength(code)),
      0
    ),
    minifiedBytes: Buffer.byteLength(all),
    gzippedBytes: gzipSync(all, { level: 9 }).length
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string", default: "10" },
      json: { type: "boolean", default: false }
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
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
  try {
    let chunks: OutputChunk[];
    let compiledBytes: Map<string, number>;
    try {
      const built = await buildPreview({ outDir, mode: "production" });
      chunks = built.chunks;
      compiledBytes = built.compiledBytes;
      log(
        `Built both pages (production mode) in ${(built.durationMs / 1000).toFixed(1)} s`
      );
    } catch (error) {
      console.error(formatBuildError(error));
      return 1;
    }
    const added = await codeSize(
      CHECKLIST_ENTRY,
      chunks,
      DEFAULT_LWC_DIR,
      compiledBytes
    );
    const pageBytes = (entry: string): number =>
      chunksOf(entry, chunks).reduce(
        (n, c) => n + Buffer.byteLength(c.code),
        0
      );
    const pages = {
      checklist: pageBytes(CHECKLIST_ENTRY),
      card: pageBytes(CARD_ENTRY)
    };
    const probes = subjects(checkingText());
    const server = await serveDirectory(outDir, 0);
    const browser = await launchBrowser();
    try {
      const setup = await browser.newPage();
      const recordId = await dealId(setup, server.url);
      await setup.close();
      const urls: Record<PageKind, string> = {
        checklist: `${server.url}${CHECKLIST_ENTRY}.html?record=${recordId}`,
        card: `${server.url}${CARD_ENTRY}.html`
      };
      const samples: Record<PageKind, number[]> = { checklist: [], card: [] };
      // One warm-up load of each (the browser's own caches), then alternate.
      for (let i = -1; i < runs; i++) {
        for (const kind of ["checklist", "card"] as PageKind[]) {
          const page = await browser.newPage();
          await page.addInitScript({ content: probeScript(probes[kind]) });
          const ms = await measure(page, urls[kind], kind);
          await page.close();
          if (i >= 0) {
            samples[kind].push(ms);
          }
        }
      }
      const checklist = stats(samples.checklist);
      const card = stats(samples.card);
      const ratio =
        Math.round((checklist.medianMs / card.medianMs) * 100) / 100;
      if (values.json) {
        console.log(
          JSON.stringify(
            {
              deal: BENCH_DEAL,
              checklist,
              card,
              ratio,
              componentJs: added,
              pageJsBytes: pages
            },
            null,
            2
          )
        );
      } else {
        const row = (name: string, st: Stats): string =>
          `${name.padEnd(32)} ${String(st.medianMs).padStart(8)} ${String(st.minMs).padStart(8)} ${String(st.maxMs).padStart(8)}`;
        console.log(
          `\nTime to first render, ${runs} runs each, headless Chromium (ms); deal: ${BENCH_DEAL}`
        );
        console.log(
          `${"page".padEnd(32)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)}`
        );
        console.log(row("checklist alone (record+counts)", checklist));
        console.log(row("bare lightning-card", card));
        console.log(
          `\nRatio (checklist / card, medians): ${ratio} (target <= 1.5)`
        );
        const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
        console.log(
          `JavaScript the component adds (${added.modules} modules of force-app/main/default/lwc): ` +
            `${kb(added.bytes)} as compiled, ${kb(added.minifiedBytes)} minified, ${kb(added.gzippedBytes)} minified and gzipped`
        );
        console.log(
          `JavaScript each page loads in this build (LWC engine, base components, the preview's platform stand-ins and sample data included; all minified, as production mode serves them): ` +
            `checklist page ${kb(pages.checklist)}, card page ${kb(pages.card)}`
        );
      }
      return 0;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
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
