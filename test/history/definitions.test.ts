/**
 * Each definition of the stage KPIs on the smallest deals that show it, computed by hand.
 * Map: Standard Sales = Prospecting (target 10) → Qualification (5) → Needs Analysis (none)
 * → Closed Won | Closed Lost. Period 2026-01-01 … 2026-04-01 (exclusive), --today
 * 2026-04-10 (open stays measured to 2026-04-11T00:00Z).
 */
import { medianOf, nearestRank } from "../../scripts/history/kpis";
import {
  deal,
  ENTERPRISE_ONLY_MAP,
  kpisOf,
  PERIOD,
  processOf,
  stageOf
} from "./helpers";

const P = "Prospecting";
const Q = "Qualification";
const NA = "Needs Analysis";
const WON = "Closed Won";
const LOST = "Closed Lost";

describe("timeline: runs, stays and moves", () => {
  it("consecutive rows of the same stage are one run (one stay)", () => {
    // P 01-01, P 01-03 (an amount change), Q 01-05: one stay in P of 4 days, not 2 + 2.
    const r = kpisOf([
      deal([
        ["2026-01-01", P, null],
        ["2026-01-03", P, null],
        ["2026-01-05", Q, null]
      ])
    ]);
    expect(stageOf(r, P)).toMatchObject({ endedStays: 1, medianDays: 4 });
  });

  it("rows are put in CreatedDate order; ties keep input order", () => {
    // Given out of order: Q 01-05 before P 01-01 → timeline P 01-01, Q 01-05: a 4-day stay in P.
    const sorted = kpisOf([
      deal([
        ["2026-01-05", Q, null],
        ["2026-01-01", P, null]
      ])
    ]);
    expect(stageOf(sorted, P)).toMatchObject({ endedStays: 1, medianDays: 4 });
    // Same instant, P then Q in the input: P's stay is 0 days; Q is the current stage.
    const tie = kpisOf([
      deal([
        ["2026-01-05T10:00:00Z", P, null],
        ["2026-01-05T10:00:00Z", Q, null]
      ])
    ]);
    expect(stageOf(tie, P)).toMatchObject({ endedStays: 1, medianDays: 0 });
    // Q open since 01-05 10:00: 95.58 days > 5 on --today.
    expect(stageOf(tie, Q).openOverTarget).toBe(1);
  });

  it("the first row is not a move", () => {
    // Created directly in Needs Analysis: P and Q are not skipped.
    const r = kpisOf([deal([["2026-01-05", NA, null]])]);
    expect(stageOf(r, P).skipped).toBe(0);
    expect(stageOf(r, Q).skipped).toBe(0);
    expect(stageOf(r, NA).entered).toBe(1);
  });

  it("a stage outside the map breaks stays and is not reported", () => {
    // P 01-01, "Value Proposition" (not in this map) 01-03, P 01-06, Q 01-08:
    // stays in P of 2 days (01-01 → 01-03) and 2 days (01-06 → 01-08).
    const r = kpisOf([
      deal([
        ["2026-01-01", P, null],
        ["2026-01-03", "Value Proposition", null],
        ["2026-01-06", P, null],
        ["2026-01-08", Q, null]
      ])
    ]);
    expect(stageOf(r, P)).toMatchObject({
      entered: 1,
      endedStays: 2,
      medianDays: 2,
      backward: 0
    });
    expect(processOf(r).stages.map((s) => s.name)).toEqual([P, Q, NA]);
  });

  it("rows after the end of --today are ignored", () => {
    // Q on 04-11 00:00 is after --today 04-10: the deal is still in P, not advanced.
    const r = kpisOf([
      deal([
        ["2026-03-30", P, null],
        ["2026-04-11T00:00:00Z", Q, null]
      ])
    ]);
    expect(stageOf(r, P)).toMatchObject({
      entered: 1,
      advanced: 0,
      endedStays: 0,
      // open 03-30 → 04-11: 12 days > 10
      openOverTarget: 1
    });
  });
});

