/**
 * Step "apex" (part 4): every field of every static SOQL query resolves. apex-ls (./apex-ls.ts)
 * resolves types and methods but not the field names inside `[SELECT ...]`, so a misspelled field
 * would only fail when the class is deployed (or, in an anonymous script, when it runs). This check
 * parses each Apex class, trigger and `scripts/apex/**.apex` and `scripts/admin/**.apex` script with @apexdevtools/apex-parser
 * (its SOQL grammar) and resolves, against the objects the project knows (./lib/project: the
 * standard-field catalogue plus the custom objects and fields of every package directory):
 *
 * - the FROM object; the fields of SELECT, WHERE, WITH-less GROUP BY / HAVING and ORDER BY;
 * - relationship paths (`Account.Name`, `Owner.Name`, `RecordType.DeveloperName`, `Foo__r.Bar__c`);
 * - child subqueries by their relationship name (`(SELECT Id FROM OpportunityLineItems)`) and
 *   semi-join subqueries by their object (`Id IN (SELECT OpportunityId FROM ...)`);
 * - fields inside aggregate and other functions (`COUNT(Id)`, `toLabel(StageName)`), with their
 *   aliases usable in ORDER BY / HAVING; `TYPEOF` branches.
 * Bind expressions (`:opportunityId`, `:deal.Id`) are Apex and left to apex-ls; `WITH USER_MODE`,
 * `WITH SECURITY_ENFORCED` and `USING SCOPE` name no fields. Dynamic SOQL (`Database.query`) is a
 * string and is not checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ApexErrorListener,
  ApexParserFactory,
  BoundExpressionContext,
  FieldNameContext,
  FromNameListContext,
  GroupByClauseContext,
  OrderByClauseContext,
  QueryContext,
  SelectEntryContext,
  SubFieldEntryContext,
  SubQueryContext,
  TypeOfContext,
  UsingScopeContext,
  WithClauseContext
} from "@apexdevtools/apex-parser";
import { rel, sourceFiles, walk } from "./lib/files";
import type { Problem } from "./lib/problem";
import {
  catalogueFile,
  loadProjectIndex,
  STANDARD_FIELDS_CATALOGUE,
  type ObjectInfo,
  type ProjectIndex
} from "./lib/project";

// The ANTLR runtime's node types, as the parser's contexts expose them (antlr4 is the parser's own
// dependency, not the project's).
type ParserRuleContext = NonNullable<QueryContext["parentCtx"]>;
type ParseTree = NonNullable<ParserRuleContext["children"]>[number];

const RULE = "soql";
const key = (name: string): string => name.toLowerCase();

/** Apex files whose static SOQL is checked: classes and triggers, and anonymous scripts (scripts/apex, scripts/admin). */
export function soqlFiles(root: string): string[] {
  return [
    ...sourceFiles(root, (p) => p.endsWith(".cls") || p.endsWith(".trigger")),
    ...walk(root, "scripts/apex", (p) => p.endsWith(".apex")),
    ...walk(root, "scripts/admin", (p) => p.endsWith(".apex"))
  ];
}

/** What names resolve to inside one (sub)query. */
interface Scope {
  object: ObjectInfo;
  /** The FROM object's name and its alias (`FROM Opportunity o`): a field may be prefixed with them. */
  prefixes: Set<string>;
  /** Aliases of SELECT entries (`COUNT(Id) total`), usable in ORDER BY and HAVING. */
  selectAliases: Set<string>;
}

class Checker {
  readonly problems: Problem[] = [];

  constructor(
    private readonly index: ProjectIndex,
    private readonly file: string,
    private readonly catalogue: string
  ) {}

  private report(at: ParserRuleContext, message: string): void {
    this.problems.push({
      file: this.file,
      line: at.start.line,
      column: at.start.column + 1,
      message,
      rule: RULE
    });
  }

  private object(name: string): ObjectInfo | undefined {
    return this.index.objects.get(key(name));
  }

  private unknownObject(name: string): string {
    const hint = suggestion(
      name,
      [...this.index.objects.values()].map((o) => o.name)
    );
    return /__[a-z]+$/i.test(name)
      ? `object ${name}${hint} is not in any package directory (objects/${name}/)`
      : `object ${name}${hint} is neither in ${this.catalogue} nor a custom object in a package directory`;
  }

  private unknownField(object: ObjectInfo, field: string): string {
    const hint = suggestion(
      field,
      [...object.fields.values()].map((f) => f.name)
    );
    const where = /__c$/i.test(field)
      ? `no objects/${object.name}/fields/${field}.field-meta.xml in a package directory`
      : `not in ${this.catalogue} nor a custom field in a package directory`;
    return `SOQL: ${object.name} has no field ${field}${hint} (${where})`;
  }

  /** A top-level query: `[SELECT ... FROM Object ...]`. */
  checkQuery(query: QueryContext): void {
    this.checkSelect(query, query.fromNameList());
  }

