/**
 * The map's related-record criteria for Apex: classes/StageGateRelatedCriteria.cls (+ meta).
 *
 * StageGateController (hand-written) counts, for the checklist, how many related records of an
 * opportunity meet each related criterion the component asks about. The component only names
 * criteria; their definitions (object and `where` conditions) come from this generated class, and
 * the counts from one static, user-mode aggregate query per related object:
 *
 *   SELECT Status, Type, COUNT(Id) records FROM Task WHERE WhatId = :opportunityId
 *   WITH USER_MODE GROUP BY Status, Type
 *
 * grouped by every field the object's criteria filter on (an object whose criteria filter on
 * nothing gets a plain COUNT(Id), one row). No SOQL is built from strings, and no child row is
 * loaded: each row is one combination of values with its record count, and the controller sums
 * the rows that meet a criterion, matching like the core's `countMatching` (a list means any of
 * its values, text compares case-insensitively, null matches blank).
 *
 * Why GROUP BY rather than one COUNT() per criterion: one query per object whatever the number
 * of criteria (SOQL has no conditional aggregates to count several criteria in one query), and
 * the matching stays the core's. Governor cost (Apex Developer Guide, "Working with SOQL Aggregate
 * Functions"): a COUNT(fieldName) query counts one query row per group, not the records counted.
 * The cost: only groupable fields can be `where` fields (SOQL and SOSL Reference, "Considerations
 * When Using GROUP BY"): number, currency, percent and text-area fields are not, so generation
 * fails naming the criterion.
 */
import {
  RELATED_OBJECT_PARENT_FIELD,
  allCriteria,
  isRelatedCriterion,
  type RelatedCriterion,
  type RelatedObject,
  type Scalar
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { flowQueriesPerSave } from "./flow";
import { GenerationError } from "./formula";
import { lineCommentHeader, xmlHeaderComment } from "./names";
import type { FieldCatalogue, FieldInfo } from "../fields";
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
  /** The fields the object's criteria filter on: the GROUP BY fields (none: one plain count). */
  groupBy: string[];
  /** Most rows the query can return, when every grouped field has a fixed set of values. */
  maxRows?: number;
}

/** Alias of the record count in every row the generated countsOf returns. */
export const COUNT_ALIAS = "recordCount";

/**
 * Field types SOQL cannot GROUP BY (Field.groupable is false for double, currency, percent and
 * text-area fields); a criterion filtering on one cannot be counted by the aggregate query.
 */
const NOT_GROUPABLE: ReadonlySet<string> = new Set([
  "Number",
  "Currency",
  "Percent",
  "TextArea",
  "LongTextArea",
  "Html",
  "MultiselectPicklist",
  "EncryptedText"
]);

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

/** Distinct values a grouped field can hold (blank included), when they are a fixed set. */
function valueCount(info: FieldInfo | undefined): number | undefined {
  if (info?.type === "Checkbox") return 2;
  if (info?.type === "Picklist" && Array.isArray(info.values)) {
    return info.values.length + 1;
  }
  return undefined;
}

function queriesOf(
  criteria: RelatedCriterion[],
  catalogue: FieldCatalogue
): ObjectQuery[] {
  const byObject = new Map<RelatedObject, Set<string>>();
  for (const c of criteria) {
    const fields = byObject.get(c.related) ?? new Set<string>();
    for (const field of Object.keys(c.where ?? {})) {
      if (!FIELD_NAME.test(field)) {
        throw new GenerationError(
          `criterion "${c.id}": where.${field} is not a field API name of ${c.related}`
        );
      }
      const type = catalogue[c.related]?.[field]?.type;
      if (type !== undefined && NOT_GROUPABLE.has(String(type))) {
        throw new GenerationError(
          `criterion "${c.id}": where.${field} is a ${String(type)} field of ${c.related}, which SOQL cannot GROUP BY (the checklist counts related records with one aggregate query per object); filter on a picklist, checkbox, text, date or lookup field`
        );
      }
      fields.add(field);
    }
    byObject.set(c.related, fields);
  }
  return Array.from(byObject.entries())
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([object, fields]) => {
      const groupBy = Array.from(fields).sort();
      let maxRows: number | undefined = 1;
      for (const field of groupBy) {
        const n = valueCount(catalogue[object]?.[field]);
        maxRows =
          n === undefined || maxRows === undefined ? undefined : maxRows * n;
      }
      return {
        object,
        parentField: RELATED_OBJECT_PARENT_FIELD[object],
        groupBy,
        maxRows
      };
    });
}

