/**
 * The org's schema as the preview knows it: the standard-field catalogue the
 * tooling uses, plus custom fields and labels from force-app metadata. Used at
 * build time to check `@salesforce/schema/*` and `@salesforce/label/*` imports
 * (the platform rejects a deploy that references unknown ones) and shipped to
 * the page so getRecord and the record-form stand-ins know field types.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexParserBaseListener,
  ApexSyntaxError,
  ApexParserFactory,
  ApexParseTreeWalker,
  ThrowingErrorListener,
  type ClassBodyDeclarationContext
} from "@apexdevtools/apex-parser";
import { XMLParser } from "fast-xml-parser";
import { loadFieldCatalogue } from "../../scripts/gates/load";
import type { OrgField, OrgSchema } from "../src/platform/types";
import {
  EXAMPLE_APP,
  FORCE_APP,
  PROJECT_DIR,
  relativeToProject
} from "./paths";

export type PreviewField = OrgField;
export type PreviewSchema = OrgSchema;

const parser = new XMLParser({
  ignoreAttributes: true,
  isArray: (name) => name === "value" || name === "labels"
});

/** Labels the org shows for standard fields whose label is not derived from the API name. */
const STANDARD_LABELS: Record<string, string> = {
  "Opportunity.Name": "Opportunity Name",
  "Opportunity.StageName": "Stage",
  "Opportunity.AccountId": "Account Name",
  "Opportunity.OwnerId": "Opportunity Owner",
  "Opportunity.RecordTypeId": "Opportunity Record Type",
  "Opportunity.ForecastCategoryName": "Forecast Category",
  "Opportunity.TotalOpportunityQuantity": "Quantity",
  "Opportunity.IsPrivate": "Private",
  "Opportunity.HasOpportunityLineItem": "Has Line Item",
  "Opportunity.LastStageChangeDate": "Last Stage Change Date",
  "Opportunity.ExpectedRevenue": "Expected Amount",
  "OpportunityContactRole.IsPrimary": "Primary",
  "OpportunityContactRole.ContactId": "Contact",
  "Task.WhatId": "Related To",
  "Task.WhoId": "Name",
  "Task.ActivityDate": "Due Date",
  "Task.TaskSubtype": "Task Subtype"
};

function labelFromApiName(name: string): string {
  const base = name.replace(/__c$/, "").replace(/Id$/, "");
  return base
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .trim();
}

function text(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number"
    ? String(value)
    : undefined;
}

function readCustomFields(objectsDir: string, schema: PreviewSchema): void {
  if (!fs.existsSync(objectsDir)) {
    return;
  }
  for (const objectName of fs.readdirSync(objectsDir)) {
    const fieldsDir = path.join(objectsDir, objectName, "fields");
    if (!fs.existsSync(fieldsDir)) {
      continue;
    }
    const fields = (schema[objectName] ??= {});
    for (const file of fs
      .readdirSync(fieldsDir)
      .filter((f) => f.endsWith(".field-meta.xml"))) {
      const full = path.join(fieldsDir, file);
      const doc = parser.parse(fs.readFileSync(full, "utf8")) as {
        CustomField?: Record<string, unknown>;
      };
      const field = doc.CustomField;
      if (!field) {
        throw new Error(
          `${relativeToProject(full)}: not a CustomField document`
        );
      }
      const name =
        text(field.fullName) ?? file.replace(/\.field-meta\.xml$/, "");
      const type = text(field.type);
      if (!type) {
        throw new Error(
          `${relativeToProject(full)}: CustomField has no <type>`
        );
      }
      const valueSet = field.valueSet as
        | { valueSetDefinition?: { value?: { fullName?: unknown }[] } }
        | undefined;
      const values = valueSet?.valueSetDefinition?.value
        ?.map((v) => text(v.fullName) ?? "")
        .filter((v) => v !== "");
      const isLookup = type === "Lookup" || type === "MasterDetail";
      fields[name] = {
        type: isLookup ? "Reference" : type,
        label: text(field.label) ?? labelFromApiName(name),
        custom: true,
        updateable:
          type !== "Formula" &&
          field.formula === undefined &&
          type !== "Summary" &&
          type !== "AutoNumber",
        ...(values && values.length > 0 ? { values } : {}),
        ...(isLookup
          ? {
              referenceTo: text(field.referenceTo),
              relationshipName: `${name.replace(/__c$/, "")}__r`
            }
          : {})
      };
    }
  }
}

