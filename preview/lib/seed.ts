/**
 * Reads the project's sample data (sObject tree files, as `sf data import tree`
 * takes them) into the preview org's seed: every record gets a stable Id, every
 * `@reference` and nested child record is resolved the way the import resolves it.
 * Record types come from the example's metadata (they are deployed, not imported).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { makeId } from "../src/platform/ids";
import type { OrgSchema, SeedData, SeedRecord } from "../src/platform/types";
import { EXAMPLE_APP, PROJECT_DIR, relativeToProject } from "./paths";

export const SEED_USER = { id: makeId("User", 1), name: "Pat Rep" };
/** SEED_USER's manager (User.ManagerId), who decides their waivers in the preview. */
export const SEED_MANAGER = { id: makeId("User", 2), name: "Morgan Manager" };

/** Child relationship names of the standard objects the sample data nests. */
const CHILD_RELATIONSHIPS: Record<
  string,
  Record<string, { sobject: string; field: string }>
> = {
  Account: {
    Opportunities: { sobject: "Opportunity", field: "AccountId" },
    Contacts: { sobject: "Contact", field: "AccountId" }
  },
  Opportunity: {
    OpportunityContactRoles: {
      sobject: "OpportunityContactRole",
      field: "OpportunityId"
    },
    Tasks: { sobject: "Task", field: "WhatId" },
    Events: { sobject: "Event", field: "WhatId" },
    OpportunityLineItems: {
      sobject: "OpportunityLineItem",
      field: "OpportunityId"
    },
    ContentDocumentLinks: {
      sobject: "ContentDocumentLink",
      field: "LinkedEntityId"
    }
  },
  Contact: {
    Tasks: { sobject: "Task", field: "WhoId" },
    OpportunityContactRoles: {
      sobject: "OpportunityContactRole",
      field: "ContactId"
    }
  }
};

export class SeedError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    message: string
  ) {
    super(`${file}: ${jsonPath}: ${message}`);
    this.name = "SeedError";
  }
}