describe("entered, advanced, lostFrom, conversion", () => {
  it("entered counts distinct deals with a stay starting in the period", () => {
    const r = kpisOf([
      // two stays in P in the period: one deal
      deal([
        ["2026-01-02", P, null],
        ["2026-01-04", Q, null],
        ["2026-01-06", P, null]
      ]),
      // starts on --from 00:00: inside (from is inclusive)
      deal([["2026-01-01T00:00:00Z", P, null]]),
      // starts on --to 00:00: outside (to is exclusive)
      deal([["2026-04-01T00:00:00Z", P, null]]),
      // started before the period
      deal([["2025-12-31T23:59:59Z", P, null]])
    ]);
    expect(stageOf(r, P).entered).toBe(2);
  });

  it("advanced: later a stay in a stage after S, also after the period (up to --today); won is after every open stage", () => {
    const r = kpisOf([
      // P → Q: advanced
      deal([
        ["2026-01-02", P, null],
        ["2026-01-05", Q, null]
      ]),
      // P → Won directly: advanced
      deal([
        ["2026-01-02", P, null],
        ["2026-01-05", WON, null]
      ]),
      // P in the period, Q on 04-05: after the period, before --today: advanced
      deal([
        ["2026-03-30", P, null],
        ["2026-04-05", Q, null]
      ]),
      // P → Lost: not advanced
      deal([
        ["2026-01-02", P, null],
        ["2026-01-05", LOST, null]
      ]),
      // still in P: not advanced
      deal([["2026-01-02", P, null]])
    ]);
    // 3 of 5 entered advanced.
    expect(stageOf(r, P)).toMatchObject({
      entered: 5,
      advanced: 3,
      conversion: 3 / 5
    });
  });

  it("advanced looks past a step back: Q → P → NA counts for Q", () => {
    const r = kpisOf([
      deal([
        ["2026-01-02", Q, null],
        ["2026-01-04", P, null],
        ["2026-01-08", NA, null]
      ])
    ]);
    expect(stageOf(r, Q)).toMatchObject({ entered: 1, advanced: 1 });
  });

  it("an advance after a stay that started before the period does not count", () => {
    // Stay in Q from 2025-12-20 (outside); back to P 01-02; P → Q 01-05 (inside) → NA.
    // Q entered once (01-05) and advanced; P entered (01-02) and advanced.
    const r = kpisOf([
      deal([
        ["2025-12-20", Q, null],
        ["2026-01-02", P, null],
        ["2026-01-05", Q, null],
        ["2026-01-07", NA, null]
      ])
    ]);
    expect(stageOf(r, Q)).toMatchObject({ entered: 1, advanced: 1 });
    expect(stageOf(r, P)).toMatchObject({ entered: 1, advanced: 1 });
  });

  it("lostFrom: the stay in S ends with a move to the lost stage", () => {
    const r = kpisOf([
      // Q → Lost
      deal([
        ["2026-01-02", Q, null],
        ["2026-01-05", LOST, null]
      ]),
      // Q → P → Lost: lost from P, not from Q
      deal([
        ["2026-01-02", Q, null],
        ["2026-01-04", P, null],
        ["2026-01-06", LOST, null]
      ]),
      // Q started before the period → Lost in the period: not counted (not entered)
      deal([
        ["2025-12-20", Q, null],
        ["2026-01-05", LOST, null]
      ])
    ]);
    expect(stageOf(r, Q)).toMatchObject({ entered: 2, lostFrom: 1 });
    expect(stageOf(r, P)).toMatchObject({ entered: 1, lostFrom: 1 });
  });

  it("conversion is null when nothing entered", () => {
    const r = kpisOf([]);
    expect(stageOf(r, NA)).toMatchObject({ entered: 0, conversion: null });
  });
});

describe("skipped and backward", () => {
  it("skipped: distinct deals moving in the period from a stage before S directly to a stage after S", () => {
    const r = kpisOf([
      // P → NA: skips Q
      deal([
        ["2026-01-02", P, null],
        ["2026-01-05", NA, null]
      ]),
      // P → Won: skips Q and NA
      deal([
        ["2026-01-02", P, null],
        ["2026-01-05", WON, null]
      ]),
      // P → NA twice (with a step back): one deal
      deal([
        ["2026-01-02", P, null],
        ["2026-01-03", NA, null],
        ["2026-01-04", P, null],
        ["2026-01-05", NA, null]
      ]),
      // P → NA before the period: not counted
      deal([
        ["2025-12-02", P, null],
        ["2025-12-05", NA, null]
      ]),
      // P → (stage outside the map) → NA: not a direct move
      deal([
        ["2026-01-02", P, null],
        ["2026-01-03", "Value Proposition", null],
        ["2026-01-05", NA, null]
      ])
    ]);
    // Q: 3 deals; NA: the one P → Won.
    expect(stageOf(r, Q).skipped).toBe(3);
    expect(stageOf(r, NA).skipped).toBe(1);
    expect(stageOf(r, P).skipped).toBe(0);
  });

  it("backward: moves (not deals) in the period out of S to an earlier open stage", () => {
    const r = kpisOf([
      // NA → P and NA → Q: two moves back out of NA; Q → P one out of Q
      deal([
        ["2026-01-02", NA, null],
        ["2026-01-03", P, null],
        ["2026-01-04", NA, null],
        ["2026-01-05", Q, null],
        ["2026-01-06", P, null]
      ]),
      // NA → Lost is not backward; NA → P before the period is not counted
      deal([
        ["2025-12-02", NA, null],
        ["2025-12-03", P, null],
        ["2026-01-02", NA, null],
        ["2026-01-05", LOST, null]
      ])
    ]);
    expect(stageOf(r, NA).backward).toBe(2);
    expect(stageOf(r, Q).backward).toBe(1);
    expect(stageOf(r, P).backward).toBe(0);
  });
});

