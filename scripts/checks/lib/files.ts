import * as fs from "node:fs";
import * as path from "node:path";

/** The repository that holds these scripts (and node_modules with the tools). */
export const TOOL_ROOT = path.resolve(__dirname, "../../..");

const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  ".sf",
  ".sfdx",
  "coverage"
]);

/** Every file under `dir` (recursively, sorted) whose root-relative posix path passes `accept`. */
export function walk(
  root: string,
  dir: string,
  accept: (relPath: string) => boolean
): string[] {
  const found: string[] = [];
  const start = path.resolve(root, dir);
  if (!fs.existsSync(start)) return found;
  const visit = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(full);
      } else if (entry.isFile() && accept(rel(root, full))) {
        found.push(full);
      }
    }
  };
  visit(start);
  return found.sort();
}

/** Root-relative path with forward slashes, as problems report it. */
export function rel(root: string, file: string): string {
  return path
    .relative(root, path.resolve(root, file))
    .split(path.sep)
    .join("/");
}

/** The package directories of an SFDX project (sfdx-project.json), "force-app" when there is none. */
export function packageDirs(root: string): string[] {
  const projectFile = path.join(root, "sfdx-project.json");
  if (!fs.existsSync(projectFile)) return ["force-app"];
  const project = JSON.parse(fs.readFileSync(projectFile, "utf8")) as {
    packageDirectories?: Array<{ path: string }>;
  };
  const dirs = (project.packageDirectories ?? []).map((d) =>
    d.path.replace(/\/+$/, "")
  );
  return dirs.length > 0 ? dirs : ["force-app"];
}

/** Files under every package directory whose relative path passes `accept`. */
export function sourceFiles(
  root: string,
  accept: (relPath: string) => boolean
): string[] {
  return packageDirs(root).flatMap((dir) => walk(root, dir, accept));
}

/** An executable installed in the tool repository's node_modules/.bin. */
export function toolBin(name: string): string {
  return path.join(TOOL_ROOT, "node_modules", ".bin", name);
}
