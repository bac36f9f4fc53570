/**
 * The nine-deal fixture (test/fixtures/history), computed by hand, read through both
 * inputs: the sf data query JSON and the two CSV exports (whose history rows are sorted by
 * CreatedDate across deals, not grouped by opportunity). Period 2026-01-01 to 2026-04-01
 * (exclusive), history up to the end of 2026-04-10 (so open stays are measured to
 * 2026-04-11T00:00Z). Map: Standard Sales = Prospecting (target 10) → Qualification
 * (target 5) → Needs Analysis (no target) → Closed Won | Closed Lost; Enterprise (record
 * type Enterprise) = Prospecting (20) → Negotiation/Review (30).
 *
 * The deals (dates 00:00 UTC unless noted; P, Q, NA = the three open stages):
 * D1 P 01-01, Q 01-06, NA 01-16 (close date 03-01 → 03-15: a push), Won 02-01; created 01-01
 * D2 P 2025-12-20, Q 01-10, P 01-12 (back), Q 01-20 (close 03-01 → 04-01: a push), Lost 02-10
 * D3 P 02-01, NA 02-03 (skips Q), Won 03-01; created 02-01
 * D4 P 03-20 12:00, Q 04-20 (after --today: ignored) → open in P
 * D5 P 2025-11-01, Q 2025-12-01 (a push, before the period), NA 01-05 → open in NA
 * D6 P 01-02, Perception Analysis (not in the map) 01-04, P 01-07, Q 01-09 → open in Q
 * D7 Enterprise: P 01-10, Negotiation/Review 01-20, Won 03-10; created 01-10
 * D8 record type Partner (no process claims it → the default process): P 03-01, P 03-05
 *    (push), P 03-07 (push), Lost 03-10
 * D9 P 03-25, Q 04-01 00:00 (= --to: outside the period, before --today) → open in Q
 */
import type { HistoryReport } from "../../scripts/history/kpis";
import {
  ENTERPRISE_ONLY_MAP,
  HISTORY_CSV,
  MAP,
  PERIOD,
  PERIOD_ARGS,
  RECORDS_CSV,
  SF_QUERY_FILE,
  history
} from "./helpers";

const EXPECTED: HistoryReport = {
  from: "2026-01-01",
  to: "2026-04-01",
  today: "2026-04-10",
  processes: [
    {
      name: "Standard Sales",
      // Won stays starting in the period: D1 (02-01), D3 (03-01); lost: D2 (02-10), D8 (03-10).
      won: 2,
      lost: 2,
      winRate: 2 / (2 + 2),
      // Cycle = won start − CreatedDate: D1 02-01 − 01-01 = 31, D3 03-01 − 02-01 = 28 → median (28 + 31) / 2.
      medianCycleDays: 29.5,
      // D1 NA 01-16 (03-01 → 03-15), D2 Q 01-20 (03-01 → 04-01), D8 03-05 (06-01 → 07-01) and
      // 03-07 (07-01 → 08-01); D5's push on 2025-12-01 is before the period.
      pushes: 4,
      pushedDeals: 3,
      stages: [
        {
          name: "Prospecting",
          // Stays in P starting in the period: D1, D2 (its second, 01-12), D3, D4, D6, D8, D9 = 7
          // (D5's started 2025-11-01; D2's first 2025-12-20).
          entered: 7,
          // Later in Q/NA/Won: D1, D2 (Q 01-20), D3 (NA), D6 (Q 01-09), D9 (Q 04-01, before --today) = 5;
          // D4's Q on 04-20 is after --today; D8 was lost.
          advanced: 5,
          // D8: P → Lost.
          lostFrom: 1,
          conversion: 5 / 7,
          skipped: 0,
          backward: 0,
          // Ended in the period: D1 5, D2 21 (2025-12-20 → 01-10) and 8 (01-12 → 01-20), D3 2,
          // D6 2 (01-02 → 01-04, ended by the stage outside the map) and 2 (01-07 → 01-09), D8 9.
          // D9's ends at 04-01 = --to (outside); D5's ended 2025-12-01.
          endedStays: 7,
          // Sorted 2 2 2 5 8 9 21: median the 4th = 5; p90 the ⌈0.9·7⌉ = 7th = 21.
          medianDays: 5,
          p90Days: 21,
          // Longer than 10 days: 21 → 1 of 7.
          overTarget: 1 / 7,
          // D4 open in P since 03-20 12:00: 21.5 days on 04-11 00:00 > 10.
          openOverTarget: 1
        },
        {
          name: "Qualification",
          // D1 (01-06), D2 (01-10 and 01-20: one deal), D6 (01-09) = 3; D9's 04-01 is at --to.
          entered: 3,
          // D1 (NA later); D2 ends lost, D6 still open.
          advanced: 1,
          // D2: Q 01-20 → Lost.
          lostFrom: 1,
          conversion: 1 / 3,
          // D3: P → NA directly.
          skipped: 1,
          // D2: Q → P on 01-12.
          backward: 1,
          // D1 10 (01-06 → 01-16), D2 2 (01-10 → 01-12) and 21 (01-20 → 02-10), D5 35 (2025-12-01 → 01-05).
          endedStays: 4,
          // Sorted 2 10 21 35: median (10 + 21) / 2 = 15.5; p90 the ⌈0.9·4⌉ = 4th = 35.
          medianDays: 15.5,
          p90Days: 35,
          // Longer than 5 days: 10, 21, 35 → 3 of 4.
          overTarget: 3 / 4,
          // D6 open since 01-09: 92 days; D9 since 04-01: 10 days; both > 5.
          openOverTarget: 2
        },
        {
          name: "Needs Analysis",
          // D1 (01-16), D3 (02-03), D5 (01-05).
          entered: 3,
          // D1 and D3 won; D5 still open.
          advanced: 2,
          lostFrom: 0,
          conversion: 2 / 3,
          skipped: 0,
          backward: 0,
          // D1 16 (01-16 → 02-01), D3 26 (02-03 → 03-01): median (16 + 26) / 2 = 21; p90 the 2nd = 26.
          endedStays: 2,
          medianDays: 21,
          p90Days: 26,
          // No targetDays.
          overTarget: null,
          openOverTarget: null
        }
      ]
    },
    {
      name: "Enterprise",
      // D7: won 03-10, created 01-10 → 59 days (21 + 28 + 10).
      won: 1,
      lost: 0,
      winRate: 1,
      medianCycleDays: 59,
      pushes: 0,
      pushedDeals: 0,
      stages: [
        {
          name: "Prospecting",
          entered: 1,
          advanced: 1,
          lostFrom: 0,
          conversion: 1,
          skipped: 0,
          backward: 0,
          // 01-10 → 01-20 = 10 days, not longer than 20.
          endedStays: 1,
          medianDays: 10,
          p90Days: 10,
          overTarget: 0,
          openOverTarget: 0
        },
        {
          name: "Negotiation/Review",
          entered: 1,
          advanced: 1,
          lostFrom: 0,
          conversion: 1,
          skipped: 0,
          backward: 0,
          // 01-20 → 03-10 = 49 days (11 + 28 + 10) > 30.
          endedStays: 1,
          medianDays: 49,
          p90Days: 49,
          overTarget: 1,
          openOverTarget: 0
        }
      ]
    }
  ],
  unmapped: 0
};