  private checkSelect(
    query: QueryContext | SubQueryContext,
    from: FromNameListContext,
    parent?: Scope
  ): void {
    const scope = this.fromScope(from, parent);
    if (!scope) return;
    for (const child of children(query)) {
      if (child === from) continue;
      this.visit(child, scope);
    }
  }

  /** The scope a FROM clause opens: an object, or (in a child subquery) a child relationship. */
  private fromScope(
    from: FromNameListContext,
    parent: Scope | undefined
  ): Scope | undefined {
    const entries = from.fieldName_list();
    const first = entries[0];
    if (!first) return undefined;
    let segments = first.soqlId_list().map((s) => s.getText());
    let object: ObjectInfo | undefined;
    if (parent) {
      if (segments.length > 1 && parent.prefixes.has(key(segments[0])))
        segments = segments.slice(1);
      const name = segments.join(".");
      const relationship = parent.object.childRelationships.get(key(name));
      if (!relationship) {
        const known = [...parent.object.childRelationships.values()].map(
          (r) => r.name
        );
        this.report(
          first,
          `SOQL: ${parent.object.name} has no child relationship ${name}${suggestion(name, known)} (a subquery names the relationship, e.g. OpportunityLineItems; known: ${known.join(", ") || "none"}; standard ones are listed under _childRelationships in ${this.catalogue})`
        );
        return undefined;
      }
      object = this.object(relationship.childObject);
      if (!object) {
        this.report(
          first,
          `SOQL: ${this.unknownObject(relationship.childObject)}`
        );
        return undefined;
      }
    } else {
      const name = segments.join(".");
      object = this.object(name);
      if (!object) {
        this.report(first, `SOQL: ${this.unknownObject(name)}`);
        return undefined;
      }
    }
    const prefixes = new Set([key(object.name)]);
    const alias = entries.length === 1 ? from.soqlId(0) : null;
    if (alias) prefixes.add(key(alias.getText()));
    if (entries.length > 1) {
      this.report(
        entries[1],
        "SOQL: more than one object in FROM (alias joins) is not supported by this check; use relationship paths"
      );
    }
    return { object, prefixes, selectAliases: selectAliases(from.parentCtx) };
  }

  /** `aliases`: inside ORDER BY or GROUP BY ... HAVING, where SELECT aliases may be named. */
  private visit(node: ParseTree, scope: Scope, aliases = false): void {
    if (node instanceof BoundExpressionContext) return; // Apex, checked by apex-ls
    if (node instanceof WithClauseContext || node instanceof UsingScopeContext)
      return;
    if (node instanceof SubQueryContext) {
      const parent = node.parentCtx;
      const isChildQuery =
        parent instanceof SelectEntryContext ||
        parent instanceof SubFieldEntryContext;
      // A child subquery opens a child relationship of this scope; a semi-join (`IN (SELECT ...)`)
      // names an object of its own.
      this.checkSelect(
        node,
        node.fromNameList(),
        isChildQuery ? scope : undefined
      );
      return;
    }
    if (node instanceof TypeOfContext) {
      this.checkTypeOf(node, scope);
      return;
    }
    if (node instanceof FieldNameContext) {
      this.checkField(node, scope, aliases);
      return;
    }
    const inAliasClause =
      aliases ||
      node instanceof OrderByClauseContext ||
      node instanceof GroupByClauseContext;
    for (const child of children(node)) this.visit(child, scope, inAliasClause);
  }

  /** A field or a path of relationships ending in a field, on the scope's object. */
  private checkField(
    field: FieldNameContext,
    scope: Scope,
    aliases = false
  ): void {
    let segments = field.soqlId_list().map((s) => s.getText());
    if (
      aliases &&
      segments.length === 1 &&
      scope.selectAliases.has(key(segments[0]))
    )
      return;
    if (segments.length > 1 && scope.prefixes.has(key(segments[0])))
      segments = segments.slice(1);
    let objects: ObjectInfo[] = [scope.object];
    for (let i = 0; i < segments.length - 1; i++) {
      const next = this.traverse(field, objects, segments[i]);
      if (!next) return;
      objects = next;
    }
    const last = segments[segments.length - 1];
    for (const object of objects) {
      if (!object.fields.has(key(last))) {
        this.report(field, this.unknownField(object, last));
        return;
      }
    }
  }

  /** The object(s) a relationship segment leads to (several for a polymorphic lookup). */
  private traverse(
    at: ParserRuleContext,
    from: ObjectInfo[],
    segment: string
  ): ObjectInfo[] | undefined {
    const targets: ObjectInfo[] = [];
    for (const object of from) {
      const lookup = [...object.fields.values()].find(
        (f) =>
          f.relationshipName !== undefined &&
          key(f.relationshipName) === key(segment)
      );
      if (!lookup) {
        const names = [...object.fields.values()]
          .map((f) => f.relationshipName)
          .filter((n): n is string => n !== undefined);
        this.report(
          at,
          `SOQL: ${object.name} has no relationship ${segment}${suggestion(segment, names)} (a lookup is traversed by its relationship name: AccountId as Account, Foo__c as Foo__r)`
        );
        return undefined;
      }
      for (const name of lookup.referenceTo) {
        const target = this.object(name);
        if (!target) {
          this.report(
            at,
            `SOQL: ${object.name}.${lookup.name} points to ${name}: ${this.unknownObject(name)}`
          );
          return undefined;
        }
        targets.push(target);
      }
      if (lookup.referenceTo.length === 0) {
        this.report(
          at,
          `SOQL: ${object.name}.${lookup.name} names no referenced object in ${this.catalogue}`
        );
        return undefined;
      }
    }
    return targets;
  }

