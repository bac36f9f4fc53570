/**
 * Loads a process map file and validates it fully (JSON syntax, JSON Schema,
 * meaning against the field catalogue): every command (generate, check, audit,
 * docs) refuses an invalid map with the same messages.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  toRuntimeMap,
  type FieldType,
  type RuntimeMap,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  loadCustomPermissions,
  loadFieldCatalogue as readFieldCatalogue,
  loadRecordTypes,
  loadSalesProcessStages,
  type FieldCatalogue
} from "./fields";
import { displayPath, MapValidationError, type Problem } from "./problems";
import { readSchema, validateMapText } from "./validate-map";

export { formatProblem, MapValidationError, type Problem } from "./problems";
export type { FieldCatalogue, FieldInfo } from "./fields";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const DEFAULT_CONFIG = path.join("config", "stage-gates.json");

export interface LoadedMap {
  file: string;
  /** The project whose package directories the map was checked against. */
  projectDir?: string;
  map: StageGateMap;
  runtime: RuntimeMap;
  fields: FieldCatalogue;
  /** Things worth a look that do not make the map invalid (e.g. a message that will be cut). */
  warnings?: Problem[];
}

/** Standard fields (scripts/metadata/standard-fields.json) plus the custom fields in force-app. */
export function loadFieldCatalogue(
  projectDir: string = PROJECT_DIR
): FieldCatalogue {
  return readFieldCatalogue(projectDir);
}

/**
 * The Salesforce DX project a map belongs to: the nearest directory above the
 * map file that has an sfdx-project.json, else this repository. Its package
 * directories hold the custom fields, record types and value sets the map is
 * checked against.
 */
export function projectDirFor(mapFile: string): string {
  let dir = path.dirname(path.resolve(mapFile));
  for (;;) {
    if (fs.existsSync(path.join(dir, "sfdx-project.json"))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return PROJECT_DIR;
    }
    dir = parent;
  }
}

/**
 * Reads and validates a process map. A relative `file` is resolved against the
 * project directory (default: this repository); the project whose metadata it
 * is checked against is `opts.projectDir`, else the one the file sits in
 * (projectDirFor). Throws MapValidationError listing every problem.
 */
export function loadMap(
  file: string = DEFAULT_CONFIG,
  opts: { projectDir?: string } = {}
): LoadedMap {
  const resolved = path.resolve(opts.projectDir ?? PROJECT_DIR, file);
  const projectDir = opts.projectDir ?? projectDirFor(resolved);
  const shown = displayPath(resolved);
  let text: string;
  try {
    text = fs.readFileSync(resolved, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : String(error);
    throw new MapValidationError([
      {
        file: shown,
        path: "$",
        message: `cannot read the process map: ${reason}`
      }
    ]);
  }
  const fields = loadFieldCatalogue(projectDir);
  const schemaDir = fs.existsSync(
    path.join(projectDir, "config", "stage-gates.schema.json")
  )
    ? projectDir
    : PROJECT_DIR;
  const result = validateMapText(text, shown, {
    fields,
    recordTypes: loadRecordTypes(projectDir),
    salesProcessStages: loadSalesProcessStages(projectDir),
    customPermissions: loadCustomPermissions(projectDir),
    schema: readSchema(schemaDir)
  });
  if (!result.map) {
    throw new MapValidationError(result.problems);
  }
  const map = result.map;
  const runtime = toRuntimeMap(
    map,
    (f) => fields.Opportunity?.[f]?.type as FieldType | undefined
  );
  return {
    file,
    projectDir,
    map,
    runtime,
    fields,
    warnings: result.warnings
  };
}
