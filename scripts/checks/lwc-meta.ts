/**
 * Step "metadata" (part 2): each LWC bundle's `<name>.js-meta.xml` against the project's schema of
 * the source format (schemas/lwc-bundle.xsd), then what a schema cannot say: apiVersion present and
 * not newer than the schema's API version, targets that exist, targetConfigs only for declared
 * targets, objects that exist, and the bundle's files (its compiled .js, and .html for a component
 * placed on a page).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageDirs, rel } from "./lib/files";
import { lineAt, type Problem } from "./lib/problem";
import {
  loadProjectIndex,
  findDirs,
  lwcBundleDirs,
  type ProjectIndex
} from "./lib/project";
import { validateWithXsd, type XmlDocument } from "./lib/xml";
import { WSDL_API_VERSION } from "./metadata-schema";

export const LWC_BUNDLE_XSD = path.join(__dirname, "schemas", "lwc-bundle.xsd");

/** Targets an LWC may declare (Salesforce's "Supported Targets" list). */
export const KNOWN_TARGETS = new Set([
  "analytics__Dashboard",
  "lightning__AgentforceInput",
  "lightning__AgentforceOutput",
  "lightning__AppPage",
  "lightning__Dashboard",
  "lightning__FlowAction",
  "lightning__FlowScreen",
  "lightning__GlobalAction",
  "lightning__HomePage",
  "lightning__Inbox",
  "lightning__RecordAction",
  "lightning__RecordPage",
  "lightning__Tab",
  "lightning__UrlAddressable",
  "lightning__UtilityBar",
  "lightning__VoiceExtension",
  "lightningCommunity__Default",
  "lightningCommunity__Page",
  "lightningCommunity__Page_Layout",
  "lightningCommunity__RelaxedCSP",
  "lightningCommunity__Theme_Layout",
  "lightningSnapin__ChatHeader",
  "lightningSnapin__ChatMessage",
  "lightningSnapin__Minimized",
  "lightningSnapin__PreChat",
  "lightningStatic__Email"
]);

/** Targets where a component is placed on a page, so it renders a template. */
const UI_TARGETS =
  /^(lightning__(AppPage|HomePage|RecordPage|RecordAction|GlobalAction|Tab|UtilityBar|FlowScreen|Inbox|UrlAddressable|Dashboard)|lightningCommunity__|lightningSnapin__|analytics__)/;
/** Targets whose targetConfig may list `<objects>`. */
const OBJECT_TARGETS = new Set([
  "lightning__RecordPage",
  "lightning__RecordAction",
  "lightningCommunity__Default",
  "lightningCommunity__Page"
]);

const RULE = "lwc-meta";

function find(
  xml: string,
  pattern: RegExp
): Array<{ value: string; attrs: string; line: number }> {
  return Array.from(xml.matchAll(pattern), (m) => ({
    value: (m[2] ?? "").trim(),
    attrs: m[1] ?? "",
    line: lineAt(xml, m.index ?? 0)
  }));
}