  /** `TYPEOF What WHEN Account THEN Name, Phone ... ELSE Name END`. */
  private checkTypeOf(typeOf: TypeOfContext, scope: Scope): void {
    const relationship = typeOf.fieldName();
    const targets = this.traverse(
      relationship,
      [scope.object],
      relationship.getText()
    );
    if (!targets) return;
    for (const when of typeOf.whenClause_list()) {
      const typeName = when.fieldName().getText();
      const object = this.object(typeName);
      if (!object) {
        this.report(when.fieldName(), `SOQL: ${this.unknownObject(typeName)}`);
        continue;
      }
      for (const field of when.fieldNameList().fieldName_list())
        this.checkField(field, {
          object,
          prefixes: new Set(),
          selectAliases: new Set()
        });
    }
    const otherwise = typeOf.elseClause();
    if (otherwise) {
      for (const field of otherwise.fieldNameList().fieldName_list())
        for (const object of targets)
          this.checkField(field, {
            object,
            prefixes: new Set(),
            selectAliases: new Set()
          });
    }
  }
}

/** The aliases of a (sub)query's SELECT entries (`SUM(Amount) total`). */
function selectAliases(query: ParserRuleContext | undefined): Set<string> {
  const aliases = new Set<string>();
  if (!(query instanceof QueryContext) && !(query instanceof SubQueryContext))
    return aliases;
  const entries =
    query instanceof QueryContext
      ? query.selectList().selectEntry_list()
      : query.subFieldList().subFieldEntry_list();
  for (const entry of entries) {
    const alias = entry.soqlId();
    if (alias) aliases.add(key(alias.getText()));
  }
  return aliases;
}

/** A node's children (a terminal node has none). */
function children(node: ParseTree): ParseTree[] {
  return (node as Partial<ParserRuleContext>).children ?? [];
}

function collectQueries(node: ParseTree, found: QueryContext[]): void {
  if (node instanceof QueryContext) found.push(node);
  for (const child of children(node)) collectQueries(child, found);
}

/** `, did you mean Amount?` for a name one or two edits away from a known one. */
function suggestion(name: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key(name), key(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best && key(best) !== key(name) ? ` (did you mean ${best}?)` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      diagonal = above;
    }
  }
  return row[b.length];
}

class SyntaxErrors extends ApexErrorListener {
  readonly errors: Array<{ line: number; column: number; message: string }> =
    [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push({ line, column: column + 1, message });
  }
}

/** The SOQL problems of one Apex source (`kind` picks the grammar's entry rule). */
export function checkSoqlSource(
  source: string,
  options: {
    index: ProjectIndex;
    file: string;
    kind: "class" | "trigger" | "anonymous";
    catalogue?: string;
  }
): Problem[] {
  const listener = new SyntaxErrors();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const tree =
    options.kind === "trigger"
      ? parser.triggerUnit()
      : options.kind === "anonymous"
        ? parser.anonymousUnit()
        : parser.compilationUnit();
  if (listener.errors.length > 0) {
    // Classes and triggers have their syntax checked already (./apex.ts); scripts only here.
    return options.kind === "anonymous"
      ? listener.errors.map((e) => ({
          file: options.file,
          line: e.line,
          column: e.column,
          message: `Apex syntax error: ${e.message}`,
          rule: "apex-parser"
        }))
      : [];
  }
  const queries: QueryContext[] = [];
  collectQueries(tree, queries);
  const checker = new Checker(
    options.index,
    options.file,
    options.catalogue ?? STANDARD_FIELDS_CATALOGUE
  );
  for (const query of queries) checker.checkQuery(query);
  return checker.problems;
}

/** Every static SOQL query of the project's Apex and anonymous scripts, resolved field by field. */
export function checkSoql(
  root: string,
  files: string[] = soqlFiles(root)
): Problem[] {
  const index = loadProjectIndex(root);
  const catalogue = rel(root, catalogueFile(root));
  return files.flatMap((file) =>
    checkSoqlSource(fs.readFileSync(path.resolve(root, file), "utf8"), {
      index,
      file: rel(root, file),
      kind: file.endsWith(".trigger")
        ? "trigger"
        : file.endsWith(".apex")
          ? "anonymous"
          : "class",
      catalogue: catalogue.startsWith("..")
        ? STANDARD_FIELDS_CATALOGUE
        : catalogue
    })
  );
}
