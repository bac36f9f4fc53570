/**
 * Streams the records of an export in JSON — the output of `sf data query --json`
 * (`{"status":0,"result":{"records":[...],"totalSize":N,"done":true}}`), a bare
 * `{"records": [...]}` object or an array of records — one record at a time: text is fed in
 * chunks to stream-json's tokenizer and each element of the records array is built by its
 * Assembler, then handed over and forgotten. Neither the text nor a tree of the whole
 * document is ever held, so memory does not grow with the file. Used by the audit and by
 * the stage KPIs from history.
 *
 * `write` is synchronous: a caller may feed chunks read with fs.readSync or from a stream.
 */
import Assembler from "stream-json/assembler.js";
import { jsonParser, type Token } from "stream-json/parser.js";
import { getManyValues, isMany, none } from "stream-chain/defs.js";
import {
  parse as parseJsonc,
  printParseErrorCode,
  type ParseError
} from "jsonc-parser";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Fails (through `fail`, with a message and a JSON path) unless the value read as an Opportunity
 * record is one: an object whose `attributes.type`, when given, is Opportunity (`otherType`
 * words the message for another object).
 */
export function assertOpportunityRecord(
  record: unknown,
  location: string,
  otherType: (type: string) => string,
  fail: (message: string, at: string) => never
): asserts record is JsonObject {
  if (!isJsonObject(record)) {
    fail(
      `must be an Opportunity record object, found ${describeJson(record)}`,
      location
    );
  }
  const attributes = record.attributes;
  if (
    isJsonObject(attributes) &&
    typeof attributes.type === "string" &&
    attributes.type !== "Opportunity"
  ) {
    fail(otherType(attributes.type), `${location}.attributes.type`);
  }
}

