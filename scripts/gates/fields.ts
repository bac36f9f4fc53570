/**
 * The field catalogue: the standard fields the tooling knows
 * (scripts/metadata/standard-fields.json) merged with the custom fields, record
 * types and global value sets found in the project's source metadata, in every
 * package directory of sfdx-project.json (the product in force-app, the example in
 * example-app, the org's own metadata that `gates pull` retrieves into org-metadata):
 * objects/<Object>/fields/<Field>.field-meta.xml at any depth of a package directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { packageDirs } from "../checks/lib/files";
import { catalogueFile } from "../checks/lib/project";
import type { FieldType } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { decodeValueName, loadStandardValueSets } from "./value-sets";

export interface FieldInfo {
  type: FieldType | string;
  custom?: boolean;
  /** Active picklist values (API names). */
  values?: string[];
  /** Picklist values the org keeps but users can no longer pick. */
  inactiveValues?: string[];
  /** The StandardValueSet that holds a standard picklist's values (catalogue). */
  valueSet?: string;
  /** Where `values` come from (project-relative): a retrieved value set, the field file, or the catalogue. */
  valuesFile?: string;
  /** Line of each value in `valuesFile`, when it is a metadata file. */
  valueLines?: Record<string, number>;
  /** StageName: the closed values, and of them the won values. */
  closed?: string[];
  won?: string[];
  [key: string]: unknown;
}
export type FieldCatalogue = Record<string, Record<string, FieldInfo>>;

/** The Salesforce field types the core can evaluate. */
export const SUPPORTED_FIELD_TYPES: readonly FieldType[] = [
  "Text",
  "TextArea",
  "LongTextArea",
  "Email",
  "Phone",
  "Url",
  "Picklist",
  "MultiselectPicklist",
  "Number",
  "Currency",
  "Percent",
  "Date",
  "DateTime",
  "Checkbox",
  "Reference",
  "Id"
];

/** Metadata API `<type>` values that the core treats like one of its own types. */
const METADATA_TYPE_ALIASES: Readonly<Record<string, FieldType>> = {
  Lookup: "Reference",
  MasterDetail: "Reference",
  Hierarchy: "Reference",
  ExternalLookup: "Reference",
  Html: "LongTextArea",
  EncryptedText: "Text",
  AutoNumber: "Text"
};

/** Folders that never hold object metadata (component bundles, tests, installed packages). */
const SKIPPED_FOLDERS = new Set([
  "node_modules",
  "lwc",
  "aura",
  "__tests__",
  "staticresources",
  ".sf",
  ".sfdx"
]);

/**
 * Every folder named `name` (e.g. "objects", "globalValueSets") in the project's package
 * directories, in package-directory order. Source format lets metadata sit at any depth
 * (main/default/objects, objects, ...), so the directories are walked.
 */
export function metadataFolders(projectDir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || SKIPPED_FOLDERS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === name) found.push(full);
      else walk(full);
    }
  };
  for (const dir of packageDirs(projectDir)) {
    walk(path.join(projectDir, dir));
  }
  return found;
}

/** The object folders (objects/<Object>) of one object across the package directories. */
export function objectFolders(projectDir: string, object: string): string[] {
  return metadataFolders(projectDir, "objects")
    .map((dir) => path.join(dir, object))
    .filter((dir) => fs.existsSync(dir));
}

/** The objects that have an objects/<Object> folder in some package directory. */
function objectNames(projectDir: string): string[] {
  const names = new Set<string>();
  for (const dir of metadataFolders(projectDir, "objects")) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) names.add(entry.name);
    }
  }
  return [...names].sort();
}

/** Activity custom fields apply to both Task and Event. */
const OBJECT_ALIASES: Readonly<Record<string, string[]>> = {
  Activity: ["Task", "Event"]
};

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ["value", "customValue", "values"].includes(name)
});

