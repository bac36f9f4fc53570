/**
 * `npm test`: the offline checks, in order, fast ones first, stopping at the first step that fails.
 *
 *   npm test                         every step
 *   npm test -- --only lint          one step (or several: --only lint,metadata)
 *   npm test -- --skip jest,sf       all but these
 *   npm test -- --keep-going         run every step even after a failure
 *   npm test -- --list               the steps
 *
 * A step is either a function (root → problems, see ./lib/problem) or a plain command line run
 * from the repository root with node_modules/.bin on PATH.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { TOOL_ROOT } from "./lib/files";
import { formatProblem, sortProblems, type Problem } from "./lib/problem";
import { sfEnv } from "./sf-project";

export interface Step {
  name: string;
  summary: string;
  /** A check: returns the problems it found (none = pass). */
  run?: (root: string) => Promise<Problem[]>;
  /** Or a command line (split on spaces) that passes when it exits 0; its output is shown as is. */
  command?: string;
}

// Checks are imported when their step runs: --list and --only stay fast, and a check's
// dependencies load only where they are needed.
export const STEPS: Step[] = [
  {
    name: "tsc",
    summary:
      "type-check everything (tsconfig.json), then compile LWC .ts to .js in place",
    run: async (root) => (await import("./typescript")).checkTypeScript(root)
  },
  {
    name: "lint",
    summary:
      "ESLint on TypeScript; prettier on TypeScript, LWC templates and metadata XML",
    run: async (root) => (await import("./lint")).checkLint(root)
  },
  {
    name: "metadata",
    summary:
      "*-meta.xml against the Metadata API v66 schema; LWC js-meta.xml schema and meaning",
    run: async (root) => [
      ...(await (await import("./metadata-schema")).checkMetadataSchema(root)),
      ...(await (await import("./lwc-meta")).checkLwcMeta(root))
    ]
  },
  {
    name: "lwc",
    summary:
      "LWC platform compiler; Apex, schema, label, permission and bundle references resolve",
    run: async (root) => (await import("./lwc-compile")).checkLwcBundles(root)
  },
  {
    name: "apex",
    summary:
      "Apex syntax and formatting; apex-ls semantics (types, methods, arguments); SOQL fields; PMD and regex rules of severity 1-2",
    run: async (root) => {
      const { checkApexFormat, checkApexSyntax } = await import("./apex");
      const syntax = checkApexSyntax(root);
      if (syntax.length > 0) return syntax;
      const soql = (await import("./soql")).checkSoql(root);
      const { checkPmd } = await import("./pmd");
      const { checkApexSemantics } = await import("./apex-ls");
      const [format, semantics, pmd] = await Promise.all([
        checkApexFormat(root),
        checkApexSemantics(root),
        checkPmd(root)
      ]);
      return [...soql, ...format, ...semantics, ...pmd];
    }
  },
  {
    name: "flows",
    summary: "Lightning Flow Scanner: no error-severity results",
    run: async (root) => (await import("./flows")).checkFlows(root)
  },
  // ── Project steps: the process map is the single source; generated files must not drift ──
  {
    name: "gates-validate",
    summary:
      "the process map: JSON Schema and meaning (fields, operators, values, stages)",
    command: "tsx scripts/gates/cli.ts validate"
  },
  {
    name: "gates-generate",
    summary: "generated metadata, Apex and LWC map are up to date with the map",
    command: "tsx scripts/gates/cli.ts generate --check"
  },
  {
    name: "docs",
    summary: "docs/process-map.md is up to date with the map",
    command: "tsx scripts/docs/generate-docs.ts --check"
  },
  {
    name: "preview",
    summary:
      "local preview: build fails on unresolved imports; browser tests in Chromium",
    command: "tsx preview/e2e/run.ts"
  },
  {
    name: "jest",
    summary: "unit tests: LWC (sfdx-lwc-jest) and Node (scripts, checks)",
    command: "jest --ci --maxWorkers=2"
  },
  {
    name: "sf",
    summary:
      "sf project convert source and sf project generate manifest (into a temp folder)",
    run: async (root) => (await import("./sf-project")).checkSfProject(root)
  }
];

