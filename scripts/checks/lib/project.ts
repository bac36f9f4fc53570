/**
 * What the project defines, read from source: objects and fields (custom from force-app, standard
 * from the catalogue scripts/metadata/standard-fields.json), custom labels, custom permissions and
 * LWC bundles. Names are matched case-insensitively, as Salesforce matches API names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageDirs, rel, TOOL_ROOT, walk } from "./files";

export const STANDARD_FIELDS_CATALOGUE =
  "scripts/metadata/standard-fields.json";

export interface FieldInfo {
  name: string;
  type: string;
  /** For lookups: the object(s) the field points to. */
  referenceTo: string[];
  /** For lookups: the name used to traverse it (`Account` for AccountId, `Foo__r` for Foo__c). */
  relationshipName?: string;
  /** Where it is defined (root-relative), for custom fields. */
  file?: string;
}

export interface ObjectInfo {
  name: string;
  custom: boolean;
  fields: Map<string, FieldInfo>;
  /**
   * Parent-to-child relationships by lower-case name (`OpportunityLineItems`, `Foos__r`): the
   * child object each returns, for SOQL subqueries.
   */
  childRelationships: Map<string, { name: string; childObject: string }>;
}

export interface ProjectIndex {
  objects: Map<string, ObjectInfo>;
  labels: Set<string>;
  customPermissions: Set<string>;
  /** LWC bundle folder names (case as written) by lower-case name. */
  bundles: Map<string, string>;
}

const key = (name: string): string => name.toLowerCase();

type Catalogue = Record<
  string,
  | Record<
      string,
      {
        type?: string;
        referenceTo?: string | string[];
        relationshipName?: string;
      }
    >
  | string
>;

/** The catalogue's parent-to-child relationships: parent object → relationship name → child object. */
const CHILD_RELATIONSHIPS_KEY = "_childRelationships";

/** Custom fields on Activity apply to both Task and Event. */
const OBJECT_ALIASES: Readonly<Record<string, string[]>> = {
  activity: ["Task", "Event"]
};

const isCustomObject = (name: string): boolean =>
  /__(c|mdt|e|x|b)$/i.test(name);

/**
 * The system fields every custom object (`__c`) has besides its own (Object Reference, "Custom
 * Object __c"): they are not in its metadata folder. (A detail object of a master-detail
 * relationship has no OwnerId.)
 */
const CUSTOM_OBJECT_SYSTEM_FIELDS: readonly FieldInfo[] = [
  { name: "Id", type: "Id", referenceTo: [] },
  { name: "Name", type: "Text", referenceTo: [] },
  { name: "IsDeleted", type: "Checkbox", referenceTo: [] },
  { name: "CreatedDate", type: "DateTime", referenceTo: [] },
  { name: "LastModifiedDate", type: "DateTime", referenceTo: [] },
  { name: "SystemModstamp", type: "DateTime", referenceTo: [] },
  ...["Owner", "CreatedBy", "LastModifiedBy"].map((relationshipName) => ({
    name: `${relationshipName}Id`,
    type: "Reference",
    referenceTo: ["User"],
    relationshipName
  }))
];

function objectEntry(
  objects: Map<string, ObjectInfo>,
  name: string,
  custom: boolean
): ObjectInfo {
  let info = objects.get(key(name));
  if (!info) {
    info = { name, custom, fields: new Map(), childRelationships: new Map() };
    objects.set(key(name), info);
  }
  return info;
}

/** The standard-field catalogue: the project's own if it has one, else this repository's. */
export function catalogueFile(root: string): string {
  const own = path.join(root, STANDARD_FIELDS_CATALOGUE);
  return fs.existsSync(own)
    ? own
    : path.join(TOOL_ROOT, STANDARD_FIELDS_CATALOGUE);
}