function readXml(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, "utf8");
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new Error(
      `${file}:${valid.err.line}:${valid.err.col}: ${valid.err.msg}`
    );
  }
  return xmlParser.parse(text) as Record<string, unknown>;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function listFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Active and inactive value names of CustomValue entries (isActive defaults to true). */
function splitByActive(entries: unknown[]): {
  values: string[];
  inactiveValues: string[];
} {
  const values: string[] = [];
  const inactiveValues: string[] = [];
  for (const entry of entries) {
    const v = asRecord(entry) ?? {};
    const name = decodeValueName(String(v.fullName ?? ""));
    (String(v.isActive ?? "true").trim() === "false"
      ? inactiveValues
      : values
    ).push(name);
  }
  return { values, inactiveValues };
}

/** Picklist values of a global value set in the project, if it is there. */
function globalValueSet(
  projectDir: string,
  name: string
): ({ file: string } & ReturnType<typeof splitByActive>) | undefined {
  const file = metadataFolders(projectDir, "globalValueSets")
    .map((dir) => path.join(dir, `${name}.globalValueSet-meta.xml`))
    .find((f) => fs.existsSync(f));
  if (!file) {
    return undefined;
  }
  const root = asRecord(readXml(file).GlobalValueSet) ?? {};
  return {
    file: path.relative(projectDir, file).split(path.sep).join("/"),
    ...splitByActive(asArray(root.customValue))
  };
}

/** Reads one CustomField source file into a catalogue entry. */
export function readCustomField(
  file: string,
  projectDir: string
): { name: string; info: FieldInfo } {
  const root = asRecord(readXml(file).CustomField);
  if (!root) {
    throw new Error(
      `${file}: not a CustomField (no <CustomField> root element)`
    );
  }
  const name = String(
    root.fullName ?? path.basename(file).replace(/\.field-meta\.xml$/, "")
  );
  const metadataType = String(root.type ?? "");
  if (!metadataType) {
    throw new Error(`${file}: the field has no <type>`);
  }
  const info: FieldInfo = {
    type: METADATA_TYPE_ALIASES[metadataType] ?? metadataType,
    custom: true,
    metadataType,
    file: path.relative(projectDir, file).split(path.sep).join("/")
  };
  if (root.label !== undefined) {
    info.label = String(root.label);
  }
  if (root.formula !== undefined) {
    info.formula = true;
  }
  const valueSet = asRecord(root.valueSet);
  if (valueSet) {
    const definition = asRecord(valueSet.valueSetDefinition);
    if (definition) {
      const { values, inactiveValues } = splitByActive(
        asArray(definition.value)
      );
      info.values = values;
      if (inactiveValues.length > 0) {
        info.inactiveValues = inactiveValues;
      }
      info.valuesFile = info.file as string;
    } else if (typeof valueSet.valueSetName === "string") {
      const global = globalValueSet(projectDir, valueSet.valueSetName);
      if (global) {
        info.values = global.values;
        if (global.inactiveValues.length > 0) {
          info.inactiveValues = global.inactiveValues;
        }
        info.valuesFile = global.file;
      }
    }
  }
  return { name, info };
}

/** Record type DeveloperNames per object, from objects/<Object>/recordTypes. */
export function loadRecordTypes(projectDir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const object of objectNames(projectDir)) {
    const files = objectFolders(projectDir, object).flatMap((dir) =>
      listFiles(path.join(dir, "recordTypes"), ".recordType-meta.xml")
    );
    if (files.length > 0) {
      out[object] = [
        ...new Set(
          files.map((f) =>
            path.basename(f).replace(/\.recordType-meta\.xml$/, "")
          )
        )
      ].sort();
    }
  }
  return out;
}

/** Custom permission API names in the project's package directories (customPermissions/*). */
export function loadCustomPermissions(projectDir: string): string[] {
  const names = metadataFolders(projectDir, "customPermissions").flatMap(
    (dir) =>
      listFiles(dir, ".customPermission-meta.xml").map((f) =>
        path.basename(f).replace(/\.customPermission-meta\.xml$/, "")
      )
  );
  return [...new Set(names)].sort();
}