interface Options {
  only?: string[];
  skip: string[];
  keepGoing: boolean;
  list: boolean;
  help: boolean;
}

const USAGE = `Usage: npm test [-- options]
  --only <step>[,<step>]   run only these steps (a bare step name works too)
  --skip <step>[,<step>]   run all steps but these
  --keep-going             run every step even after one fails
  --list                   list the steps`;

export function parseArgs(argv: string[], steps: Step[] = STEPS): Options {
  const options: Options = {
    skip: [],
    keepGoing: false,
    list: false,
    help: false
  };
  const names = (value: string | undefined, flag: string): string[] => {
    if (!value) throw new Error(`${flag} needs a step name`);
    const list = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const name of list) {
      if (!steps.some((s) => s.name === name)) {
        throw new Error(
          `unknown step "${name}" (steps: ${steps.map((s) => s.name).join(", ")})`
        );
      }
    }
    return list;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (flag === "--only")
      options.only = [
        ...(options.only ?? []),
        ...names(inline ?? argv[++i], flag)
      ];
    else if (flag === "--skip")
      options.skip.push(...names(inline ?? argv[++i], flag));
    else if (flag === "--keep-going") options.keepGoing = true;
    else if (flag === "--list") options.list = true;
    else if (flag === "--help" || flag === "-h") options.help = true;
    else if (steps.some((s) => s.name === arg))
      options.only = [...(options.only ?? []), arg];
    else throw new Error(`unknown argument "${arg}"`);
  }
  return options;
}

function runCommand(command: string, root: string): Promise<number> {
  const [program, ...args] = command.split(/\s+/).filter(Boolean);
  const bin = path.join(TOOL_ROOT, "node_modules", ".bin");
  return new Promise((resolve) => {
    const child = spawn(program, args, {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`
      }
    });
    child.on("error", (error) => {
      console.error(`cannot run ${program}: ${error.message}`);
      resolve(127);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const MAX_LISTED = 200;

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.list) {
    for (const step of STEPS)
      console.log(`${step.name.padEnd(10)} ${step.summary}`);
    return 0;
  }
  Object.assign(process.env, sfEnv({}));
  const root = TOOL_ROOT;
  const selected = STEPS.filter(
    (s) =>
      (!options.only || options.only.includes(s.name)) &&
      !options.skip.includes(s.name)
  );
  const started = Date.now();
  const passed: string[] = [];
  const failed: string[] = [];
  for (const step of selected) {
    console.log(`\n── ${step.name}: ${step.summary}`);
    const t0 = Date.now();
    let ok: boolean;
    let detail = "";
    if (step.command) {
      const code = await runCommand(step.command, root);
      ok = code === 0;
      detail = ok ? "" : `: \`${step.command}\` exited with ${code}`;
    } else {
      let problems: Problem[];
      try {
        problems = sortProblems(await step.run!(root));
      } catch (error) {
        problems = [
          {
            file: "(check)",
            message: `the check itself failed: ${(error as Error).stack ?? String(error)}`
          }
        ];
      }
      ok = problems.length === 0;
      for (const problem of problems.slice(0, MAX_LISTED))
        console.log(`  ${formatProblem(problem)}`);
      if (problems.length > MAX_LISTED)
        console.log(`  ... and ${problems.length - MAX_LISTED} more`);
      detail = ok
        ? ""
        : `: ${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    }
    console.log(
      `${ok ? "✔" : "✖"} ${step.name} (${seconds(Date.now() - t0)})${detail}`
    );
    (ok ? passed : failed).push(step.name);
    if (!ok && !options.keepGoing) break;
  }
  const notRun = selected.length - passed.length - failed.length;
  console.log(
    `\nTotal ${seconds(Date.now() - started)}${failed.length ? `; failed: ${failed.join(", ")}` : ""}${notRun ? `; not run: ${notRun}` : ""}`
  );
  console.log(`checks: ${passed.length} passed, ${failed.length} failed`);
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    }
  );
}