describe("the hand-computed fixture", () => {
  it("sf data query JSON gives the expected KPIs", async () => {
    const out = await history([
      "--config",
      MAP,
      "--records",
      SF_QUERY_FILE,
      ...PERIOD_ARGS,
      "--format",
      "json"
    ]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(EXPECTED);
  });

  it("the two CSV exports (history not grouped by opportunity) give the same KPIs", async () => {
    const out = await history([
      "--config",
      MAP,
      "--records",
      RECORDS_CSV,
      "--history",
      HISTORY_CSV,
      ...PERIOD_ARGS,
      "--format",
      "json"
    ]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(EXPECTED);
  });

  it("numbers in the JSON are unrounded", async () => {
    const out = await history([
      "--config",
      MAP,
      "--records",
      SF_QUERY_FILE,
      ...PERIOD_ARGS,
      "--format",
      "json"
    ]);
    const report = JSON.parse(out.stdout) as HistoryReport;
    expect(report.processes[0].stages[0].conversion).toBe(0.7142857142857143);
    expect(report.processes[0].stages[0].overTarget).toBe(0.14285714285714285);
  });

  it("deals whose record type has no process are counted as unmapped", async () => {
    // Only Enterprise has a process: D7 is reported, the other eight deals are unmapped.
    const out = await history([
      "--config",
      ENTERPRISE_ONLY_MAP,
      "--records",
      SF_QUERY_FILE,
      ...PERIOD_ARGS,
      "--format",
      "json"
    ]);
    const report = JSON.parse(out.stdout) as HistoryReport;
    expect(report.unmapped).toBe(8);
    expect(report.processes.map((p) => p.name)).toEqual(["Enterprise"]);
    expect(report.processes[0]).toEqual(EXPECTED.processes[1]);
  });

  it("the period defaults to the 90 days ending --today", async () => {
    const out = await history([
      "--config",
      MAP,
      "--records",
      SF_QUERY_FILE,
      "--today",
      PERIOD.today,
      "--format",
      "json"
    ]);
    const report = JSON.parse(out.stdout) as HistoryReport;
    // --to = the day after --today (exclusive); --from = 90 days before: 2026-01-11 … 2026-04-10.
    expect([report.from, report.to, report.today]).toEqual([
      "2026-01-11",
      "2026-04-11",
      "2026-04-10"
    ]);
  });
});
