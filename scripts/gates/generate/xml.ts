/**
 * Careful XML string building for generated metadata: a tiny element tree,
 * escaped text, the metadata namespace on the root, and the generated-file
 * header comment right after the XML declaration. Element order is the order
 * of the tree, so emitters write children in the Metadata API's xsd:sequence
 * order. Prettier formats the result afterwards (see index.ts).
 */
import { xmlHeaderComment } from "./names";

export const METADATA_NAMESPACE = "http://soap.sforce.com/2006/04/metadata";

/** An element with text, child elements, or nothing. */
export interface XmlElement {
  name: string;
  text?: string;
  children?: XmlNode[];
}
export type XmlNode = XmlElement;

/** Characters XML 1.0 cannot carry at all (not even escaped). */
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Escapes element text. Throws on characters XML 1.0 cannot represent. */
export function escapeXmlText(text: string): string {
  const bad = INVALID_XML_CHARS.exec(text);
  if (bad) {
    throw new Error(
      `Text contains a control character (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) that XML cannot carry: "${text.slice(0, 60)}"`
    );
  }
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#13;");
}

/** Shorthand for an element with text. Booleans and numbers are written as XML Schema values. */
export function el(name: string, value: string | number | boolean): XmlElement {
  return { name, text: typeof value === "string" ? value : String(value) };
}

/** Shorthand for an element with children (undefined children are skipped). */
export function node(
  name: string,
  children: (XmlNode | undefined | false)[]
): XmlElement {
  return { name, children: children.filter((c): c is XmlNode => Boolean(c)) };
}

function render(
  element: XmlElement,
  depth: number,
  out: string[],
  rootAttrs: string,
  rootComment?: string
): void {
  const pad = "    ".repeat(depth);
  const open = `${element.name}${depth === 0 ? rootAttrs : ""}`;
  if (element.children && element.children.length > 0) {
    out.push(`${pad}<${open}>`);
    if (depth === 0 && rootComment) {
      out.push(`    ${rootComment}`);
    }
    for (const child of element.children) {
      render(child, depth + 1, out, rootAttrs);
    }
    out.push(`${pad}</${element.name}>`);
  } else if (element.text !== undefined && element.text !== "") {
    out.push(`${pad}<${open}>${escapeXmlText(element.text)}</${element.name}>`);
  } else {
    out.push(`${pad}<${open} />`);
  }
}

/**
 * A complete metadata document: declaration, generated-file header, root
 * element in the metadata namespace. `configLabel` names the map in the header.
 *
 * The header is a comment right after the XML declaration, except with
 * `headerInsideRoot` (components decomposed into a parent object file, such as
 * validation rules): the Salesforce CLI's source conversion takes a comment
 * before their root element for the root ("Invalid XML tags or unable to find
 * matching parent xml file"), so there it is the root element's first child.
 */
export function metadataDocument(
  root: XmlElement,
  configLabel: string,
  options: { headerInsideRoot?: boolean } = {}
): string {
  const header = xmlHeaderComment(configLabel);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (!options.headerInsideRoot) {
    out.push(header);
  }
  render(
    root,
    0,
    out,
    ` xmlns="${METADATA_NAMESPACE}"`,
    options.headerInsideRoot ? header : undefined
  );
  return `${out.join("\n")}\n`;
}
