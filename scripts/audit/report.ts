/**
 * The pipeline hygiene audit: for every open opportunity, the criteria it must meet to
 * *be* in its stage (the gates of every earlier stage and the stage's entry criteria,
 * as if it had been inserted there) that it does not meet now, and its days in stage
 * against the stage's targetDays. All gate semantics come from the core.
 */
import {
  allCriteria,
  countMatching,
  criterionMessage,
  criterionApplies,
  criterionMode,
  daysBetween,
  evaluateCriterion,
  isRelatedCriterion,
  requiredToBeIn,
  selectProcess,
  stageKind,
  type EvaluationContext,
  type RelatedCounts,
  type RequiredCriterion,
  type RuntimeMap,
  type RuntimeProcess,
  waiverLifts
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  RELATIONSHIP_NAMES,
  type AuditInput,
  type InputKind,
  type InputProblem,
  type OpportunityRow
} from "./types";
import {
  dealWaivers,
  WAIVED_FIELD,
  WAIVER_RELATIONSHIP,
  type DealWaivers,
  type WaiverAudit,
  type WaiverState
} from "./waivers";

export interface AuditOptions {
  /** YYYY-MM-DD. */
  today: string;
  /** The map file as shown in the report. */
  config: string;
  /** Called every few thousand records and at the end. */
  onProgress?: (done: number, total: number) => void;
}

export interface CriterionOutcome {
  id: string;
  label: string;
  /** The stage whose list the criterion comes from. */
  stage: string;
  list: "entry" | "exit";
  mode: "enforce" | "warn";
  /** "unmet": the deal does not meet it now; "unknown": the export lacks the data to check it. */
  verdict: "unmet" | "unknown";
  /** Why it could not be checked (unknown only). */
  reason?: string;
  /** The message the org shows for it (core `criterionMessage`). */
  message: string;
  /** An active waiver lifts it: it does not block (counted neither as failing nor as not checked). */
  waived?: true;
}

export type DaysSource = "LastStageChangeDate" | "CreatedDate";

export interface OpportunityAudit {
  row: number;
  location: string;
  id: string | null;
  name: string | null;
  process: string;
  recordType: string | null;
  stage: string;
  /** Whole days since the last stage change (or since creation, see daysInStageFrom). */
  daysInStage: number | null;
  daysInStageFrom: DaysSource | null;
  targetDays: number | null;
  overdue: boolean;
  /** Criteria required to be in the stage (enforced and warn). */
  required: number;
  met: number;
  /** No enforced criterion is unmet (criteria that cannot be checked do not count as failing). */
  meetsGates: boolean;
  /** Ids of unmet enforced criteria, map order. */
  failing: string[];
  /** Ids of unmet warn-mode criteria, map order. */
  warnings: string[];
  /** Ids of criteria the export has no data for, map order. */
  notChecked: string[];
  /** Ids of enforced criteria not met (or not checkable) that an active waiver lifts, map order. */
  waived: string[];
  /** The deal's waivers: active ones and those that are not (expired, requested, rejected, revoked). */
  waivers: WaiverAudit[];
  outcomes: CriterionOutcome[];
}

export interface StageSummary {
  process: string;
  stage: string;
  kind: "open" | "won" | "lost";
  targetDays: number | null;
  /** Open opportunities in the stage. */
  count: number;
  meetingGates: number;
  /** meetingGates / count; null when count is 0. */
  shareMeetingGates: number | null;
  medianDaysInStage: number | null;
  overdue: number;
}

export interface CriterionSummary {
  id: string;
  label: string;
  process: string;
  stage: string;
  list: "entry" | "exit";
  mode: "enforce" | "warn";
  /** Audited opportunities that must meet it to be in their stage. */
  required: number;
  /** Of those, how many do not meet it. */
  failing: number;
  /** failing / required. */
  shareFailing: number;
  /** Of those, how many could not be checked. */
  notChecked: number;
  /** Of those, how many do not meet it (or cannot be checked) but hold an active waiver for it. */
  waived: number;
}

export interface UnknownStage {
  process: string;
  stage: string;
  count: number;
  opportunities: {
    row: number;
    location: string;
    id: string | null;
    name: string | null;
  }[];
}

export interface AuditTotals {
  records: number;
  closed: number;
  open: number;
  audited: number;
  meetingGates: number;
  notMeetingGates: number;
  overdue: number;
  unknownStage: number;
  noStage: number;
  noProcess: number;
}