interface PendingRecord {
  sobject: string;
  fields: Record<string, unknown>;
  file: string;
  jsonPath: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The tree files to load, in order: the plan's order when a plan exists, else file name order. */
export function treeFiles(dataDir: string): {
  files: string[];
  source: string;
} {
  if (!fs.existsSync(dataDir)) {
    throw new Error(
      `No sample data: ${relativeToProject(dataDir)} does not exist (the preview seeds its org from the sObject tree files there)`
    );
  }
  const entries = fs
    .readdirSync(dataDir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const plans = entries.filter((f) => /plan\.json$/i.test(f));
  if (plans.length > 1) {
    throw new Error(
      `${relativeToProject(dataDir)}: more than one import plan (${plans.join(", ")}); the preview needs one`
    );
  }
  if (plans.length === 1) {
    const planFile = path.join(dataDir, plans[0]);
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as unknown;
    if (!Array.isArray(plan)) {
      throw new SeedError(
        relativeToProject(planFile),
        "$",
        "an import plan is an array of { sobject, files }"
      );
    }
    const files: string[] = [];
    plan.forEach((step, i) => {
      if (!isObject(step) || !Array.isArray(step.files)) {
        throw new SeedError(
          relativeToProject(planFile),
          `$[${i}]`,
          "expected { sobject, files: [...] }"
        );
      }
      step.files.forEach((f, j) => {
        if (typeof f !== "string") {
          throw new SeedError(
            relativeToProject(planFile),
            `$[${i}].files[${j}]`,
            "expected a file name"
          );
        }
        files.push(path.resolve(dataDir, f));
      });
    });
    return { files, source: relativeToProject(planFile) };
  }
  return {
    files: entries.map((f) => path.join(dataDir, f)),
    source: `${relativeToProject(dataDir)}/*.json`
  };
}

function collect(
  records: unknown,
  file: string,
  jsonPath: string,
  parent: { sobject: string; ref: string } | undefined,
  childLookup: string | undefined,
  out: PendingRecord[],
  refs: Map<string, string>,
  serials: Map<string, number>
): void {
  if (!Array.isArray(records)) {
    throw new SeedError(file, jsonPath, "expected an array of records");
  }
  records.forEach((record, i) => {
    const at = `${jsonPath}[${i}]`;
    if (
      !isObject(record) ||
      !isObject(record.attributes) ||
      typeof record.attributes.type !== "string"
    ) {
      throw new SeedError(
        file,
        at,
        'expected a record with "attributes": { "type", "referenceId" }'
      );
    }
    const sobject = record.attributes.type;
    const serial = (serials.get(sobject) ?? 0) + 1;
    serials.set(sobject, serial);
    const id = makeId(sobject, serial);
    const referenceId = record.attributes.referenceId;
    if (typeof referenceId === "string") {
      if (refs.has(referenceId)) {
        throw new SeedError(
          file,
          `${at}.attributes.referenceId`,
          `duplicate referenceId "${referenceId}"`
        );
      }
      refs.set(referenceId, id);
    }
    const fields: Record<string, unknown> = { Id: id };
    if (parent && childLookup) {
      fields[childLookup] = `@${parent.ref}`;
    }
    const children: [string, unknown][] = [];
    for (const [key, value] of Object.entries(record)) {
      if (key === "attributes") {
        continue;
      }
      if (isObject(value) && "records" in value) {
        children.push([key, value.records]);
        continue;
      }
      fields[key] = value;
    }
    const selfRef =
      typeof referenceId === "string" ? referenceId : `__${sobject}${serial}`;
    if (typeof referenceId !== "string") {
      refs.set(selfRef, id);
    }
    out.push({ sobject, fields, file, jsonPath: at });
    for (const [relationship, childRecords] of children) {
      const child = CHILD_RELATIONSHIPS[sobject]?.[relationship];
      if (!child) {
        throw new SeedError(
          file,
          `${at}.${relationship}`,
          `unknown child relationship ${sobject}.${relationship}`
        );
      }
      collect(
        childRecords,
        file,
        `${at}.${relationship}.records`,
        { sobject, ref: selfRef },
        child.field,
        out,
        refs,
        serials
      );
    }
  });
}

function recordTypes(
  metadataDir: string,
  serials: Map<string, number>
): SeedRecord[] {
  const dir = path.join(metadataDir, "objects", "Opportunity", "recordTypes");
  if (!fs.existsSync(dir)) {
    return [];
  }
  const parser = new XMLParser();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".recordType-meta.xml"))
    .sort()
    .map((f) => {
      const developerName = f.replace(/\.recordType-meta\.xml$/, "");
      const doc = parser.parse(fs.readFileSync(path.join(dir, f), "utf8")) as {
        RecordType?: { label?: unknown };
      };
      const serial = (serials.get("RecordType") ?? 0) + 1;
      serials.set("RecordType", serial);
      return {
        sobject: "RecordType",
        fields: {
          Id: makeId("RecordType", serial),
          DeveloperName: developerName,
          Name:
            typeof doc.RecordType?.label === "string"
              ? doc.RecordType.label
              : developerName,
          SobjectType: "Opportunity"
        }
      };
    });
}

/**
 * The org set-up moves some sample deals to a record type after the import (the
 * tree import cannot look record types up by DeveloperName): an anonymous Apex
 * script run by `npm run org:create`. The preview applies the same assignment,
 * reading the record type and the account name from that script.
 */
export const RECORD_TYPE_SCRIPT = path.join(
  "scripts",
  "apex",
  "set-enterprise-record-type.apex"
);

export interface RecordTypeAssignment {
  developerName: string;
  accountName: string;
}

