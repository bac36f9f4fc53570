/**
 * `npm run gates -- validate [--config F]`: checks the process map against its
 * JSON Schema and semantically; prints every problem, or a one-line summary.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  criterionMode,
  type Criterion,
  type StageGateMap
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  DEFAULT_CONFIG,
  formatProblem,
  loadMap,
  MapValidationError,
  PROJECT_DIR
} from "../load";
import { displayPath } from "../problems";

const USAGE = `Usage: npm run gates -- validate [--config config/stage-gates.json]

Checks the process map against config/stage-gates.schema.json and against the
org as the project knows it (the standard-field catalogue, and the package
directories' custom fields, record types and retrieved value sets: gates pull):
fields, operators, values, related objects, stage names and their Closed/Won
flags, record types and ids. Exit code 0 when valid.`;

/** The map file a command reads: --config relative to the working directory, else the project's default. */
export function configPath(config: string | undefined): string {
  return config
    ? path.resolve(process.cwd(), config)
    : path.join(PROJECT_DIR, DEFAULT_CONFIG);
}

function allCriteria(map: StageGateMap): Criterion[] {
  return map.processes.flatMap((p) => [
    ...p.stages.flatMap((s) => [...(s.entry ?? []), ...(s.exit ?? [])]),
    ...(p.won.entry ?? []),
    ...(p.lost.entry ?? [])
  ]);
}

export function summary(file: string, map: StageGateMap): string {
  const criteria = allCriteria(map);
  const count = (mode: string): number =>
    criteria.filter((c) => criterionMode(c) === mode).length;
  const stages = map.processes.reduce((n, p) => n + p.stages.length + 2, 0);
  const n = (k: number, one: string, many: string): string =>
    `${k} ${k === 1 ? one : many}`;
  return (
    `${file}: valid — ${n(map.processes.length, "process", "processes")}, ${n(stages, "stage", "stages")}, ` +
    `${n(criteria.length, "criterion", "criteria")} (${count("enforce")} enforce, ${count("warn")} warn, ${count("off")} off)`
  );
}

export async function run(args: string[]): Promise<number> {
  let values: { config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: "string" },
        help: { type: "boolean", short: "h" }
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const loaded = loadMap(configPath(values.config));
    for (const w of loaded.warnings ?? []) {
      console.error(
        `${formatProblem(w).replace(`${w.path}: `, `${w.path}: warning: `)}`
      );
    }
    console.log(summary(displayPath(configPath(values.config)), loaded.map));
    return 0;
  } catch (error) {
    if (error instanceof MapValidationError) {
      for (const p of error.problems) {
        console.error(formatProblem(p));
      }
      const n = error.problems.length;
      console.error(
        `${n} problem${n === 1 ? "" : "s"}: the process map is not valid.`
      );
      return 1;
    }
    throw error;
  }
}
