/**
 * Deterministic synthetic opportunities for the audit benchmark: records shaped like
 * `sf data query --json` output (attributes, RecordType, child subqueries), with field
 * values and related records drawn from what the map's criteria read, so that every
 * criterion is met by some deals and missed by others.
 */
import {
  allCriteria,
  addDays,
  fieldKind,
  fieldsUsed,
  isRelatedCriterion,
  type FieldType,
  type RelatedObject,
  type RuntimeMap,
  type Scalar
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { FieldCatalogue } from "../gates/load";
import { RELATED_OBJECTS, RELATIONSHIP_NAMES } from "./types";

/** mulberry32: a small, fast, seeded PRNG (same sequence for the same seed). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  count: number;
  seed: number;
  /** YYYY-MM-DD: dates are spread around it. */
  today: string;
  /** Share of deals in a stage the map does not have (default 0.01). */
  unknownStageShare?: number;
}

export interface SyntheticExport {
  /** The `sf data query --json` document. */
  document: {
    status: 0;
    result: {
      records: Record<string, unknown>[];
      totalSize: number;
      done: true;
    };
  };
  relatedRecords: number;
}

const TEXTS = [
  "Manual reconciliation costs three people a week",
  "Workshop with IT on the 12th",
  "CFO approves anything above 1M",
  "Steering committee, then board in Q1",
  "Build in house or one SaaS vendor"
];
const PLACEHOLDER_TEXTS = ["TBD", "n/a", " N / A ", "-", "none", "?"];
const OTHER_VALUE = "Other";

const ID_CHARS =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function fakeId(prefix: string, n: number): string {
  let body = "";
  let v = n;
  for (let i = 0; i < 12; i++) {
    body = ID_CHARS[v % 62] + body;
    v = Math.floor(v / 62);
  }
  return `${prefix}${body}AAA`.slice(0, 18);
}

const ID_PREFIX: Record<RelatedObject, string> = {
  OpportunityContactRole: "00K",
  Task: "00T",
  Event: "00U",
  ContentDocumentLink: "06A",
  OpportunityLineItem: "00k"
};

/** Candidate values for each `where` field of each related object: the criteria's values plus one that matches none. */
function relatedValueChoices(
  runtime: RuntimeMap
): Map<RelatedObject, Map<string, Scalar[]>> {
  const out = new Map<RelatedObject, Map<string, Scalar[]>>();
  for (const c of allCriteria(runtime)) {
    if (!isRelatedCriterion(c)) {
      continue;
    }
    const fields = out.get(c.related) ?? new Map<string, Scalar[]>();
    out.set(c.related, fields);
    for (const [field, value] of Object.entries(c.where ?? {})) {
      const list = fields.get(field) ?? [];
      for (const v of Array.isArray(value) ? value : [value]) {
        if (!list.includes(v)) {
          list.push(v);
        }
      }
      fields.set(field, list);
    }
  }
  for (const fields of out.values()) {
    for (const [field, list] of fields) {
      if (list.some((v) => typeof v === "boolean")) {
        fields.set(field, [true, false]);
      } else if (!list.includes(OTHER_VALUE)) {
        list.push(OTHER_VALUE);
      }
    }
  }
  return out;
}

export function generateSyntheticExport(
  runtime: RuntimeMap,
  fields: FieldCatalogue,
  options: SyntheticOptions
): SyntheticExport {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T =>
    list[Math.floor(random() * list.length)];
  const chance = (p: number) => random() < p;
  const opportunityFields = fields.Opportunity ?? {};
  const used = fieldsUsed(runtime).map((name) => ({
    name,
    type: opportunityFields[name]?.type as FieldType,
    values: (opportunityFields[name]?.values as string[] | undefined) ?? []
  }));
  const relatedChoices = relatedValueChoices(runtime);
  const relatedObjects = RELATED_OBJECTS.filter((o) => relatedChoices.has(o));
  const unknownShare = options.unknownStageShare ?? 0.01;
  const records: Record<string, unknown>[] = [];
  let relatedRecords = 0;

  const fieldValue = (type: FieldType, values: string[]): unknown => {
    switch (fieldKind(type)) {
      case "checkbox":
        return chance(0.5);
      case "number":
        if (chance(0.1)) {
          return null;
        }
        if (chance(0.1)) {
          return 0;
        }
        return type === "Percent"
          ? Math.floor(random() * 101)
          : Math.floor(random() * 500000) + 1;
      case "date":
        return chance(0.1)
          ? null
          : addDays(options.today, Math.floor(random() * 150) - 60);
      case "datetime":
        return chance(0.1)
          ? null
          : `${addDays(options.today, -Math.floor(random() * 120))}T${String(Math.floor(random() * 24)).padStart(2, "0")}:00:00.000+0000`;
      case "picklist":
        return chance(0.15) || values.length === 0 ? null : pick(values);
      case "multipicklist":
        return chance(0.15) || values.length === 0
          ? null
          : values.filter(() => chance(0.4)).join(";") || null;
      default:
        if (chance(0.15)) {
          return null;
        }
        return chance(0.18) ? pick(PLACEHOLDER_TEXTS) : pick(TEXTS);
    }
  };

  for (let i = 0; i < options.count; i++) {
    const process = pick(runtime.processes);
    const recordType = process.recordTypes.length
      ? pick(process.recordTypes)
      : null;
    const stage = chance(unknownShare)
      ? "Legacy Stage"
      : pick(process.stages).name;
    const id = fakeId("006", i);
    const changed = addDays(options.today, -Math.floor(random() * 120));
    const record: Record<string, unknown> = {
      attributes: {
        type: "Opportunity",
        url: `/services/data/v66.0/sobjects/Opportunity/${id}`
      },
      Id: id,
      Name: `Synthetic deal ${i + 1}`,
      StageName: stage,
      IsClosed: false,
      LastStageChangeDate: chance(0.05) ? null : `${changed}T09:30:00.000+0000`,
      CreatedDate: `${addDays(changed, -Math.floor(random() * 60))}T09:00:00.000+0000`
    };
    for (const f of used) {
      record[f.name] = fieldValue(f.type, f.values);
    }
    record.RecordType = recordType
      ? {
          attributes: {
            type: "RecordType",
            url: "/services/data/v66.0/sobjects/RecordType/012000000000001AAA"
          },
          DeveloperName: recordType
        }
      : null;
    for (const object of relatedObjects) {
      const n = Math.floor(random() * 4);
      if (n === 0) {
        record[RELATIONSHIP_NAMES[object]] = null;
        continue;
      }
      const choices = relatedChoices.get(object) ?? new Map<string, Scalar[]>();
      const list: Record<string, unknown>[] = [];
      for (let k = 0; k < n; k++) {
        const childId = fakeId(ID_PREFIX[object], relatedRecords++);
        const child: Record<string, unknown> = {
          attributes: {
            type: object,
            url: `/services/data/v66.0/sobjects/${object}/${childId}`
          },
          Id: childId
        };
        for (const [field, values] of choices) {
          child[field] = pick(values);
        }
        list.push(child);
      }
      record[RELATIONSHIP_NAMES[object]] = {
        totalSize: n,
        done: true,
        records: list
      };
    }
    records.push(record);
  }
  return {
    document: {
      status: 0,
      result: { records, totalSize: records.length, done: true }
    },
    relatedRecords
  };
}
