/** Where the preview's pieces live. Node-side only. */
import * as path from "node:path";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const PREVIEW_DIR = path.join(PROJECT_DIR, "preview");
/** Browser-side sources of the preview: page entries, shell, stand-ins. */
export const PREVIEW_SRC = path.join(PREVIEW_DIR, "src");
/** LWC module folders (namespace/name/name.ts) of the shell and the base-component stand-ins. */
export const PREVIEW_MODULES = path.join(PREVIEW_SRC, "lwc");
/** Plain modules that replace platform services (lightning/uiRecordApi, ...). */
export const PREVIEW_PLATFORM = path.join(PREVIEW_SRC, "platform");
export const DEFAULT_OUT_DIR = path.join(PREVIEW_DIR, "dist");
export const FORCE_APP = path.join(PROJECT_DIR, "force-app", "main", "default");
export const DEFAULT_LWC_DIR = path.join(FORCE_APP, "lwc");
/** The example's metadata (the demo map's custom fields and record types) that the sample data needs. */
export const EXAMPLE_APP = path.join(
  PROJECT_DIR,
  "example-app",
  "main",
  "default"
);
export const SLDS_ASSETS = path.join(
  PROJECT_DIR,
  "node_modules",
  "@salesforce-ux",
  "design-system",
  "assets"
);
export const LBC_DIR = path.join(
  PROJECT_DIR,
  "node_modules",
  "lightning-base-components"
);

export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** A path as the project's messages show it: relative inside the project, absolute outside. */
export function relativeToProject(file: string): string {
  const rel = path.relative(PROJECT_DIR, file);
  return rel.startsWith("..") || path.isAbsolute(rel)
    ? file
    : rel.split(path.sep).join("/");
}
