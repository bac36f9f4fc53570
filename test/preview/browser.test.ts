import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHROMIUM_CANDIDATES, chooseBrowser } from "../../preview/lib/browser";

const REPO = path.resolve(__dirname, "../..");
const existing =
  (...files: string[]) =>
  (file: string): boolean =>
    files.includes(file);

describe("browser selection (preview/lib/browser.ts)", () => {
  it("uses CHROMIUM_PATH first, even when a system browser exists", () => {
    expect(
      chooseBrowser(
        { CHROMIUM_PATH: "/opt/chrome/chrome" },
        existing("/opt/chrome/chrome", "/usr/bin/chromium")
      )
    ).toEqual({
      source: "CHROMIUM_PATH",
      executablePath: "/opt/chrome/chrome"
    });
  });

  it("fails on a CHROMIUM_PATH that does not exist instead of falling back", () => {
    expect(() =>
      chooseBrowser(
        { CHROMIUM_PATH: "/opt/none/chrome" },
        existing("/usr/bin/chromium")
      )
    ).toThrow("CHROMIUM_PATH is /opt/none/chrome, which does not exist");
  });

  it("takes the first system browser that exists, in the documented order", () => {
    expect(CHROMIUM_CANDIDATES[0]).toBe("/usr/bin/chromium");
    expect(
      chooseBrowser(
        {},
        existing("/usr/bin/google-chrome", "/usr/bin/chromium-browser")
      )
    ).toEqual({
      source: "system",
      executablePath: "/usr/bin/chromium-browser"
    });
  });

  it("falls back to the npm Chromium when there is no system browser", () => {
    expect(chooseBrowser({}, existing())).toEqual({ source: "npm" });
  });

  it("CHROMIUM_SYSTEM_PATHS replaces the system list; empty hides every system browser", () => {
    const all = existing(...CHROMIUM_CANDIDATES, "/snap/bin/chromium");
    expect(chooseBrowser({ CHROMIUM_SYSTEM_PATHS: "" }, all)).toEqual({
      source: "npm"
    });
    expect(
      chooseBrowser(
        {
          CHROMIUM_SYSTEM_PATHS: ["/nowhere/chrome", "/snap/bin/chromium"].join(
            path.delimiter
          )
        },
        all
      )
    ).toEqual({ source: "system", executablePath: "/snap/bin/chromium" });
  });

  it("the npm fallback (@sparticuz/chromium) launches and renders a page", async () => {
    // A separate Node process: the package is an ES module, which jest's module system cannot load.
    const script = [
      'const { launchBrowser } = require("./preview/lib/browser.ts");',
      "(async () => {",
      "  const browser = await launchBrowser();",
      "  const page = await browser.newPage();",
      '  await page.setContent("<p id=gate>Proposal/Price Quote</p>");',
      '  const text = await page.textContent("#gate");',
      "  await browser.close();",
      "  console.log(JSON.stringify({ executablePath: browser.executablePath, text }));",
      "})();"
    ].join("\n");
    const printed = await new Promise<string>((resolve, reject) =>
      execFile(
        path.join(REPO, "node_modules", ".bin", "tsx"),
        ["-e", script],
        {
          cwd: REPO,
          env: { ...process.env, CHROMIUM_PATH: "", CHROMIUM_SYSTEM_PATHS: "" }
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(stderr || error.message)) : resolve(stdout)
      )
    );
    const result = JSON.parse(printed.trim()) as {
      executablePath: string;
      text: string;
    };
    expect(CHROMIUM_CANDIDATES).not.toContain(result.executablePath);
    fs.accessSync(result.executablePath, fs.constants.X_OK);
    expect(result.text).toBe("Proposal/Price Quote");
  }, 120000);
});
