/**
 * The moves the generated Check Move and stalled-deal alert tests use, chosen from the map with
 * the enforcement test's planning (planMove, moveFor): a move blocked by one field criterion, one
 * blocked by one related criterion, a move the gates allow, and a deal in a stage that no longer
 * meets a gate it passed. Each choice says whether the criterion is the move's only unmet one
 * (`exact`), so a test asserts exactly that code, or only that the code is among the unmet ones.
 * A case the map cannot provide is undefined; the tests say so in their class comment.
 */
import {
  criterionMessage,
  enforcerOf,
  isRelatedCriterion,
  requiredForMove,
  selectProcess,
  type RuntimeCriterion,
  type RuntimeMap,
  type RuntimeProcess
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { LoadedMap } from "../load";
import {
  blankable,
  blocking,
  meetingValue,
  metByOthers,
  moveFor,
  planMove,
  relatedLimit,
  requiredPermission,
  unsettableReason,
  type MovePlan,
  type TestValue
} from "./enforcement-test";
import { isReachable } from "./formula";

/** The codes StageGateMoveCheck reads from a message: "[code]" at the start or after white space. */
export function codesInMessage(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/(?:^|\s)\[([A-Za-z][A-Za-z0-9_]*)\]/g)) {
    if (!out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

export interface ProcessRef {
  process: RuntimeProcess;
  /** Position in the map (1-based), for the generated record type constant's name. */
  number: number;
  /** The record types that select this process (empty: the default process). */
  recordTypes: string[];
}

export interface BlockedCase {
  criterion: RuntimeCriterion;
  ref: ProcessRef;
  /** The move with the criterion unmet and, as far as the generator can, everything else met. */
  plan: MovePlan;
  /** The same move with every criterion met (its limits say when that is impossible). */
  metPlan: MovePlan;
  /** The criterion is the move's only unmet one, and its message names no other code. */
  exact: boolean;
  /** The value that meets a field criterion (undefined for related criteria or when none can). */
  meetValue?: TestValue;
  /** The move is allowed once the criterion is met. */
  canMeet: boolean;
  /** The message the org shows for the criterion alone. */
  message: string;
  /** A validation rule enforces it (its own error whatever else is unmet), not the flow's one message. */
  byRule: boolean;
}

/** The reachable processes with the record types that select them, in map order. */
export function reachableProcesses(runtime: RuntimeMap): ProcessRef[] {
  const out: ProcessRef[] = [];
  runtime.processes.forEach((process, i) => {
    if (!isReachable(runtime, process)) return;
    out.push({
      process,
      number: i + 1,
      recordTypes: process.recordTypes.filter(
        (rt) => selectProcess(runtime, rt) === process
      )
    });
  });
  return out;
}

function placements(
  process: RuntimeProcess
): { criterion: RuntimeCriterion; stage: string; list: "entry" | "exit" }[] {
  const out: {
    criterion: RuntimeCriterion;
    stage: string;
    list: "entry" | "exit";
  }[] = [];
  for (const s of process.stages) {
    for (const c of s.entry)
      out.push({ criterion: c, stage: s.name, list: "entry" });
    for (const c of s.exit)
      out.push({ criterion: c, stage: s.name, list: "exit" });
  }
  for (const c of process.won.entry)
    out.push({ criterion: c, stage: process.won.name, list: "entry" });
  for (const c of process.lost.entry)
    out.push({ criterion: c, stage: process.lost.name, list: "entry" });
  return out;
}

/** Why the criterion cannot be left unmet by a generated record, or undefined when it can. */
function cannotUnmeet(
  loaded: LoadedMap,
  c: RuntimeCriterion,
  plan: MovePlan
): string | undefined {
  if (isRelatedCriterion(c)) {
    return metByOthers(loaded.runtime, plan, c)
      ? "the records made for the other criteria of its move meet it too"
      : undefined;
  }
  const info = loaded.fields.Opportunity?.[c.field];
  const reason = unsettableReason(c.field, info);
  return reason && !blankable(info) ? reason : undefined;
}

function blockedCase(
  loaded: LoadedMap,
  ref: ProcessRef,
  c: RuntimeCriterion,
  from: string,
  to: string
): BlockedCase | undefined {
  const { runtime, fields } = loaded;
  if (!blocking(c) || requiredPermission(c) !== undefined) return undefined;
  const plan = planMove(runtime, fields, ref.process, from, to, c);
  if (cannotUnmeet(loaded, c, plan)) return undefined;
  const metPlan = planMove(runtime, fields, ref.process, from, to);
  const message = criterionMessage(c);
  const codes = codesInMessage(message);
  const exact =
    plan.limits.length === 0 && codes.length === 1 && codes[0] === c.id;
  let meetValue: TestValue | undefined;
  let canMeet = plan.limits.length === 0 && metPlan.limits.length === 0;
  if (isRelatedCriterion(c)) {
    if (relatedLimit(c, fields)) canMeet = false;
  } else {
    meetValue = meetingValue(runtime, fields, plan, c);
    if (!meetValue) canMeet = false;
  }
  return {
    criterion: c,
    ref,
    plan,
    metPlan,
    exact,
    meetValue,
    canMeet,
    message,
    byRule: enforcerOf(runtime.fieldCriteriaIn, c) === "validationRule"
  };
}

/** Every move blocked by one criterion (the smallest move requiring it), map order. */
export function blockedCases(loaded: LoadedMap): BlockedCase[] {
  const out: BlockedCase[] = [];
  for (const ref of reachableProcesses(loaded.runtime)) {
    for (const p of placements(ref.process)) {
      const { from, to } = moveFor(ref.process, p.stage, p.list);
      const found = blockedCase(loaded, ref, p.criterion, from, to);
      if (found) out.push(found);
    }
  }
  return out;
}

/** The best case of a kind: exact and meetable first, then exact, then any. */
export function bestCase(
  cases: BlockedCase[],
  kind: "field" | "related"
): BlockedCase | undefined {
  const ofKind = cases.filter(
    (c) => isRelatedCriterion(c.criterion) === (kind === "related")
  );
  return (
    ofKind.find((c) => c.exact && c.canMeet) ??
    ofKind.find((c) => c.exact) ??
    ofKind[0]
  );
}

export interface AllowedCase {
  ref: ProcessRef;
  plan: MovePlan;
  /** Why this move: "forward" needs criteria (all met), "backward" and "same" need none. */
  kind: "forward" | "backward" | "same";
}

/**
 * A move the gates allow: the nearest forward move with every criterion met (preferring the
 * blocked cases' own moves), else a backward move, else staying in the first stage.
 */
export function allowedCase(
  loaded: LoadedMap,
  preferred: (BlockedCase | undefined)[]
): AllowedCase | undefined {
  for (const c of preferred) {
    if (c && c.metPlan.limits.length === 0 && c.metPlan.required.length > 0) {
      return { ref: c.ref, plan: c.metPlan, kind: "forward" };
    }
  }
  const refs = reachableProcesses(loaded.runtime);
  for (const ref of refs) {
    const names = [
      ...ref.process.stages.map((s) => s.name),
      ref.process.won.name
    ];
    for (const to of names.slice(1)) {
      const plan = planMove(
        loaded.runtime,
        loaded.fields,
        ref.process,
        names[0],
        to
      );
      if (plan.limits.length === 0) return { ref, plan, kind: "forward" };
    }
  }
  const empty = (ref: ProcessRef, from: string, to: string): MovePlan => ({
    process: ref.process,
    from,
    to,
    required: [],
    conditions: [],
    fields: [],
    related: [],
    limits: []
  });
  for (const ref of refs) {
    const stages = ref.process.stages;
    if (stages.length >= 2) {
      return {
        ref,
        plan: empty(ref, stages[1].name, stages[0].name),
        kind: "backward"
      };
    }
  }
  const first = refs[0];
  if (!first || first.process.stages.length === 0) return undefined;
  const stage = first.process.stages[0].name;
  return { ref: first, plan: empty(first, stage, stage), kind: "same" };
}

export interface RegressionCase {
  criterion: RuntimeCriterion;
  ref: ProcessRef;
  /** The deal's stage (an open stage after the first). */
  stage: string;
  /** First stage → the deal's stage with the criterion unmet: the values the deal is placed with. */
  plan: MovePlan;
  /** A validation rule enforces it (its code is always among the save's errors). */
  byRule: boolean;
}

/**
 * A deal that no longer meets a gate it passed: in an open stage after its process's first, with
 * one criterion of reaching it (from the first stage) unmet. The regression check moves it back
 * to the first stage and forward again, which requires exactly those criteria.
 */
export function regressionCase(loaded: LoadedMap): RegressionCase | undefined {
  const { runtime, fields } = loaded;
  const found: RegressionCase[] = [];
  for (const ref of reachableProcesses(runtime)) {
    const stages = ref.process.stages;
    if (stages.length < 2) continue;
    const first = stages[0].name;
    for (const s of stages.slice(1)) {
      for (const r of requiredForMove(ref.process, first, s.name, false)) {
        const c = r.criterion;
        if (!blocking(c) || requiredPermission(c) !== undefined) continue;
        const plan = planMove(runtime, fields, ref.process, first, s.name, c);
        if (cannotUnmeet(loaded, c, plan)) continue;
        found.push({
          criterion: c,
          ref,
          stage: s.name,
          plan,
          byRule: enforcerOf(runtime.fieldCriteriaIn, c) === "validationRule"
        });
      }
    }
  }
  return found.find((f) => f.plan.limits.length === 0) ?? found[0];
}

export interface OverdueCase {
  ref: ProcessRef;
  stage: string;
  /** The stage's position among its process's open stages (0: the first, never re-checked). */
  index: number;
  /** The map's target days for the stage; undefined when the map sets none anywhere. */
  targetDays?: number;
  /** Every criterion of reaching the stage from the first stage met (limits say when impossible). */
  metPlan: MovePlan;
}

/**
 * The overdue stage: preferably an open stage after the first (so the regression re-check runs on
 * its deals) whose gates the generator can meet, with target days; else any stage with target
 * days; when the map sets none, the second open stage (or the only one).
 */
export function overdueCase(loaded: LoadedMap): OverdueCase | undefined {
  const candidates: OverdueCase[] = [];
  for (const ref of reachableProcesses(loaded.runtime)) {
    ref.process.stages.forEach((s, i) => {
      candidates.push({
        ref,
        stage: s.name,
        index: i,
        targetDays: s.targetDays,
        metPlan: planMove(
          loaded.runtime,
          loaded.fields,
          ref.process,
          ref.process.stages[0].name,
          s.name
        )
      });
    });
  }
  const withTarget = candidates.filter((c) => c.targetDays !== undefined);
  const good = (c: OverdueCase): boolean =>
    c.index > 0 && c.metPlan.limits.length === 0;
  if (withTarget.length > 0) return withTarget.find(good) ?? withTarget[0];
  return (
    candidates.find(good) ??
    candidates.find((c) => c.index > 0) ??
    candidates[0]
  );
}