function addStandardObjects(
  objects: Map<string, ObjectInfo>,
  file: string
): void {
  if (!fs.existsSync(file)) return;
  const catalogue = JSON.parse(fs.readFileSync(file, "utf8")) as Catalogue;
  for (const [objectName, fields] of Object.entries(catalogue)) {
    if (objectName.startsWith("_") || typeof fields !== "object") continue;
    const info = objectEntry(objects, objectName, false);
    for (const [fieldName, field] of Object.entries(fields)) {
      if (fieldName.startsWith("_")) continue;
      const referenceTo =
        field.referenceTo === undefined
          ? []
          : ([] as string[]).concat(field.referenceTo);
      const isReference =
        (field.type ?? "").toLowerCase() === "reference" ||
        referenceTo.length > 0;
      info.fields.set(key(fieldName), {
        name: fieldName,
        type: field.type ?? "Unknown",
        referenceTo,
        // Standard lookups are traversed by the field name without "Id" (AccountId → Account).
        relationshipName: isReference
          ? (field.relationshipName ??
            (/Id$/.test(fieldName) ? fieldName.slice(0, -2) : undefined))
          : undefined
      });
    }
  }
  const children = catalogue[CHILD_RELATIONSHIPS_KEY];
  if (typeof children === "object") {
    for (const [parent, relationships] of Object.entries(children)) {
      if (parent.startsWith("_") || typeof relationships !== "object") continue;
      const info = objectEntry(objects, parent, false);
      for (const [name, child] of Object.entries(
        relationships as Record<string, string>
      )) {
        if (name.startsWith("_")) continue;
        info.childRelationships.set(key(name), { name, childObject: child });
      }
    }
  }
}

function tagText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return match ? match[1].trim() : undefined;
}

function addCustomObjects(
  root: string,
  objects: Map<string, ObjectInfo>
): void {
  for (const dir of packageDirs(root)) {
    for (const objectsDir of findDirs(path.join(root, dir), "objects")) {
      for (const entry of fs.readdirSync(objectsDir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const folder = entry.name;
        const targets = OBJECT_ALIASES[key(folder)] ?? [folder];
        const infos = targets.map((name) =>
          objectEntry(objects, name, isCustomObject(name))
        );
        for (const info of infos) {
          if (!/__c$/i.test(info.name)) continue;
          for (const field of CUSTOM_OBJECT_SYSTEM_FIELDS)
            if (!info.fields.has(key(field.name)))
              info.fields.set(key(field.name), field);
        }
        const fieldsDir = path.join(objectsDir, folder, "fields");
        if (!fs.existsSync(fieldsDir)) continue;
        for (const file of fs.readdirSync(fieldsDir).sort()) {
          const match = /^(.+)\.field-meta\.xml$/.exec(file);
          if (!match) continue;
          const xml = fs.readFileSync(path.join(fieldsDir, file), "utf8");
          const fieldName = match[1];
          const referenceTo = tagText(xml, "referenceTo");
          // A custom lookup Foo__c is traversed to its parent as Foo__r; its <relationshipName>
          // (plus __r) names the other direction, the parent's child relationship.
          const childRelationship = tagText(xml, "relationshipName");
          const field: FieldInfo = {
            name: fieldName,
            type: tagText(xml, "type") ?? "Unknown",
            referenceTo: referenceTo ? [referenceTo] : [],
            relationshipName: referenceTo
              ? fieldName.replace(/__c$/i, "__r")
              : undefined,
            file: rel(root, path.join(fieldsDir, file))
          };
          for (const info of infos) {
            info.fields.set(key(fieldName), field);
            if (referenceTo && childRelationship) {
              const name = `${childRelationship}__r`;
              objectEntry(
                objects,
                referenceTo,
                isCustomObject(referenceTo)
              ).childRelationships.set(key(name), {
                name,
                childObject: info.name
              });
            }
          }
        }
      }
    }
  }
}

/** Every folder named `name` under `dir` (not descending into node_modules and the like). */
export function findDirs(dir: string, name: string): string[] {
  const found: string[] = [];
  if (!fs.existsSync(dir)) return found;
  const visit = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (
        !entry.isDirectory() ||
        entry.name === "node_modules" ||
        entry.name.startsWith(".")
      )
        continue;
      const full = path.join(current, entry.name);
      if (entry.name === name) found.push(full);
      else visit(full);
    }
  };
  visit(dir);
  return found.sort();
}

