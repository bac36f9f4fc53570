/**
 * Headless Chromium for the e2e tests, screenshots and benchmark, driven by playwright-core
 * (Playwright's own browser download is not used), each run with a fresh profile. The browser:
 * $CHROMIUM_PATH, else a system Chromium or Chrome, else the Chromium that ships inside the npm
 * package @sparticuz/chromium (installed by `npm ci`, unpacked into the temp folder on first use),
 * so `npm test` needs no system browser.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/**
 * Where a system browser is looked for: Debian's chromium (what .ci/run installs), then a Chrome
 * (GitHub's Ubuntu runners ship google-chrome). $CHROMIUM_SYSTEM_PATHS (a PATH-style list; empty
 * for none) replaces this list, e.g. to test with the npm browser on a machine that has both.
 */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable"
];

export type BrowserChoice =
  | { source: "CHROMIUM_PATH" | "system"; executablePath: string }
  | { source: "npm" };

/** Which browser to launch, from the environment and the files that exist (no side effects). */
export function chooseBrowser(
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = fs.existsSync
): BrowserChoice {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!exists(explicit)) {
      throw new Error(`CHROMIUM_PATH is ${explicit}, which does not exist`);
    }
    return { source: "CHROMIUM_PATH", executablePath: explicit };
  }
  const candidates =
    env.CHROMIUM_SYSTEM_PATHS === undefined
      ? CHROMIUM_CANDIDATES
      : env.CHROMIUM_SYSTEM_PATHS.split(path.delimiter).filter(Boolean);
  const found = candidates.find((p) => exists(p));
  return found
    ? { source: "system", executablePath: found }
    : { source: "npm" };
}

/** The browser binary to launch; the npm browser is unpacked (about 2 s, once per boot) if chosen. */
export async function chromiumPath(
  env: NodeJS.ProcessEnv = process.env
): Promise<string> {
  const choice = chooseBrowser(env);
  if (choice.source !== "npm") return choice.executablePath;
  let npmChromium: { executablePath(): Promise<string> };
  try {
    // An ES module: loaded only when no other browser is there.
    npmChromium = (await import("@sparticuz/chromium")).default;
  } catch (error) {
    throw new Error(
      `No Chromium found: CHROMIUM_PATH is not set, no system browser exists and the npm package @sparticuz/chromium cannot be loaded (run npm ci): ${(error as Error).message}`
    );
  }
  return npmChromium.executablePath();
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
  /** The binary that was launched (see chooseBrowser). */
  executablePath: string;
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(
  opts: { width?: number; height?: number } = {}
): Promise<Browser> {
  const executablePath = await chromiumPath();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "preview-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 1000 },
    timeout: 120_000
  });
  return {
    executablePath,
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
    problems.push(
      `page error: ${error.message}${process.env.PREVIEW_STACKS ? `\n${error.stack}` : ""}`
    )
  );
  page.on("requestfailed", (request) =>
    problems.push(
      `request failed: ${request.url()} (${request.failure()?.errorText ?? ""})`
    )
  );
  return { problems: () => [...problems] };
}
