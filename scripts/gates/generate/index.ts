/**
 * The generator: runs every emitter in memory, formats the files with the
 * project's prettier configuration (so `prettier --check` passes on them),
 * compares them with an output directory, and writes all of them or none.
 *
 * Generated files are recognised by their header comment (names.ts,
 * isGeneratedContent): a generated file that the map no longer produces is
 * stale; `--check` reports it and `generate` deletes it. Files without the
 * header are never touched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../load";
import { EMITTERS } from "./emitters";
import { isGeneratedContent } from "./names";
import type { GenerateContext, GeneratedFile } from "./types";

export type { GenerateContext, GeneratedFile } from "./types";

/** Runs every emitter (pure, in memory); files sorted by path. Throws on duplicate paths. */
export function generateAll(ctx: GenerateContext): GeneratedFile[] {
  const files = EMITTERS.flatMap((emit) => emit(ctx));
  const seen = new Set<string>();
  for (const file of files) {
    const key = file.path.toLowerCase();
    if (seen.has(key)) {
      throw new Error(`Two generated files have the same path: ${file.path}`);
    }
    if (
      path.posix.isAbsolute(file.path) ||
      file.path.split("/").includes("..")
    ) {
      throw new Error(
        `A generated file must stay inside the output directory: ${file.path}`
      );
    }
    seen.add(key);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Formats generated files with prettier and the project's .prettierrc (as if
 * they were in force-app/main/default), so the output is byte-stable and
 * passes `prettier --check`.
 */
export async function formatGenerated(
  files: GeneratedFile[],
  projectDir: string = PROJECT_DIR
): Promise<GeneratedFile[]> {
  const prettier = await import("prettier");
  const out: GeneratedFile[] = [];
  for (const file of files) {
    const filepath = path.join(
      projectDir,
      "force-app",
      "main",
      "default",
      ...file.path.split("/")
    );
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    const plugins = (config.plugins ?? []).map((p) =>
      typeof p === "string" ? require.resolve(p, { paths: [projectDir] }) : p
    );
    const content = await prettier.format(file.content, {
      ...config,
      plugins,
      filepath
    });
    out.push({ path: file.path, content });
  }
  return out;
}

/** Every generated file, formatted: what `generate` writes. */
export async function buildGenerated(
  ctx: GenerateContext
): Promise<GeneratedFile[]> {
  return formatGenerated(generateAll(ctx));
}

/** Directories never searched for generated files. */
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  ".sf",
  ".sfdx",
  "__tests__",
  "__mocks__"
]);

function walk(dir: string, rel: string, out: string[]): void {
  if (!fs.existsSync(dir)) {
    return;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) {
        walk(
          path.join(dir, entry.name),
          rel ? `${rel}/${entry.name}` : entry.name,
          out
        );
      }
    } else if (entry.isFile()) {
      out.push(rel ? `${rel}/${entry.name}` : entry.name);
    }
  }
}

