/**
 * `npm run bench:audit`: audit throughput on generated opportunities, and the same
 * question ("may this record be in its stage?") answered by evaluating the generated
 * validation-rule formulas with formulon, for comparison.
 *
 *   npm run bench:audit -- [--records 100000] [--seed 42] [--runs 3] [--config F]
 *                          [--today 2026-11-16] [--formulon auto|all|none|N]
 *
 * --formulon auto (default) evaluates every formula for every record when there are at
 * most 2,000 records, else for a deterministic sample (every k-th record, about 2,000)
 * and extrapolates; "all" evaluates every record (about an hour for 100,000 records);
 * N evaluates every k-th record for about N records.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { FieldType } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  auditRecords,
  type AuditReport,
  type OpportunityAudit
} from "../audit/report";
import { readJsonExport } from "../audit/read-json";
import { readAuditFile } from "../audit/read";
import { generateSyntheticExport } from "../audit/synthetic";
import type { AuditInput } from "../audit/types";
import { validationRuleFormulas } from "../gates/generate/validation-rules";
import {
  evaluatePrepared,
  prepareFormula,
  type HarnessFieldTypes
} from "../gates/formula/formulon-harness";
import {
  DEFAULT_CONFIG,
  loadMap,
  PROJECT_DIR,
  type LoadedMap
} from "../gates/load";

const AUTO_SAMPLE = 2000;

interface Options {
  records: number;
  seed: number;
  runs: number;
  config: string;
  today: string;
  formulon: "auto" | "all" | "none" | number;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: "string", default: "100000" },
      seed: { type: "string", default: "42" },
      runs: { type: "string", default: "3" },
      config: { type: "string", default: DEFAULT_CONFIG },
      today: { type: "string", default: "2026-11-16" },
      formulon: { type: "string", default: "auto" }
    }
  });
  const int = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      throw new Error(`--${name} must be an integer ≥ ${min}; got "${text}"`);
    }
    return n;
  };
  const f = values.formulon;
  return {
    records: int("records", values.records, 1),
    seed: int("seed", values.seed, 0),
    runs: int("runs", values.runs, 1),
    config: values.config,
    today: values.today,
    formulon:
      f === "auto" || f === "all" || f === "none" ? f : int("formulon", f, 1)
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  });

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function summarize(times: number[]): { best: number; median: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

/** Enforced field criteria the audit found unmet: what the validation rules must flag. */
function expectedRuleCriteria(
  loaded: LoadedMap,
  audit: OpportunityAudit | undefined
): string[] {
  if (!audit) {
    return [];
  }
  const related = new Set(
    audit.outcomes
      .filter((o) => o.verdict === "unmet" && o.mode === "enforce")
      .map((o) => o.id)
  );
  const fieldIds = new Set(validationRuleIds(loaded));
  return [...related].filter((id) => fieldIds.has(id)).sort();
}

let ruleIdCache: string[] | undefined;
function validationRuleIds(loaded: LoadedMap): string[] {
  ruleIdCache ??= validationRuleFormulas(loaded).map((r) => r.criterionId);
  return ruleIdCache;
}

