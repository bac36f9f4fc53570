/**
 * JSON with source positions: parse errors as file:line:col, JSON paths
 * ($.processes[0].stages[2].name) and the line a path points at.
 */
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError
} from "jsonc-parser";

export type Segment = string | number;

export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

export interface ParsedJson {
  value: unknown;
  tree: Node | undefined;
  /** Line starts, for offset → line/column. */
  lineStarts: number[];
}

const PARSE_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: "invalid symbol",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "property name expected",
  ValueExpected: "value expected",
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: "end of file expected",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unexpected end of comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unexpected end of number",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character"
};

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line and column of a character offset. */
export function positionOf(
  lineStarts: readonly number[],
  offset: number
): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
}

/**
 * Parses strict JSON (no comments, no trailing commas). Returns the syntax errors
 * with positions, or the value with its syntax tree. Duplicate keys are reported
 * as errors too: JSON.parse would silently keep the last one.
 */
export function parseJson(
  text: string
): { ok: true; parsed: ParsedJson } | { ok: false; errors: JsonSyntaxError[] } {
  const lineStarts = lineStartsOf(text);
  if (text.trim() === "") {
    return {
      ok: false,
      errors: [
        { line: 1, column: 1, message: "invalid JSON: the file is empty" }
      ]
    };
  }
  const parseErrors: ParseError[] = [];
  const tree = parseTree(text, parseErrors, {
    disallowComments: true,
    allowTrailingComma: false
  });
  const errors: JsonSyntaxError[] = [];
  const offsets = new Set<number>();
  for (const e of parseErrors) {
    // One error per place: the parser often adds follow-up errors at the same offset.
    if (!offsets.has(e.offset)) {
      offsets.add(e.offset);
      const code = printParseErrorCode(e.error);
      const before = text.slice(0, e.offset).trimEnd();
      const trailingComma =
        before.endsWith(",") &&
        (text[e.offset] === "}" || text[e.offset] === "]");
      errors.push({
        ...positionOf(lineStarts, e.offset),
        message: `invalid JSON: ${trailingComma ? `trailing comma before '${text[e.offset]}'` : (PARSE_ERROR_TEXT[code] ?? code)}`
      });
    }
  }
  if (errors.length === 0 && !tree) {
    errors.push({
      line: 1,
      column: 1,
      message: "invalid JSON: the file is empty"
    });
  }
  if (errors.length === 0 && tree) {
    errors.push(...duplicateKeys(tree, lineStarts));
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    parsed: { value: JSON.parse(text) as unknown, tree, lineStarts }
  };
}

function duplicateKeys(
  node: Node,
  lineStarts: readonly number[]
): JsonSyntaxError[] {
  const out: JsonSyntaxError[] = [];
  if (node.type === "object") {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (key && typeof key.value === "string") {
        if (seen.has(key.value)) {
          out.push({
            ...positionOf(lineStarts, key.offset),
            message: `duplicate key "${key.value}"`
          });
        }
        seen.add(key.value);
      }
    }
  }
  for (const child of node.children ?? []) {
    out.push(...duplicateKeys(child, lineStarts));
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** ["processes", 0, "name"] → $.processes[0].name */
export function jsonPath(segments: readonly Segment[]): string {
  return (
    "$" +
    segments
      .map((s) =>
        typeof s === "number"
          ? `[${s}]`
          : IDENTIFIER.test(s)
            ? `.${s}`
            : `[${JSON.stringify(s)}]`
      )
      .join("")
  );
}

/** A JSON pointer (/processes/0/name, as ajv reports) → path segments. */
export function pointerSegments(pointer: string, value: unknown): Segment[] {
  if (pointer === "") {
    return [];
  }
  const out: Segment[] = [];
  let current: unknown = value;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      out.push(Number(key));
      current = current[Number(key)];
    } else {
      out.push(key);
      current =
        typeof current === "object" && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return out;
}

/**
 * The line of the value at `segments`; for `propertyKey`, the line of the key
 * itself. Falls back to the nearest existing ancestor.
 */
export function lineAt(
  parsed: ParsedJson,
  segments: readonly Segment[],
  propertyKey = false
): number | undefined {
  if (!parsed.tree) {
    return undefined;
  }
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(
      parsed.tree,
      segments.slice(0, n) as Segment[]
    );
    if (node) {
      const target =
        propertyKey && n === segments.length && node.parent?.type === "property"
          ? node.parent
          : node;
      return positionOf(parsed.lineStarts, target.offset).line;
    }
  }
  return undefined;
}
