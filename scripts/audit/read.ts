/**
 * Reads an audit input file: the JSON of `sf data query --json` (or a bare records
 * object/array) or a CSV export, told apart by extension and, failing that, content.
 * Both are streamed (./read-json.ts, ./read-csv.ts): the file's text is never held whole.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FieldCatalogue } from "../gates/load";
import { readCsvExport } from "./read-csv";
import { readJsonExport, readJsonFile } from "./read-json";
import { AuditInputError, EXPECTED_INPUT, type AuditInput } from "./types";

function firstSignificantChar(text: string): string {
  const m = /[^\s\uFEFF]/.exec(text.slice(0, 4096));
  return m ? m[0] : "";
}

type Kind = "json" | "csv";

/** JSON or CSV, from the extension and the first significant character; throws for neither. */
function kindOf(head: string, source: string): Kind {
  const first = firstSignificantChar(head);
  if (first === "") {
    throw new AuditInputError(source, `is empty; ${EXPECTED_INPUT}`);
  }
  const ext = path.extname(source).toLowerCase();
  if (ext === ".json" || (ext !== ".csv" && (first === "{" || first === "["))) {
    return "json";
  }
  if (first === "<") {
    throw new AuditInputError(
      source,
      `looks like HTML or XML, not an export; ${EXPECTED_INPUT}`,
      "line 1"
    );
  }
  return "csv";
}

/** Parses export content already in memory. `source` names it in messages. */
export async function parseAuditInput(
  content: Buffer | string,
  source: string,
  fields: FieldCatalogue
): Promise<AuditInput> {
  const buffer =
    typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (kindOf(buffer.subarray(0, 4096).toString("utf8"), source) === "json") {
    const text =
      typeof content === "string" ? content : buffer.toString("utf8");
    return readJsonExport(text, source);
  }
  return readCsvExport(buffer, source, fields);
}

/** Reads and parses an export file, streaming it. */
export async function readAuditFile(
  file: string,
  fields: FieldCatalogue
): Promise<AuditInput> {
  let head: string;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(4096);
      const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, n).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AuditInputError(
      file,
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory, not an export file"
          : `cannot be read (${code ?? String(error)})`
    );
  }
  if (kindOf(head, file) === "json") {
    return readJsonFile(file, file);
  }
  return readCsvExport(
    fs.createReadStream(file, { highWaterMark: 1 << 20 }),
    file,
    fields
  );
}