describe("days in stage", () => {
  it("every stay ending in the period counts, fractional days; median and nearest-rank p90", () => {
    // Ten deals with stays in P of 1..10 days ending in the period, one of 10.5 days
    // ending at 04-01 (--to, outside), one ending 2025-12-31 (outside).
    const deals = [];
    for (let d = 1; d <= 10; d++) {
      deals.push(
        deal([
          ["2026-02-01T00:00:00Z", P, null],
          [`2026-02-${String(1 + d).padStart(2, "0")}T00:00:00Z`, Q, null]
        ])
      );
    }
    deals.push(
      deal([
        ["2026-03-21T12:00:00Z", P, null],
        ["2026-04-01T00:00:00Z", Q, null]
      ]),
      deal([
        ["2025-12-01", P, null],
        ["2025-12-31", Q, null]
      ])
    );
    const r = kpisOf(deals);
    expect(stageOf(r, P)).toMatchObject({
      endedStays: 10,
      // 1..10: (5 + 6) / 2
      medianDays: 5.5,
      // ⌈0.9·10⌉ = 9th smallest
      p90Days: 9,
      // longer than 10 days: none (10 is not longer)
      overTarget: 0
    });
  });

  it("a stay that started before the period and ends in it counts; lengths are fractional", () => {
    // 2025-12-30 12:00 → 2026-01-02 00:00 = 2.5 days; 2.5 ≤ 10.
    const r = kpisOf([
      deal([
        ["2025-12-30T12:00:00Z", P, null],
        ["2026-01-02T00:00:00Z", Q, null]
      ])
    ]);
    expect(stageOf(r, P)).toMatchObject({
      entered: 0,
      endedStays: 1,
      medianDays: 2.5,
      p90Days: 2.5
    });
  });

  it("overTarget: share of ended stays longer than targetDays; null without targetDays or stays", () => {
    const r = kpisOf([
      // Q stays of 5 (not longer than 5), 6 and 7.5 days → 2 of 3
      deal([
        ["2026-01-01", Q, null],
        ["2026-01-06", NA, null]
      ]),
      deal([
        ["2026-01-01", Q, null],
        ["2026-01-07", NA, null]
      ]),
      deal([
        ["2026-01-01T00:00:00Z", Q, null],
        ["2026-01-08T12:00:00Z", NA, null]
      ])
    ]);
    expect(stageOf(r, Q)).toMatchObject({ endedStays: 3, overTarget: 2 / 3 });
    // NA has no targetDays; P has no ended stays.
    expect(stageOf(r, NA).overTarget).toBeNull();
    expect(stageOf(r, P)).toMatchObject({
      endedStays: 0,
      medianDays: null,
      p90Days: null,
      overTarget: null
    });
  });

  it("openOverTarget: the current open stay is longer than targetDays on --today", () => {
    const r = kpisOf([
      // in Q since 04-05: 6 days on 04-11 00:00 > 5
      deal([["2026-04-05", Q, null]]),
      // in Q since 04-06: 5 days, not longer
      deal([["2026-04-06", Q, null]]),
      // in Q since 2025-10-01 (before the period): still counts, it is open now
      deal([["2025-10-01", Q, null]]),
      // was in Q long ago, now won: not open
      deal([
        ["2026-01-01", Q, null],
        ["2026-03-01", WON, null]
      ])
    ]);
    expect(stageOf(r, Q).openOverTarget).toBe(2);
    // no targetDays: null
    expect(stageOf(r, NA).openOverTarget).toBeNull();
  });

  it("median and nearest rank on sorted values", () => {
    expect(medianOf([1, 2, 3])).toBe(2);
    expect(medianOf([1, 2, 3, 10])).toBe(2.5);
    expect(medianOf([])).toBeNull();
    // ⌈0.9·3⌉ = 3rd; ⌈0.9·1⌉ = 1st; ⌈0.9·11⌉ = 10th
    expect(nearestRank([1, 2, 3], 0.9)).toBe(3);
    expect(nearestRank([7], 0.9)).toBe(7);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
    expect(nearestRank([], 0.9)).toBeNull();
  });
});

