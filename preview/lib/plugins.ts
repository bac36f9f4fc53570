/**
 * Rollup plugins of the preview build.
 *
 * - `typescriptPlugin` compiles the project's and the preview's `.ts` sources with
 *   TypeScript's transpileModule (the same compiler and target as `npm run build`,
 *   which deploys the emitted `.js`), before the LWC compiler sees them.
 * - `platformPlugin` resolves the imports of project code (force-app and the
 *   preview itself, never node_modules): `c/*` to the force-app bundles (the `.ts`
 *   source, not a possibly stale compiled `.js`), and every platform service to a
 *   small local stand-in. Schema, label, Apex and custom-permission imports are
 *   checked against force-app metadata the way the platform checks them on save.
 * - `minifyPlugin` (production builds) minifies every module, the custom components
 *   included, as the platform's production mode serves Lightning web components.
 * - `strictOnLog` turns Rollup's unresolved-import ("treating it as external")
 *   and missing-export warnings into build errors.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { LogHandlerWithDefault, Plugin } from "rollup";
import { minify } from "terser";
import ts from "typescript";
import { type AuraEnabledMethod, type PreviewSchema } from "./schema";
import { LBC_DIR, PREVIEW_PLATFORM, relativeToProject } from "./paths";

/**
 * Production mode: "JavaScript code is optimized and minified" (LWC Developer Guide,
 * "Production Mode"; the Aura-era note that custom component code is left as written is about
 * Aura components). Every module, framework and custom components alike, is minified here, one
 * module at a time after the LWC compiler; only the build's own virtual modules are left.
 * `compiledBytes` records each module's size before minification.
 */
export function minifyPlugin(compiledBytes?: Map<string, number>): Plugin {
  return {
    name: "preview-minify",
    async transform(code, id) {
      if (id.startsWith("\0")) {
        return null;
      }
      compiledBytes?.set(id, Buffer.byteLength(code));
      const out = await minify(code, {
        module: true,
        compress: true,
        mangle: true,
        sourceMap: true
      });
      return out.code === undefined
        ? null
        : { code: out.code, map: out.map as string };
    }
  };
}