function formulonComparison(
  loaded: LoadedMap,
  input: AuditInput,
  report: AuditReport,
  opts: Options,
  auditMsPerRecord: number
): void {
  if (opts.formulon === "none") {
    return;
  }
  const fieldTypes: HarnessFieldTypes = Object.fromEntries(
    Object.entries(loaded.fields.Opportunity ?? {}).map(([name, info]) => [
      name,
      info.type as FieldType
    ])
  );
  const rules = validationRuleFormulas(loaded).map((r) => ({
    ...r,
    prepared: prepareFormula(r.formula, fieldTypes)
  }));
  const total = input.records.length;
  const wanted =
    opts.formulon === "all"
      ? total
      : opts.formulon === "auto"
        ? Math.min(total, AUTO_SAMPLE)
        : Math.min(total, opts.formulon);
  const step = Math.max(1, Math.floor(total / wanted));
  const sample = input.records.filter((_, i) => i % step === 0);
  const byRow = new Map(report.opportunities.map((o) => [o.row, o]));
  console.log("");
  console.log(
    `formulon ${formulonVersion()}: ${rules.length} generated validation rules (enforced field criteria), ` +
      "each evaluated as an insert at the record's stage (ISNEW() true, no bypass permission)"
  );
  console.log(
    sample.length === total
      ? `  records: all ${fmt(total)}`
      : `  records: deterministic sample, every ${fmt(step)}th record (${fmt(sample.length)} of ${fmt(total)})`
  );
  let agree = 0;
  const disagreements: string[] = [];
  let fired = 0;
  const progressEvery = Math.max(1, Math.floor(sample.length / 10));
  const { ms } = time(() => {
    sample.forEach((row, n) => {
      const harnessRecord = {
        values: row.values,
        prior: null,
        recordType: row.recordType ?? null,
        permissions: [],
        today: opts.today
      };
      const flagged: string[] = [];
      for (const rule of rules) {
        if (evaluatePrepared(rule.prepared, fieldTypes, harnessRecord)) {
          flagged.push(rule.criterionId);
        }
      }
      fired += flagged.length;
      const expected = expectedRuleCriteria(loaded, byRow.get(row.row));
      const got = [...new Set(flagged)].sort();
      if (got.join(",") === expected.join(",")) {
        agree++;
      } else if (disagreements.length < 5) {
        disagreements.push(
          `${row.id} (${row.stage}): rules ${got.join(" ") || "-"}; audit ${expected.join(" ") || "-"}`
        );
      }
      if (sample.length >= 20000 && (n + 1) % progressEvery === 0) {
        process.stderr.write(
          `  formulon: ${fmt(n + 1)}/${fmt(sample.length)} records\n`
        );
      }
    });
  });
  const evaluations = sample.length * rules.length;
  const perRecord = ms / sample.length;
  console.log(
    `  ${fmt(evaluations)} formula evaluations in ${fmt(ms / 1000, 1)} s: ${fmt(perRecord, 2)} ms per record, ` +
      `${fmt((ms * 1000) / evaluations, 0)} µs per evaluation, ${fmt(fired)} rule errors raised`
  );
  if (sample.length < total) {
    console.log(
      `  extrapolated (not measured) to all ${fmt(total)} records: ~${fmt((perRecord * total) / 1000, 0)} s`
    );
  }
  console.log(
    `  agreement with the audit (enforced field criteria unmet): ${fmt(agree)} of ${fmt(sample.length)} records identical`
  );
  for (const d of disagreements) {
    console.log(`    differs: ${d}`);
  }
  console.log("");
  console.log(
    `Ratio: formulon needs ${fmt(perRecord / auditMsPerRecord, 0)}× the audit's time per record (audit parse excluded)` +
      ` to answer the same question for the ${rules.length} field criteria only; the audit also covers related-record criteria.`
  );
}

function formulonVersion(): string {
  try {
    const file = path.join(
      PROJECT_DIR,
      "node_modules",
      "formulon",
      "package.json"
    );
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string })
      .version;
  } catch {
    return "";
  }
}

/**
 * The command's path in a fresh process — read the export file, audit — and that
 * process's peak memory (resident set size), for the JSON file written by the benchmark.
 */
async function memoryChild(argv: string[]): Promise<void> {
  const [file, config, today] = argv;
  const loaded = loadMap(config);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const input = await readAuditFile(file, loaded.fields);
  const report = auditRecords(loaded.runtime, input, {
    today,
    config: loaded.file
  });
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(
    `${JSON.stringify({
      ms: Number(process.hrtime.bigint() - start) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      audited: report.totals.audited,
      maxRssMb: process.resourceUsage().maxRSS / 1024
    })}\n`
  );
}

