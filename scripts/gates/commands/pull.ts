/**
 * `npm run gates -- pull --org ALIAS [--config F] [--dry-run]`: retrieves into
 * the project what validating and generating against the org needs, and nothing
 * more: the standard value sets the map compares (OpportunityStage always),
 * Opportunity's custom fields, record types, business processes and validation
 * rules, the custom fields the map names on related objects, and the global
 * value sets those picklists use.
 *
 * The Metadata API does not expand wildcards for the custom fields (and other
 * child components) of standard objects: each must be named ("you must name the
 * object and field"). So the components are listed first
 * (`sf org list metadata --metadata-type T`), then retrieved by name
 * (`sf project retrieve start --metadata T:Name ...`), which writes them into the
 * project's default package directory (org-metadata). Components whose source
 * already sits in another package directory (the product's generated rules in
 * force-app, the example's fields) are not retrieved: sf would overwrite those
 * files in place.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { RELATED_OBJECT_PARENT_FIELD } from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { packageDirs } from "../../checks/lib/files";
import {
  SF_ENV,
  describeSfFailure,
  formatCommand,
  parseSfJson,
  sfBinary,
  spawnExec,
  type Exec
} from "../../org/sf";
import { loadFieldCatalogue, metadataFolders } from "../fields";
import { parseJson } from "../json-source";
import { DEFAULT_CONFIG, PROJECT_DIR, projectDirFor } from "../load";
import { displayPath } from "../problems";
import {
  STANDARD_VALUE_SETS_FOLDER,
  STANDARD_VALUE_SET_SUFFIX,
  readStandardValueSet
} from "../value-sets";

export const USAGE = `Usage: npm run gates -- pull --org ALIAS [--config F] [--dry-run]

Retrieves from the org into the project's default package directory
(org-metadata) what gates validate and generate need: the standard value sets
the map compares (OpportunityStage always), Opportunity's custom fields, record
types, business processes and validation rules, the custom fields the map names
on related objects and the global value sets their picklists use. Prints what
it found and every sf command it runs.

Options:
  --org, -o ALIAS     the org (an alias or username sf knows: sf org login web)
  --config, -c FILE   process map (default ${DEFAULT_CONFIG})
  --dry-run           print the sf commands only; call nothing
  --help, -h          this help

Exit code 0 on success, 1 when sf fails, 2 for wrong options.`;

/** Child components of Opportunity that validation and the budget read. */
export const LISTED_TYPES = [
  "CustomField",
  "RecordType",
  "BusinessProcess",
  "ValidationRule"
] as const;

/** Where `sf project retrieve start` writes each type in source format (under <package>/main/default). */
export function sourcePath(type: string, fullName: string): string | undefined {
  const [object, member] = fullName.includes(".")
    ? [
        fullName.slice(0, fullName.indexOf(".")),
        fullName.slice(fullName.indexOf(".") + 1)
      ]
    : [fullName, ""];
  switch (type) {
    case "StandardValueSet":
      return `${STANDARD_VALUE_SETS_FOLDER}/${fullName}${STANDARD_VALUE_SET_SUFFIX}`;
    case "GlobalValueSet":
      return `globalValueSets/${fullName}.globalValueSet-meta.xml`;
    case "CustomField":
      return `objects/${object}/fields/${member}.field-meta.xml`;
    case "RecordType":
      return `objects/${object}/recordTypes/${member}.recordType-meta.xml`;
    case "BusinessProcess":
      return `objects/${object}/businessProcesses/${member}.businessProcess-meta.xml`;
    case "ValidationRule":
      return `objects/${object}/validationRules/${member}.validationRule-meta.xml`;
    default:
      return undefined;
  }
}

interface MapNeeds {
  /** StandardValueSet names, OpportunityStage first. */
  valueSets: string[];
  /** Custom fields the map names on related objects (Activity.X__c for Task and Event). */
  relatedFields: string[];
  /** Why the map could not be read, if it could not. */
  note?: string;
}

