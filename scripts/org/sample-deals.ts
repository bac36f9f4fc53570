/**
 * The sample deals as the org will hold them after `npm run org:create`: the tree
 * records of data/ plus what the post-import Apex adds (Enterprise record type,
 * files, product lines), in the shape the core evaluates (field values and
 * related records per opportunity).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type {
  FieldValues,
  RelatedRecords
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { validateDataPlan, type PlanRecord } from "./validate-data-plan";
import { formatProblem } from "../gates/load";

export const RECORD_TYPE_APEX = "scripts/apex/set-enterprise-record-type.apex";
export const FILES_APEX = "scripts/apex/attach-sample-files.apex";
export const PRODUCTS_APEX = "scripts/apex/add-sample-products.apex";

export interface SampleDeal {
  referenceId: string;
  name: string;
  accountName: string;
  stage: string;
  /** Record type DeveloperName after the post-import Apex; null = default. */
  recordType: string | null;
  values: FieldValues;
  related: RelatedRecords;
}

/** Apex single-quoted string literals in a piece of source, unescaped. */
export function apexStrings(source: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    out.push(m[1].replace(/\\(.)/g, "$1"));
  }
  return out;
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The deal → file titles map literal of the files script. */
export function filesByDeal(source: string): Map<string, string[]> {
  const body =
    /Map<String, List<String>> filesByDeal = new Map<String, List<String>>\{([\s\S]*?)\n\};/.exec(
      stripComments(source)
    );
  if (!body) {
    throw new Error(
      `${FILES_APEX}: no "Map<String, List<String>> filesByDeal = ...{...};" literal`
    );
  }
  const out = new Map<string, string[]>();
  const entry = /'((?:[^'\\]|\\.)*)'\s*=>\s*new List<String>\{([\s\S]*?)\}/g;
  let m: RegExpExecArray | null;
  while ((m = entry.exec(body[1])) !== null) {
    out.set(m[1].replace(/\\(.)/g, "$1"), apexStrings(m[2]));
  }
  return out;
}

/** The deal names of the products script. */
export function productDeals(source: string): string[] {
  const body = /Set<String> dealNames = new Set<String>\{([\s\S]*?)\};/.exec(
    stripComments(source)
  );
  if (!body) {
    throw new Error(
      `${PRODUCTS_APEX}: no "Set<String> dealNames = new Set<String>{...};" literal`
    );
  }
  return apexStrings(body[1]);
}

/** The account whose deals the record type script moves to Enterprise, and the record type's DeveloperName. */
export function enterpriseRule(source: string): {
  accountName: string;
  developerName: string;
} {
  const code = stripComments(source);
  const account = /Account\.Name\s*=\s*'((?:[^'\\]|\\.)*)'/.exec(code);
  const developerName = /DeveloperName\s*=\s*'((?:[^'\\]|\\.)*)'/.exec(code);
  if (!account || !developerName) {
    throw new Error(
      `${RECORD_TYPE_APEX}: expected "Account.Name = '...'" and "DeveloperName = '...'" filters`
    );
  }
  return { accountName: account[1], developerName: developerName[1] };
}

function ref(value: unknown): string | undefined {
  return typeof value === "string" && value.startsWith("@")
    ? value.slice(1)
    : undefined;
}

/** Loads and validates the plan, applies the post-import scripts and returns every opportunity. */
export function loadSampleDeals(projectDir: string): SampleDeal[] {
  const { problems, records } = validateDataPlan(
    path.join("data", "sample-data-plan.json"),
    { projectDir }
  );
  if (problems.length > 0) {
    throw new Error(
      `The sample data plan has problems:\n${problems.map(formatProblem).join("\n")}`
    );
  }
  const read = (file: string): string =>
    fs.readFileSync(path.join(projectDir, file), "utf8");
  const rule = enterpriseRule(read(RECORD_TYPE_APEX));
  const files = filesByDeal(read(FILES_APEX));
  const products = new Set(productDeals(read(PRODUCTS_APEX)));

  const byRef = new Map<string, PlanRecord>(
    records.map((r) => [r.referenceId, r])
  );
  const children = (
    type: string,
    field: string,
    parentRef: string
  ): Record<string, unknown>[] =>
    records
      .filter((r) => r.type === type && ref(r.fields[field]) === parentRef)
      .map((r) => ({ ...r.fields }));

  const deals = records
    .filter((r) => r.type === "Opportunity")
    .map((opp): SampleDeal => {
      const name = String(opp.fields.Name);
      const accountRef = ref(opp.fields.AccountId);
      const accountName = accountRef
        ? String(byRef.get(accountRef)?.fields.Name ?? "")
        : "";
      const fileTitles = files.get(name) ?? [];
      const related: RelatedRecords = {
        OpportunityContactRole: children(
          "OpportunityContactRole",
          "OpportunityId",
          opp.referenceId
        ),
        Task: children("Task", "WhatId", opp.referenceId),
        Event: children("Event", "WhatId", opp.referenceId),
        ContentDocumentLink: fileTitles.map((title) => ({
          Title: title,
          ShareType: "I"
        })),
        OpportunityLineItem: products.has(name)
          ? [{ Quantity: 1, UnitPrice: opp.fields.Amount }]
          : []
      };
      return {
        referenceId: opp.referenceId,
        name,
        accountName,
        stage: String(opp.fields.StageName),
        recordType:
          accountName === rule.accountName ? rule.developerName : null,
        values: { ...opp.fields },
        related
      };
    });
  const names = new Set(deals.map((d) => d.name));
  const unknown = [...files.keys(), ...products].filter((n) => !names.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `Post-import scripts name deals that are not in the sample data: ${unknown.join(", ")}`
    );
  }
  return deals;
}
