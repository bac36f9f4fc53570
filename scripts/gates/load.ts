/**
 * Loads a process map file. (Interface-stable first version: full JSON Schema and
 * semantic validation land in this module; callers keep using loadMap.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  toRuntimeMap,
  type FieldType,
  type RuntimeMap,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const DEFAULT_CONFIG = path.join("config", "stage-gates.json");

export interface Problem {
  file: string;
  /** JSON path, e.g. $.processes[0].stages[2].exit[1].operator */
  path: string;
  message: string;
  line?: number;
}

export class MapValidationError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "MapValidationError";
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}${p.line ? `:${p.line}` : ""}: ${p.path}: ${p.message}`;
}

export interface FieldInfo {
  type: FieldType | string;
  custom?: boolean;
  values?: string[];
  [key: string]: unknown;
}
export type FieldCatalogue = Record<string, Record<string, FieldInfo>>;

export interface LoadedMap {
  file: string;
  map: StageGateMap;
  runtime: RuntimeMap;
  fields: FieldCatalogue;
}

export function loadFieldCatalogue(projectDir: string = PROJECT_DIR): FieldCatalogue {
  const raw = JSON.parse(fs.readFileSync(path.join(projectDir, "scripts", "metadata", "standard-fields.json"), "utf8"));
  delete raw._comment;
  return raw as FieldCatalogue;
}

export function loadMap(file: string = DEFAULT_CONFIG, opts: { projectDir?: string } = {}): LoadedMap {
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const resolved = path.resolve(projectDir, file);
  const map = JSON.parse(fs.readFileSync(resolved, "utf8")) as StageGateMap;
  const fields = loadFieldCatalogue(projectDir);
  const runtime = toRuntimeMap(map, (f) => fields.Opportunity?.[f]?.type as FieldType | undefined);
  return { file, map, runtime, fields };
}