function measureMemory(text: string, opts: Options): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-audit-"));
  const file = path.join(dir, "opportunities.sf-query.json");
  try {
    fs.writeFileSync(file, text);
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        __filename,
        "--memory-child",
        file,
        opts.config,
        opts.today
      ],
      { cwd: PROJECT_DIR, encoding: "utf8" }
    );
    if (run.status !== 0) {
      throw new Error(`memory run failed (${run.status}):\n${run.stderr}`);
    }
    const r = JSON.parse(run.stdout.trim().split("\n").pop() as string) as {
      ms: number;
      cpuMs: number;
      audited: number;
      maxRssMb: number;
    };
    console.log("");
    console.log(
      `Peak memory of the command's path in a fresh process (read the ${fmt(Buffer.byteLength(text) / 1048576, 1)} MB file + audit): ` +
        `${fmt(r.maxRssMb)} MB resident; ${fmt(r.ms)} ms wall, ${fmt(r.cpuMs)} ms CPU, ${fmt(r.audited)} audited`
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const opts = options(process.argv.slice(2));
  const loaded = loadMap(opts.config);
  console.log(
    `Audit benchmark: ${fmt(opts.records)} generated opportunities (seed ${opts.seed}) against ${loaded.file}, today ${opts.today}`
  );
  console.log(
    `Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), single thread`
  );
  const generated = time(() =>
    generateSyntheticExport(loaded.runtime, loaded.fields, {
      count: opts.records,
      seed: opts.seed,
      today: opts.today
    })
  );
  // `sf data query --json` prints indented JSON: the benchmark parses the same shape.
  const text = JSON.stringify(generated.value.document, null, 2);
  console.log(
    `Generated in ${fmt(generated.ms / 1000, 1)} s: ${fmt(opts.records)} opportunities, ${fmt(generated.value.relatedRecords)} related records, ` +
      `${fmt(Buffer.byteLength(text) / 1048576, 1)} MB of sf data query JSON`
  );
  generated.value.document.result.records = [];
  measureMemory(text, opts);

  const included: number[] = [];
  const excluded: number[] = [];
  let input: AuditInput | undefined;
  let report: AuditReport | undefined;
  for (let run = 0; run < opts.runs; run++) {
    const withParse = time(() => {
      const parsed = readJsonExport(text, "generated.json");
      return {
        parsed,
        report: auditRecords(loaded.runtime, parsed, {
          today: opts.today,
          config: loaded.file
        })
      };
    });
    included.push(withParse.ms);
    input = withParse.value.parsed;
    const audited = input;
    const only = time(() =>
      auditRecords(loaded.runtime, audited, {
        today: opts.today,
        config: loaded.file
      })
    );
    excluded.push(only.ms);
    report = only.value;
  }
  if (!input || !report) {
    return;
  }
  const inc = summarize(included);
  const exc = summarize(excluded);
  const rate = (ms: number) => fmt(opts.records / (ms / 1000));
  console.log("");
  console.log(`Audit, ${opts.runs} runs (best / median):`);
  console.log(
    `  parse included (streamed read + audit):     ${fmt(inc.best)} / ${fmt(inc.median)} ms = ${rate(inc.best)} records/s`
  );
  console.log(
    `  parse excluded (audit only):                ${fmt(exc.best)} / ${fmt(exc.median)} ms = ${rate(exc.best)} records/s`
  );
  const t = report.totals;
  console.log(
    `  result: ${fmt(t.audited)} audited, ${fmt(t.meetingGates)} meet their gates, ${fmt(t.notMeetingGates)} do not, ` +
      `${fmt(t.overdue)} overdue, ${fmt(t.unknownStage)} in a stage not in the map`
  );
  formulonComparison(loaded, input, report, opts, exc.best / opts.records);
}

if (process.argv[2] === "--memory-child") {
  memoryChild(process.argv.slice(3)).catch((error: unknown) => {
    console.error(
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    );
    process.exitCode = 1;
  });
} else {
  main();
}
