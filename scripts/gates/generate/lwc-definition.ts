/**
 * What the record page component needs to know the map:
 * lwc/stageGateDefinition/stageGateDefinition.ts (+ .js-meta.xml), a service
 * module exporting the runtime map (off criteria removed, field types attached:
 * the core's toRuntimeMap, as loadMap returns it) and the Opportunity fields
 * the map reads (the core's fieldsUsed).
 */
import {
  fieldsUsed,
  permissionsUsed
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { lineCommentHeader } from "./names";
import type { Emitter } from "./types";
import { el, metadataDocument, node } from "./xml";

export const DEFINITION_BUNDLE = "lwc/stageGateDefinition";
export const DEFINITION_API_VERSION = "66.0";

export const emitLwcDefinition: Emitter = (ctx) => {
  const { runtime } = ctx.loaded;
  const permissions = permissionsUsed(runtime);
  const source = [
    lineCommentHeader(ctx.configLabel),
    'import type { RuntimeMap } from "c/stageGateCore";',
    ...permissions.map(
      (name, i) =>
        `import hasPermission${i} from "@salesforce/customPermission/${name}";`
    ),
    "",
    "/** The process map as the checklist evaluates it (off criteria removed, field types attached). */",
    `const definition: RuntimeMap = ${JSON.stringify(runtime, null, 2)};`,
    "",
    "/** Opportunity fields the map reads (for getRecord). */",
    `export const FIELDS: string[] = ${JSON.stringify(fieldsUsed(runtime))};`,
    "",
    "/** The custom permissions `when` conditions ask about that the running user holds. */",
    permissions.length === 0
      ? "export const PERMISSIONS: string[] = [];"
      : `export const PERMISSIONS: string[] = [${permissions.map((name, i) => `[${JSON.stringify(name)}, hasPermission${i}] as const`).join(", ")}].filter(([, held]) => held === true).map(([name]) => name);`,
    "",
    "export default definition;",
    ""
  ].join("\n");
  const meta = metadataDocument(
    node("LightningComponentBundle", [
      el("apiVersion", DEFINITION_API_VERSION),
      el(
        "description",
        "The stage gate process map for the checklist component. Generated: do not edit."
      ),
      el("isExposed", false)
    ]),
    ctx.configLabel
  );
  return [
    { path: `${DEFINITION_BUNDLE}/stageGateDefinition.ts`, content: source },
    {
      path: `${DEFINITION_BUNDLE}/stageGateDefinition.js-meta.xml`,
      content: meta
    }
  ];
};