function labelsOf(root: string): Set<string> {
  const labels = new Set<string>();
  for (const dir of packageDirs(root)) {
    for (const file of walk(root, dir, (p) => p.endsWith(".labels-meta.xml"))) {
      const xml = fs.readFileSync(file, "utf8");
      for (const block of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
        const name = tagText(block[1], "fullName");
        if (name) labels.add(key(name));
      }
    }
  }
  return labels;
}

function customPermissionsOf(root: string): Set<string> {
  const names = new Set<string>();
  for (const dir of packageDirs(root)) {
    for (const file of walk(root, dir, (p) =>
      p.endsWith(".customPermission-meta.xml")
    )) {
      names.add(
        key(path.basename(file).replace(/\.customPermission-meta\.xml$/, ""))
      );
    }
  }
  return names;
}

/** LWC bundles: folders directly under an `lwc` folder that hold `<name>.js-meta.xml`. */
export function lwcBundleDirs(root: string): string[] {
  const bundles: string[] = [];
  for (const dir of packageDirs(root)) {
    for (const lwcDir of findDirs(path.join(root, dir), "lwc")) {
      for (const entry of fs.readdirSync(lwcDir, { withFileTypes: true })) {
        if (
          entry.isDirectory() &&
          fs.existsSync(
            path.join(lwcDir, entry.name, `${entry.name}.js-meta.xml`)
          )
        ) {
          bundles.push(path.join(lwcDir, entry.name));
        }
      }
    }
  }
  return bundles.sort();
}

export function loadProjectIndex(
  root: string,
  options: { standardFields?: string } = {}
): ProjectIndex {
  const objects = new Map<string, ObjectInfo>();
  addStandardObjects(objects, options.standardFields ?? catalogueFile(root));
  addCustomObjects(root, objects);
  const bundles = new Map(
    lwcBundleDirs(root).map((dir) => [
      key(path.basename(dir)),
      path.basename(dir)
    ])
  );
  return {
    objects,
    labels: labelsOf(root),
    customPermissions: customPermissionsOf(root),
    bundles
  };
}

export type SchemaResolution = { ok: true } | { ok: false; reason: string };

/**
 * Resolves `Object`, `Object.Field` or a spanning `Object.Rel.Field` (`Opportunity.Account.Name`,
 * `Foo__c.Bar__r.Name`) against the index.
 */
export function resolveSchemaReference(
  index: ProjectIndex,
  reference: string
): SchemaResolution {
  const [objectName, ...path] = reference.split(".");
  const first = index.objects.get(key(objectName));
  if (!first) {
    return {
      ok: false,
      reason: /__/.test(objectName)
        ? `object ${objectName} is not defined in force-app (objects/${objectName}/)`
        : `object ${objectName} is neither a custom object in force-app nor in ${STANDARD_FIELDS_CATALOGUE}`
    };
  }
  let object: ObjectInfo = first;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (last) {
      if (object.fields.has(key(segment))) return { ok: true };
      return {
        ok: false,
        reason: /__c$/i.test(segment)
          ? `field ${object.name}.${segment} has no objects/${object.name}/fields/${segment}.field-meta.xml`
          : `field ${object.name}.${segment} is not a custom field in force-app nor in ${STANDARD_FIELDS_CATALOGUE}`
      };
    }
    const relationship: FieldInfo | undefined = [
      ...object.fields.values()
    ].find(
      (f) =>
        f.relationshipName !== undefined &&
        key(f.relationshipName) === key(segment)
    );
    if (!relationship) {
      return {
        ok: false,
        reason: `${object.name} has no relationship ${segment} (a lookup field whose relationship name is ${segment})`
      };
    }
    const targetName: string | undefined = relationship.referenceTo[0];
    const target: ObjectInfo | undefined = targetName
      ? index.objects.get(key(targetName))
      : undefined;
    if (!target) {
      return {
        ok: false,
        reason: `${object.name}.${segment} points to ${targetName ?? "an unknown object"}, which is not in the catalogue`
      };
    }
    object = target;
  }
  return { ok: true };
}
