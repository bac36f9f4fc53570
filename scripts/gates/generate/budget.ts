/**
 * The validation-rule budget: Salesforce counts every active validation rule on
 * an object against one limit per edition (20 Starter, 100 Professional and
 * Enterprise, 500 Unlimited and Performance: "Salesforce Features and Edition
 * Allocations", Validation rules per object), the org's own rules included.
 *
 * The rules generate would write are counted from the files it produces (so a
 * map that moves field criteria elsewhere counts what is really written); the
 * org's other rules are the active Opportunity validation-rule files in the
 * project's package directories that are not the generator's: `gates pull`
 * retrieves the org's into org-metadata. A file is the generator's when it
 * carries the generated header (force-app's own output), or when it is a
 * retrieved copy of a rule this generation writes (same name: deploying
 * replaces it). Retrieved stage-gate rules the map no longer produces stay
 * active in the org until deleted there, so they count.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { metadataFolders } from "../fields";
import { GENERATED_NAME_PREFIX, isGeneratedContent } from "./names";
import type { GeneratedFile } from "./types";
import { VALIDATION_RULE_DIR } from "./validation-rules";

/** The map's budget when it sets none: the Professional and Enterprise limit. */
export const DEFAULT_VALIDATION_RULE_BUDGET = 100;

const SUFFIX = ".validationRule-meta.xml";

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true
});

export interface OrgRule {
  name: string;
  /** Project-relative, posix separators. */
  file: string;
  /** A stage-gate rule (name prefix) that this generation does not write. */
  staleStageGate: boolean;
}

export interface RuleBudget {
  budget: number;
  /** Names of the active rules generate writes. */
  generated: string[];
  /** The org's other active Opportunity rules. */
  others: OrgRule[];
  total: number;
  over: boolean;
}

function isActive(text: string): boolean {
  try {
    const root = (parser.parse(text) as Record<string, unknown>)
      .ValidationRule as Record<string, unknown> | undefined;
    return String(root?.active ?? "").trim() === "true";
  } catch {
    // Not parseable here: the metadata check names it; count it to stay on the safe side.
    return true;
  }
}

/** Active validation rules among the generated files (by name). */
export function generatedActiveRules(files: GeneratedFile[]): string[] {
  return files
    .filter(
      (f) =>
        f.path.startsWith(`${VALIDATION_RULE_DIR}/`) && f.path.endsWith(SUFFIX)
    )
    .filter((f) => isActive(f.content))
    .map((f) => path.posix.basename(f.path).slice(0, -SUFFIX.length));
}

/**
 * The active Opportunity validation rules in the project's package directories
 * that are not the generator's, once per name (API names ignore case).
 */
export function otherActiveRules(
  projectDir: string,
  generatedNames: readonly string[]
): OrgRule[] {
  const ours = new Set(generatedNames.map((n) => n.toLowerCase()));
  const seen = new Set<string>();
  const out: OrgRule[] = [];
  for (const objects of metadataFolders(projectDir, "objects")) {
    const dir = path.join(objects, "Opportunity", "validationRules");
    if (!fs.existsSync(dir)) {
      continue;
    }
    for (const entry of fs.readdirSync(dir).sort()) {
      if (!entry.endsWith(SUFFIX)) {
        continue;
      }
      const name = entry.slice(0, -SUFFIX.length);
      const key = name.toLowerCase();
      const file = path.join(dir, entry);
      const text = fs.readFileSync(file, "utf8");
      if (
        ours.has(key) ||
        seen.has(key) ||
        isGeneratedContent(text) ||
        !isActive(text)
      ) {
        continue;
      }
      seen.add(key);
      out.push({
        name,
        file: path.relative(projectDir, file).split(path.sep).join("/"),
        staleStageGate: name.startsWith(GENERATED_NAME_PREFIX)
      });
    }
  }
  return out;
}

/** Counts the rules against the map's budget. */
export function validationRuleBudget(
  projectDir: string,
  files: GeneratedFile[],
  budget: number = DEFAULT_VALIDATION_RULE_BUDGET
): RuleBudget {
  const generated = generatedActiveRules(files);
  const others = otherActiveRules(projectDir, generated);
  const total = generated.length + others.length;
  return { budget, generated, others, total, over: total > budget };
}

/** The explanation of a budget that is exceeded: both counts, the budget, and what to do. */
export function overBudgetMessage(result: RuleBudget): string {
  const { budget, generated, others, total } = result;
  const stale = others.filter((r) => r.staleStageGate);
  const lines = [
    `${total} active Opportunity validation rules would exceed the budget of ${budget}: ` +
      `generate would write ${generated.length} and the org has ${others.length} other active ` +
      `${others.length === 1 ? "rule" : "rules"} in the package directories (${total - budget} too many).`,
    'Salesforce allows 20 active rules per object in Starter, 100 in Professional and Enterprise, 500 in Unlimited and Performance; set "limits": { "validationRules": N } to your edition\'s, or enforce fewer field criteria.'
  ];
  if (stale.length > 0) {
    lines.push(
      `${stale.length} of the org's are stage-gate rules this map no longer produces; delete them in the org: ${stale.map((r) => r.name).join(", ")}`
    );
  }
  if (others.length > 0) {
    lines.push(
      "The org's other active rules:",
      ...others.map((r) => `  ${r.file}`)
    );
  }
  return lines.join("\n");
}
