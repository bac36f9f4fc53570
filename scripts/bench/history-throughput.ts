/**
 * `npm run bench:history`: throughput and peak memory of `gates history` on generated,
 * seeded OpportunityHistory data, for both inputs (sf data query JSON and the two CSV
 * exports). Each measured run is a fresh Node process (so its peak memory is its own):
 * read + timeline + KPIs, the same code the command runs, the report built but not printed.
 *
 *   npm run bench:history -- [--rows 1000000] [--seed 42] [--runs 3] [--today 2026-11-16]
 *                            [--config F] [--input both|json|csv] [--keep DIR]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { HistoryKpis } from "../history/kpis";
import { readHistoryCsv } from "../history/read-csv";
import { readHistoryJson, type ReadSummary } from "../history/read-json";
import {
  syntheticDeals,
  writeSyntheticCsv,
  writeSyntheticJson
} from "../history/synthetic";
import { shiftDate } from "../history/types";
import { DEFAULT_CONFIG, loadMap, PROJECT_DIR } from "../gates/load";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  });

interface ChildResult {
  ms: number;
  /** CPU time (user + system) of the run: what a loaded, shared machine does not distort. */
  cpuMs: number;
  deals: number;
  rows: number;
  maxRssMb: number;
  heapUsedMb: number;
}

/** One measured run, inside its own process. */
async function child(argv: string[]): Promise<void> {
  const [kind, config, today, ...files] = argv;
  const loaded = loadMap(config);
  const period = {
    from: shiftDate(today, -89),
    to: shiftDate(today, 1),
    today
  };
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const kpis = new HistoryKpis(loaded.runtime, period);
  const onDeal = kpis.add.bind(kpis);
  let summary: ReadSummary;
  if (kind === "json") {
    summary = await readHistoryJson(
      fs.createReadStream(files[0], {
        encoding: "utf8",
        highWaterMark: 1 << 20
      }),
      files[0],
      onDeal,
      files[0]
    );
  } else if (kind === "csv") {
    summary = await readHistoryCsv(files[0], files[1], onDeal);
  } else {
    // Baseline: the process with the map loaded and nothing read.
    summary = { kind: "csv", deals: 0, rows: 0, notes: [] };
  }
  const report = kpis.report();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (report.processes.length === 0 && kind !== "baseline") {
    throw new Error("no processes");
  }
  const result: ChildResult = {
    ms,
    cpuMs,
    deals: summary.deals,
    rows: summary.rows,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1048576
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function measure(args: string[]): ChildResult {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", __filename, "--child", ...args],
    { cwd: PROJECT_DIR, encoding: "utf8", maxBuffer: 1 << 20 }
  );
  if (run.status !== 0) {
    throw new Error(`benchmark run failed (${run.status}):\n${run.stderr}`);
  }
  return JSON.parse(
    run.stdout.trim().split("\n").pop() as string
  ) as ChildResult;
}

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rows: { type: "string", default: "1000000" },
      seed: { type: "string", default: "42" },
      runs: { type: "string", default: "3" },
      today: { type: "string", default: "2026-11-16" },
      config: { type: "string", default: DEFAULT_CONFIG },
      input: { type: "string", default: "both" },
      keep: { type: "string" }
    }
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  const runs = Number(values.runs);
  if (
    !Number.isInteger(rows) ||
    rows < 1 ||
    !Number.isInteger(runs) ||
    runs < 1
  ) {
    throw new Error("--rows and --runs must be positive integers");
  }
  const inputs = values.input === "both" ? ["json", "csv"] : [values.input];
  const loaded = loadMap(values.config);
  const dir =
    values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "bench-history-"));
  fs.mkdirSync(dir, { recursive: true });
  console.log(
    `History benchmark: ${fmt(rows)} generated OpportunityHistory rows (seed ${seed}) against ${loaded.file}, today ${values.today}, period: the 90 days ending today`
  );
  console.log(
    `Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), one thread per run`
  );
  const json = path.join(dir, "opportunities.sf-query.json");
  const records = path.join(dir, "opportunities.csv");
  const history = path.join(dir, "opportunity-history.csv");
  try {
    const options = { rows, seed, today: values.today };
    if (inputs.includes("json")) {
      const t = Date.now();
      const w = writeSyntheticJson(
        json,
        syntheticDeals(loaded.runtime, options)
      );
      console.log(
        `Generated sf data query JSON: ${fmt(w.deals)} opportunities, ${fmt(w.rows)} history rows, ${fmt(w.bytes / 1048576, 1)} MB (${fmt((Date.now() - t) / 1000, 1)} s)`
      );
    }
    if (inputs.includes("csv")) {
      const t = Date.now();
      const w = writeSyntheticCsv(
        records,
        history,
        syntheticDeals(loaded.runtime, options)
      );
      console.log(
        `Generated CSV exports: ${fmt(w.deals)} opportunities, ${fmt(w.rows)} history rows, ${fmt(w.bytes / 1048576, 1)} MB (${fmt((Date.now() - t) / 1000, 1)} s)`
      );
    }
    const baseline = measure(["baseline", values.config, values.today]);
    console.log("");
    console.log(
      `Baseline (Node + tsx + the map, nothing read): peak RSS ${fmt(baseline.maxRssMb)} MB`
    );
    for (const input of inputs) {
      const files = input === "json" ? [json] : [records, history];
      const results: ChildResult[] = [];
      for (let r = 0; r < runs; r++) {
        results.push(measure([input, values.config, values.today, ...files]));
      }
      const byWall = [...results].sort((a, b) => a.ms - b.ms);
      const byCpu = [...results].sort((a, b) => a.cpuMs - b.cpuMs);
      const mid = Math.floor(runs / 2);
      const peak = Math.max(...results.map((x) => x.maxRssMb));
      const n = results[0].rows;
      console.log(
        `${input === "json" ? "sf data query JSON" : "CSV exports"}: ${fmt(n)} rows of ${fmt(results[0].deals)} deals, ${runs} run(s)`
      );
      console.log(
        `  wall time best ${fmt(byWall[0].ms)} ms, median ${fmt(byWall[mid].ms)} ms = ${fmt(n / (byWall[0].ms / 1000))} rows/s (median ${fmt(n / (byWall[mid].ms / 1000))})`
      );
      console.log(
        `  CPU time  best ${fmt(byCpu[0].cpuMs)} ms, median ${fmt(byCpu[mid].cpuMs)} ms = ${fmt(n / (byCpu[0].cpuMs / 1000))} rows per CPU-second (median ${fmt(n / (byCpu[mid].cpuMs / 1000))})`
      );
      console.log(`  peak RSS ${fmt(peak)} MB`);
    }
    console.log("");
    console.log(
      `Targets: at least 500,000 rows/s and under 300 MB peak memory. Load average now: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(", ")} ` +
        "(on a shared machine wall time stretches; CPU time is the run's own work)."
    );
  } finally {
    if (!values.keep) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[2] === "--child") {
  child(process.argv.slice(3)).catch((error: unknown) => {
    console.error(
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    );
    process.exitCode = 1;
  });
} else {
  main();
}
