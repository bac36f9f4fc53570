/**
 * `npm run gates -- <command> [options]`: the process map's command line.
 * Each command lives in ./commands/<name>.ts and exports `run(args: string[]): Promise<number>`.
 */
const COMMANDS: Record<
  string,
  {
    summary: string;
    load: () => Promise<{ run: (args: string[]) => Promise<number> }>;
  }
> = {
  validate: {
    summary: "check the process map (schema and meaning)",
    load: () => import("./commands/validate")
  },
  generate: {
    summary: "write validation rules, flow, permissions and the LWC map",
    load: () => import("./commands/generate")
  },
  check: {
    summary: "what-if: would these saves be allowed?",
    load: () => import("./commands/check")
  },
  audit: {
    summary: "which open deals sit in a stage whose gates they do not meet",
    load: () => import("./commands/audit")
  },
  pull: {
    summary:
      "retrieve the org's stages, picklists, fields, record types and rules",
    load: () => import("./commands/pull")
  },
  history: {
    summary:
      "stage KPIs from OpportunityHistory: conversion, velocity, skips, pushes, win rate",
    load: () => import("./commands/history")
  }
};

function usage(): string {
  return [
    "Usage: npm run gates -- <command> [options]",
    "",
    ...Object.entries(COMMANDS).map(
      ([name, c]) => `  ${name.padEnd(10)} ${c.summary}`
    ),
    "",
    "Run a command with --help for its options."
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
);
