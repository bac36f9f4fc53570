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
  Record<string, { type?: string; referenceTo?: string | string[] }> | string
>;

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
    const info: ObjectInfo = objects.get(key(objectName)) ?? {
      name: objectName,
      custom: false,
      fields: new Map()
    };
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
        relationshipName:
          isReference && /Id$/.test(fieldName)
            ? fieldName.slice(0, -2)
            : undefined
      });
    }
    objects.set(key(objectName), info);
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
        const objectName = entry.name;
        const info: ObjectInfo = objects.get(key(objectName)) ?? {
          name: objectName,
          custom: /__(c|mdt|e|x|b)$/i.test(objectName),
          fields: new Map()
        };
        const fieldsDir = path.join(objectsDir, objectName, "fields");
        if (fs.existsSync(fieldsDir)) {
          for (const file of fs.readdirSync(fieldsDir)) {
            const match = /^(.+)\.field-meta\.xml$/.exec(file);
            if (!match) continue;
            const xml = fs.readFileSync(path.join(fieldsDir, file), "utf8");
            const fieldName = match[1];
            const referenceTo = tagText(xml, "referenceTo");
            const relationship = tagText(xml, "relationshipName");
            info.fields.set(key(fieldName), {
              name: fieldName,
              type: tagText(xml, "type") ?? "Unknown",
              referenceTo: referenceTo ? [referenceTo] : [],
              relationshipName: referenceTo
                ? relationship
                  ? `${relationship}__r`
                  : fieldName.replace(/__c$/i, "__r")
                : undefined,
              file: rel(root, path.join(fieldsDir, file))
            });
          }
        }
        objects.set(key(objectName), info);
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
