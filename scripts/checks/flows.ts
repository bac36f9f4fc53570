/**
 * Step "apex" (part 3, flows): Lightning Flow Scanner (core library) on every `*.flow-meta.xml`,
 * default rules; any result of severity "error" fails. It finds unconnected elements, unused
 * variables, DML/SOQL in loops, missing fault paths, hard-coded ids and the like; malformed XML and
 * unknown elements are the metadata schema's job.
 */
import * as path from "node:path";
import {
  parse,
  scan,
  type Flow,
  type IRulesConfig
} from "@flow-scanner/lightning-flow-scanner-core";
import { rel, sourceFiles } from "./lib/files";
import type { Problem } from "./lib/problem";

export function flowFiles(root: string): string[] {
  return sourceFiles(root, (p) => p.endsWith(".flow-meta.xml"));
}

/**
 * The scanner's AutoLayout rule calls `.find` on `processMetadataValues`, which its XML parser leaves
 * as a single object (not a list) when a flow has only one, e.g. just CanvasMode. Wrap it.
 */
function wrapSingleMetadataValue(flow: Flow): void {
  const xml = flow.xmldata as { processMetadataValues?: unknown } | undefined;
  if (xml?.processMetadataValues && !Array.isArray(xml.processMetadataValues)) {
    xml.processMetadataValues = [xml.processMetadataValues];
    flow.processMetadataValues = xml.processMetadataValues;
  }
}

export async function checkFlows(
  root: string,
  files: string[] = flowFiles(root),
  config: IRulesConfig = {}
): Promise<Problem[]> {
  if (files.length === 0) return [];
  const absolute = files.map((f) => path.resolve(root, f));
  const parsed = await parse(absolute);
  const problems: Problem[] = [];
  for (const flow of parsed) {
    if (flow.flow) wrapSingleMetadataValue(flow.flow);
    if (flow.errorMessage || !flow.flow) {
      problems.push({
        file: rel(root, flow.uri),
        message: `flow scanner cannot read the flow: ${flow.errorMessage ?? "unknown error"}`,
        rule: "flow-scanner"
      });
    }
  }
  for (const result of scan(parsed, config)) {
    const source = result.flow.fsPath ?? result.flow.uri;
    const file = source
      ? rel(root, source)
      : `${result.flow.name ?? "?"}.flow-meta.xml`;
    for (const ruleResult of result.ruleResults) {
      if (ruleResult.errorMessage) {
        problems.push({
          file,
          message: `rule failed to run: ${ruleResult.errorMessage}`,
          rule: `flow-scanner:${ruleResult.ruleName}`
        });
      }
      if (!ruleResult.occurs || ruleResult.severity !== "error") continue;
      for (const detail of ruleResult.details) {
        problems.push({
          file,
          line: detail.lineNumber > 0 ? detail.lineNumber : undefined,
          column: detail.columnNumber > 0 ? detail.columnNumber : undefined,
          message: `${ruleResult.ruleDefinition.label ?? ruleResult.ruleName}: ${detail.type ? `${detail.type} ` : ""}${detail.name}`,
          rule: `flow-scanner:${ruleResult.ruleName}`
        });
      }
    }
  }
  return problems;
}
