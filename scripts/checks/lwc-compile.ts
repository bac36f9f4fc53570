/**
 * Step "lwc": every LWC bundle compiled as the platform compiles it (@lwc/sfdc-lwc-compiler, from the
 * compiled .js, .html and .css: run tsc first), failing on any error diagnostic (template
 * expressions, unknown directives, bad decorators...). Then each reference the compiler reports
 * must resolve in the project:
 *   `@salesforce/apex/Class.method`   force-app classes/Class.cls has a static @AuraEnabled `method`
 *   `@salesforce/schema/Obj.Field`    a custom field in force-app or a field in the standard catalogue
 *   `@salesforce/label/c.Name`        a label in force-app's CustomLabels
 *   `@salesforce/customPermission/X`  a custom permission in force-app
 *   `c/bundle` imports, `<c-bundle>` tags   a bundle in force-app
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { compile } from "@lwc/sfdc-lwc-compiler";
import {
  apexFiles,
  apexMethodProblem,
  indexApexClasses,
  type ApexClassInfo
} from "./apex";
import { rel } from "./lib/files";
import type { Problem } from "./lib/problem";
import {
  loadProjectIndex,
  lwcBundleDirs,
  resolveSchemaReference,
  type ProjectIndex
} from "./lib/project";

const RULE = "lwc-compiler";
const REFS = "lwc-references";

/** The bundle's files the platform compiles (not TypeScript sources, tests or mocks), by bundle-relative path. */
export function bundleFiles(bundleDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relPath = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith("__") && !entry.name.startsWith("."))
          visit(path.join(dir, entry.name), relPath);
      } else if (/\.(js|html|css|svg)$/.test(entry.name)) {
        files[relPath] = fs.readFileSync(path.join(dir, entry.name), "utf8");
      }
    }
  };
  visit(bundleDir, "");
  return files;
}

function apiVersionOf(bundleDir: string): number | undefined {
  const meta = path.join(bundleDir, `${path.basename(bundleDir)}.js-meta.xml`);
  if (!fs.existsSync(meta)) return undefined;
  const match = /<apiVersion>\s*([\d.]+)\s*<\/apiVersion>/.exec(
    fs.readFileSync(meta, "utf8")
  );
  return match ? Number(match[1]) : undefined;
}

const kebabToCamel = (tag: string): string =>
  tag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

interface Context {
  root: string;
  index: ProjectIndex;
  classes: Map<string, ApexClassInfo>;
}

interface CompilerReference {
  type: string;
  id: string;
  file: string;
  locations: Array<{ startLine: number; startColumn: number }>;
}

/** Why a reference does not resolve, or undefined when it does. */
export function referenceProblem(
  context: Context,
  reference: { type: string; id: string }
): string | undefined {
  const { index, classes } = context;
  switch (reference.type) {
    case "apexMethod":
      return apexMethodProblem(classes, reference.id);
    case "apexContinuation":
      return apexMethodProblem(classes, reference.id, { continuation: true });
    case "schema": {
      const result = resolveSchemaReference(index, reference.id);
      return result.ok
        ? undefined
        : `@salesforce/schema/${reference.id}: ${result.reason}`;
    }
    case "label": {
      const match = /^c\.(.+)$/.exec(reference.id);
      if (!match)
        return `@salesforce/label/${reference.id}: only labels of this project (c.Name) can be checked`;
      return index.labels.has(match[1].toLowerCase())
        ? undefined
        : `label ${match[1]} is not in force-app's CustomLabels (labels/CustomLabels.labels-meta.xml)`;
    }
    case "customPermission":
      return index.customPermissions.has(reference.id.toLowerCase())
        ? undefined
        : `custom permission ${reference.id} is not in force-app (customPermissions/${reference.id}.customPermission-meta.xml)`;
    case "module": {
      const match = /^c\/(.+)$/.exec(reference.id);
      if (!match) return undefined;
      return bundleProblem(index, match[1], `import "${reference.id}"`);
    }
    case "component": {
      const match = /^c-(.+)$/.exec(reference.id);
      if (!match) return undefined;
      return bundleProblem(index, kebabToCamel(match[1]), `<${reference.id}>`);
    }
    default:
      return undefined;
  }
}

