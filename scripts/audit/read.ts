/**
 * Reads an audit input file: the JSON of `sf data query --json` (or a bare records
 * object/array) or a CSV export, told apart by extension and, failing that, content.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FieldCatalogue } from "../gates/load";
import { readCsvExport } from "./read-csv";
import { readJsonExport } from "./read-json";
import { AuditInputError, EXPECTED_INPUT, type AuditInput } from "./types";

function firstSignificantChar(text: string): string {
  const m = /[^\s\uFEFF]/.exec(text.slice(0, 4096));
  return m ? m[0] : "";
}

/** Parses export content already in memory. `source` names it in messages. */
export function parseAuditInput(
  content: Buffer | string,
  source: string,
  fields: FieldCatalogue
): AuditInput {
  const buffer =
    typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const head = buffer.subarray(0, 4096).toString("utf8");
  const first = firstSignificantChar(head);
  if (first === "") {
    throw new AuditInputError(source, `is empty; ${EXPECTED_INPUT}`);
  }
  const ext = path.extname(source).toLowerCase();
  if (ext === ".json" || (ext !== ".csv" && (first === "{" || first === "["))) {
    const text =
      typeof content === "string" ? content : buffer.toString("utf8");
    return readJsonExport(text.replace(/^\uFEFF/, ""), source);
  }
  if (first === "<") {
    throw new AuditInputError(
      source,
      `looks like HTML or XML, not an export; ${EXPECTED_INPUT}`,
      "line 1"
    );
  }
  return readCsvExport(buffer, source, fields);
}

/** Reads and parses an export file. */
export function readAuditFile(
  file: string,
  fields: FieldCatalogue
): AuditInput {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
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
  return parseAuditInput(content, file, fields);
}
