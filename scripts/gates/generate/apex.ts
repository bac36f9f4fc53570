/**
 * The map's related-record criteria for Apex: classes/StageGateRelatedCriteria.cls (+ meta).
 *
 * StageGateController (hand-written) counts, for the checklist, how many related records of an
 * opportunity meet each related criterion the component asks about. The component only names
 * criteria; their definitions (object and `where` conditions) come from this generated class, and
 * the records from one static SOQL query per related object, WITH USER_MODE, selecting the fields
 * the criteria of that object filter on. No SOQL is built from strings.
 *
 * Why select-and-count rather than SOQL filters: a WHERE clause per criterion would be one query
 * per criterion, and SOQL has no conditional aggregates (COUNT with CASE) to count several
 * criteria in one aggregate query. Selecting an object's records once and matching each criterion
 * in Apex keeps one query per object and lets the matching follow the core's `countMatching`
 * exactly (a list means any of its values, text compares case-insensitively, null matches blank);
 * an opportunity has few contact roles, activities, files and products, so the rows are cheap.
 */
import {
  RELATED_OBJECT_PARENT_FIELD,
  allCriteria,
  isRelatedCriterion,
  type RelatedCriterion,
  type RelatedObject,
  type Scalar
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { GenerationError } from "./formula";
import { lineCommentHeader, xmlHeaderComment } from "./names";
import type { Emitter } from "./types";

export const APEX_CLASS = "StageGateRelatedCriteria";
export const APEX_API_VERSION = "66.0";
export const APEX_CLASS_PATH = `classes/${APEX_CLASS}.cls`;

/** The platform's rule for field API names used in the generated SOQL (no relationship paths: the core reads fields of the record itself). */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** An Apex string literal. */
export function apexString(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f)
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `'${out}'`;
}

/** An Apex literal for a `where` value: String, Boolean, Integer/Decimal or null. */
export function apexValue(value: Scalar, where: string): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new GenerationError(`${where}: ${value} is not a finite number`);
    }
    // Apex reads 12 as Integer, 5000000000L as Long and 1.5 as Decimal; it has no exponent notation.
    if (Number.isInteger(value)) {
      const text = BigInt(value).toString();
      return Math.abs(value) > 2147483647 ? `${text}L` : text;
    }
    const text = String(value);
    return /e/i.test(text) ? value.toFixed(20).replace(/0+$/, "") : text;
  }
  return apexString(value);
}

interface ObjectQuery {
  object: RelatedObject;
  parentField: string;
  fields: string[];
}

function relatedCriteria(ctx: Parameters<Emitter>[0]): RelatedCriterion[] {
  const seen = new Set<string>();
  const out: RelatedCriterion[] = [];
  for (const c of allCriteria(ctx.loaded.runtime)) {
    if (isRelatedCriterion(c) && !seen.has(c.id)) {
      seen.add(c.id);
      out.push(c);
    }
  }
  return out;
}

function queriesOf(criteria: RelatedCriterion[]): ObjectQuery[] {
  const byObject = new Map<RelatedObject, Set<string>>();
  for (const c of criteria) {
    const fields = byObject.get(c.related) ?? new Set<string>();
    for (const field of Object.keys(c.where ?? {})) {
      if (!FIELD_NAME.test(field)) {
        throw new GenerationError(
          `criterion "${c.id}": where.${field} is not a field API name of ${c.related}`
        );
      }
      fields.add(field);
    }
    byObject.set(c.related, fields);
  }
  return Array.from(byObject.entries())
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([object, fields]) => {
      const parentField = RELATED_OBJECT_PARENT_FIELD[object];
      const extra = Array.from(fields)
        .filter(
          (f) =>
            f.toLowerCase() !== "id" &&
            f.toLowerCase() !== parentField.toLowerCase()
        )
        .sort();
      return { object, parentField, fields: ["Id", parentField, ...extra] };
    });
}

function criterionEntry(c: RelatedCriterion): string {
  const conditions = Object.entries(c.where ?? {}).map(([field, expected]) => {
    const values = Array.isArray(expected) ? expected : [expected];
    if (values.length === 0) {
      throw new GenerationError(
        `criterion "${c.id}": where.${field} is an empty list (no record could match)`
      );
    }
    const literals = values.map((v) =>
      apexValue(v, `criterion "${c.id}": where.${field}`)
    );
    return `${apexString(field)} => new List<Object>{ ${literals.join(", ")} }`;
  });
  const map =
    conditions.length === 0
      ? "new Map<String, List<Object>>()"
      : `new Map<String, List<Object>>{ ${conditions.join(", ")} }`;
  return `${apexString(c.id)} => new Criterion(${apexString(c.id)}, ${apexString(c.related)}, ${map})`;
}

function classSource(
  configLabel: string,
  criteria: RelatedCriterion[]
): string {
  const queries = queriesOf(criteria);
  const entries = criteria.map(criterionEntry);
  const criteriaMap =
    entries.length === 0
      ? "new Map<String, Criterion>()"
      : `new Map<String, Criterion>{\n${entries.map((e) => `    ${e}`).join(",\n")}\n  }`;
  const branches = queries.map(
    (q) =>
      `      when ${apexString(q.object)} {\n` +
      `        return [SELECT ${q.fields.join(", ")} FROM ${q.object} WHERE ${q.parentField} = :opportunityId WITH USER_MODE];\n` +
      `      }`
  );
  const switchBlock =
    branches.length === 0
      ? ""
      : `    switch on relatedObject {\n${branches.join("\n")}\n    }\n`;
  return [
    lineCommentHeader(configLabel),
    "/**",
    " * The related-record criteria of the stage gate map, for StageGateController: each",
    " * criterion's object and `where` conditions (a list means any of its values), and one",
    " * static user-mode query per related object that selects the fields the criteria filter on.",
    " * The counts follow the core's countMatching (StageGateController.countMatching).",
    " */",
    `public with sharing class ${APEX_CLASS} {`,
    "  /** One related-record criterion: records of relatedObject that meet every condition. */",
    "  public class Criterion {",
    "    public final String id;",
    "    public final String relatedObject;",
    "    /** Field API name => accepted values (null matches a blank field). */",
    "    public final Map<String, List<Object>> conditions;",
    "",
    "    public Criterion(String id, String relatedObject, Map<String, List<Object>> conditions) {",
    "      this.id = id;",
    "      this.relatedObject = relatedObject;",
    "      this.conditions = conditions;",
    "    }",
    "  }",
    "",
    "  /** Every related-record criterion of the map by id (off criteria excluded). */",
    `  public static final Map<String, Criterion> CRITERIA = ${criteriaMap};`,
    "",
    "  /**",
    "   * The opportunity's records of one related object, with the fields its criteria filter on,",
    "   * in user mode: a user who may not read them gets a QueryException.",
    "   */",
    "  public static List<SObject> recordsOf(String relatedObject, Id opportunityId) {",
    switchBlock + "    return new List<SObject>();",
    "  }",
    "}",
    ""
  ]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n");
}

function metaSource(configLabel: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlHeaderComment(configLabel),
    '<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">',
    `    <apiVersion>${APEX_API_VERSION}</apiVersion>`,
    "    <status>Active</status>",
    "</ApexClass>",
    ""
  ].join("\n");
}

export const emitApex: Emitter = (ctx) => {
  const criteria = relatedCriteria(ctx);
  return [
    { path: APEX_CLASS_PATH, content: classSource(ctx.configLabel, criteria) },
    {
      path: `${APEX_CLASS_PATH}-meta.xml`,
      content: metaSource(ctx.configLabel)
    }
  ];
};
