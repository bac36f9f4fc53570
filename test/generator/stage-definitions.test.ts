/**
 * The stage definitions for Apex (StageGateStageDefinitions, read by the stalled-deal alerts):
 * every governing process's open stages in order with their target days, each record type's
 * process as the core's selectProcess picks it, the default process, the bypass permission and
 * the map's `alerts` switches (default on).
 */
import {
  selectProcess,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { parseApex } from "../../scripts/checks/apex";
import { emitStageDefinitions } from "../../scripts/gates/generate/stage-definitions-apex";
import { loadMap } from "../../scripts/gates/load";
import { loadedFromMap } from "./support";

function classOf(map: StageGateMap): string {
  const files = emitStageDefinitions({
    loaded: loadedFromMap(map, { Amount: { type: "Currency" } }),
    configLabel: "config/stage-gates.json"
  });
  expect(files.map((f) => f.path)).toEqual([
    "classes/StageGateStageDefinitions.cls",
    "classes/StageGateStageDefinitions.cls-meta.xml"
  ]);
  return files[0].content;
}

const process = (
  name: string,
  recordTypes: string[] | undefined,
  stages: { name: string; targetDays?: number }[]
): StageGateMap["processes"][number] => ({
  name,
  ...(recordTypes ? { recordTypes } : {}),
  stages,
  won: { name: "Closed Won" },
  lost: { name: "Closed Lost" }
});

test("the shipped map: every process, its open stages and target days, in map order", () => {
  const loaded = loadMap();
  const cls = emitStageDefinitions({
    loaded,
    configLabel: "config/stage-gates.json"
  })[0].content;
  expect(parseApex(cls).errors).toEqual([]);
  for (const p of loaded.runtime.processes) {
    const stages = p.stages.map((s) => `'${s.name}'`).join(", ");
    expect(cls).toContain(
      `'${p.name}' => new Process('${p.name}', new List<String>{ ${stages} }`
    );
    for (const s of p.stages.filter((x) => x.targetDays !== undefined)) {
      expect(cls).toContain(`'${s.name}' => ${s.targetDays}`);
    }
  }
  expect(cls).toContain("OVERDUE_ALERTS = true;");
  expect(cls).toContain("REGRESSION_ALERTS = true;");
});

test("record types map to the process the core selects; the default process is named", () => {
  const map: StageGateMap = {
    bypassPermission: "Skip_Gates",
    processes: [
      process("Default", undefined, [{ name: "Prospecting", targetDays: 5 }]),
      process("Big", ["Enterprise", "Partner"], [{ name: "Prospecting" }]),
      // Partner is claimed twice: the core takes the first process.
      process("Later", ["Partner"], [{ name: "Qualification" }])
    ]
  };
  const cls = classOf(map);
  const runtime = loadedFromMap(map, {}).runtime;
  expect(selectProcess(runtime, "Partner")?.name).toBe("Big");
  expect(cls).toContain("'Enterprise' => 'Big', 'Partner' => 'Big'");
  expect(cls).toContain("DEFAULT_PROCESS = 'Default';");
  expect(cls).toContain("USES_RECORD_TYPES = true;");
  expect(cls).not.toContain("'Later' =>");
  expect(cls).toContain("BYPASS_PERMISSION = 'Skip_Gates';");
});

test("without a default process or record types: null default, no record type reads", () => {
  const cls = classOf({
    bypassPermission: "Skip_Gates",
    processes: [process("Only", ["Enterprise"], [{ name: "Prospecting" }])]
  });
  expect(cls).toContain("DEFAULT_PROCESS = null;");
  const plain = classOf({
    bypassPermission: "Skip_Gates",
    processes: [process("Plain", undefined, [{ name: "Prospecting" }])]
  });
  expect(plain).toContain("USES_RECORD_TYPES = false;");
  expect(plain).toContain("new Map<String, String>()");
});

test("the map's alerts switches, each defaulting to on", () => {
  const base: StageGateMap = {
    bypassPermission: "Skip_Gates",
    processes: [process("Plain", undefined, [{ name: "Prospecting" }])]
  };
  const off = classOf({
    ...base,
    alerts: { overdue: false, regressions: false }
  });
  expect(off).toContain("OVERDUE_ALERTS = false;");
  expect(off).toContain("REGRESSION_ALERTS = false;");
  const partial = classOf({ ...base, alerts: { regressions: false } });
  expect(partial).toContain("OVERDUE_ALERTS = true;");
  expect(partial).toContain("REGRESSION_ALERTS = false;");
});
