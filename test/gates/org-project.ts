/**
 * Temporary Salesforce DX projects shaped like an adopting org's: sfdx-project.json
 * with org-metadata (default, where `sf project retrieve start` writes) and
 * force-app, a process map in config/, and retrieved metadata written as the
 * Metadata API returns it (StandardValueSets, custom fields, validation rules).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ORG_METADATA = path.join("org-metadata", "main", "default");

export interface StandardValueSpec {
  /** As written in the file (URL-encoded where Salesforce encodes it). */
  fullName: string;
  closed?: boolean;
  won?: boolean;
  isActive?: boolean;
  probability?: number;
  forecastCategory?: string;
}

export function makeProject(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gates-${prefix}-`));
  writeFile(
    dir,
    "sfdx-project.json",
    JSON.stringify(
      {
        packageDirectories: [
          { path: "org-metadata", default: true },
          { path: "force-app" }
        ],
        name: "adopting-org",
        sourceApiVersion: "66.0"
      },
      null,
      2
    )
  );
  fs.mkdirSync(path.join(dir, ORG_METADATA), { recursive: true });
  fs.mkdirSync(path.join(dir, "force-app", "main", "default"), {
    recursive: true
  });
  return dir;
}

export function writeFile(dir: string, rel: string, content: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export function writeMap(dir: string, map: unknown): string {
  return writeFile(
    dir,
    path.join("config", "stage-gates.json"),
    `${JSON.stringify(map, null, 2)}\n`
  );
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A StandardValueSet file as `sf project retrieve start -m StandardValueSet:NAME` writes it. */
export function standardValueSetXml(values: StandardValueSpec[]): string {
  const entries = values.map((v, i) =>
    [
      "    <standardValue>",
      `        <fullName>${xmlEscape(v.fullName)}</fullName>`,
      `        <default>${i === 0}</default>`,
      v.isActive === false ? "        <isActive>false</isActive>" : "",
      `        <label>${xmlEscape(decodeURIComponent(v.fullName))}</label>`,
      v.closed !== undefined ? `        <closed>${v.closed}</closed>` : "",
      v.forecastCategory
        ? `        <forecastCategory>${v.forecastCategory}</forecastCategory>`
        : "",
      v.probability !== undefined
        ? `        <probability>${v.probability}</probability>`
        : "",
      v.won !== undefined ? `        <won>${v.won}</won>` : "",
      "    </standardValue>"
    ]
      .filter(Boolean)
      .join("\n")
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">',
    "    <sorted>false</sorted>",
    ...entries,
    "</StandardValueSet>",
    ""
  ].join("\n");
}

export function writeStandardValueSet(
  dir: string,
  name: string,
  values: StandardValueSpec[],
  packageDir = ORG_METADATA
): string {
  return writeFile(
    dir,
    path.join(
      packageDir,
      "standardValueSets",
      `${name}.standardValueSet-meta.xml`
    ),
    standardValueSetXml(values)
  );
}

/** A custom picklist field on an object, in org-metadata. */
export function writePicklistField(
  dir: string,
  object: string,
  name: string,
  values: string[]
): string {
  const entries = values
    .map(
      (v) =>
        `            <value>\n                <fullName>${xmlEscape(v)}</fullName>\n                <default>false</default>\n                <label>${xmlEscape(v)}</label>\n            </value>`
    )
    .join("\n");
  return writeFile(
    dir,
    path.join(
      ORG_METADATA,
      "objects",
      object,
      "fields",
      `${name}.field-meta.xml`
    ),
    `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <label>${name}</label>
    <type>Picklist</type>
    <valueSet>
        <valueSetDefinition>
            <sorted>false</sorted>
${entries}
        </valueSetDefinition>
    </valueSet>
</CustomField>
`
  );
}

/** An Opportunity validation rule as a retrieve writes it. */
export function writeValidationRule(
  dir: string,
  name: string,
  active: boolean,
  packageDir = ORG_METADATA
): string {
  return writeFile(
    dir,
    path.join(
      packageDir,
      "objects",
      "Opportunity",
      "validationRules",
      `${name}.validationRule-meta.xml`
    ),
    `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <active>${active}</active>
    <errorConditionFormula>ISBLANK(CloseDate)</errorConditionFormula>
    <errorMessage>Close date is required.</errorMessage>
</ValidationRule>
`
  );
}
