/**
 * The field catalogue: the standard fields the tooling knows
 * (scripts/metadata/standard-fields.json) merged with the custom fields, record
 * types and global value sets found in the project's source metadata
 * (force-app/main/default/objects/<Object>/fields/*.field-meta.xml).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { FieldType } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";

export interface FieldInfo {
  type: FieldType | string;
  custom?: boolean;
  values?: string[];
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

export const FORCE_APP_DEFAULT = path.join("force-app", "main", "default");

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

/** Picklist value API names of a global value set in the project, if it is there. */
function globalValueSet(
  projectDir: string,
  name: string
): string[] | undefined {
  const file = path.join(
    projectDir,
    FORCE_APP_DEFAULT,
    "globalValueSets",
    `${name}.globalValueSet-meta.xml`
  );
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const root = asRecord(readXml(file).GlobalValueSet) ?? {};
  return asArray(root.customValue).map((v) =>
    String(asRecord(v)?.fullName ?? "")
  );
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
      info.values = asArray(definition.value).map((v) =>
        String(asRecord(v)?.fullName ?? "")
      );
    } else if (typeof valueSet.valueSetName === "string") {
      const values = globalValueSet(projectDir, valueSet.valueSetName);
      if (values) {
        info.values = values;
      }
    }
  }
  return { name, info };
}

/** Record type DeveloperNames per object, from objects/<Object>/recordTypes. */
export function loadRecordTypes(projectDir: string): Record<string, string[]> {
  const objectsDir = path.join(projectDir, FORCE_APP_DEFAULT, "objects");
  const out: Record<string, string[]> = {};
  if (!fs.existsSync(objectsDir)) {
    return out;
  }
  for (const object of fs.readdirSync(objectsDir).sort()) {
    const files = listFiles(
      path.join(objectsDir, object, "recordTypes"),
      ".recordType-meta.xml"
    );
    if (files.length > 0) {
      out[object] = files.map((f) =>
        path.basename(f).replace(/\.recordType-meta\.xml$/, "")
      );
    }
  }
  return out;
}

/**
 * Standard fields from the built-in catalogue plus every custom field in
 * force-app (custom fields win over a standard entry of the same name).
 */
export function loadFieldCatalogue(projectDir: string): FieldCatalogue {
  const raw = JSON.parse(
    fs.readFileSync(
      path.join(projectDir, "scripts", "metadata", "standard-fields.json"),
      "utf8"
    )
  ) as Record<string, unknown>;
  const catalogue: FieldCatalogue = {};
  for (const [object, fields] of Object.entries(raw)) {
    if (object.startsWith("_")) {
      continue;
    }
    catalogue[object] = { ...(fields as Record<string, FieldInfo>) };
  }
  const objectsDir = path.join(projectDir, FORCE_APP_DEFAULT, "objects");
  if (!fs.existsSync(objectsDir)) {
    return catalogue;
  }
  for (const object of fs.readdirSync(objectsDir).sort()) {
    const files = listFiles(
      path.join(objectsDir, object, "fields"),
      ".field-meta.xml"
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

/** Picklist value names in metadata encode some characters (Proposal%2FPrice Quote). */
function decodeValueName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * For each Opportunity record type in the project whose sales process
 * (businessProcesses/<name>.businessProcess-meta.xml) is there too, the stage
 * values that process offers.
 */
export function loadSalesProcessStages(
  projectDir: string
): Record<string, string[]> {
  const objectDir = path.join(
    projectDir,
    FORCE_APP_DEFAULT,
    "objects",
    "Opportunity"
  );
  const out: Record<string, string[]> = {};
  for (const file of listFiles(
    path.join(objectDir, "recordTypes"),
    ".recordType-meta.xml"
  )) {
    const recordType = asRecord(readXml(file).RecordType);
    const processName = recordType?.businessProcess;
    if (typeof processName !== "string") {
      continue;
    }
    const processFile = path.join(
      objectDir,
      "businessProcesses",
      `${processName}.businessProcess-meta.xml`
    );
    if (!fs.existsSync(processFile)) {
      continue;
    }
    const process = asRecord(readXml(processFile).BusinessProcess) ?? {};
    out[path.basename(file).replace(/\.recordType-meta\.xml$/, "")] = asArray(
      process.values
    ).map((v) => decodeValueName(String(asRecord(v)?.fullName ?? "")));
  }
  return out;
}
