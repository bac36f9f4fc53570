/**
 * `npm run docs [-- --check] [--config F] [--out F]`: writes docs/process-map.md from the
 * process map. With --check it writes nothing and exits 1 naming the file when the
 * committed document differs from what the map generates (CI runs it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_CONFIG,
  MapValidationError,
  PROJECT_DIR,
  formatProblem,
  loadMap
} from "../gates/load";
import { FLOW_NAME } from "../gates/generate/flow";
import { validationRuleSpecs } from "../gates/generate/validation-rules";
import { DOC_FILE, renderProcessMap } from "./process-map-doc";

export interface DocsOptions {
  projectDir?: string;
  config?: string;
  out?: string;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** A path as shown in messages: relative to the project when inside it, else absolute. */
function shownPath(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, file);
  return relative.startsWith("..") || path.isAbsolute(relative)
    ? file
    : toPosix(relative);
}

/** The document for the map, formatted by prettier with the project's settings (so `npm run prettier` leaves it alone). */
export async function buildDocs(
  opts: DocsOptions = {}
): Promise<{ file: string; content: string }> {
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const config = opts.config ?? DEFAULT_CONFIG;
  const out = path.resolve(projectDir, opts.out ?? DOC_FILE);
  const loaded = loadMap(config, { projectDir });
  const configLabel = toPosix(
    path.relative(projectDir, path.resolve(projectDir, config))
  );
  // Names exactly as the generator gives them: criterion id → validation rule.
  const ruleNames = new Map(
    validationRuleSpecs(loaded, configLabel).map((spec) => [
      spec.criterionId,
      spec.name
    ])
  );
  const raw = renderProcessMap(loaded, {
    configLabel,
    ruleNames,
    flowName: FLOW_NAME
  });
  // Loaded lazily: prettier's ESM internals cannot load inside jest's module sandbox.
  const prettier = await import("prettier");
  const content = await prettier.format(raw, {
    parser: "markdown",
    filepath: out,
    trailingComma: "none"
  });
  return { file: out, content };
}

export async function runDocs(
  args: string[],
  projectDir: string = PROJECT_DIR
): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        check: { type: "boolean" },
        config: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" }
      }
    }).values;
  } catch (error) {
    console.error(
      `${error instanceof Error ? error.message : String(error)}\nUsage: npm run docs [-- --check] [--config F] [--out F]`
    );
    return 2;
  }
  if (values.help) {
    console.log("Usage: npm run docs [-- --check] [--config F] [--out F]");
    return 0;
  }
  let built;
  try {
    built = await buildDocs({
      projectDir,
      config: values.config,
      out: values.out
    });
  } catch (error) {
    if (error instanceof MapValidationError) {
      for (const p of error.problems) {
        console.error(formatProblem(p));
      }
      console.error("The process map has problems: docs not generated.");
      return 1;
    }
    throw error;
  }
  const shown = shownPath(projectDir, built.file);
  const current = fs.existsSync(built.file)
    ? fs.readFileSync(built.file, "utf8")
    : undefined;
  if (values.check) {
    if (current === built.content) {
      console.log(`${shown} is up to date.`);
      return 0;
    }
    console.error(
      current === undefined
        ? `${shown} is missing: run npm run docs and commit it.`
        : `${shown} is out of date with the process map: run npm run docs and commit it.`
    );
    return 1;
  }
  if (current === built.content) {
    console.log(`${shown} is up to date.`);
    return 0;
  }
  fs.mkdirSync(path.dirname(built.file), { recursive: true });
  fs.writeFileSync(built.file, built.content);
  console.log(`Wrote ${shown}.`);
  return 0;
}

if (require.main === module) {
  runDocs(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    }
  );
}