/** The waivers of the audited deals, counted. */
export interface WaiverSummary {
  /** Where the audit read them: the waiver rows, else the waived list field, else the export has neither. */
  from: typeof WAIVER_RELATIONSHIP | typeof WAIVED_FIELD | null;
  /** Active waivers (approved, Expires_On__c on or after today). */
  active: number;
  /** Audited deals with at least one active waiver. */
  deals: number;
  /** Criteria (deal and code) not met or not checkable that an active waiver lifts. */
  lifted: number;
  /** Waivers that are not active, by state. */
  notActive: Record<Exclude<WaiverState, "active">, number>;
}

export interface AuditReport {
  today: string;
  config: string;
  input: {
    source: string;
    kind: InputKind;
    records: number;
    totalSize?: number;
  };
  totals: AuditTotals;
  waivers: WaiverSummary;
  opportunities: OpportunityAudit[];
  byStage: StageSummary[];
  byCriterion: CriterionSummary[];
  unknownStages: UnknownStage[];
  problems: InputProblem[];
}

const PROGRESS_EVERY = 2000;

/** Median of a list of numbers (mean of the two middle values for an even count). */
export function median(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[mid]
    : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface StageAccumulator {
  summary: StageSummary;
  days: number[];
}

interface CriterionAccumulator {
  summary: CriterionSummary;
  order: number;
}

export function auditRecords(
  runtime: RuntimeMap,
  input: AuditInput,
  options: AuditOptions
): AuditReport {
  const { today } = options;
  const problems: InputProblem[] = [...input.problems];
  const totals: AuditTotals = {
    records: input.records.length,
    closed: 0,
    open: 0,
    audited: 0,
    meetingGates: 0,
    notMeetingGates: 0,
    overdue: 0,
    unknownStage: 0,
    noStage: 0,
    noProcess: 0
  };
  const opportunities: OpportunityAudit[] = [];
  const stages = new Map<RuntimeProcess, Map<string, StageAccumulator>>();
  const criteria = new Map<string, CriterionAccumulator>();
  const unknownStages = new Map<string, UnknownStage>();
  const requiredCache = new Map<
    RuntimeProcess,
    Map<string, RequiredCriterion[]>
  >();
  const mapOrder = new Map<string, number>();
  allCriteria(runtime).forEach((c, i) => mapOrder.set(c.id, i));

  const requiredFor = (
    process: RuntimeProcess,
    stage: string
  ): RequiredCriterion[] => {
    let byStage = requiredCache.get(process);
    if (!byStage) {
      byStage = new Map();
      requiredCache.set(process, byStage);
    }
    let list = byStage.get(stage);
    if (!list) {
      list = requiredToBeIn(process, stage);
      byStage.set(stage, list);
    }
    return list;
  };

  const stageAccumulator = (
    process: RuntimeProcess,
    stage: string,
    kind: "open" | "won" | "lost"
  ): StageAccumulator => {
    let byName = stages.get(process);
    if (!byName) {
      byName = new Map();
      stages.set(process, byName);
    }
    let acc = byName.get(stage);
    if (!acc) {
      const open = process.stages.find((s) => s.name === stage);
      acc = {
        summary: {
          process: process.name,
          stage,
          kind,
          targetDays: open?.targetDays ?? null,
          count: 0,
          meetingGates: 0,
          shareMeetingGates: null,
          medianDaysInStage: null,
          overdue: 0
        },
        days: []
      };
      byName.set(stage, acc);
    }
    return acc;
  };

  const outcomeCounts = new Map<
    string,
    { failing: number; notChecked: number; waived: number }
  >();
  const waivers: WaiverSummary = {
    from: null,
    active: 0,
    deals: 0,
    lifted: 0,
    notActive: { expired: 0, requested: 0, rejected: 0, revoked: 0 }
  };
  const auditOne = makeAuditor(runtime, input, today, problems);
  const total = input.records.length;
  for (let i = 0; i < total; i++) {
    const row = input.records[i];
    if (options.onProgress && i > 0 && i % PROGRESS_EVERY === 0) {
      options.onProgress(i, total);
    }
    if (row.stage === null) {
      totals.noStage++;
      problems.push({
        kind: "noStage",
        location: row.location,
        row: row.row,
        id: row.id,
        message: `row ${row.row}${row.id ? ` (${row.id})` : ""} has no StageName: not audited`
      });
      continue;
    }
    const process = selectProcess(runtime, row.recordType);
    if (!process) {
      totals.noProcess++;
      problems.push({
        kind: "noProcess",
        location: row.location,
        row: row.row,
        id: row.id,
        message: `row ${row.row}${row.id ? ` (${row.id})` : ""}: record type ${
          row.recordType ? `"${row.recordType}"` : "(none)"
        } belongs to no process and the map has no default process: not audited`
      });
      continue;
    }
    const kind = stageKind(process, row.stage);
    const closed =
      row.isClosed !== undefined
        ? row.isClosed
        : kind === "won" || kind === "lost";
    if (closed) {
      totals.closed++;
      continue;
    }
    totals.open++;
    if (kind === "unknown") {
      totals.unknownStage++;
      const key = `${process.name}\u0000${row.stage}`;
      let entry = unknownStages.get(key);
      if (!entry) {
        entry = {
          process: process.name,
          stage: row.stage,
          count: 0,
          opportunities: []
        };
        unknownStages.set(key, entry);
      }
      entry.count++;
      entry.opportunities.push({
        row: row.row,
        location: row.location,
        id: row.id,
        name: row.name
      });
      continue;
    }
    const audit = auditOne(row, process, kind, requiredFor(process, row.stage));
    opportunities.push(audit);
    totals.audited++;
    const acc = stageAccumulator(process, row.stage, kind);
    acc.summary.count++;
    if (audit.meetsGates) {
      acc.summary.meetingGates++;
      totals.meetingGates++;
    } else {
      totals.notMeetingGates++;
    }
    if (audit.daysInStage !== null) {
      acc.days.push(audit.daysInStage);
    }
    if (audit.overdue) {
      acc.summary.overdue++;
      totals.overdue++;
    }
    for (const o of audit.outcomes) {
      let counter = outcomeCounts.get(o.id);
      if (!counter) {
        counter = { failing: 0, notChecked: 0, waived: 0 };
        outcomeCounts.set(o.id, counter);
      }
      if (o.waived) {
        counter.waived++;
      } else if (o.verdict === "unmet") {
        counter.failing++;
      } else {
        counter.notChecked++;
      }
    }
    if (row.waivers !== undefined) {
      waivers.from = WAIVER_RELATIONSHIP;
    } else if (waivers.from === null && WAIVED_FIELD in row.values) {
      waivers.from = WAIVED_FIELD;
    }
    let active = 0;
    for (const w of audit.waivers) {
      if (w.state === "active") {
        active++;
      } else {
        waivers.notActive[w.state]++;
      }
    }
    waivers.active += active;
    waivers.deals += active > 0 ? 1 : 0;
    waivers.lifted += audit.waived.length;
  }
  options.onProgress?.(total, total);

  // A criterion is required of every deal in a stage whose required list holds it.
  for (const [process, byName] of stages) {
    for (const [stage, acc] of byName) {
      if (acc.summary.count === 0) {
        continue;
      }
      for (const r of requiredFor(process, stage)) {
        const c = r.criterion;
        let cacc = criteria.get(c.id);
        if (!cacc) {
          const counted = outcomeCounts.get(c.id);
          cacc = {
            order: mapOrder.get(c.id) ?? Number.MAX_SAFE_INTEGER,
            summary: {
              id: c.id,
              label: c.label,
              process: process.name,
              stage: r.stage,
              list: r.list,
              mode: criterionMode(c) === "warn" ? "warn" : "enforce",
              required: 0,
              failing: counted?.failing ?? 0,
              shareFailing: 0,
              notChecked: counted?.notChecked ?? 0,
              waived: counted?.waived ?? 0
            }
          };
          criteria.set(c.id, cacc);
        }
        cacc.summary.required += acc.summary.count;
      }
    }
  }

  const byStage: StageSummary[] = [];
  for (const process of runtime.processes) {
    const byName = stages.get(process);
    const ordered: [string, "open" | "won" | "lost"][] = [
      ...process.stages.map((s): [string, "open"] => [s.name, "open"]),
      [process.won.name, "won"],
      [process.lost.name, "lost"]
    ];
    for (const [name, kind] of ordered) {
      const acc = byName?.get(name);
      if (!acc && kind !== "open") {
        continue;
      }
      const summary = (acc ?? stageAccumulator(process, name, kind)).summary;
      const days = acc?.days ?? [];
      summary.shareMeetingGates =
        summary.count > 0 ? summary.meetingGates / summary.count : null;
      summary.medianDaysInStage = median(days);
      byStage.push(summary);
    }
  }
  const byCriterion = Array.from(criteria.values())
    .sort((a, b) => b.summary.failing - a.summary.failing || a.order - b.order)
    .map((a) => {
      a.summary.shareFailing =
        a.summary.required > 0 ? a.summary.failing / a.summary.required : 0;
      return a.summary;
    });

  return {
    today,
    config: options.config,
    input: {
      source: input.source,
      kind: input.kind,
      records: input.records.length,
      ...(input.totalSize !== undefined ? { totalSize: input.totalSize } : {})
    },
    totals,
    waivers,
    opportunities,
    byStage,
    byCriterion,
    unknownStages: Array.from(unknownStages.values()),
    problems
  };
}

type Auditor = (
  row: OpportunityRow,
  process: RuntimeProcess,
  kind: "open" | "won" | "lost",
  required: RequiredCriterion[]
) => OpportunityAudit;

/**
 * Evaluates one opportunity at a time. Built once per audit: the evaluation context is
 * reused and the outcome records (criterion, verdict, reason, message) are shared between
 * opportunities, which keeps 100,000-record audits fast (allocation, not evaluation, is
 * what costs).
 */
function makeAuditor(
  runtime: RuntimeMap,
  input: AuditInput,
  today: string,
  problems: InputProblem[]
): Auditor {
  type ReasonKind = "missing" | "partial" | "invalid" | "condition";
  interface Shared {
    unmet?: CriterionOutcome;
    unknown: Partial<Record<ReasonKind, CriterionOutcome>>;
    /** The same outcomes lifted by a waiver. */
    waived: Map<CriterionOutcome, CriterionOutcome>;
  }
  const shared = new Map<RequiredCriterion, Shared>();
  const outcomeFor = (
    r: RequiredCriterion,
    verdict: "unmet" | "unknown",
    reasonKind: ReasonKind
  ): CriterionOutcome => {
    let entry = shared.get(r);
    if (!entry) {
      entry = { unknown: {}, waived: new Map() };
      shared.set(r, entry);
    }
    const cached =
      verdict === "unmet" ? entry.unmet : entry.unknown[reasonKind];
    if (cached) {
      return cached;
    }
    const c = r.criterion;
    const outcome: CriterionOutcome = {
      id: c.id,
      label: c.label,
      stage: r.stage,
      list: r.list,
      mode: criterionMode(c) === "warn" ? "warn" : "enforce",
      verdict,
      message: criterionMessage(c)
    };
    if (verdict === "unmet") {
      entry.unmet = outcome;
    } else {
      outcome.reason = unknownReason(c, reasonKind);
      entry.unknown[reasonKind] = outcome;
    }
    return Object.freeze(outcome);
  };
  const waivedOutcome = (
    r: RequiredCriterion,
    outcome: CriterionOutcome
  ): CriterionOutcome => {
    const byOutcome = (shared.get(r) as Shared).waived;
    let lifted = byOutcome.get(outcome);
    if (!lifted) {
      lifted = Object.freeze({ ...outcome, waived: true as const });
      byOutcome.set(outcome, lifted);
    }
    return lifted;
  };
  const unknownReason = (
    c: RequiredCriterion["criterion"],
    kind: ReasonKind
  ): string => {
    if (kind === "condition") {
      return "it applies only under a condition (when) the export cannot show: a field not in the export or the owner's permissions";
    }
    if (isRelatedCriterion(c)) {
      const relationship = RELATIONSHIP_NAMES[c.related];
      return kind === "partial"
        ? `${relationship} cut short in the export (done: false)`
        : (input.noRelatedReason ??
            `no ${relationship} subquery in the export`);
    }
    return kind === "invalid"
      ? `invalid ${c.field} value in the export`
      : `${c.field} not in the export`;
  };
  const targetDaysOf = new Map<RuntimeProcess, Map<string, number | null>>();
  const targetDays = (
    process: RuntimeProcess,
    stage: string
  ): number | null => {
    let byStage = targetDaysOf.get(process);
    if (!byStage) {
      byStage = new Map(
        process.stages.map((s) => [s.name, s.targetDays ?? null])
      );
      targetDaysOf.set(process, byStage);
    }
    return byStage.get(stage) ?? null;
  };
  const counts: RelatedCounts = {};
  const ctx: EvaluationContext = {
    values: {},
    counts,
    today,
    placeholders: runtime.placeholders
  };
  return (row, process, kind, required) => {
    ctx.values = row.values;
    const deal = waiversOf(row, today);
    if (deal.mismatch) {
      problems.push({
        kind: "note",
        location: row.location,
        row: row.row,
        id: row.id,
        message: deal.mismatch
      });
    }
    const outcomes: CriterionOutcome[] = [];
    let failing: string[] | undefined;
    let warnings: string[] | undefined;
    let notChecked: string[] | undefined;
    let waived: string[] | undefined;
    let met = 0;
    let applicable = 0;
    for (const r of required) {
      const c = r.criterion;
      // A criterion whose `when` does not hold on the record is not required of it.
      const applies = criterionApplies(c, ctx);
      if (applies === "unmet") {
        continue;
      }
      applicable++;
      let partial = false;
      if (isRelatedCriterion(c)) {
        const records = row.related[c.related];
        if (records === undefined) {
          counts[c.id] = undefined;
        } else {
          counts[c.id] = countMatching(records, c.where);
          partial = row.partialRelated?.includes(c.related) ?? false;
        }
      }
      let verdict = evaluateCriterion(c, ctx);
      if (verdict === "met") {
        met++;
        continue;
      }
      let reasonKind: ReasonKind = "missing";
      if (applies === "unknown") {
        verdict = "unknown";
        reasonKind = "condition";
      } else if (verdict === "unmet" && partial) {
        // A cut-short subquery gives a lower bound: enough records is a pass, too few proves nothing.
        verdict = "unknown";
        reasonKind = "partial";
      } else if (
        verdict === "unknown" &&
        !isRelatedCriterion(c) &&
        row.invalidFields?.includes(c.field)
      ) {
        reasonKind = "invalid";
      }
      const outcome = outcomeFor(r, verdict, reasonKind);
      // The core's waiver rule (as the org's rules and `gates check`): an active waiver lifts an enforced criterion.
      if (deal.active.length > 0 && waiverLifts(c, deal.active)) {
        (waived ??= []).push(c.id);
        for (const w of deal.waivers) {
          if (w.state === "active" && w.criterion === c.id) {
            w.lifts = true;
          }
        }
        outcomes.push(waivedOutcome(r, outcome));
        continue;
      }
      if (verdict === "unknown") {
        (notChecked ??= []).push(c.id);
      } else if (outcome.mode === "warn") {
        (warnings ??= []).push(c.id);
      } else {
        (failing ??= []).push(c.id);
      }
      outcomes.push(outcome);
    }
    let days = daysSince(
      row,
      "LastStageChangeDate",
      row.lastStageChange,
      today,
      problems
    );
    let from: DaysSource | null = days === null ? null : "LastStageChangeDate";
    if (days === null) {
      days = daysSince(row, "CreatedDate", row.createdDate, today, problems);
      from = days === null ? null : "CreatedDate";
    }
    const target =
      kind === "open" ? targetDays(process, row.stage as string) : null;
    return {
      row: row.row,
      location: row.location,
      id: row.id,
      name: row.name,
      process: process.name,
      recordType: row.recordType ?? null,
      stage: row.stage as string,
      daysInStage: days,
      daysInStageFrom: from,
      targetDays: target,
      // Same rule as the checklist (core buildChecklist): overdue when days in stage exceed targetDays.
      overdue: target !== null && days !== null && days > target,
      required: applicable,
      met,
      meetsGates: failing === undefined,
      failing: failing ?? [],
      warnings: warnings ?? [],
      notChecked: notChecked ?? [],
      waived: waived ?? [],
      waivers: deal.waivers,
      outcomes
    };
  };
}

const NO_WAIVERS: DealWaivers = Object.freeze({
  waivers: Object.freeze([]) as unknown as WaiverAudit[],
  active: Object.freeze([]) as unknown as string[]
});

/** The deal's waivers (./waivers.ts); a shared empty result for the common deal without any. */
function waiversOf(row: OpportunityRow, today: string): DealWaivers {
  if (
    row.waivers === undefined &&
    typeof row.values[WAIVED_FIELD] !== "string"
  ) {
    return NO_WAIVERS;
  }
  return dealWaivers(
    row.values,
    row.waivers,
    row.partialWaivers ?? false,
    today
  );
}

function daysSince(
  row: OpportunityRow,
  field: DaysSource,
  value: string | null | undefined,
  today: string,
  problems: InputProblem[]
): number | null {
  if (!value) {
    return null;
  }
  try {
    return daysBetween(value, today);
  } catch {
    problems.push({
      kind: "invalidValue",
      location: row.location,
      row: row.row,
      id: row.id,
      message: `${field} "${value}" is not a date-time`
    });
    return null;
  }
}