/** Related objects whose custom fields are defined on another object in metadata. */
const METADATA_OBJECT: Readonly<Record<string, string>> = {
  Task: "Activity",
  Event: "Activity"
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * What the map compares, read loosely (a map that does not validate yet, e.g.
 * because its stages are the org's and not retrieved, still names them).
 */
export function mapNeeds(configFile: string, projectDir: string): MapNeeds {
  const valueSets = new Set<string>(["OpportunityStage"]);
  const relatedFields = new Set<string>();
  let text: string;
  try {
    text = fs.readFileSync(configFile, "utf8");
  } catch {
    return {
      valueSets: [...valueSets],
      relatedFields: [],
      note: `${displayPath(configFile)} not found: retrieving the stages only`
    };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return {
      valueSets: [...valueSets],
      relatedFields: [],
      note: `${displayPath(configFile)} is not valid JSON: retrieving the stages only`
    };
  }
  const catalogue = loadFieldCatalogue(projectDir);
  const root = parsed.parsed.value;
  const processes =
    isRecord(root) && Array.isArray(root.processes) ? root.processes : [];
  const criteria: Record<string, unknown>[] = [];
  for (const p of processes.filter(isRecord)) {
    const stages = [
      ...(Array.isArray(p.stages) ? p.stages : []),
      p.won,
      p.lost
    ].filter(isRecord);
    for (const s of stages) {
      for (const list of [s.entry, s.exit]) {
        if (Array.isArray(list)) {
          criteria.push(...list.filter(isRecord));
        }
      }
    }
  }
  for (const c of criteria) {
    if (typeof c.field === "string") {
      const set = catalogue.Opportunity?.[c.field]?.valueSet;
      if (set) {
        valueSets.add(set);
      }
    }
    if (typeof c.related === "string" && isRecord(c.where)) {
      for (const field of Object.keys(c.where)) {
        const set = catalogue[c.related]?.[field]?.valueSet;
        if (set) {
          valueSets.add(set);
        }
        if (field.endsWith("__c") && c.related in RELATED_OBJECT_PARENT_FIELD) {
          relatedFields.add(
            `${METADATA_OBJECT[c.related] ?? c.related}.${field}`
          );
        }
      }
    }
  }
  return {
    valueSets: [...valueSets],
    relatedFields: [...relatedFields].sort()
  };
}

interface Options {
  org: string;
  config: string;
  dryRun: boolean;
}

function parseOptions(args: string[]): Options | "help" {
  const { values, positionals } = parseArgs({
    args,
    options: {
      org: { type: "string", short: "o" },
      config: { type: "string", short: "c" },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false }
    },
    allowPositionals: true,
    strict: true
  });
  if (values.help) {
    return "help";
  }
  if (positionals.length > 0) {
    throw new TypeError(`Unexpected argument "${positionals[0]}"`);
  }
  if (!values.org || values.org.trim() === "") {
    throw new TypeError("Missing --org ALIAS (the org to retrieve from)");
  }
  return {
    org: values.org,
    config: values.config ?? DEFAULT_CONFIG,
    dryRun: values["dry-run"] === true
  };
}

export interface PullEnvironment {
  exec: Exec;
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

const defaultEnvironment = (): PullEnvironment => ({
  exec: spawnExec,
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  cwd: process.cwd()
});

class SfFailure extends Error {}

/** Runs one sf command (--json), printing it first; returns the parsed result or throws SfFailure. */
function runSf(
  pull: PullEnvironment,
  projectDir: string,
  args: string[]
): unknown {
  const sf = sfBinary(pull.env);
  pull.out(`$ ${formatCommand("sf", args)}`);
  const run = pull.exec(sf, args, {
    cwd: projectDir,
    env: { ...pull.env, ...SF_ENV },
    captureOutput: true
  });
  if (run.spawnError) {
    throw new SfFailure(
      `cannot run ${sf}: ${run.spawnError.message} (install the Salesforce CLI, npm install, or set SF_BIN)`
    );
  }
  const json = parseSfJson(run.stdout);
  if (
    run.code !== 0 ||
    !json ||
    (json.status !== undefined && json.status !== 0)
  ) {
    const reasons = describeSfFailure(json, run);
    throw new SfFailure(
      `sf ${args.slice(0, 3).join(" ")} failed (exit code ${String(run.code)})${reasons.length ? `:\n  ${reasons.join("\n  ")}` : ""}`
    );
  }
  return json.result;
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  return value === undefined || value === null ? [] : [value];
}

/** The existing source file of a component outside the default package directory, if any. */
function elsewhere(
  projectDir: string,
  type: string,
  fullName: string
): string | undefined {
  const rel = sourcePath(type, fullName);
  if (!rel) {
    return undefined;
  }
  for (const dir of defaultFirst(projectDir).slice(1)) {
    for (const base of [path.join(dir, "main", "default"), dir]) {
      const file = path.join(projectDir, base, ...rel.split("/"));
      if (fs.existsSync(file)) {
        return path.relative(projectDir, file).split(path.sep).join("/");
      }
    }
  }
  return undefined;
}

/** Package directories with the default one (where sf retrieves to) first. */
function defaultFirst(projectDir: string): string[] {
  const dirs = packageDirs(projectDir);
  try {
    const project = JSON.parse(
      fs.readFileSync(path.join(projectDir, "sfdx-project.json"), "utf8")
    ) as { packageDirectories?: { path: string; default?: boolean }[] };
    const def = (project.packageDirectories ?? [])
      .find((d) => d.default)
      ?.path.replace(/\/+$/, "");
    if (def) {
      return [def, ...dirs.filter((d) => d !== def)];
    }
  } catch {
    // packageDirs already reported nothing better
  }
  return dirs;
}

interface RetrievedFile {
  fullName: string;
  type: string;
  state?: string;
  filePath?: string;
  error?: string;
}

function retrievedFiles(result: unknown): RetrievedFile[] {
  const files = isRecord(result) ? asArray(result.files) : [];
  return files.filter(isRecord).map((f) => ({
    fullName: String(f.fullName ?? ""),
    type: String(f.type ?? ""),
    state: typeof f.state === "string" ? f.state : undefined,
    filePath: typeof f.filePath === "string" ? f.filePath : undefined,
    error: typeof f.error === "string" ? f.error : undefined
  }));
}

function valueSetNameOf(file: string): string | undefined {
  try {
    const m = /<valueSetName>\s*([^<\s]+)\s*<\/valueSetName>/.exec(
      fs.readFileSync(file, "utf8")
    );
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** What the default package directory holds now (what pull retrieved), for the report. */
function report(
  pull: PullEnvironment,
  projectDir: string,
  defaultDir: string
): void {
  const inDefault = (dir: string): boolean =>
    !path.relative(path.join(projectDir, defaultDir), dir).startsWith("..");
  const stageFile = metadataFolders(projectDir, STANDARD_VALUE_SETS_FOLDER)
    .map((d) => path.join(d, `OpportunityStage${STANDARD_VALUE_SET_SUFFIX}`))
    .find((f) => fs.existsSync(f));
  if (stageFile) {
    const set = readStandardValueSet(stageFile, projectDir);
    pull.out(`Stages (${set.file}):`);
    for (const v of set.values) {
      const kind = !v.closed ? "open" : v.won ? "won" : "lost";
      pull.out(
        `  ${v.name.padEnd(30)} ${kind}${v.active ? "" : " (inactive)"}`
      );
    }
  }
  for (const [label, sub, suffix] of [
    ["Custom fields", "fields", ".field-meta.xml"],
    ["Record types", "recordTypes", ".recordType-meta.xml"],
    ["Business processes", "businessProcesses", ".businessProcess-meta.xml"]
  ] as const) {
    const names = metadataFolders(projectDir, "objects")
      .filter(inDefault)
      .map((d) => path.join(d, "Opportunity", sub))
      .filter((d) => fs.existsSync(d))
      .flatMap((d) =>
        fs
          .readdirSync(d)
          .filter((f) => f.endsWith(suffix))
          .map((f) => f.slice(0, -suffix.length))
      );
    const unique = [...new Set(names)].sort();
    pull.out(
      `${label} on Opportunity (${unique.length}): ${unique.join(", ") || "none"}`
    );
  }
  const active: string[] = [];
  const inactive: string[] = [];
  for (const d of metadataFolders(projectDir, "objects")
    .filter(inDefault)
    .map((o) => path.join(o, "Opportunity", "validationRules"))) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs
      .readdirSync(d)
      .filter((x) => x.endsWith(".validationRule-meta.xml"))
      .sort()) {
      const text = fs.readFileSync(path.join(d, f), "utf8");
      (/<active>\s*true\s*<\/active>/.test(text) ? active : inactive).push(
        f.replace(/\.validationRule-meta\.xml$/, "")
      );
    }
  }
  pull.out(
    `Validation rules on Opportunity: ${active.length} active${active.length ? ` (${active.join(", ")})` : ""}, ${inactive.length} inactive${inactive.length ? ` (${inactive.join(", ")})` : ""}`
  );
}

export async function run(
  args: string[],
  pull: PullEnvironment = defaultEnvironment()
): Promise<number> {
  let options: Options | "help";
  try {
    options = parseOptions(args);
  } catch (error) {
    pull.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    pull.out(USAGE);
    return 0;
  }
  const configFile = path.resolve(pull.cwd, options.config);
  const projectDir = fs.existsSync(configFile)
    ? projectDirFor(configFile)
    : fs.existsSync(path.join(pull.cwd, "sfdx-project.json"))
      ? pull.cwd
      : PROJECT_DIR;
  const needs = mapNeeds(configFile, projectDir);
  if (needs.note) {
    pull.err(`Note: ${needs.note}.`);
  }
  const target = ["--target-org", options.org, "--json"];
  const listArgs = (type: string): string[] => [
    "org",
    "list",
    "metadata",
    "--metadata-type",
    type,
    ...target
  ];
  const retrieveArgs = (members: string[]): string[] => [
    "project",
    "retrieve",
    "start",
    ...members.flatMap((m) => ["--metadata", m]),
    ...target
  ];
  const [defaultDir] = defaultFirst(projectDir);
  pull.out(
    `Retrieving into ${defaultDir}/ (the default package directory of ${displayPath(path.join(projectDir, "sfdx-project.json"))}) from ${options.org}.`
  );

  if (options.dryRun) {
    pull.out("Dry run: these commands would run (nothing is called).");
    for (const type of LISTED_TYPES) {
      pull.out(`  ${formatCommand("sf", listArgs(type))}`);
    }
    pull.out(
      `  ${formatCommand(
        "sf",
        retrieveArgs([
          ...needs.valueSets.map((s) => `StandardValueSet:${s}`),
          ...needs.relatedFields.map((f) => `CustomField:${f}`),
          ...LISTED_TYPES.map((t) => `${t}:Opportunity.<each name listed>`)
        ])
      )}`
    );
    pull.out(
      "  and, for picklists that use global value sets: sf project retrieve start --metadata GlobalValueSet:<name> … --target-org " +
        `${options.org} --json`
    );
    return 0;
  }

  try {
    const members: string[] = [
      ...needs.valueSets.map((s) => `StandardValueSet:${s}`),
      ...needs.relatedFields.map((f) => `CustomField:${f}`)
    ];
    const skipped: string[] = [];
    for (const type of LISTED_TYPES) {
      const listed = asArray(runSf(pull, projectDir, listArgs(type)))
        .filter(isRecord)
        .map((c) => String(c.fullName ?? ""))
        .filter((name) => name.startsWith("Opportunity."))
        .sort();
      for (const name of listed) {
        const existing = elsewhere(projectDir, type, name);
        if (existing) {
          skipped.push(`${type}:${name} (source in ${existing})`);
        } else {
          members.push(`${type}:${name}`);
        }
      }
    }
    if (skipped.length > 0) {
      pull.out(
        `Not retrieved, the project already has their source: ${skipped.join(", ")}`
      );
    }
    const retrieved = retrievedFiles(
      runSf(pull, projectDir, retrieveArgs(members))
    );
    // Custom picklists that share a global value set need it for their values.
    const globalSets = [
      ...new Set(
        retrieved
          .filter((f) => f.type === "CustomField" && f.filePath)
          .map((f) =>
            valueSetNameOf(path.resolve(projectDir, f.filePath as string))
          )
          .filter((n): n is string => Boolean(n))
      )
    ].sort();
    if (globalSets.length > 0) {
      retrieved.push(
        ...retrievedFiles(
          runSf(
            pull,
            projectDir,
            retrieveArgs(globalSets.map((n) => `GlobalValueSet:${n}`))
          )
        )
      );
    }
    const failed = retrieved.filter((f) => f.state === "Failed");
    for (const f of failed) {
      pull.err(
        `  not retrieved: ${f.type} ${f.fullName}: ${f.error ?? "failed"}`
      );
    }
    pull.out(
      `Retrieved ${retrieved.length - failed.length} components into ${defaultDir}/.`
    );
    report(pull, projectDir, defaultDir);
    pull.out(
      `Next: npm run gates -- validate --config ${displayPath(configFile)}`
    );
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof SfFailure) {
      pull.err(error.message);
      return 1;
    }
    throw error;
  }
}