export function typescriptPlugin(): Plugin {
  return {
    name: "preview-typescript",
    transform(code, id) {
      const file = id.split("?")[0];
      if (
        !file.endsWith(".ts") ||
        file.endsWith(".d.ts") ||
        file.includes(`${path.sep}node_modules${path.sep}`)
      ) {
        return null;
      }
      const out = ts.transpileModule(code, {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: {
          target: ts.ScriptTarget.ESNext,
          module: ts.ModuleKind.ESNext,
          experimentalDecorators: false,
          sourceMap: true,
          inlineSources: true
        }
      });
      const errors = (out.diagnostics ?? []).filter(
        (d) => d.category === ts.DiagnosticCategory.Error
      );
      if (errors.length > 0) {
        const d = errors[0];
        const pos =
          d.file && d.start !== undefined
            ? d.file.getLineAndCharacterOfPosition(d.start)
            : undefined;
        this.error({
          message: `${relativeToProject(file)}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
          id: file
        });
      }
      return {
        code: out.outputText,
        map: out.sourceMapText ? JSON.parse(out.sourceMapText) : null
      };
    }
  };
}

/** Platform modules replaced by a file of preview/src/platform. */
export const PLATFORM_MODULES: Readonly<Record<string, string>> = {
  "lightning/uiRecordApi": "uiRecordApi.ts",
  "lightning/platformShowToastEvent": "platformShowToastEvent.ts",
  "lightning/navigation": "navigation.ts",
  "lightning/refresh": "refresh.ts",
  "lightning/pageReferenceUtils": "pageReferenceUtils.ts",
  "@salesforce/apex": "apex.ts"
};

/**
 * Base-component feature gates the npm package opens (its stub opens every gate)
 * that cannot work on a page with synthetic shadow, as Lightning Experience runs:
 * the combobox's ElementInternals gate makes lightning-combobox throw
 * "attachInternals API is not supported in synthetic shadow".
 */
export const CLOSED_GATES: readonly string[] = [
  "@salesforce/gate/bc.260.enableComboboxElementInternals"
];

/** Generated stand-ins: `@salesforce/<kind>/<name>`. */
const SCOPED_KINDS = [
  "apex",
  "schema",
  "label",
  "i18n",
  "client",
  "user",
  "customPermission",
  "userPermission"
] as const;

export interface PlatformContext {
  /** Folders the `c` namespace resolves to (force-app's lwc folder; tests add fixtures), first match wins. */
  lwcDirs: string[];
  schema: PreviewSchema;
  labels: Map<string, string>;
  apexMethods: Map<string, AuraEnabledMethod>;
  customPermissions: Set<string>;
  /** Virtual modules (`preview:<name>`) whose code the build provides, e.g. the seeded data. */
  virtual: Record<string, string>;
}

const VIRTUAL_PREFIX = "\0preview:";

function isProjectCode(importer: string | undefined): importer is string {
  return (
    importer !== undefined &&
    !importer.includes(`${path.sep}node_modules${path.sep}`)
  );
}

function platformFile(name: string): string {
  return path.join(PREVIEW_PLATFORM, name);
}

function resolveBundle(lwcDirs: string[], name: string): string | undefined {
  for (const dir of lwcDirs) {
    // The .ts source first: a compiled .js beside it may be stale.
    for (const ext of [".ts", ".js", ".html", ".css"]) {
      const file = path.join(dir, name, `${name}${ext}`);
      if (fs.existsSync(file)) {
        return file;
      }
    }
  }
  return undefined;
}

function importerLabel(importer: string): string {
  return importer.startsWith(VIRTUAL_PREFIX)
    ? importer.slice(1)
    : relativeToProject(importer.split("?")[0]);
}

export function platformPlugin(ctx: PlatformContext): Plugin {
  /** Code of a generated module, or an error message. */
  function generate(specifier: string): { code: string } | { error: string } {
    const slash = specifier.indexOf("/", "@salesforce/".length);
    const kind = specifier.slice("@salesforce/".length, slash);
    const name = specifier.slice(slash + 1);
    const json = JSON.stringify;
    switch (kind) {
      case "apex": {
        const method = ctx.apexMethods.get(name);
        if (!method) {
          return {
            error: `no static @AuraEnabled method "${name}" in force-app/main/default/classes`
          };
        }
        const [className, methodName] = name.split(".");
        const impl = platformFile(path.join("apex", `${className}.ts`));
        if (!fs.existsSync(impl)) {
          return {
            error: `the preview has no stand-in for Apex class ${className} (expected ${relativeToProject(impl)})`
          };
        }
        return {
          code: [
            `import { createApexMethod } from ${json(platformFile("apexRuntime.ts"))};`,
            `import { ${methodName} as impl } from ${json(impl)};`,
            `export default createApexMethod(${json(name)}, impl, ${json({ cacheable: method.cacheable, params: method.params })});`
          ].join("\n")
        };
      }
      case "schema": {
        const problem = checkSchemaPath(ctx.schema, name);
        if (problem) {
          return { error: problem };
        }
        const [objectApiName, ...fieldPath] = name.split(".");
        const value =
          fieldPath.length > 0
            ? { fieldApiName: fieldPath.join("."), objectApiName }
            : { objectApiName };
        return { code: `export default ${json(value)};` };
      }
      case "label": {
        const [namespace, ...rest] = name.split(".");
        const labelName = rest.join(".");
        if (namespace !== "c") {
          return {
            error: `only custom labels of the "c" namespace exist in this project`
          };
        }
        if (!ctx.labels.has(labelName)) {
          return {
            error: `no custom label "${labelName}" in force-app/main/default/labels`
          };
        }
        return { code: `export default ${json(ctx.labels.get(labelName))};` };
      }
      case "i18n":
      case "client": {
        // The same user settings the base components read.
        const file = path.join(
          LBC_DIR,
          "scopedImports",
          `@salesforce-${kind}-${name}.js`
        );
        if (!fs.existsSync(file)) {
          return { error: `the preview has no value for ${specifier}` };
        }
        if (specifier === "@salesforce/client/formFactor") {
          // `?formFactor=Small` shows the page as the Salesforce mobile app on a phone does.
          return {
            code: [
              `import platformDefault from ${json(file)};`,
              `const asked = new URLSearchParams(location.search).get("formFactor");`,
              `export default ["Large", "Medium", "Small"].includes(asked) ? asked : platformDefault;`
            ].join("\n")
          };
        }
        return { code: `export { default } from ${json(file)};` };
      }
      case "user": {
        const known: Record<string, string> = {
          Id: "userId",
          isGuest: "isGuest"
        };
        if (!known[name]) {
          return { error: `the preview has no value for ${specifier}` };
        }
        return {
          code: `export { ${known[name]} as default } from ${json(platformFile("session.ts"))};`
        };
      }
      case "customPermission": {
        if (!ctx.customPermissions.has(name)) {
          return {
            error: `no custom permission "${name}" in force-app/main/default/customPermissions`
          };
        }
        return {
          code: `import { customPermission } from ${json(platformFile("session.ts"))};\nexport default customPermission(${json(name)});`
        };
      }
      case "userPermission":
        return {
          code: `import { userPermission } from ${json(platformFile("session.ts"))};\nexport default userPermission(${json(name)});`
        };
      default:
        return { error: `the preview does not provide ${specifier}` };
    }
  }

  /** Generated code by virtual module id. */
  const generated = new Map<string, string>();

  return {
    name: "preview-platform",
    resolveId(importee, importer) {
      if (importee.startsWith("preview:")) {
        if (!(importee.slice("preview:".length) in ctx.virtual)) {
          this.error(`Unknown build-provided module "${importee}"`);
        }
        return VIRTUAL_PREFIX + importee.slice("preview:".length);
      }
      if (CLOSED_GATES.includes(importee)) {
        const id = VIRTUAL_PREFIX + importee;
        generated.set(id, "export default { isOpen: () => false };");
        return id;
      }
      if (!isProjectCode(importer)) {
        return null;
      }
      if (PLATFORM_MODULES[importee]) {
        return platformFile(PLATFORM_MODULES[importee]);
      }
      const scoped = /^@salesforce\/([A-Za-z0-9]+)\//.exec(importee);
      if (scoped && (SCOPED_KINDS as readonly string[]).includes(scoped[1])) {
        const id = VIRTUAL_PREFIX + importee;
        if (!generated.has(id)) {
          const result = generate(importee);
          if ("error" in result) {
            this.error(
              `Unresolved import "${importee}" in ${importerLabel(importer)}: ${result.error}`
            );
          }
          generated.set(id, result.code);
        }
        return id;
      }
      if (scoped) {
        this.error(
          `Unresolved import "${importee}" in ${importerLabel(importer)}: the preview does not provide @salesforce/${scoped[1]}/* modules`
        );
      }
      const bundle = /^c\/([A-Za-z0-9_]+)$/.exec(importee);
      if (bundle) {
        const file = resolveBundle(ctx.lwcDirs, bundle[1]);
        if (!file) {
          const where = ctx.lwcDirs
            .map((d) => relativeToProject(path.join(d, bundle[1])))
            .join(" or ");
          this.error(
            `Unresolved import "${importee}" in ${importerLabel(importer)}: no bundle ${where}`
          );
        }
        return file;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL_PREFIX)) {
        return null;
      }
      const specifier = id.slice(VIRTUAL_PREFIX.length);
      return generated.get(id) ?? ctx.virtual[specifier];
    }
  };
}

/** Checks `Object`, `Object.Field` or `Object.Lookup.Field` against the schema; returns a problem or undefined. */
export function checkSchemaPath(
  schema: PreviewSchema,
  name: string
): string | undefined {
  const [objectApiName, ...fieldPath] = name.split(".");
  let fields = schema[objectApiName];
  if (!fields) {
    return `unknown object "${objectApiName}"`;
  }
  let objectName = objectApiName;
  for (let i = 0; i < fieldPath.length; i++) {
    const part = fieldPath[i];
    const last = i === fieldPath.length - 1;
    if (last) {
      if (!fields[part]) {
        return `unknown field ${objectName}.${part}`;
      }
      break;
    }
    const lookup = Object.entries(fields).find(
      ([, f]) => f.relationshipName === part
    );
    if (!lookup || !lookup[1].referenceTo) {
      return `unknown relationship ${objectName}.${part}`;
    }
    objectName = lookup[1].referenceTo;
    fields = schema[objectName];
    if (!fields) {
      return `unknown object "${objectName}" (through ${objectApiName}.${fieldPath.slice(0, i + 1).join(".")})`;
    }
  }
  return undefined;
}

/** Rollup `onLog`: unresolved imports and missing exports fail the build; other warnings print. */
export function strictOnLog(
  print: (message: string) => void
): LogHandlerWithDefault {
  return (level, log, handler) => {
    if (log.code === "UNRESOLVED_IMPORT") {
      handler("error", {
        ...log,
        message: `Unresolved import: ${log.message.replace(/ – treating it as an external dependency\.?$/, "")}`
      });
      return;
    }
    if (log.code === "MISSING_EXPORT") {
      handler("error", log);
      return;
    }
    if (level === "warn") {
      // Base components ship circular imports and `this` at module level: not ours to fix.
      if (
        log.code === "CIRCULAR_DEPENDENCY" ||
        log.code === "THIS_IS_UNDEFINED"
      ) {
        return;
      }
      if (log.id && !isProjectCode(log.id)) {
        return;
      }
      print(`warning: ${log.message}`);
      return;
    }
    handler(level, log);
  };
}
