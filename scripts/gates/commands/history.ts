/**
 * `npm run gates -- history`: stage KPIs from OpportunityHistory per process of the map.
 *
 *   history --records R.json [--config F] [--from D] [--to D] [--today D] [--format F]
 *   history --records R.csv --history H.csv [...]
 *   history --org ALIAS [...]
 *   history --soql [--from D ...]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  FORMATS,
  formatHistory,
  targetsOf,
  type Format
} from "../../history/format";
import { HistoryKpis } from "../../history/kpis";
import {
  buildHistoryQueries,
  formatQueries,
  queryOrgHistory
} from "../../history/org";
import { readHistoryCsv } from "../../history/read-csv";
import { readHistoryJson, type ReadSummary } from "../../history/read-json";
import {
  HistoryInputError,
  isIsoDate,
  shiftDate,
  type Period
} from "../../history/types";
import {
  DEFAULT_CONFIG,
  formatProblem,
  loadMap,
  MapValidationError
} from "../load";

export const DEFAULT_DAYS = 90;

export const USAGE = `Usage: npm run gates -- history [options]

Stage KPIs from OpportunityHistory, per process of the map: how many deals entered each
stage and advanced from it (conversion), were lost from it, skipped it or moved back,
days in stage against targetDays, close-date pushes, win rate and cycle length.

Input (one of):
  --records, -r FILE   the JSON output of "sf data query --json" on Opportunity with the
                       OpportunityHistories subquery (see --soql)
  --records R.csv --history H.csv
                       CSV exports of Opportunity (Id, CreatedDate,
                       RecordType.DeveloperName) and OpportunityHistory (OpportunityId,
                       CreatedDate, StageName, CloseDate)
  --org, -o ALIAS      run the query through the Salesforce CLI (sf data query --json
                       --target-org ALIAS); sf from PATH or the SF_BIN environment variable
  --soql               print the queries for this map and period and exit

Options:
  --config, -c FILE    process map (default ${DEFAULT_CONFIG})
  --from YYYY-MM-DD    first day of the period (inclusive, UTC; default: ${DEFAULT_DAYS} days before --to)
  --to YYYY-MM-DD      end of the period (exclusive, UTC; default: the day after --today)
  --today YYYY-MM-DD   history up to the end of this day (UTC) counts; open stays are
                       measured to it (default: today, UTC)
  --format, -f FORMAT  table (default), json (numbers unrounded), csv, md, html (one
                       self-contained page with charts; redirect it into a file)
  --help, -h           this help

Exit code 0 when the report was written, 1 when the map or the input cannot be read,
2 for wrong options.`;

export interface HistoryIo {
  stdout: { write(chunk: string): boolean };
  stderr: { write(chunk: string): boolean };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

interface Options {
  config: string;
  records?: string;
  history?: string;
  org?: string;
  soql: boolean;
  period: Period;
  format: Format;
  help: boolean;
}

/** Today's date in UTC, YYYY-MM-DD. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function dateOption(
  name: string,
  value: string | undefined
): string | undefined {
  if (value !== undefined && !isIsoDate(value)) {
    throw new UsageError(`--${name} must be a date YYYY-MM-DD; got "${value}"`);
  }
  return value;
}

export function periodOf(
  from: string | undefined,
  to: string | undefined,
  today: string
): Period {
  const end = to ?? shiftDate(today, 1);
  const start = from ?? shiftDate(end, -DEFAULT_DAYS);
  if (start >= end) {
    throw new UsageError(
      `--from (${start}) must be before --to (${end}); --to is exclusive`
    );
  }
  return { from: start, to: end, today };
}

function parseOptions(args: string[], now: Date): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        config: { type: "string", short: "c" },
        records: { type: "string", short: "r" },
        history: { type: "string" },
        org: { type: "string", short: "o" },
        soql: { type: "boolean" },
        from: { type: "string" },
        to: { type: "string" },
        today: { type: "string" },
        format: { type: "string", short: "f" },
        help: { type: "boolean", short: "h" }
      }
    }));
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message : String(error)
    );
  }
  const format = (values.format ?? "table") as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${FORMATS.join(", ")}; got "${values.format}"`
    );
  }
  const today = dateOption("today", values.today) ?? utcToday(now);
  const period = periodOf(
    dateOption("from", values.from),
    dateOption("to", values.to),
    today
  );
  const help = values.help ?? false;
  const soql = values.soql ?? false;
  if (!help && !soql) {
    if (values.org !== undefined) {
      if (values.records !== undefined || values.history !== undefined) {
        throw new UsageError(
          "give either --org or --records (and --history), not both"
        );
      }
    } else if (values.records === undefined) {
      throw new UsageError(
        values.history !== undefined
          ? "--history needs --records with the Opportunity CSV export"
          : "give --records FILE, --records R.csv --history H.csv, or --org ALIAS"
      );
    } else if (
      values.history === undefined &&
      path.extname(values.records).toLowerCase() === ".csv"
    ) {
      throw new UsageError(
        "a CSV --records needs --history with the OpportunityHistory CSV export"
      );
    }
  }
  return {
    config: values.config ?? DEFAULT_CONFIG,
    records: values.records,
    history: values.history,
    org: values.org,
    soql,
    period,
    format,
    help
  };
}

function openJson(file: string): fs.ReadStream {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HistoryInputError(
      file,
      code === "ENOENT" ? "no such file" : `cannot be read (${code})`
    );
  }
  if (stat.isDirectory()) {
    throw new HistoryInputError(file, "is a directory, not an export file");
  }
  return fs.createReadStream(file, {
    encoding: "utf8",
    highWaterMark: 1 << 20
  });
}

export async function runHistory(
  args: string[],
  io: HistoryIo,
  now: Date = new Date()
): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(args, now);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`history: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const loaded = loadMap(options.config);
    const queries = buildHistoryQueries(loaded.runtime, options.period.from);
    if (options.soql) {
      io.stdout.write(formatQueries(queries));
      return 0;
    }
    const kpis = new HistoryKpis(loaded.runtime, options.period);
    const onDeal = kpis.add.bind(kpis);
    let summary: ReadSummary;
    if (options.org !== undefined) {
      io.stderr.write(`Querying org ${options.org} with sf data query…\n`);
      summary = await queryOrgHistory(
        options.org,
        queries.json,
        onDeal,
        io.env
      );
    } else if (options.history !== undefined) {
      summary = await readHistoryCsv(
        options.records as string,
        options.history,
        onDeal
      );
    } else {
      const file = options.records as string;
      summary = await readHistoryJson(openJson(file), file, onDeal, file);
    }
    const report = kpis.report();
    // The whole output is built before anything is printed.
    let output: string;
    if (options.format === "html") {
      const { renderHistoryHtml } = await import("../../history/html");
      output = renderHistoryHtml(report, targetsOf(loaded.runtime), {
        config: loaded.file,
        source: options.org ? `org ${options.org}` : (options.records as string)
      });
    } else {
      output = formatHistory(report, options.format, targetsOf(loaded.runtime));
    }
    for (const note of summary.notes) {
      io.stderr.write(`note: ${note.message}\n`);
    }
    io.stdout.write(output);
    return 0;
  } catch (error) {
    if (error instanceof MapValidationError) {
      io.stderr.write(`${error.problems.map(formatProblem).join("\n")}\n`);
      return 1;
    }
    io.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n`
    );
    return 1;
  }
}

export function run(args: string[]): Promise<number> {
  return runHistory(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env
  });
}
