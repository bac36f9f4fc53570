/**
 * Step "apex" (part 1): every Apex class and trigger parsed with @apexdevtools/apex-parser (syntax
 * errors with line and column) and checked against prettier-plugin-apex's formatting. Also indexes
 * the classes' methods, which the LWC step uses to resolve `@salesforce/apex/Class.method` imports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexErrorListener,
  ApexParserFactory,
  type ClassBodyContext,
  type ClassDeclarationContext,
  type ModifierContext
} from "@apexdevtools/apex-parser";
import { rel, sourceFiles } from "./lib/files";
import type { Problem } from "./lib/problem";
import { checkPrettier } from "./lint";

export interface ApexMethodInfo {
  name: string;
  line: number;
  isStatic: boolean;
  visibility: "global" | "public" | "protected" | "private" | "default";
  auraEnabled: boolean;
  continuation: boolean;
}

export interface ApexClassInfo {
  name: string;
  file: string;
  line: number;
  methods: ApexMethodInfo[];
}

export interface ApexSyntaxError {
  line: number;
  column: number;
  message: string;
}

class CollectingListener extends ApexErrorListener {
  readonly errors: ApexSyntaxError[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    // ANTLR lists every token it would have accepted; past a few that is noise.
    const short = message.replace(
      / expecting \{[^}]{100,}\}/,
      " (unexpected here)"
    );
    this.errors.push({ line, column: column + 1, message: short });
  }
}

function modifierInfo(
  modifiers: ModifierContext[]
): Omit<ApexMethodInfo, "name" | "line"> {
  let visibility: ApexMethodInfo["visibility"] = "default";
  let isStatic = false;
  let auraEnabled = false;
  let continuation = false;
  for (const modifier of modifiers) {
    const annotation = modifier.annotation();
    if (annotation) {
      if (annotation.id().getText().toLowerCase() === "auraenabled") {
        auraEnabled = true;
        continuation = /continuation\s*=\s*true/i.test(annotation.getText());
      }
      continue;
    }
    const text = modifier.getText().toLowerCase();
    if (text === "static") isStatic = true;
    else if (
      text === "global" ||
      text === "public" ||
      text === "protected" ||
      text === "private"
    )
      visibility = text;
  }
  return { visibility, isStatic, auraEnabled, continuation };
}

function methodsOf(body: ClassBodyContext | null): ApexMethodInfo[] {
  const methods: ApexMethodInfo[] = [];
  for (const declaration of body?.classBodyDeclaration_list() ?? []) {
    const method = declaration.memberDeclaration()?.methodDeclaration();
    if (!method) continue;
    methods.push({
      name: method.id().getText(),
      line: method.start.line,
      ...modifierInfo(declaration.modifier_list())
    });
  }
  return methods;
}

/** Parses one Apex source; `trigger` for .trigger files. Returns syntax errors and the top-level class. */
export function parseApex(
  source: string,
  options: { trigger?: boolean; file?: string } = {}
): { errors: ApexSyntaxError[]; class?: ApexClassInfo } {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  if (options.trigger) {
    parser.triggerUnit();
    return { errors: listener.errors };
  }
  const unit = parser.compilationUnit();
  const declaration: ClassDeclarationContext | null =
    unit.typeDeclaration()?.classDeclaration() ?? null;
  if (!declaration || !declaration.id()) return { errors: listener.errors };
  return {
    errors: listener.errors,
    class: {
      name: declaration.id().getText(),
      file: options.file ?? "",
      line: declaration.start.line,
      methods: methodsOf(declaration.classBody())
    }
  };
}

export function apexFiles(root: string): string[] {
  return sourceFiles(root, (p) => p.endsWith(".cls") || p.endsWith(".trigger"));
}

/** Syntax errors of every class and trigger, as problems `file:line:column`. */
export function checkApexSyntax(
  root: string,
  files: string[] = apexFiles(root)
): Problem[] {
  const problems: Problem[] = [];
  for (const file of files) {
    const source = fs.readFileSync(path.resolve(root, file), "utf8");
    const { errors } = parseApex(source, {
      trigger: file.endsWith(".trigger")
    });
    for (const error of errors) {
      problems.push({
        file: rel(root, file),
        line: error.line,
        column: error.column,
        message: `Apex syntax error: ${error.message}`,
        rule: "apex-parser"
      });
    }
    if (!fs.existsSync(`${path.resolve(root, file)}-meta.xml`)) {
      problems.push({
        file: rel(root, file),
        message: `missing its ${path.basename(file)}-meta.xml`,
        rule: "apex"
      });
    }
  }
  return problems;
}

/** Formatting of every class and trigger (prettier-plugin-apex). */
export async function checkApexFormat(
  root: string,
  files: string[] = apexFiles(root),
  options: { ignoreFiles?: boolean } = {}
): Promise<Problem[]> {
  if (files.length === 0) return [];
  return checkPrettier(
    root,
    files.map((f) => rel(root, f)),
    options
  );
}

/** Classes by lower-case name (Apex names are case-insensitive). */
export function indexApexClasses(
  root: string,
  files: string[] = apexFiles(root)
): Map<string, ApexClassInfo> {
  const index = new Map<string, ApexClassInfo>();
  for (const file of files.filter((f) => f.endsWith(".cls"))) {
    const source = fs.readFileSync(path.resolve(root, file), "utf8");
    const parsed = parseApex(source, { file: rel(root, file) });
    const name = path.basename(file, ".cls");
    index.set(
      name.toLowerCase(),
      parsed.class ?? { name, file: rel(root, file), line: 1, methods: [] }
    );
  }
  return index;
}

/**
 * Why `Class.method` cannot be called from an LWC, or undefined if it can: the class must exist in
 * force-app and the method must be static, not private, and @AuraEnabled (with continuation=true
 * for `@salesforce/apexContinuation`).
 */
export function apexMethodProblem(
  classes: Map<string, ApexClassInfo>,
  reference: string,
  options: { continuation?: boolean } = {}
): string | undefined {
  const parts = reference.split(".");
  if (parts.length !== 2)
    return `"${reference}" is not Class.method (namespaced or inner-class references are not used here)`;
  const [className, methodName] = parts;
  const apexClass = classes.get(className.toLowerCase());
  if (!apexClass)
    return `Apex class ${className} not found (no classes/${className}.cls in force-app)`;
  const candidates = apexClass.methods.filter(
    (m) => m.name.toLowerCase() === methodName.toLowerCase()
  );
  if (candidates.length === 0)
    return `Apex class ${apexClass.name} (${apexClass.file}) has no method ${methodName}`;
  const usable = candidates.find(
    (m) =>
      m.auraEnabled &&
      m.isStatic &&
      m.visibility !== "private" &&
      m.visibility !== "protected"
  );
  if (!usable) {
    const m = candidates[0];
    const why = [
      !m.auraEnabled && "is not @AuraEnabled",
      !m.isStatic && "is not static",
      (m.visibility === "private" || m.visibility === "protected") &&
        `is ${m.visibility}`
    ]
      .filter(Boolean)
      .join(", ");
    return `${apexClass.name}.${m.name} (${apexClass.file}:${m.line}) ${why}`;
  }
  if (options.continuation && !usable.continuation) {
    return `${apexClass.name}.${usable.name} (${apexClass.file}:${usable.line}) is not @AuraEnabled(continuation=true)`;
  }
  return undefined;
}