function bundleProblem(
  index: ProjectIndex,
  name: string,
  what: string
): string | undefined {
  const actual = index.bundles.get(name.toLowerCase());
  if (!actual) return `${what}: there is no LWC bundle ${name} in force-app`;
  if (actual !== name)
    return `${what}: the bundle is named ${actual} (module names are case-sensitive)`;
  return undefined;
}

/** Compiles one bundle and checks its references. */
export async function checkBundle(
  context: Context,
  bundleDir: string
): Promise<Problem[]> {
  const { root } = context;
  const name = path.basename(bundleDir);
  const problems: Problem[] = [];
  const fileOf = (bundleRel: string | undefined): string =>
    rel(root, path.join(bundleDir, bundleRel || `${name}.js`));

  // Build output without its source: a .ts was deleted or renamed and its .js left behind.
  const entries = fs.readdirSync(bundleDir);
  if (entries.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))) {
    for (const js of entries.filter((f) => f.endsWith(".js"))) {
      if (!entries.includes(js.replace(/\.js$/, ".ts"))) {
        problems.push({
          file: fileOf(js),
          message: `stale build output: no ${js.replace(/\.js$/, ".ts")} beside it (delete it)`,
          rule: RULE
        });
      }
    }
  }

  const files = bundleFiles(bundleDir);
  if (!files[`${name}.js`]) {
    return [
      ...problems,
      {
        file: fileOf(`${name}.js`),
        message: "missing (compile the bundle's .ts first: npm run build)",
        rule: RULE
      }
    ];
  }
  let output;
  try {
    output = await compile({
      bundle: {
        namespace: "c",
        name,
        type: "platform",
        files,
        options: { apiVersion: apiVersionOf(bundleDir) }
      }
    });
  } catch (error) {
    return [
      ...problems,
      {
        file: fileOf(undefined),
        message: `compiler failed: ${(error as Error).message}`,
        rule: RULE
      }
    ];
  }
  const seen = new Set<string>();
  const diagnostics = [
    ...output.diagnostics,
    ...(output.results ?? []).flatMap((r) => r.diagnostics)
  ];
  for (const diagnostic of diagnostics) {
    if (diagnostic.level > 1) continue; // 0 fatal, 1 error; 2 warning, 3 log
    const problem: Problem = {
      file: fileOf(diagnostic.filename),
      line: diagnostic.location?.line,
      column: diagnostic.location?.column,
      message: diagnostic.message,
      rule: RULE
    };
    const key = `${problem.file}:${problem.line}:${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  if (!output.success && problems.length === 0) {
    problems.push({
      file: fileOf(undefined),
      message: "the platform compiler rejected the bundle",
      rule: RULE
    });
  }
  for (const reference of (output.metadata?.references ??
    []) as CompilerReference[]) {
    const why = referenceProblem(context, reference);
    if (!why) continue;
    const location = reference.locations[0];
    problems.push({
      file: fileOf(reference.file),
      line: location?.startLine,
      column: location?.startColumn,
      message: why,
      rule: REFS
    });
  }
  return problems;
}

export async function checkLwcBundles(
  root: string,
  bundleDirs: string[] = lwcBundleDirs(root),
  options: { standardFields?: string } = {}
): Promise<Problem[]> {
  if (bundleDirs.length === 0) return [];
  const context: Context = {
    root,
    index: loadProjectIndex(root, options),
    classes: indexApexClasses(root, apexFiles(root))
  };
  const problems: Problem[] = [];
  for (const dir of bundleDirs)
    problems.push(...(await checkBundle(context, dir)));
  return problems;
}
