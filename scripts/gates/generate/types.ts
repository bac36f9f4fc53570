import type { LoadedMap } from "../load";

/** One file the generator writes, relative to the output directory (posix separators). */
export interface GeneratedFile {
  path: string;
  content: string;
}

export interface GenerateContext {
  loaded: LoadedMap;
  /** The map's path as shown in generated headers, relative to the project (e.g. config/stage-gates.json). */
  configLabel: string;
}

/** Turns the process map into a set of files; pure (no I/O). */
export type Emitter = (ctx: GenerateContext) => GeneratedFile[];
