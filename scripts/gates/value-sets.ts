/**
 * Standard picklists as the org has them: the StandardValueSet files that
 * `sf project retrieve start -m StandardValueSet:<Name>` writes into a package
 * directory (standardValueSets/<Name>.standardValueSet-meta.xml).
 *
 * Format (Metadata API v66 WSDL, StandardValueSet / StandardValue / CustomValue):
 * `<standardValue>` entries with `fullName` (URL-encoded where the name has
 * characters such as "/": `Proposal%2FPrice Quote`), `default`, `label`, and
 * optional `isActive` (default true; a retrieve returns inactive values too),
 * `closed`, `won`, `probability`, `forecastCategory`, ...
 * The names of the value sets and the fields they serve are in Salesforce's
 * "StandardValueSet Names and Standard Picklist Fields" (e.g. OpportunityStage
 * for Opportunity.StageName, ContactRole for OpportunityContactRole.Role); the
 * field catalogue names each field's set in its "valueSet" entry.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";

export const STANDARD_VALUE_SETS_FOLDER = "standardValueSets";
export const STANDARD_VALUE_SET_SUFFIX = ".standardValueSet-meta.xml";

export interface PicklistValue {
  /** API name, decoded (Proposal/Price Quote). */
  name: string;
  active: boolean;
  /** OpportunityStage only: a closed stage. */
  closed: boolean;
  /** OpportunityStage only: a won stage. */
  won: boolean;
  /** 1-based line of the value's fullName in its file. */
  line: number;
}

export interface StandardValueSetFile {
  /** The value set's name (OpportunityStage). */
  name: string;
  /** Path relative to the project, posix separators. */
  file: string;
  values: PicklistValue[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === "standardValue"
});

/** Picklist value names in metadata encode some characters (Proposal%2FPrice Quote). */
export function decodeValueName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === "") {
    return fallback;
  }
  return String(value).trim() === "true";
}

function lineOf(text: string, index: number): number {
  return index < 0 ? 1 : text.slice(0, index).split("\n").length;
}

/**
 * Reads one StandardValueSet file. Throws with `file:line:col` for malformed
 * XML and names the file when the root element is not a StandardValueSet.
 */
export function readStandardValueSet(
  absolute: string,
  projectDir: string
): StandardValueSetFile {
  const shown = path.relative(projectDir, absolute).split(path.sep).join("/");
  const text = fs.readFileSync(absolute, "utf8");
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new Error(
      `${shown}:${valid.err.line}:${valid.err.col}: ${valid.err.msg}`
    );
  }
  const parsed = parser.parse(text) as Record<string, unknown>;
  const root = parsed.StandardValueSet as Record<string, unknown> | undefined;
  if (typeof root !== "object" || root === null) {
    throw new Error(
      `${shown}: not a StandardValueSet (no <StandardValueSet> root element)`
    );
  }
  const name = path
    .basename(absolute)
    .slice(0, -STANDARD_VALUE_SET_SUFFIX.length);
  let from = 0;
  const values = ((root.standardValue as unknown[]) ?? []).map((entry) => {
    const v = (entry ?? {}) as Record<string, unknown>;
    const raw = String(v.fullName ?? "");
    // Lines in file order: each value's <fullName> after the previous one.
    const at = text.indexOf(`<fullName>${raw}</fullName>`, from);
    if (at >= 0) {
      from = at + 1;
    }
    return {
      name: decodeValueName(raw),
      active: flag(v.isActive, true),
      closed: flag(v.closed, false),
      won: flag(v.won, false),
      line: lineOf(text, at)
    };
  });
  return { name, file: shown, values };
}

/** Every standardValueSets folder in the project's package directories. */
export type FolderFinder = (projectDir: string, name: string) => string[];

/**
 * The retrieved StandardValueSet files of the project, by value-set name. When
 * two package directories hold the same set, the first (in sfdx-project.json
 * order; the default directory org-metadata comes first) wins.
 */
export function loadStandardValueSets(
  projectDir: string,
  folders: FolderFinder
): Map<string, StandardValueSetFile> {
  const out = new Map<string, StandardValueSetFile>();
  for (const dir of folders(projectDir, STANDARD_VALUE_SETS_FOLDER)) {
    for (const entry of fs.readdirSync(dir).sort()) {
      if (!entry.endsWith(STANDARD_VALUE_SET_SUFFIX)) {
        continue;
      }
      const name = entry.slice(0, -STANDARD_VALUE_SET_SUFFIX.length);
      if (!out.has(name)) {
        out.set(name, readStandardValueSet(path.join(dir, entry), projectDir));
      }
    }
  }
  return out;
}
