import { validateXML } from "xmllint-wasm";
import type { Problem } from "./problem";

export const METADATA_NS = "http://soap.sforce.com/2006/04/metadata";

export interface RootElement {
  name: string;
  namespace: string | undefined;
  line: number;
}

/** The document element's name, default namespace and line, read without a full parse. */
export function rootElement(text: string): RootElement | undefined {
  // Blank out the prolog's declaration, comments, processing instructions and doctype, keeping offsets.
  const blanked = text.replace(
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g,
    (m) => m.replace(/[^\n]/g, " ")
  );
  const match = /<([A-Za-z_][\w.-]*)((?:\s[^>]*)?)\/?>/.exec(blanked);
  if (!match) return undefined;
  const ns = /\sxmlns\s*=\s*["']([^"']*)["']/.exec(match[2]);
  const line = blanked.slice(0, match.index).split("\n").length;
  return { name: match[1], namespace: ns?.[1], line };
}

export interface XmlDocument {
  /** Root-relative path, used in problems. */
  file: string;
  contents: string;
}

/**
 * Validates documents against an XSD with libxml2 (xmllint-wasm): one run for all of them. Each
 * error becomes a problem `file:line: message`; a document that fails without a located error gets
 * one problem without a line.
 */
export async function validateWithXsd(
  documents: XmlDocument[],
  xsd: string,
  rule: string
): Promise<Problem[]> {
  if (documents.length === 0) return [];
  const names = documents.map((_, i) => `doc${i}.xml`);
  const byName = new Map(names.map((name, i) => [name, documents[i].file]));
  const result = await validateXML({
    xml: documents.map((doc, i) => ({
      fileName: names[i],
      contents: doc.contents
    })),
    schema: [{ fileName: "schema.xsd", contents: xsd }],
    initialMemoryPages: 1024,
    maxMemoryPages: 16384
  });
  if (result.valid) return [];
  const problems: Problem[] = [];
  const located = new Set<string>();
  for (const error of result.errors) {
    if (error.loc) {
      const file = byName.get(error.loc.fileName) ?? error.loc.fileName;
      located.add(file);
      problems.push({
        file,
        line: error.loc.lineNumber,
        message: cleanMessage(error.message),
        rule
      });
    }
  }
  for (const error of result.errors) {
    const failed = /^(doc\d+\.xml) fails to validate$/.exec(
      error.rawMessage.trim()
    );
    if (failed) {
      const file = byName.get(failed[1]) ?? failed[1];
      if (!located.has(file))
        problems.push({
          file,
          message: "does not validate against the schema",
          rule
        });
    }
  }
  if (problems.length === 0) {
    problems.push({
      file: documents[0].file,
      message: `schema validation failed: ${result.rawOutput.trim()}`,
      rule
    });
  }
  return problems;
}

function cleanMessage(message: string): string {
  return message
    .replace(/\{http:\/\/soap\.sforce\.com\/2006\/04\/metadata\}/g, "")
    .replace(/^Schemas validity error : /, "")
    .replace(/^parser error : /, "XML is not well-formed: ")
    .replace(/^element \S+: /, "")
    .trim();
}