/**
 * Standard fields from the built-in catalogue (the project's
 * scripts/metadata/standard-fields.json, else this tool's), with the values of
 * each standard picklist replaced by its retrieved StandardValueSet when a
 * package directory holds one, plus every custom field in the package
 * directories (custom fields win over a standard entry of the same name).
 */
export function loadFieldCatalogue(projectDir: string): FieldCatalogue {
  const standardFile = catalogueFile(projectDir);
  const raw = JSON.parse(fs.readFileSync(standardFile, "utf8")) as Record<
    string,
    unknown
  >;
  const shownCatalogue = (() => {
    const relative = path.relative(projectDir, standardFile);
    return relative.startsWith("..") || path.isAbsolute(relative)
      ? standardFile
      : relative.split(path.sep).join("/");
  })();
  const valueSets = loadStandardValueSets(projectDir, metadataFolders);
  const catalogue: FieldCatalogue = {};
  for (const [object, fields] of Object.entries(raw)) {
    if (object.startsWith("_")) {
      continue;
    }
    catalogue[object] = {};
    for (const [name, entry] of Object.entries(
      fields as Record<string, FieldInfo>
    )) {
      const info: FieldInfo = { ...entry };
      const retrieved = info.valueSet
        ? valueSets.get(info.valueSet)
        : undefined;
      if (retrieved) {
        // The org's own values replace the default org's (and their flags).
        info.values = retrieved.values
          .filter((v) => v.active)
          .map((v) => v.name);
        const inactive = retrieved.values.filter((v) => !v.active);
        if (inactive.length > 0) {
          info.inactiveValues = inactive.map((v) => v.name);
        } else {
          delete info.inactiveValues;
        }
        info.valuesFile = retrieved.file;
        info.valueLines = Object.fromEntries(
          retrieved.values.map((v) => [v.name, v.line])
        );
        if (info.closed !== undefined || info.won !== undefined) {
          info.closed = retrieved.values
            .filter((v) => v.closed)
            .map((v) => v.name);
          info.won = retrieved.values.filter((v) => v.won).map((v) => v.name);
        }
      } else if (info.values) {
        info.valuesFile = shownCatalogue;
      }
      catalogue[object][name] = info;
    }
  }
  for (const object of objectNames(projectDir)) {
    const files = objectFolders(projectDir, object).flatMap((dir) =>
      listFiles(path.join(dir, "fields"), ".field-meta.xml")
    );
    for (const file of files) {
      const { name, info } = readCustomField(file, projectDir);
      for (const target of OBJECT_ALIASES[object] ?? [object]) {
        catalogue[target] = { ...(catalogue[target] ?? {}), [name]: info };
      }
    }
  }
  return catalogue;
}

/**
 * For each Opportunity record type in the project whose sales process
 * (businessProcesses/<name>.businessProcess-meta.xml) is there too, the stage
 * values that process offers.
 */
export function loadSalesProcessStages(
  projectDir: string
): Record<string, string[]> {
  const objectDirs = objectFolders(projectDir, "Opportunity");
  const out: Record<string, string[]> = {};
  for (const file of objectDirs.flatMap((dir) =>
    listFiles(path.join(dir, "recordTypes"), ".recordType-meta.xml")
  )) {
    const recordType = asRecord(readXml(file).RecordType);
    const processName = recordType?.businessProcess;
    if (typeof processName !== "string") {
      continue;
    }
    const processFile = objectDirs
      .map((dir) =>
        path.join(
          dir,
          "businessProcesses",
          `${processName}.businessProcess-meta.xml`
        )
      )
      .find((f) => fs.existsSync(f));
    if (!processFile) {
      continue;
    }
    const process = asRecord(readXml(processFile).BusinessProcess) ?? {};
    out[path.basename(file).replace(/\.recordType-meta\.xml$/, "")] = asArray(
      process.values
    ).map((v) => decodeValueName(String(asRecord(v)?.fullName ?? "")));
  }
  return out;
}
