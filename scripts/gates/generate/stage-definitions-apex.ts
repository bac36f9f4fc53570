/**
 * The map's stages for Apex: classes/StageGateStageDefinitions.cls (+ meta), read by the
 * stalled-deal alerts (StageGateStalledDealsJob): each process's open stages in order with their
 * target days, which process a record type gets (decided here by the core's selectProcess, so
 * Apex only looks it up), the bypass permission and the map's `alerts` settings.
 */
import {
  selectProcess,
  type RuntimeMap
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { APEX_API_VERSION, apexString } from "./apex";
import { isReachable } from "./formula";
import { lineCommentHeader, xmlHeaderComment } from "./names";
import type { Emitter } from "./types";

export const STAGE_DEFINITIONS_CLASS = "StageGateStageDefinitions";
const CLASS_PATH = `classes/${STAGE_DEFINITIONS_CLASS}.cls`;

/** The map's alert settings with their defaults (both on: the job only runs once scheduled). */
export function alertSettings(map: {
  alerts?: { overdue?: boolean; regressions?: boolean };
}): { overdue: boolean; regressions: boolean } {
  return {
    overdue: map.alerts?.overdue ?? true,
    regressions: map.alerts?.regressions ?? true
  };
}

function list(items: string[]): string {
  return items.length === 0
    ? "new List<String>()"
    : `new List<String>{ ${items.join(", ")} }`;
}

function processEntry(p: RuntimeMap["processes"][number]): string {
  const targets = p.stages
    .filter((s) => s.targetDays !== undefined)
    .map((s) => `${apexString(s.name)} => ${s.targetDays}`);
  const targetMap =
    targets.length === 0
      ? "new Map<String, Integer>()"
      : `new Map<String, Integer>{ ${targets.join(", ")} }`;
  return `${apexString(p.name)} => new Process(${apexString(p.name)}, ${list(p.stages.map((s) => apexString(s.name)))}, ${targetMap})`;
}

function classSource(
  configLabel: string,
  runtime: RuntimeMap,
  alerts: { overdue: boolean; regressions: boolean }
): string {
  const processes = runtime.processes.filter((p) => isReachable(runtime, p));
  const byRecordType = Array.from(
    new Set(runtime.processes.flatMap((p) => p.recordTypes))
  )
    .map((rt) => [rt, selectProcess(runtime, rt)?.name] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([rt, name]) => `${apexString(rt)} => ${apexString(name)}`);
  const defaultProcess = selectProcess(runtime, null);
  const processMap =
    processes.length === 0
      ? "new Map<String, Process>()"
      : `new Map<String, Process>{\n${processes.map((p) => `    ${processEntry(p)}`).join(",\n")}\n  }`;
  const recordTypeMap =
    byRecordType.length === 0
      ? "new Map<String, String>()"
      : `new Map<String, String>{ ${byRecordType.join(", ")} }`;
  return [
    lineCommentHeader(configLabel),
    "/**",
    " * The stages of the stage gate map for Apex (the stalled-deal alerts): each process's open",
    " * stages in order with their target days, the process of each record type as the core's",
    " * selectProcess assigns it, the bypass permission and the map's alert settings.",
    " */",
    `public with sharing class ${STAGE_DEFINITIONS_CLASS} {`,
    "  /** One sales process of the map. */",
    "  public class Process {",
    "    public final String name;",
    "    /** The open stages, in order. */",
    "    public final List<String> openStages;",
    "    /** Target days by open stage (stages without a target are absent). */",
    "    public final Map<String, Integer> targetDays;",
    "",
    "    public Process(String name, List<String> openStages, Map<String, Integer> targetDays) {",
    "      this.name = name;",
    "      this.openStages = openStages;",
    "      this.targetDays = targetDays;",
    "    }",
    "  }",
    "",
    `  public static final String BYPASS_PERMISSION = ${apexString(runtime.bypassPermission)};`,
    "  /** `alerts.overdue` of the map: owners hear about deals over their stage's target days. */",
    `  public static final Boolean OVERDUE_ALERTS = ${alerts.overdue};`,
    "  /** `alerts.regressions` of the map: owners hear about deals that no longer meet a gate they passed. */",
    `  public static final Boolean REGRESSION_ALERTS = ${alerts.regressions};`,
    "  /** True when a process is chosen by record type (queries then read RecordType.DeveloperName). */",
    `  public static final Boolean USES_RECORD_TYPES = ${byRecordType.length > 0};`,
    "",
    "  /** Every process that governs some record, by name. */",
    `  public static final Map<String, Process> PROCESSES = ${processMap};`,
    "",
    "  /** Record type DeveloperName => the process that governs it. */",
    `  public static final Map<String, String> PROCESS_BY_RECORD_TYPE = ${recordTypeMap};`,
    "",
    "  /** The process of records whose record type no process claims (null: they are ungated). */",
    `  public static final String DEFAULT_PROCESS = ${defaultProcess ? apexString(defaultProcess.name) : "null"};`,
    "",
    "  /** The process governing a record of this record type (DeveloperName, may be null), or null. */",
    "  public static Process processFor(String recordTypeDeveloperName) {",
    "    String name = PROCESS_BY_RECORD_TYPE.containsKey(recordTypeDeveloperName)",
    "      ? PROCESS_BY_RECORD_TYPE.get(recordTypeDeveloperName)",
    "      : DEFAULT_PROCESS;",
    "    return name == null ? null : PROCESSES.get(name);",
    "  }",
    "}",
    ""
  ].join("\n");
}

function metaSource(configLabel: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlHeaderComment(configLabel),
    '<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">',
    `    <apiVersion>${APEX_API_VERSION}</apiVersion>`,
    "    <status>Active</status>",
    "</ApexClass>",
    ""
  ].join("\n");
}

export const emitStageDefinitions: Emitter = (ctx) => [
  {
    path: CLASS_PATH,
    content: classSource(
      ctx.configLabel,
      ctx.loaded.runtime,
      alertSettings(ctx.loaded.map)
    )
  },
  { path: `${CLASS_PATH}-meta.xml`, content: metaSource(ctx.configLabel) }
];
