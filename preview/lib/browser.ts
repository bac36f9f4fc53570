/**
 * Headless Chromium for the e2e tests, screenshots and benchmark: Debian's
 * `chromium` package driven by playwright-core (Playwright's own browser download
 * is not used), each run with a fresh profile.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/**
 * The browser binary: $CHROMIUM_PATH, else Debian's chromium (what .ci/run installs),
 * else a Chrome already on the machine (GitHub's Ubuntu runners ship google-chrome).
 */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable"
];

export function chromiumPath(): string {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit)) {
      throw new Error(`CHROMIUM_PATH is ${explicit}, which does not exist`);
    }
    return explicit;
  }
  const found = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked for ${CHROMIUM_CANDIDATES.join(", ")}): install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`
    );
  }
  return found;
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
];

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(
  opts: { width?: number; height?: number } = {}
): Promise<Browser> {
  const executablePath = chromiumPath();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "preview-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 1000 },
    timeout: 120_000
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
}

/** Collects console errors and uncaught page errors; `problems()` lists them. */
export function watchErrors(page: Page): { problems(): string[] } {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") {
      problems.push(`console.error: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) =>
    problems.push(`page error: ${error.message}`)
  );
  page.on("requestfailed", (request) =>
    problems.push(
      `request failed: ${request.url()} (${request.failure()?.errorText ?? ""})`
    )
  );
  return { problems: () => [...problems] };
}