/** The static SOQL of one object's counts. */
export function countQuery(q: ObjectQuery): string {
  const select = [...q.groupBy, `COUNT(Id) ${COUNT_ALIAS}`].join(", ");
  const group = q.groupBy.length > 0 ? ` GROUP BY ${q.groupBy.join(", ")}` : "";
  return `SELECT ${select} FROM ${q.object} WHERE ${q.parentField} = :opportunityId WITH USER_MODE${group}`;
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

function rowsNote(q: ObjectQuery): string {
  if (q.groupBy.length === 0) {
    return "one row";
  }
  return q.maxRows !== undefined
    ? `at most ${q.maxRows} rows (one per combination of ${q.groupBy.join(", ")})`
    : `one row per combination of ${q.groupBy.join(", ")}`;
}

function classSource(
  configLabel: string,
  criteria: RelatedCriterion[],
  catalogue: FieldCatalogue,
  queriesPerSave: number
): string {
  const queries = queriesOf(criteria, catalogue);
  const entries = criteria.map(criterionEntry);
  const criteriaMap =
    entries.length === 0
      ? "new Map<String, Criterion>()"
      : `new Map<String, Criterion>{\n${entries.map((e) => `    ${e}`).join(",\n")}\n  }`;
  const branches = queries.map(
    (q) =>
      `      when ${apexString(q.object)} {\n` +
      `        // ${rowsNote(q)}\n` +
      `        return [${countQuery(q)}];\n` +
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
    " * static user-mode aggregate query per related object that counts its records grouped by",
    " * the fields the criteria filter on. The controller sums the groups that meet a criterion,",
    " * like the core's countMatching (StageGateController.countMatching).",
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
    "  /** Alias of the record count in every row of countsOf. */",
    `  public static final String COUNT_ALIAS = ${apexString(COUNT_ALIAS)};`,
    "",
    "  /**",
    "   * SOQL queries the generated flow Stage_Gate_Related_Criteria costs per save of up to 200",
    "   * opportunities: one bulkified Get Records per related object its criteria use (a process",
    "   * chosen by record type may add the platform's lookup of $Record.RecordType, see the README).",
    "   */",
    `  public static final Integer FLOW_QUERIES_PER_SAVE = ${queriesPerSave};`,
    "",
    "  /** Every related-record criterion of the map by id (off criteria excluded). */",
    `  public static final Map<String, Criterion> CRITERIA = ${criteriaMap};`,
    "",
    "  /**",
    "   * The opportunity's records of one related object, counted per combination of the fields",
    "   * its criteria filter on: each row holds those fields and COUNT_ALIAS, the number of records",
    "   * with these values. One static query in user mode: a user who may not read the records",
    "   * or a grouped field gets a QueryException. An aggregate COUNT counts one query row per",
    "   * group against the governor limit, not one per record.",
    "   */",
    "  public static List<AggregateResult> countsOf(String relatedObject, Id opportunityId) {",
    switchBlock + "    return new List<AggregateResult>();",
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
    {
      path: APEX_CLASS_PATH,
      content: classSource(
        ctx.configLabel,
        criteria,
        ctx.loaded.fields,
        flowQueriesPerSave(ctx.loaded)
      )
    },
    {
      path: `${APEX_CLASS_PATH}-meta.xml`,
      content: metaSource(ctx.configLabel)
    }
  ];
};
