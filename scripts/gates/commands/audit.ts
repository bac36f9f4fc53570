/**
 * `npm run gates -- audit`: which open deals sit in a stage whose gates they do not meet.
 *
 *   audit [--config F] --records R [--today YYYY-MM-DD] [--format table|json|csv|md]
 *   audit [--config F] --org ALIAS [--today ...] [--format ...]
 *   audit [--config F] --soql
 */
import { parseArgs } from "node:util";
import { formatReport, FORMATS, type Format } from "../../audit/format";
import { queryOrg, buildAuditQuery } from "../../audit/org";
import {
  createProgress,
  PROGRESS_THRESHOLD,
  type ProgressStream
} from "../../audit/progress";
import { readAuditFile } from "../../audit/read";
import { auditRecords } from "../../audit/report";
import { AuditInputError, isIsoDate, type AuditInput } from "../../audit/types";
import {
  DEFAULT_CONFIG,
  formatProblem,
  loadMap,
  MapValidationError,
  type LoadedMap
} from "../load";

export const USAGE = `Usage: npm run gates -- audit [options]

Which open opportunities sit in a stage whose gates they do not meet: for each one,
the criteria required to be in its stage (every earlier stage's exit criteria and the
stage's entry criteria) that it does not meet now, and its days in stage against the
stage's targetDays; then a summary per stage and per criterion. An approved waiver whose
last day (Expires_On__c) is on or after --today lifts its criterion (reported as waived, not
failing); the deals' waivers are listed, active or not (expired, pending, rejected, revoked).
They come from the Stage_Gate_Waivers__r subquery when the export has it, else from the
deal's waived list Stage_Gate_Waived__c (";code;"), which is what the org's rules read.

Input (one of):
  --records, -r FILE   the JSON output of "sf data query --json" on Opportunity (with
                       subqueries such as OpportunityContactRoles, Tasks, Stage_Gate_Waivers__r),
                       a {"records":[...]} object or array, or a CSV export with a header row
                       of API names (waivers: a Stage_Gate_Waived__c column)
  --org, -o ALIAS      run the query through the Salesforce CLI (sf data query --json
                       --target-org ALIAS); sf from PATH or the SF_BIN environment variable
  --soql               print the SOQL the audit needs for this map and exit

Options:
  --config, -c FILE    process map (default ${DEFAULT_CONFIG})
  --today YYYY-MM-DD   the date to count days in stage to and to judge waivers on
                       (default: today, in this computer's time zone)
  --format, -f FORMAT  table (default), json, csv (one row per opportunity and unmet or
                       unchecked criterion), md (for an email or a wiki page)
  --help, -h           this help

Exit code 0 when the report was written (even if deals fail their gates), 1 when the
map or the input cannot be read, 2 for wrong options.`;

export interface AuditIo {
  stdout: { write(chunk: string): boolean };
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
}

/** Today's date in the local time zone, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

class UsageError extends Error {}

interface Options {
  config: string;
  records?: string;
  org?: string;
  soql: boolean;
  today: string;
  format: Format;
  help: boolean;
}

function parseOptions(args: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        config: { type: "string", short: "c" },
        records: { type: "string", short: "r" },
        org: { type: "string", short: "o" },
        soql: { type: "boolean" },
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
  const today = values.today ?? localToday();
  if (!isIsoDate(today)) {
    throw new UsageError(
      `--today must be a date YYYY-MM-DD; got "${values.today}"`
    );
  }
  const help = values.help ?? false;
  const soql = values.soql ?? false;
  const inputs = [values.records, values.org].filter(
    (v) => v !== undefined
  ).length;
  if (!help && !soql && inputs !== 1) {
    throw new UsageError(
      inputs === 0
        ? "give --records FILE or --org ALIAS"
        : "give either --records or --org, not both"
    );
  }
  return {
    config: values.config ?? DEFAULT_CONFIG,
    records: values.records,
    org: values.org,
    soql,
    today,
    format,
    help
  };
}

export async function runAudit(args: string[], io: AuditIo): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`audit: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const loaded: LoadedMap = loadMap(options.config);
    if (options.soql) {
      io.stdout.write(`${buildAuditQuery(loaded.runtime)}\n`);
      return 0;
    }
    let input: AuditInput;
    if (options.org !== undefined) {
      io.stderr.write(`Querying org ${options.org} with sf data query…\n`);
      input = (await queryOrg(options.org, loaded.runtime, io.env)).input;
    } else {
      input = await readAuditFile(options.records as string, loaded.fields);
    }
    const onProgress =
      input.records.length > PROGRESS_THRESHOLD
        ? createProgress(io.stderr, "Auditing")
        : undefined;
    const report = auditRecords(loaded.runtime, input, {
      today: options.today,
      config: loaded.file,
      onProgress
    });
    io.stdout.write(formatReport(report, options.format));
    return 0;
  } catch (error) {
    if (error instanceof MapValidationError) {
      io.stderr.write(`${error.problems.map(formatProblem).join("\n")}\n`);
      return 1;
    }
    if (error instanceof AuditInputError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    io.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n`
    );
    return 1;
  }
}

export function run(args: string[]): Promise<number> {
  return runAudit(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env
  });
}
