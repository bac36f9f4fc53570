/**
 * `npm run preview:build`: bundles the local preview page into preview/dist.
 *
 * The page renders the unchanged force-app component (compiled from its `.ts`
 * with TypeScript, then by the LWC compiler) with the real base components
 * (`lightning-base-components`) and SLDS, against an in-memory org seeded from
 * data/. Platform services are replaced, in this build only, by the modules of
 * preview/src/platform; nothing here is part of force-app or deploys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import lwc from "@lwc/rollup-plugin";
import replace from "@rollup/plugin-replace";
import { rollup, type OutputChunk, type RollupLog } from "rollup";
import {
  DEFAULT_LWC_DIR,
  DEFAULT_OUT_DIR,
  FORCE_APP,
  PREVIEW_MODULES,
  PREVIEW_SRC,
  PROJECT_DIR,
  relativeToProject,
  SLDS_ASSETS
} from "./lib/paths";
import {
  minifyPlugin,
  platformPlugin,
  strictOnLog,
  typescriptPlugin
} from "./lib/plugins";
import {
  loadAuraEnabledMethods,
  loadCustomLabels,
  loadCustomPermissions,
  loadPreviewSchema
} from "./lib/schema";
import { loadSeed } from "./lib/seed";

export interface BuildOptions {
  /** Page entries: name -> entry module. Defaults to the preview page and the bare-card benchmark page. */
  entries?: Record<string, string>;
  /** Folders the `c` namespace resolves to, first match wins. Defaults to force-app's lwc folder. */
  lwcDirs?: string[];
  /** Metadata folder (classes, labels, objects, customPermissions) imports are checked against. Defaults to force-app/main/default. */
  forceAppDir?: string;
  /** Sample data folder (sObject tree files, as `sf data import tree` takes them). Defaults to data/. */
  dataDir?: string;
  outDir?: string;
  /**
   * "development" (LWC's dev-mode checks, the default) or "production" (no dev-mode checks; every
   * module minified, the custom components included, as the platform serves them).
   */
  mode?: "development" | "production";
  /** Progress and warnings; silent when omitted. */
  log?: (message: string) => void;
}

export interface BuildResult {
  outDir: string;
  seedSource: string;
  durationMs: number;
  warnings: string[];
  /** The JavaScript chunks written, with the rendered code of each module (for size measurements). */
  chunks: OutputChunk[];
  /** Production mode: each module's size in bytes as the LWC compiler emitted it, before minification. */
  compiledBytes: Map<string, number>;
}

export const DEFAULT_ENTRIES: Readonly<Record<string, string>> = {
  index: path.join(PREVIEW_SRC, "main.ts"),
  "bench-card": path.join(PREVIEW_SRC, "bench-card.ts"),
  "bench-checklist": path.join(PREVIEW_SRC, "bench-checklist.ts")
};

export const DEFAULT_DATA_DIR = path.join(PROJECT_DIR, "data");

function pageHtml(entry: string, title: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="slds/styles/salesforce-lightning-design-system.min.css" />
    <link rel="stylesheet" href="preview.css" />
  </head>
  <body class="slds-scope">
    <div id="root"></div>
    <script type="module" src="js/${entry}.js"></script>
  </body>
</html>
`;
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

export async function buildPreview(
  options: BuildOptions = {}
): Promise<BuildResult> {
  const started = Date.now();
  const compiledBytes = new Map<string, number>();
  const log = options.log ?? (() => undefined);
  const outDir = path.resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const entries = options.entries ?? DEFAULT_ENTRIES;
  const lwcDirs = options.lwcDirs ?? [DEFAULT_LWC_DIR];
  const mode = options.mode ?? "development";
  const warnings: string[] = [];

  const forceAppDir = path.resolve(options.forceAppDir ?? FORCE_APP);
  const schema = loadPreviewSchema(PROJECT_DIR, forceAppDir);
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const seed = loadSeed(dataDir, schema);
  log(`Sample data: ${seed.source} (${seed.records.length} records)`);

  const bundle = await rollup({
    input: entries,
    preserveEntrySignatures: false,
    onLog: strictOnLog((message) => {
      warnings.push(message);
      log(message);
    }),
    plugins: [
      platformPlugin({
        lwcDirs,
        schema,
        labels: loadCustomLabels(forceAppDir),
        apexMethods: loadAuraEnabledMethods(forceAppDir),
        customPermissions: loadCustomPermissions(forceAppDir),
        virtual: {
          seed: `export default ${JSON.stringify(seed)};`,
          schema: `export default ${JSON.stringify(schema)};`
        }
      }),
      typescriptPlugin(),
      replace({
        preventAssignment: true,
        values: {
          "import.meta.env.SSR": "false",
          "process.env.NODE_ENV": JSON.stringify(mode)
        }
      }),
      lwc({
        rootDir: PREVIEW_MODULES,
        modules: [{ npm: "lightning-base-components" }],
        // The platform compiles with its current API version; keep the compiler's default.
        enableDynamicComponents: true
      }),
      ...(mode === "production" ? [minifyPlugin(compiledBytes)] : [])
    ]
  });
  let chunks: OutputChunk[] = [];
  try {
    fs.rmSync(outDir, { recursive: true, force: true });
    const { output } = await bundle.write({
      dir: path.join(outDir, "js"),
      format: "es",
      entryFileNames: "[name].js",
      chunkFileNames: "chunks/[name]-[hash].js",
      sourcemap: true
    });
    chunks = output.filter((o): o is OutputChunk => o.type === "chunk");
  } finally {
    await bundle.close();
  }

  for (const name of Object.keys(entries)) {
    const title =
      name === "index"
        ? "Stage gates — local preview"
        : `Stage gates — ${name}`;
    fs.writeFileSync(path.join(outDir, `${name}.html`), pageHtml(name, title));
  }
  fs.copyFileSync(
    path.join(PREVIEW_SRC, "preview.css"),
    path.join(outDir, "preview.css")
  );
  fs.mkdirSync(path.join(outDir, "slds", "styles"), { recursive: true });
  fs.copyFileSync(
    path.join(
      SLDS_ASSETS,
      "styles",
      "salesforce-lightning-design-system.min.css"
    ),
    path.join(
      outDir,
      "slds",
      "styles",
      "salesforce-lightning-design-system.min.css"
    )
  );
  copyDir(
    path.join(SLDS_ASSETS, "images"),
    path.join(outDir, "slds", "images")
  );

  const durationMs = Date.now() - started;
  log(
    `Built ${relativeToProject(outDir)} in ${(durationMs / 1000).toFixed(1)} s`
  );
  return {
    outDir,
    seedSource: seed.source,
    durationMs,
    warnings,
    chunks,
    compiledBytes
  };
}

async function main(): Promise<number> {
  const production = process.argv.includes("--production");
  await buildPreview({
    mode: production ? "production" : "development",
    log: (m) => console.log(m)
  });
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(formatBuildError(error));
      process.exitCode = 1;
    }
  );
}

/** A build error as one readable block (Rollup errors carry the importer and location). */
export function formatBuildError(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as RollupLog & { message: string };
    const where = e.loc?.file
      ? ` (${relativeToProject(e.loc.file)}:${e.loc.line}:${e.loc.column})`
      : "";
    return `Preview build failed: ${e.message}${where}`;
  }
  return `Preview build failed: ${String(error)}`;
}