function readHead(file: string): string {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Paths (relative, posix) of the generated files that exist in `outDir`:
 * files starting with the generated header. A `.js` beside a `.ts` of the same
 * name is that file's compiled output (npm run build), not a generated source.
 */
export function existingGeneratedFiles(outDir: string): string[] {
  const all: string[] = [];
  walk(outDir, "", all);
  const present = new Set(all);
  return all
    .filter(
      (rel) =>
        !(rel.endsWith(".js") && present.has(rel.replace(/\.js$/, ".ts")))
    )
    .filter((rel) =>
      isGeneratedContent(readHead(path.join(outDir, ...rel.split("/"))))
    )
    .sort();
}

export interface Difference {
  /** Relative to the output directory, posix separators. */
  path: string;
  /** missing: produced but absent; changed: content differs; stale: generated earlier, no longer produced. */
  kind: "missing" | "changed" | "stale";
}

/** What differs between the output directory and the generated files. */
export function diffGenerated(
  outDir: string,
  files: GeneratedFile[]
): Difference[] {
  const out: Difference[] = [];
  const produced = new Set(files.map((f) => f.path));
  for (const file of files) {
    const target = path.join(outDir, ...file.path.split("/"));
    if (!fs.existsSync(target)) {
      out.push({ path: file.path, kind: "missing" });
    } else if (fs.readFileSync(target, "utf8") !== file.content) {
      out.push({ path: file.path, kind: "changed" });
    }
  }
  for (const rel of existingGeneratedFiles(outDir)) {
    if (!produced.has(rel)) {
      out.push({ path: rel, kind: "stale" });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface WriteResult {
  written: string[];
  deleted: string[];
  unchanged: number;
}

/**
 * Brings `outDir` in line with `files`, all or nothing: every new content is
 * first written to a temporary file beside its target, then the old files are
 * moved aside, the temporary files renamed into place, and stale generated
 * files removed. Any failure restores the previous state and rethrows.
 */
export function writeGenerated(
  outDir: string,
  files: GeneratedFile[]
): WriteResult {
  const differences = diffGenerated(outDir, files);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const toWrite = differences
    .filter((d) => d.kind !== "stale")
    .map((d) => d.path);
  const stale = differences
    .filter((d) => d.kind === "stale")
    .map((d) => d.path);
  // The compiled .js beside a stale generated .ts (npm run build output) goes with it.
  const compiled = stale
    .filter((rel) => rel.endsWith(".ts"))
    .map((rel) => rel.replace(/\.ts$/, ".js"))
    .filter((rel) => {
      const file = path.join(outDir, ...rel.split("/"));
      return fs.existsSync(file) && isGeneratedContent(readHead(file));
    });
  const toDelete = [...stale, ...compiled];
  const suffix = `.stage-gates-${process.pid}-${Date.now()}`;
  const abs = (rel: string): string => path.join(outDir, ...rel.split("/"));

  const createdDirs: string[] = [];
  const temps: { temp: string; target: string }[] = [];
  const backups: { backup: string; target: string }[] = [];
  const placed: string[] = [];
  const mkdirs = (dir: string): void => {
    if (fs.existsSync(dir)) {
      return;
    }
    mkdirs(path.dirname(dir));
    fs.mkdirSync(dir);
    createdDirs.push(dir);
  };
  try {
    // 1. Everything new goes to temporary files (nothing visible changes yet).
    for (const rel of toWrite) {
      const target = abs(rel);
      mkdirs(path.dirname(target));
      const temp = `${target}${suffix}.tmp`;
      fs.writeFileSync(
        temp,
        (byPath.get(rel) as GeneratedFile).content,
        "utf8"
      );
      temps.push({ temp, target });
    }
    // 2. Old versions and stale files are moved aside.
    for (const target of [...toWrite.map(abs), ...toDelete.map(abs)]) {
      if (fs.existsSync(target)) {
        const backup = `${target}${suffix}.bak`;
        fs.renameSync(target, backup);
        backups.push({ backup, target });
      }
    }
    // 3. New versions are renamed into place.
    for (const { temp, target } of temps) {
      fs.renameSync(temp, target);
      placed.push(target);
    }
  } catch (error) {
    for (const target of placed) {
      fs.rmSync(target, { force: true });
    }
    for (const { temp } of temps) {
      fs.rmSync(temp, { force: true });
    }
    for (const { backup, target } of backups) {
      fs.renameSync(backup, target);
    }
    for (const dir of createdDirs.reverse()) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // not empty: leave it
      }
    }
    throw error;
  }
  // 4. Committed: drop the backups, and directories that only held stale files.
  for (const { backup } of backups) {
    fs.rmSync(backup, { force: true });
  }
  for (const rel of toDelete) {
    let dir = path.dirname(abs(rel));
    while (
      path.resolve(dir) !== path.resolve(outDir) &&
      fs.existsSync(dir) &&
      fs.readdirSync(dir).length === 0
    ) {
      fs.rmdirSync(dir);
      dir = path.dirname(dir);
    }
  }
  return {
    written: toWrite,
    deleted: stale,
    unchanged: files.length - toWrite.length
  };
}
