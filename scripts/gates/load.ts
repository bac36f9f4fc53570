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
 * Reads and validates a process map. A relative `file` is resolved against the
 * project directory. Throws MapValidationError listing every problem.
 */
export function loadMap(
  file: string = DEFAULT_CONFIG,
  opts: { projectDir?: string } = {}
): LoadedMap {
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const resolved = path.resolve(projectDir, file);
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
  return { file, map, runtime, fields, warnings: result.warnings };
}
