/**
 * Step "sf": the Salesforce CLI converts the project to Metadata API format and generates a
 * package.xml manifest, both into a temporary folder (nothing in the project changes). Offline it
 * catches wrong file suffixes, files in the wrong folder for their type and a broken
 * sfdx-project.json; it does not validate XML content (the metadata step does).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exec } from "./lib/exec";
import { packageDirs, rel, toolBin } from "./lib/files";
import type { Problem } from "./lib/problem";

/** Environment for every `sf` call: no telemetry, no update checks (never SF_AUTOUPDATE_DISABLE). */
export function sfEnv(
  base: NodeJS.ProcessEnv = process.env
): NodeJS.ProcessEnv {
  return {
    ...base,
    SF_DISABLE_TELEMETRY: "true",
    SF_SKIP_NEW_VERSION_CHECK: "true",
    SF_DISABLE_AUTOUPDATE: "true"
  };
}

interface SfOutcome {
  ok: boolean;
  message: string;
  /** The file the error is about, when the CLI names one. */
  file?: string;
}

async function sf(root: string, args: string[]): Promise<SfOutcome> {
  const result = await exec(toolBin("sf"), [...args, "--json"], {
    cwd: root,
    env: sfEnv()
  });
  let parsed:
    | { status?: number; message?: string; name?: string; actions?: string[] }
    | undefined;
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (result.code === 0 && parsed?.status === 0)
    return { ok: true, message: "" };
  let message =
    parsed?.message ??
    (result.stderr.trim() || result.stdout.trim() || `exit ${result.code}`);
  let file: string | undefined;
  const named = /(\/[^\s:]+)/.exec(message);
  if (
    named &&
    named[1].startsWith(path.resolve(root) + path.sep) &&
    fs.existsSync(named[1])
  ) {
    file = rel(root, named[1]);
    message = message.replace(`${named[1]}: `, "").replace(named[1], file);
  }
  const hint = parsed?.actions?.find((a) => /did you mean/i.test(a));
  if (hint) message += ` (${hint.replace(/^-+\s*/, "")})`;
  return {
    ok: false,
    message: parsed?.name ? `${parsed.name}: ${message}` : message,
    file
  };
}

export async function checkSfProject(root: string): Promise<Problem[]> {
  if (!fs.existsSync(path.join(root, "sfdx-project.json"))) {
    return [
      {
        file: "sfdx-project.json",
        message: "missing: not an SFDX project",
        rule: "sf"
      }
    ];
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "sf-project-check-"));
  try {
    const dirs = packageDirs(root).filter((d) =>
      fs.existsSync(path.join(root, d))
    );
    // Independent: run both at once (each is mostly CLI start-up).
    const skipped: SfOutcome = { ok: true, message: "" };
    const [convert, manifest] = await Promise.all([
      sf(root, [
        "project",
        "convert",
        "source",
        "--output-dir",
        path.join(out, "mdapi")
      ]),
      dirs.length === 0
        ? skipped
        : sf(root, [
            "project",
            "generate",
            "manifest",
            ...dirs.flatMap((d) => ["--source-dir", d]),
            "--output-dir",
            path.join(out, "manifest")
          ])
    ]);
    const problems: Problem[] = [];
    if (!convert.ok) {
      problems.push({
        file: convert.file ?? "sfdx-project.json",
        message: `sf project convert source failed: ${convert.message}`,
        rule: "sf"
      });
    }
    if (!manifest.ok) {
      problems.push({
        file: manifest.file ?? "sfdx-project.json",
        message: `sf project generate manifest failed: ${manifest.message}`,
        rule: "sf"
      });
    }
    return problems;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
