/**
 * Step "metadata" (part 1): every `*-meta.xml` under the package directories (except LWC
 * `*.js-meta.xml`, see lwc-meta.ts) validated against Salesforce's Metadata API WSDL, v66.
 *
 * The WSDL's embedded `<xsd:schema>` declares types only; a source file's root element
 * (`<ValidationRule>`, `<Flow>`...) is the type of the same name, so a global element is declared
 * for each root found. Catches misspelled or unknown elements, wrong element order, missing
 * required elements, bad enumeration values and booleans, and XML that is not well-formed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { rel, sourceFiles, TOOL_ROOT } from "./lib/files";
import type { Problem } from "./lib/problem";
import {
  METADATA_NS,
  rootElement,
  validateWithXsd,
  type XmlDocument
} from "./lib/xml";

export const DEFAULT_WSDL =
  "../shared/salesforce-metadata-api/metadata-v66.wsdl";
export const WSDL_API_VERSION = 66;

/**
 * SF_METADATA_WSDL if set, else ../shared/salesforce-metadata-api/metadata-v66.wsdl; relative paths
 * are resolved from the repository root.
 */
export function resolveWsdlPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(TOOL_ROOT, env.SF_METADATA_WSDL || DEFAULT_WSDL);
}

export interface MetadataSchema {
  /** The extracted `<xsd:schema>`, with the WSDL's namespace prefixes declared on it. */
  xsd: string;
  /** Every complexType name the schema defines. */
  types: Set<string>;
}

const schemaCache = new Map<string, MetadataSchema>();

/** Extracts the metadata namespace's schema from the WSDL (cached per path). Throws if it cannot. */
export function loadMetadataSchema(wsdlPath: string): MetadataSchema {
  const cached = schemaCache.get(wsdlPath);
  if (cached) return cached;
  if (!fs.existsSync(wsdlPath)) {
    throw new Error(
      `Metadata API WSDL not found at ${wsdlPath}. Set SF_METADATA_WSDL to the metadata WSDL (v${WSDL_API_VERSION}.0) ` +
        "or place it at ../shared/salesforce-metadata-api/metadata-v66.wsdl beside the project."
    );
  }
  const wsdl = fs.readFileSync(wsdlPath, "utf8");
  const open = new RegExp(
    `<xsd:schema\\b[^>]*targetNamespace="${METADATA_NS.replace(/[./]/g, "\\$&")}"[^>]*>`
  ).exec(wsdl);
  const end = open ? wsdl.indexOf("</xsd:schema>", open.index) : -1;
  if (!open || end < 0)
    throw new Error(
      `${wsdlPath}: no <xsd:schema targetNamespace="${METADATA_NS}"> found`
    );
  let openTag = open[0];
  for (const [prefix, uri] of [
    ["xsd", "http://www.w3.org/2001/XMLSchema"],
    ["tns", METADATA_NS]
  ]) {
    if (!openTag.includes(`xmlns:${prefix}=`))
      openTag = openTag.replace(
        "<xsd:schema",
        `<xsd:schema xmlns:${prefix}="${uri}"`
      );
  }
  const body = wsdl.slice(open.index + open[0].length, end);
  const xsd = `${openTag}${body}</xsd:schema>`;
  const types = new Set(
    Array.from(body.matchAll(/<xsd:complexType name="([\w]+)"/g), (m) => m[1])
  );
  const schema = { xsd, types };
  schemaCache.set(wsdlPath, schema);
  return schema;
}

/** The schema with a global element declared for each root type name. */
export function schemaWithRoots(
  schema: MetadataSchema,
  roots: Iterable<string>
): string {
  const elements = [...new Set(roots)]
    .sort()
    .map((name) => `<xsd:element name="${name}" type="tns:${name}"/>`);
  return schema.xsd.replace(
    /<\/xsd:schema>$/,
    `${elements.join("\n")}\n</xsd:schema>`
  );
}

/** Source-format metadata files the WSDL validates: `*-meta.xml`, not LWC's `*.js-meta.xml`. */
export function metadataXmlFiles(root: string): string[] {
  return sourceFiles(
    root,
    (p) => p.endsWith("-meta.xml") && !p.endsWith(".js-meta.xml")
  );
}

export async function checkMetadataSchema(
  root: string,
  files: string[] = metadataXmlFiles(root),
  options: { wsdlPath?: string } = {}
): Promise<Problem[]> {
  const wsdlPath = options.wsdlPath ?? resolveWsdlPath();
  let schema: MetadataSchema;
  try {
    schema = loadMetadataSchema(wsdlPath);
  } catch (error) {
    return [
      {
        file: rel(root, wsdlPath),
        message: (error as Error).message,
        rule: "metadata-schema"
      }
    ];
  }
  const problems: Problem[] = [];
  const documents: XmlDocument[] = [];
  const roots = new Set<string>();
  for (const file of files) {
    const relPath = rel(root, file);
    const contents = fs.readFileSync(path.resolve(root, file), "utf8");
    const element = rootElement(contents);
    if (!element) {
      problems.push({
        file: relPath,
        line: 1,
        message: "no root element (empty or not XML)",
        rule: "metadata-schema"
      });
      continue;
    }
    if (element.namespace !== METADATA_NS) {
      problems.push({
        file: relPath,
        line: element.line,
        message: `root element <${element.name}> must declare xmlns="${METADATA_NS}"`,
        rule: "metadata-schema"
      });
      continue;
    }
    if (!schema.types.has(element.name)) {
      problems.push({
        file: relPath,
        line: element.line,
        message: `<${element.name}> is not a Metadata API v${WSDL_API_VERSION}.0 type`,
        rule: "metadata-schema"
      });
      continue;
    }
    roots.add(element.name);
    documents.push({ file: relPath, contents });
  }
  if (documents.length > 0) {
    problems.push(
      ...(await validateWithXsd(
        documents,
        schemaWithRoots(schema, roots),
        "metadata-schema"
      ))
    );
  }
  return problems;
}