export function describeJson(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "an array";
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export interface JsonRecordsInfo {
  kind: "sf-query-json" | "records-json";
  /** JSON path of the records array: "$", "$.records" or "$.result.records". */
  path: string;
  count: number;
  done?: boolean;
  totalSize?: number;
}

export interface JsonRecordsOptions {
  /** What the input should have been, appended to messages about its shape. */
  expected: string;
  /** Builds the error thrown for `detail` at `location` (a JSON path or "line L, column C"). */
  error: (detail: string, location?: string) => Error;
  /** Called with each record (any JSON value), its JSON path and its index. */
  onRecord: (value: unknown, location: string, index: number) => void;
  /** The whole text again, when it can be had, for the exact place of a syntax error. */
  text?: () => string | undefined;
  /**
   * Copy string values out of the chunk they were read from. V8 keeps a substring of 13 or
   * more characters as a slice of its parent string, so a record kept after reading would
   * keep the tokenizer's whole chunk alive — for a reader that keeps every record, as much
   * memory as the file. Costs a copy per long string.
   */
  detachStrings?: boolean;
}

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(
  text: string,
  offset: number
): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

interface CountsAt {
  done?: unknown;
  totalSize?: unknown;
}

interface Container {
  array: boolean;
  path: string;
  key: string | null;
  index: number;
}

type Tokenizer = (chunk: string | typeof none) => unknown;

export class JsonRecordsReader {
  // A flushable stage: called with each chunk, then with `none` at the end (stream-chain's
  // protocol, which its type for the input leaves out).
  private readonly tokenize = jsonParser({
    packValues: true,
    streamValues: false
  }) as unknown as Tokenizer;
  private readonly stack: Container[] = [];
  private assembler: Assembler | undefined;
  private recordsPath: string | undefined;
  private topKind: "array" | "object" | "scalar" | undefined;
  private readonly topKeys: string[] = [];
  private statusSeen = false;
  private status: unknown;
  private sfName: unknown;
  private sfMessage: unknown;
  private resultSeen: "object" | "other" | undefined;
  /** done / totalSize beside the records array: at the top, or inside "result". */
  private readonly counts = { top: {} as CountsAt, result: {} as CountsAt };
  private count = 0;
  private lines = 0;
  private started = false;
  /** Whether anything but white space was fed. */
  private nonBlank = false;

  constructor(private readonly options: JsonRecordsOptions) {}

  write(chunk: string): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
      }
    }
    if (!this.nonBlank && /[^\s]/.test(chunk)) {
      this.nonBlank = true;
    }
    this.feed(chunk);
    for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) {
      this.lines++;
    }
  }

  end(): JsonRecordsInfo {
    const { error, expected } = this.options;
    if (!this.nonBlank) {
      throw error(`is empty; ${expected}`);
    }
    this.feed(none);
    if (typeof this.status === "number") {
      if (this.status !== 0) {
        const name = typeof this.sfName === "string" ? `${this.sfName}: ` : "";
        const message =
          typeof this.sfMessage === "string" ? this.sfMessage : "no message";
        throw error(
          `sf reported an error (status ${this.status}): ${name}${message}`,
          "$.status"
        );
      }
      if (this.resultSeen !== "object") {
        throw error(
          `must be an object with "records"; ${expected}`,
          "$.result"
        );
      }
    }
    if (this.recordsPath === undefined) {
      throw error(
        this.topKind === "object"
          ? `has no "records" (keys: ${this.topKeys.slice(0, 8).join(", ") || "none"}); ${expected}`
          : `is not an export; ${expected}`,
        "$"
      );
    }
    const sf = this.recordsPath === "$.result.records";
    const beside = sf ? this.counts.result : this.counts.top;
    return {
      kind: sf ? "sf-query-json" : "records-json",
      path: this.recordsPath,
      count: this.count,
      done: typeof beside.done === "boolean" ? beside.done : undefined,
      totalSize:
        typeof beside.totalSize === "number" ? beside.totalSize : undefined
    };
  }

  private feed(chunk: string | typeof none): void {
    let result: unknown;
    try {
      result = this.tokenize(chunk);
    } catch (cause) {
      throw this.syntaxError(cause);
    }
    if (isMany(result)) {
      const tokens = getManyValues(result) as Token[];
      for (let i = 0; i < tokens.length; i++) {
        this.handle(tokens[i]);
      }
    }
  }

  private syntaxError(cause: unknown): Error {
    const text = this.options.text?.();
    let where = `near line ${this.lines + 1}`;
    let what = cause instanceof Error ? cause.message : String(cause);
    if (text !== undefined) {
      const errors: ParseError[] = [];
      const clean = text.replace(/^\uFEFF/, "");
      parseJsonc(clean, errors, {
        disallowComments: true,
        allowTrailingComma: false
      });
      const first = errors[0];
      if (first) {
        const at = lineAndColumn(clean, first.offset);
        where = `line ${at.line}, column ${at.column}`;
        what = printParseErrorCode(first.error);
      }
    }
    return this.options.error(
      `not valid JSON (${what}); ${this.options.expected}`,
      where
    );
  }

  /** JSON path of the value about to start. */
  private place(): string {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      return "$";
    }
    return top.array ? `${top.path}[${top.index}]` : `${top.path}.${top.key}`;
  }

  private inRecords(): boolean {
    const top = this.stack[this.stack.length - 1];
    return top !== undefined && top.array && top.path === this.recordsPath;
  }

  /** Whether a value at `path` is where the records array of an export belongs. */
  private isRecordsPlace(path: string): boolean {
    if (this.recordsPath !== undefined) {
      return false;
    }
    if (path === "$") {
      return true;
    }
    if (path === "$.records") {
      return !this.statusSeen;
    }
    return (
      path === "$.result.records" && this.stack.length === 2 && this.statusSeen
    );
  }

  private valueDone(): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.array) {
      top.index++;
    }
  }

  private emit(value: unknown, location: string): void {
    const index = this.count++;
    this.options.onRecord(value, location, index);
  }

  private handle(token: Token): void {
    const assembler = this.assembler;
    if (assembler) {
      if (
        this.options.detachStrings &&
        token.name === "stringValue" &&
        token.value.length >= 13
      ) {
        // A flat copy: the concatenation is flattened into a new string, the slice is of it.
        token.value = ` ${token.value}`.slice(1);
      }
      assembler.consume(token);
      if (assembler.done) {
        this.assembler = undefined;
        this.emit(assembler.current, this.place());
        this.valueDone();
      }
      return;
    }
    const { error, expected } = this.options;
    switch (token.name) {
      case "keyValue": {
        const top = this.stack[this.stack.length - 1];
        top.key = token.value;
        if (this.stack.length === 1) {
          this.topKeys.push(token.value);
          if (token.value === "status") {
            this.statusSeen = true;
          }
        }
        return;
      }
      case "startObject":
      case "startArray": {
        const array = token.name === "startArray";
        const path = this.place();
        if (this.stack.length === 0) {
          this.topKind = array ? "array" : "object";
        }
        if (this.inRecords()) {
          this.assembler = new Assembler();
          this.assembler.consume(token);
          return;
        }
        if (path === "$.result") {
          this.resultSeen = array ? "other" : "object";
        }
        if (this.isRecordsPlace(path) && (array || path !== "$")) {
          if (!array) {
            throw error(
              `must be an array of records, found an object; ${expected}`,
              path
            );
          }
          this.recordsPath = path;
        }
        this.stack.push({ array, path, key: null, index: 0 });
        return;
      }
      case "endObject":
      case "endArray":
        this.stack.pop();
        this.valueDone();
        return;
      case "stringValue":
      case "numberValue":
      case "nullValue":
      case "trueValue":
      case "falseValue": {
        const value =
          token.name === "numberValue" ? Number(token.value) : token.value;
        const path = this.place();
        if (this.stack.length === 0) {
          this.topKind = "scalar";
          throw error(`is ${describeJson(value)}; ${expected}`, "$");
        }
        if (this.inRecords()) {
          this.emit(value, path);
          this.valueDone();
          return;
        }
        if (this.isRecordsPlace(path)) {
          throw error(
            `must be an array of records, found ${describeJson(value)}; ${expected}`,
            path
          );
        }
        if (path === "$.result") {
          this.resultSeen = "other";
        }
        this.scalarAt(path, value);
        this.valueDone();
        return;
      }
      default:
        return;
    }
  }

  private scalarAt(path: string, value: unknown): void {
    switch (path) {
      case "$.status":
        this.status = value;
        return;
      case "$.name":
        this.sfName = value;
        return;
      case "$.message":
        this.sfMessage = value;
        return;
      case "$.done":
        this.counts.top.done = value;
        return;
      case "$.totalSize":
        this.counts.top.totalSize = value;
        return;
      case "$.result.done":
        this.counts.result.done = value;
        return;
      case "$.result.totalSize":
        this.counts.result.totalSize = value;
        return;
      default:
        return;
    }
  }
}