/** Semantic checks of one js-meta.xml (assumed to have passed the schema). */
export function checkBundleMeta(
  root: string,
  bundleDir: string,
  index: ProjectIndex,
  options: { maxApiVersion?: number } = {}
): Problem[] {
  const name = path.basename(bundleDir);
  const metaFile = path.join(bundleDir, `${name}.js-meta.xml`);
  const file = rel(root, metaFile);
  const xml = fs
    .readFileSync(metaFile, "utf8")
    .replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, " "));
  const problems: Problem[] = [];
  const report = (message: string, line?: number): void => {
    problems.push({ file, line, message, rule: RULE });
  };

  const maxApi = options.maxApiVersion ?? WSDL_API_VERSION;
  const api = find(xml, /<apiVersion()>([^<]*)<\/apiVersion>/g)[0];
  if (!api) report("apiVersion is missing");
  else if (!(Number(api.value) > 0))
    report(`apiVersion "${api.value}" is not a number`, api.line);
  else if (Number(api.value) > maxApi)
    report(
      `apiVersion ${api.value} is newer than ${maxApi.toFixed(1)}, the API version this project targets`,
      api.line
    );

  const exposed = find(xml, /<isExposed()>([^<]*)<\/isExposed>/g)[0];
  const isExposed = exposed?.value === "true";
  const targets = find(xml, /<target()>([^<]*)<\/target>/g);
  const declared = new Set(targets.map((t) => t.value));
  for (const target of targets) {
    if (!KNOWN_TARGETS.has(target.value)) {
      const suggestion = [...KNOWN_TARGETS].find(
        (k) =>
          k.toLowerCase() === target.value.toLowerCase() ||
          editDistance(k, target.value) <= 2
      );
      report(
        `unknown target "${target.value}"${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
        target.line
      );
    }
  }
  if (targets.length > 0 && !isExposed)
    report(
      "targets are declared but isExposed is not true: the component will not be available there",
      exposed?.line ?? targets[0].line
    );

  for (const config of find(
    xml,
    /<targetConfig\b([^>]*)>([\s\S]*?)<\/targetConfig>/g
  )) {
    const targetsAttr =
      /\btargets\s*=\s*"([^"]*)"/.exec(config.attrs)?.[1] ?? "";
    const configTargets = targetsAttr
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    for (const target of configTargets) {
      if (!declared.has(target))
        report(
          `targetConfig for "${target}", which is not among the bundle's <targets>`,
          config.line
        );
    }
    const objects = find(config.value, /<object()>([^<]*)<\/object>/g);
    if (
      objects.length > 0 &&
      !configTargets.some((t) => OBJECT_TARGETS.has(t))
    ) {
      report(
        `<objects> is only allowed in a targetConfig for ${[...OBJECT_TARGETS].join(", ")}`,
        config.line
      );
    }
    for (const object of objects) {
      if (!index.objects.has(object.value.toLowerCase())) {
        report(
          `object "${object.value}" is neither a custom object in force-app nor a standard object in the catalogue`,
          config.line + object.line - 1
        );
      }
    }
  }

  // The bundle's files: the platform needs <name>.js; a component placed on a page needs a template.
  const hasJs = fs.existsSync(path.join(bundleDir, `${name}.js`));
  const hasTs = fs.existsSync(path.join(bundleDir, `${name}.ts`));
  if (!hasJs) {
    problems.push({
      file: rel(root, path.join(bundleDir, `${name}.js`)),
      message: hasTs
        ? `missing: compile ${name}.ts first (npm run build)`
        : "missing: every LWC bundle needs <name>.js (or <name>.ts compiled to it)",
      rule: RULE
    });
  }
  const hasHtml = fs.existsSync(path.join(bundleDir, `${name}.html`));
  const isUi = isExposed && targets.some((t) => UI_TARGETS.test(t.value));
  if (isUi && !hasHtml && !definesRender(bundleDir, name)) {
    problems.push({
      file: rel(root, path.join(bundleDir, `${name}.html`)),
      message: "missing: a component exposed to a page needs its template",
      rule: RULE
    });
  }
  return problems;
}

function definesRender(bundleDir: string, name: string): boolean {
  for (const ext of ["ts", "js"]) {
    const source = path.join(bundleDir, `${name}.${ext}`);
    if (
      fs.existsSync(source) &&
      /\brender\s*\(\s*\)/.test(fs.readFileSync(source, "utf8"))
    )
      return true;
  }
  return false;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      previous = current;
    }
  }
  return row[b.length];
}

/** Folders directly under an `lwc` folder that are not bundles: no `<name>.js-meta.xml` inside. */
export function foldersWithoutMeta(root: string): Problem[] {
  const problems: Problem[] = [];
  for (const dir of packageDirs(root)) {
    for (const lwcDir of findDirs(path.join(root, dir), "lwc")) {
      for (const entry of fs.readdirSync(lwcDir, { withFileTypes: true })) {
        if (
          !entry.isDirectory() ||
          entry.name.startsWith("__") ||
          entry.name.startsWith(".")
        )
          continue;
        if (
          !fs.existsSync(
            path.join(lwcDir, entry.name, `${entry.name}.js-meta.xml`)
          )
        ) {
          problems.push({
            file: rel(
              root,
              path.join(lwcDir, entry.name, `${entry.name}.js-meta.xml`)
            ),
            message: `missing: the folder ${entry.name} is not an LWC bundle without it`,
            rule: RULE
          });
        }
      }
    }
  }
  return problems;
}

/** Schema (lwc-bundle.xsd) for every bundle's js-meta.xml, then the semantic checks of those that pass. */
export async function checkLwcMeta(
  root: string,
  bundleDirs?: string[],
  options: { standardFields?: string; maxApiVersion?: number } = {}
): Promise<Problem[]> {
  const problems = bundleDirs === undefined ? foldersWithoutMeta(root) : [];
  const dirs = bundleDirs ?? lwcBundleDirs(root);
  if (dirs.length === 0) return problems;
  const documents: XmlDocument[] = dirs.map((dir) => {
    const metaFile = path.join(dir, `${path.basename(dir)}.js-meta.xml`);
    return {
      file: rel(root, metaFile),
      contents: fs.readFileSync(metaFile, "utf8")
    };
  });
  const schemaProblems = await validateWithXsd(
    documents,
    fs.readFileSync(LWC_BUNDLE_XSD, "utf8"),
    RULE
  );
  problems.push(...schemaProblems);
  const invalid = new Set(schemaProblems.map((p) => p.file));
  const index = loadProjectIndex(root, {
    standardFields: options.standardFields
  });
  for (const [i, dir] of dirs.entries()) {
    if (!invalid.has(documents[i].file))
      problems.push(...checkBundleMeta(root, dir, index, options));
  }
  return problems;
}