describe("won, lost, win rate, cycle", () => {
  it("won/lost: deals whose won/lost stay starts in the period; winRate = won / (won + lost)", () => {
    const r = kpisOf([
      deal([
        ["2026-01-01", P, null],
        ["2026-01-11", WON, null]
      ]),
      deal([
        ["2026-01-01", P, null],
        ["2026-02-01", WON, null]
      ]),
      deal([
        ["2026-01-01", P, null],
        ["2026-02-01", WON, null],
        // reopened and won again: one won deal
        ["2026-02-02", NA, null],
        ["2026-02-10", WON, null]
      ]),
      deal([
        ["2026-01-01", P, null],
        ["2026-01-15", LOST, null]
      ]),
      // won before the period: not counted
      deal([
        ["2025-11-01", P, null],
        ["2025-12-01", WON, null]
      ])
    ]);
    const p = processOf(r);
    expect(p).toMatchObject({ won: 3, lost: 1, winRate: 3 / 4 });
  });

  it("winRate is null without won or lost deals", () => {
    expect(
      processOf(kpisOf([deal([["2026-01-02", P, null]])])).winRate
    ).toBeNull();
  });

  it("medianCycleDays: median of (won stay start − the opportunity's CreatedDate)", () => {
    const r = kpisOf([
      // created 2025-12-01 (before its first history row), won 2026-01-01: 31 days
      deal(
        [
          ["2025-12-10", P, null],
          ["2026-01-01", WON, null]
        ],
        { created: "2025-12-01" }
      ),
      // created 01-01, won 01-11 12:00: 10.5 days
      deal(
        [
          ["2026-01-01", P, null],
          ["2026-01-11T12:00:00Z", WON, null]
        ],
        { created: "2026-01-01" }
      ),
      // created 01-01, won 01-21: 20 days
      deal(
        [
          ["2026-01-01", P, null],
          ["2026-01-21", WON, null]
        ],
        { created: "2026-01-01" }
      )
    ]);
    // sorted 10.5, 20, 31 → 20
    expect(processOf(r).medianCycleDays).toBe(20);
  });
});

describe("close-date pushes", () => {
  it("a row in the period, not won or lost, whose CloseDate is later than the previous row's", () => {
    const r = kpisOf([
      deal([
        ["2026-01-01", P, "2026-02-01"],
        // later: push 1
        ["2026-01-05", P, "2026-02-15"],
        // earlier: not a push
        ["2026-01-06", Q, "2026-02-10"],
        // later again: push 2
        ["2026-01-07", Q, "2026-03-01"],
        // same: not a push
        ["2026-01-08", NA, "2026-03-01"],
        // later, but the row is in the won stage: not a push
        ["2026-01-09", WON, "2026-04-01"]
      ]),
      deal([
        // first row: nothing before it
        ["2026-01-01", P, "2026-05-01"],
        // blank close dates are not compared
        ["2026-01-02", P, null],
        ["2026-01-03", P, "2026-06-01"],
        // later, but in the lost stage
        ["2026-01-04", LOST, "2026-07-01"]
      ]),
      deal([
        // a push before the period does not count; one after --to does not either
        ["2025-12-01", P, "2026-01-01"],
        ["2025-12-02", P, "2026-01-15"],
        ["2026-04-02", P, "2026-05-15"]
      ]),
      deal([
        ["2026-01-01", P, "2026-02-01"],
        ["2026-01-05", P, "2026-02-15"]
      ])
    ]);
    // 2 + 0 + 0 + 1 rows; 2 deals.
    expect(processOf(r)).toMatchObject({ pushes: 3, pushedDeals: 2 });
  });
});

describe("processes by record type (the core's selectProcess)", () => {
  it("a record type listed by a process selects it; others use the default process; none without a default is unmapped", () => {
    const deals = [
      deal([["2026-01-02", P, null]], { recordType: "Enterprise" }),
      deal([["2026-01-02", P, null]], { recordType: "Partner" }),
      deal([["2026-01-02", P, null]], { recordType: null }),
      deal([["2026-01-02", P, null]])
    ];
    const r = kpisOf(deals);
    expect(stageOf(r, P, "Enterprise").entered).toBe(1);
    expect(stageOf(r, P).entered).toBe(3);
    expect(r.unmapped).toBe(0);
    const only = kpisOf(deals, PERIOD, ENTERPRISE_ONLY_MAP);
    expect(stageOf(only, P, "Enterprise").entered).toBe(1);
    expect(only.unmapped).toBe(3);
  });
});
