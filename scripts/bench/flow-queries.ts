/**
 * `npm run bench:flow` — SOQL queries the record-triggered flow costs for one
 * update of 200 opportunities with mixed forward stage moves (both processes of
 * the shipped map, seeded), measured with the flow interpreter's model of
 * Salesforce's bulkification: interviews that wait at the same Get Records
 * element in the same round share one query.
 *
 * It runs the generated flow and, as the baseline, the earlier design with one
 * Get Records per related criterion, each on its own branch
 * (test/fixtures/flow/per-criterion-design.flow-meta.xml), on the same saves.
 *
 *   npm run bench:flow [-- --records 200 --seed 7]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { flowQueriesPerSave } from "../gates/generate/flow";
import { loadMap, PROJECT_DIR } from "../gates/load";
import { FlowModel } from "../../test/generator/flow-interpreter";
import {
  GeneratedFlow,
  mixedForwardMoves
} from "../../test/generator/flow-support";
import {
  harnessFieldTypes,
  relatedFieldTypes
} from "../../test/generator/support";

const BASELINE = path.join(
  PROJECT_DIR,
  "test",
  "fixtures",
  "flow",
  "per-criterion-design.flow-meta.xml"
);

function main(): void {
  const { values } = parseArgs({
    options: {
      records: { type: "string", default: "200" },
      seed: { type: "string", default: "7" }
    }
  });
  const records = Number(values.records);
  const seed = Number(values.seed);
  const loaded = loadMap();

  const saves = mixedForwardMoves(loaded, records, seed);

  const current = new GeneratedFlow(loaded).model;
  const baseline = new FlowModel(
    fs.readFileSync(BASELINE, "utf8"),
    harnessFieldTypes(loaded),
    relatedFieldTypes(loaded)
  );
  const rows: [string, ReturnType<FlowModel["runBatch"]>, number][] = [];
  for (const [label, model] of [
    ["per-criterion Get Records (earlier design)", baseline],
    ["one Get Records per object (generated)", current]
  ] as const) {
    const started = process.hrtime.bigint();
    const batch = model.runBatch(saves);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    rows.push([label, batch, ms]);
  }
  const blocked = rows[1][1].runs.filter((r) => r.error !== undefined).length;
  console.log(
    `One update of ${records} opportunities (mixed forward moves, seed ${seed}); ${blocked} blocked by the flow.`
  );
  console.log(
    `Related objects the map's enforced criteria use: ${flowQueriesPerSave(loaded)} (FLOW_QUERIES_PER_SAVE).`
  );
  console.log("");
  console.log(
    "| Flow | SOQL queries | Query rounds | Rows | Interpreter time |"
  );
  console.log("|---|---|---|---|---|");
  for (const [label, batch, ms] of rows) {
    console.log(
      `| ${label} | ${batch.soqlQueries} | ${batch.queryRounds} | ${batch.rows} | ${ms.toFixed(0)} ms |`
    );
  }
  const generated = rows[1][1].soqlQueries;
  if (generated > flowQueriesPerSave(loaded)) {
    console.error(
      `The generated flow cost ${generated} queries, more than the bound ${flowQueriesPerSave(loaded)}.`
    );
    process.exitCode = 1;
  }
}

main();