export function readRecordTypeAssignment(
  projectDir: string
): RecordTypeAssignment | undefined {
  const file = path.join(projectDir, RECORD_TYPE_SCRIPT);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const source = fs.readFileSync(file, "utf8");
  const developerName = /DeveloperName\s*=\s*'([^']+)'/.exec(source)?.[1];
  const accountName = /Account\.Name\s*=\s*'([^']+)'/.exec(source)?.[1];
  if (!developerName || !accountName) {
    throw new Error(
      `${RECORD_TYPE_SCRIPT}: the preview reads "DeveloperName = '...'" and "Account.Name = '...'" from this script to put the same sample deals on the record type; it found ${developerName ? "" : "no DeveloperName"}${!developerName && !accountName ? " and " : ""}${accountName ? "" : "no Account.Name"}`
    );
  }
  return { developerName, accountName };
}

function applyRecordTypeAssignment(
  records: SeedRecord[],
  assignment: RecordTypeAssignment | undefined
): void {
  if (!assignment) {
    return;
  }
  const recordType = records.find(
    (r) =>
      r.sobject === "RecordType" &&
      r.fields.DeveloperName === assignment.developerName
  );
  if (!recordType) {
    throw new Error(
      `${RECORD_TYPE_SCRIPT} assigns record type ${assignment.developerName}, which example-app/main/default/objects/Opportunity/recordTypes does not define`
    );
  }
  const accounts = new Set(
    records
      .filter(
        (r) =>
          r.sobject === "Account" && r.fields.Name === assignment.accountName
      )
      .map((r) => r.fields.Id)
  );
  for (const r of records) {
    if (r.sobject === "Opportunity" && accounts.has(r.fields.AccountId)) {
      r.fields.RecordTypeId = recordType.fields.Id;
    }
  }
}

/** Loads sObject tree files into seed records; unknown objects or fields are errors naming file and JSON path. */
export function loadSeed(
  dataDir: string,
  schema: OrgSchema,
  opts: {
    exampleDir?: string;
    projectDir?: string;
    now?: Date;
  } = {}
): SeedData {
  const { files, source } = treeFiles(dataDir);
  const pending: PendingRecord[] = [];
  const refs = new Map<string, string>();
  const serials = new Map<string, number>();
  for (const file of files) {
    const label = relativeToProject(file);
    if (!fs.existsSync(file)) {
      throw new Error(`${source}: lists ${label}, which does not exist`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new SeedError(
        label,
        "$",
        `not valid JSON: ${error instanceof Error ? error.message : String(error)}`
      );
    }
    if (!isObject(doc) || !Array.isArray(doc.records)) {
      throw new SeedError(
        label,
        "$",
        'expected an sObject tree: { "records": [...] }'
      );
    }
    collect(
      doc.records,
      label,
      "$.records",
      undefined,
      undefined,
      pending,
      refs,
      serials
    );
  }
  const records: SeedRecord[] = recordTypes(
    opts.exampleDir ?? EXAMPLE_APP,
    serials
  );
  for (const r of pending) {
    const fields = schema[r.sobject];
    if (!fields) {
      throw new SeedError(
        r.file,
        r.jsonPath,
        `the preview's schema has no object ${r.sobject}`
      );
    }
    const resolved: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(r.fields)) {
      if (name !== "Id" && !fields[name]) {
        throw new SeedError(
          r.file,
          `${r.jsonPath}.${name}`,
          `no field ${r.sobject}.${name} in the preview's schema`
        );
      }
      if (typeof value === "string" && value.startsWith("@")) {
        const id = refs.get(value.slice(1));
        if (!id) {
          throw new SeedError(
            r.file,
            `${r.jsonPath}.${name}`,
            `unresolved reference ${value}`
          );
        }
        resolved[name] = id;
      } else {
        resolved[name] = value;
      }
    }
    records.push({ sobject: r.sobject, fields: resolved });
  }
  applyRecordTypeAssignment(
    records,
    readRecordTypeAssignment(opts.projectDir ?? PROJECT_DIR)
  );
  return {
    source,
    records,
    userId: SEED_USER.id,
    userName: SEED_USER.name,
    managerId: SEED_MANAGER.id,
    managerName: SEED_MANAGER.name,
    loadedAt: (opts.now ?? new Date()).toISOString()
  };
}