/** Standard fields from the catalogue plus the custom fields of force-app and the example. */
export function loadPreviewSchema(
  projectDir: string = PROJECT_DIR,
  forceAppDir: string = FORCE_APP
): PreviewSchema {
  const catalogue = loadFieldCatalogue(projectDir);
  const schema: PreviewSchema = {};
  for (const [objectName, fields] of Object.entries(catalogue)) {
    const out: Record<string, PreviewField> = {};
    for (const [name, info] of Object.entries(fields)) {
      const type = String(info.type);
      const referenceTo =
        typeof info.referenceTo === "string" ? info.referenceTo : undefined;
      out[name] = {
        type,
        label:
          STANDARD_LABELS[`${objectName}.${name}`] ?? labelFromApiName(name),
        custom: false,
        updateable: info.updateable !== false && type !== "Id",
        ...(Array.isArray(info.values)
          ? { values: info.values.map(String) }
          : {}),
        ...(referenceTo
          ? { referenceTo, relationshipName: name.replace(/Id$/, "") }
          : {})
      };
    }
    schema[objectName] = out;
  }
  for (const dir of [forceAppDir, EXAMPLE_APP]) {
    readCustomFields(path.join(dir, "objects"), schema);
  }
  return schema;
}

/** Custom permission API names from force-app/main/default/customPermissions. */
export function loadCustomPermissions(
  forceAppDir: string = FORCE_APP
): Set<string> {
  const dir = path.join(forceAppDir, "customPermissions");
  if (!fs.existsSync(dir)) {
    return new Set();
  }
  return new Set(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".customPermission-meta.xml"))
      .map((f) => f.replace(/\.customPermission-meta\.xml$/, ""))
  );
}

/** Custom labels (name -> value) from force-app/main/default/labels. */
export function loadCustomLabels(
  forceAppDir: string = FORCE_APP
): Map<string, string> {
  const labels = new Map<string, string>();
  const dir = path.join(forceAppDir, "labels");
  if (!fs.existsSync(dir)) {
    return labels;
  }
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".labels-meta.xml"))) {
    const full = path.join(dir, file);
    const doc = parser.parse(fs.readFileSync(full, "utf8")) as {
      CustomLabels?: { labels?: { fullName?: unknown; value?: unknown }[] };
    };
    for (const label of doc.CustomLabels?.labels ?? []) {
      const name = text(label.fullName);
      if (!name) {
        throw new Error(
          `${relativeToProject(full)}: a <labels> entry has no <fullName>`
        );
      }
      labels.set(
        name,
        text(Array.isArray(label.value) ? label.value[0] : label.value) ?? ""
      );
    }
  }
  return labels;
}

export interface AuraEnabledMethod {
  cacheable: boolean;
  /** Parameter names in declaration order (Apex matches arguments by name). */
  params: string[];
  file: string;
}

class AuraEnabledListener extends ApexParserBaseListener {
  readonly found: { name: string; cacheable: boolean; params: string[] }[] = [];
  private depth = 0;

  enterClassBody(): void {
    this.depth++;
  }
  exitClassBody(): void {
    this.depth--;
  }

  enterClassBodyDeclaration(ctx: ClassBodyDeclarationContext): void {
    // Only the top-level class's own methods are callable from LWC.
    const method = ctx.memberDeclaration()?.methodDeclaration();
    if (this.depth !== 1 || !method) {
      return;
    }
    const modifiers = ctx.modifier_list();
    const aura = modifiers
      .map((m) => m.annotation())
      .find((a) => a && a.id().getText().toLowerCase() === "auraenabled");
    const isStatic = modifiers.some((m) => m.STATIC());
    if (!aura || !isStatic) {
      return;
    }
    const args = aura.elementValuePairs()?.getText() ?? "";
    const params =
      method.formalParameters().formalParameterList()?.formalParameter_list() ??
      [];
    this.found.push({
      name: method.id().getText(),
      cacheable: /cacheable=true/i.test(args),
      params: params.map((p) => p.id().getText())
    });
  }
}

/** Static @AuraEnabled methods of force-app classes, by "Class.method" (the Apex import name). */
export function loadAuraEnabledMethods(
  forceAppDir: string = FORCE_APP
): Map<string, AuraEnabledMethod> {
  const methods = new Map<string, AuraEnabledMethod>();
  const dir = path.join(forceAppDir, "classes");
  if (!fs.existsSync(dir)) {
    return methods;
  }
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".cls"))) {
    const full = path.join(dir, file);
    const className = file.replace(/\.cls$/, "");
    const parser = ApexParserFactory.createParser(
      fs.readFileSync(full, "utf8")
    );
    parser.removeErrorListeners();
    parser.addErrorListener(ThrowingErrorListener.INSTANCE);
    let unit;
    try {
      unit = parser.compilationUnit();
    } catch (error) {
      const where =
        error instanceof ApexSyntaxError
          ? `:${error.line}:${error.column + 1}`
          : "";
      throw new Error(
        `${relativeToProject(full)}${where}: Apex syntax error: ${error instanceof Error ? error.message : String(error)}`
      );
    }
    const listener = new AuraEnabledListener();
    ApexParseTreeWalker.DEFAULT.walk(listener, unit);
    for (const m of listener.found) {
      methods.set(`${className}.${m.name}`, {
        cacheable: m.cacheable,
        params: m.params,
        file: relativeToProject(full)
      });
    }
  }
  return methods;
}
