/**
 * Stage KPIs from OpportunityHistory, per process of the map: conversion, velocity
 * (days in stage), skips, backward moves, close-date pushes, win rate and cycle length.
 *
 * Deals are added one at a time (`add`), so a reader can stream them; only counters and
 * the stay lengths (for medians) are kept. The process of a deal and the order of its
 * stages come from the core (`selectProcess`, `stageIndex`, `stageKind`), as for the gates.
 *
 * Definitions (a deal's timeline is its history rows in CreatedDate order, ties in input
 * order; consecutive rows with the same StageName are one run):
 * - a stay in S starts at the first row of a run of S and ends at the next row with another
 *   stage (that row's CreatedDate), or is open; a move is the change between two
 *   consecutive runs, at the later run's first row; the first row is not a move;
 * - "in the period": from ≤ t < to (UTC); rows after the end of `today` are ignored, as if
 *   the history had been exported then.
 */
import {
  selectProcess,
  stageIndex,
  stageKind,
  type RuntimeMap,
  type RuntimeProcess
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { DAY_MS, dayStart, type DealHistory, type Period } from "./types";

export interface StageKpis {
  name: string;
  entered: number;
  advanced: number;
  lostFrom: number;
  conversion: number | null;
  skipped: number;
  backward: number;
  endedStays: number;
  medianDays: number | null;
  p90Days: number | null;
  overTarget: number | null;
  openOverTarget: number | null;
}

export interface ProcessKpis {
  name: string;
  won: number;
  lost: number;
  winRate: number | null;
  medianCycleDays: number | null;
  pushes: number;
  pushedDeals: number;
  stages: StageKpis[];
}

export interface HistoryReport {
  from: string;
  to: string;
  today: string;
  processes: ProcessKpis[];
  /** Deals whose record type belongs to no process (the map has no default process). */
  unmapped: number;
}

/** Median of sorted values (mean of the two middle values for an even count); null for none. */
export function medianOf(values: Float64Array | number[]): number | null {
  const n = values.length;
  if (n === 0) {
    return null;
  }
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** Nearest-rank percentile: the ⌈p·n⌉-th smallest of sorted values; null for none. */
export function nearestRank(
  sorted: Float64Array | number[],
  p: number
): number | null {
  const n = sorted.length;
  if (n === 0) {
    return null;
  }
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[rank - 1];
}

/** A growable list of numbers kept in a typed array (stay lengths: 8 bytes each). */
class NumberList {
  private data = new Float64Array(16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

interface StageAccumulator {
  name: string;
  targetDays: number | null;
  entered: number;
  advanced: number;
  lostFrom: number;
  skipped: number;
  backward: number;
  stays: NumberList;
  staysOverTarget: number;
  openOverTarget: number;
}

interface ProcessAccumulator {
  process: RuntimeProcess;
  /** Stage name → position: 1..n open, n+1 won, LOST for the lost stage, 0 not in the map. */
  positions: Map<string, number>;
  stages: StageAccumulator[];
  won: number;
  lost: number;
  cycles: NumberList;
  pushes: number;
  pushedDeals: number;
}

const LOST = -1;

interface Run {
  position: number;
  start: number;
}

export class HistoryKpis {
  private readonly from: number;
  private readonly to: number;
  /** End of `today`: later rows are ignored; open stays are measured to here. */
  private readonly asOf: number;
  private readonly byProcess = new Map<RuntimeProcess, ProcessAccumulator>();
  private unmapped = 0;
  // Per-deal scratch space, reused (allocation is what costs at a million rows).
  private runs: Run[] = [];
  private flags = new Uint8Array(0);

  constructor(
    private readonly runtime: RuntimeMap,
    private readonly period: Period
  ) {
    this.from = dayStart(period.from);
    this.to = dayStart(period.to);
    this.asOf = dayStart(period.today) + DAY_MS;
    for (const process of runtime.processes) {
      const positions = new Map<string, number>();
      for (const s of process.stages) {
        positions.set(s.name, stageIndex(process, s.name));
      }
      positions.set(process.won.name, stageIndex(process, process.won.name));
      positions.set(process.lost.name, LOST);
      this.byProcess.set(process, {
        process,
        positions,
        stages: process.stages.map((s) => ({
          name: s.name,
          targetDays: s.targetDays ?? null,
          entered: 0,
          advanced: 0,
          lostFrom: 0,
          skipped: 0,
          backward: 0,
          stays: new NumberList(),
          staysOverTarget: 0,
          openOverTarget: 0
        })),
        won: 0,
        lost: 0,
        cycles: new NumberList(),
        pushes: 0,
        pushedDeals: 0
      });
    }
  }

  private inPeriod(t: number): boolean {
    return t >= this.from && t < this.to;
  }

  /** Position of a stage in the process (cached; the core decides, see stageIndex/stageKind). */
  private position(acc: ProcessAccumulator, stage: string): number {
    let p = acc.positions.get(stage);
    if (p === undefined) {
      const kind = stageKind(acc.process, stage);
      p = kind === "lost" ? LOST : stageIndex(acc.process, stage);
      // A copy as the key: the read string may be a slice pinning the reader's whole chunk.
      acc.positions.set(` ${stage}`.slice(1), p);
    }
    return p;
  }

  add(deal: DealHistory): void {
    const process = selectProcess(this.runtime, deal.recordType);
    if (!process) {
      this.unmapped++;
      return;
    }
    const acc = this.byProcess.get(process) as ProcessAccumulator;
    const n = process.stages.length;
    const wonPosition = n + 1;
    // Timeline: CreatedDate order, ties in input order (Array.prototype.sort is stable).
    let rows = deal.rows;
    let sorted = true;
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].at < rows[i - 1].at) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      rows = [...rows].sort((a, b) => a.at - b.at);
    }
    let count = rows.length;
    while (count > 0 && rows[count - 1].at >= this.asOf) {
      count--;
    }
    if (count === 0) {
      return;
    }

    // Runs of the same stage.
    const runs = this.runs;
    let runCount = 0;
    let prevStage: string | undefined;
    let pushed = false;
    const wonName = process.won.name;
    const lostName = process.lost.name;
    for (let i = 0; i < count; i++) {
      const row = rows[i];
      if (row.stage !== prevStage) {
        const run = runs[runCount];
        if (run) {
          run.position = this.position(acc, row.stage);
          run.start = row.at;
        } else {
          runs.push({ position: this.position(acc, row.stage), start: row.at });
        }
        runCount++;
        prevStage = row.stage;
      }
      // A push: a row in the period, not in the won or lost stage, whose CloseDate is
      // later than the previous row's.
      if (
        i > 0 &&
        row.closeDate !== null &&
        this.inPeriod(row.at) &&
        row.stage !== wonName &&
        row.stage !== lostName
      ) {
        const before = rows[i - 1].closeDate;
        if (before !== null && row.closeDate > before) {
          acc.pushes++;
          pushed = true;
        }
      }
    }
    if (pushed) {
      acc.pushedDeals++;
    }

    // Per-deal flags for the distinct-deal counts: bit 1 entered, 2 advanced, 4 lost from, 8 skipped.
    if (this.flags.length < n + 1) {
      this.flags = new Uint8Array(n + 1);
    } else {
      this.flags.fill(0, 0, n + 1);
    }
    const flags = this.flags;
    // laterMax[i]: the highest position among runs after run i (lost counts as none).
    let laterMax = 0;
    const laterMaxOf = new Int32Array(runCount);
    for (let i = runCount - 1; i >= 0; i--) {
      laterMaxOf[i] = laterMax;
      const p = runs[i].position;
      if (p > laterMax) {
        laterMax = p;
      }
    }
    let wonCounted = false;
    let lostCounted = false;
    for (let i = 0; i < runCount; i++) {
      const run = runs[i];
      const p = run.position;
      const startsInPeriod = this.inPeriod(run.start);
      const next = i + 1 < runCount ? runs[i + 1] : undefined;
      if (p >= 1 && p <= n) {
        const stage = acc.stages[p - 1];
        if (startsInPeriod) {
          flags[p] |= 1;
          if (laterMaxOf[i] > p) {
            flags[p] |= 2;
          }
          if (next && next.position === LOST) {
            flags[p] |= 4;
          }
        }
        if (next) {
          if (this.inPeriod(next.start)) {
            const days = (next.start - run.start) / DAY_MS;
            stage.stays.push(days);
            if (stage.targetDays !== null && days > stage.targetDays) {
              stage.staysOverTarget++;
            }
          }
        } else if (
          stage.targetDays !== null &&
          (this.asOf - run.start) / DAY_MS > stage.targetDays
        ) {
          stage.openOverTarget++;
        }
      } else if (p === wonPosition && startsInPeriod && !wonCounted) {
        wonCounted = true;
        acc.won++;
        acc.cycles.push((run.start - deal.created) / DAY_MS);
      } else if (p === LOST && startsInPeriod && !lostCounted) {
        lostCounted = true;
        acc.lost++;
      }
      // The move into run i (the first row is not a move).
      if (i > 0 && startsInPeriod) {
        const from = runs[i - 1].position;
        if (from >= 1 && from <= n) {
          if (p > from + 1) {
            // Directly from a stage before S to a stage after S: S was skipped.
            for (let s = from + 1; s < p; s++) {
              flags[s] |= 8;
            }
          } else if (p >= 1 && p < from) {
            acc.stages[from - 1].backward++;
          }
        }
      }
    }
    for (let s = 1; s <= n; s++) {
      const f = flags[s];
      if (f === 0) {
        continue;
      }
      const stage = acc.stages[s - 1];
      if (f & 1) {
        stage.entered++;
        if (f & 2) {
          stage.advanced++;
        }
        if (f & 4) {
          stage.lostFrom++;
        }
      }
      if (f & 8) {
        stage.skipped++;
      }
    }
  }

  report(): HistoryReport {
    return {
      from: this.period.from,
      to: this.period.to,
      today: this.period.today,
      processes: this.runtime.processes.map((process) => {
        const acc = this.byProcess.get(process) as ProcessAccumulator;
        const closed = acc.won + acc.lost;
        return {
          name: process.name,
          won: acc.won,
          lost: acc.lost,
          winRate: closed > 0 ? acc.won / closed : null,
          medianCycleDays: medianOf(acc.cycles.sorted()),
          pushes: acc.pushes,
          pushedDeals: acc.pushedDeals,
          stages: acc.stages.map((s) => {
            const stays = s.stays.sorted();
            return {
              name: s.name,
              entered: s.entered,
              advanced: s.advanced,
              lostFrom: s.lostFrom,
              conversion: s.entered > 0 ? s.advanced / s.entered : null,
              skipped: s.skipped,
              backward: s.backward,
              endedStays: stays.length,
              medianDays: medianOf(stays),
              p90Days: nearestRank(stays, 0.9),
              overTarget:
                s.targetDays !== null && stays.length > 0
                  ? s.staysOverTarget / stays.length
                  : null,
              openOverTarget: s.targetDays !== null ? s.openOverTarget : null
            };
          })
        };
      }),
      unmapped: this.unmapped
    };
  }
}
