/**
 * `npm start`: builds the preview and serves it on http://localhost:3000 (or $PORT).
 *
 *   npm start                 build, serve, print the URL
 *   npm start -- --no-build   serve the existing preview/dist
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildPreview, formatBuildError } from "./build";
import { DEFAULT_OUT_DIR } from "./lib/paths";
import { serveDirectory } from "./lib/server";

async function main(argv: string[]): Promise<number> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, not "${process.env.PORT}"`);
    return 2;
  }
  if (!argv.includes("--no-build")) {
    await buildPreview({ log: (m) => console.log(m) });
  } else if (!fs.existsSync(path.join(DEFAULT_OUT_DIR, "index.html"))) {
    console.error(
      "preview/dist has no build: run npm start without --no-build"
    );
    return 1;
  }
  const host = process.env.HOST ?? "127.0.0.1";
  const server = await serveDirectory(DEFAULT_OUT_DIR, port, host);
  console.log(`\nStage gates preview: ${server.url}\n(Ctrl+C to stop)`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) {
      process.exitCode = code;
    }
  },
  (error: unknown) => {
    console.error(formatBuildError(error));
    process.exitCode = 1;
  }
);
