/**
 * Output formats of the audit report:
 * - table: for people at a terminal (aligned columns), the default;
 * - json: the whole report for machines;
 * - csv: one row per opportunity and criterion it fails, that cannot be checked or that a
 *   waiver lifts, and one per other waiver of the deal (an opportunity with none of these gets
 *   one row with empty criterion columns);
 * - md: a summary for a weekly email or a wiki page.
 *
 * Every format shows the deals' waivers (./waivers.ts): the active ones with what they lift, and
 * those that are not active (expired, pending, rejected, revoked), which change nothing.
 */
import type { InputProblem } from "./types";
import type { AuditReport, OpportunityAudit, WaiverSummary } from "./report";
import { WAIVED_FIELD, WAIVER_RELATIONSHIP, type WaiverAudit } from "./waivers";

export const FORMATS = ["table", "json", "csv", "md"] as const;
export type Format = (typeof FORMATS)[number];

const KIND_LABEL: Record<AuditReport["input"]["kind"], string> = {
  "sf-query-json": "sf data query JSON",
  "records-json": "JSON records",
  csv: "CSV"
};

export function percent(share: number | null): string {
  return share === null ? "-" : `${Math.round(share * 100)}%`;
}

function num(value: number | null): string {
  return value === null ? "-" : String(value);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The waivers in one sentence (table and md). */
export function waiverLine(w: WaiverSummary): string {
  if (w.from === null) {
    return (
      `Waivers: not in the export (no ${WAIVER_RELATIONSHIP} subquery, no ${WAIVED_FIELD} field; see --soql): ` +
      "none are taken into account."
    );
  }
  const n = w.notActive;
  const notActive = n.expired + n.requested + n.rejected + n.revoked;
  return (
    `Waivers (from ${w.from === WAIVER_RELATIONSHIP ? "the waiver records" : `${WAIVED_FIELD}: codes only`}): ` +
    `${plural(w.active, "active waiver")} on ${plural(w.deals, "deal")}; ${plural(w.lifted, "criterion", "criteria")} not met (or not checkable) waived; ` +
    `${notActive.toLocaleString("en-US")} not active (${n.expired} expired, ${n.requested} pending, ${n.rejected} rejected, ${n.revoked} revoked).`
  );
}

/** Who decided (or, for a pending request, who is to decide). */
export function deciderText(w: WaiverAudit): string {
  if (w.state === "requested") {
    return `awaiting ${w.approver ?? "the approvers queue"}`;
  }
  return w.decidedBy ?? "-";
}

interface DealWaiver {
  deal: OpportunityAudit;
  waiver: WaiverAudit;
}

function dealWaiverRows(report: AuditReport, active: boolean): DealWaiver[] {
  return report.opportunities.flatMap((deal) =>
    deal.waivers
      .filter((w) => (w.state === "active") === active)
      .map((waiver) => ({ deal, waiver }))
  );
}

/** The one-paragraph summary shared by table and md. */
export function summaryLines(report: AuditReport): string[] {
  const t = report.totals;
  const lines = [
    `${plural(t.audited, "open opportunity", "open opportunities")} audited: ` +
      `${t.meetingGates.toLocaleString("en-US")} meet their gates, ${t.notMeetingGates.toLocaleString("en-US")} do not; ` +
      `${t.overdue.toLocaleString("en-US")} overdue.`
  ];
  const extra: string[] = [];
  if (t.unknownStage) {
    extra.push(
      `${plural(t.unknownStage, "open opportunity", "open opportunities")} in a stage not in the map`
    );
  }
  if (t.noStage) {
    extra.push(`${plural(t.noStage, "row")} without a stage`);
  }
  if (t.noProcess) {
    extra.push(`${plural(t.noProcess, "row")} without a process`);
  }
  if (t.closed) {
    extra.push(
      `${plural(t.closed, "closed opportunity", "closed opportunities")} skipped`
    );
  }
  if (extra.length) {
    lines.push(`${extra.join("; ")}.`);
  }
  lines.push(waiverLine(report.waivers));
  return lines;
}

function title(report: AuditReport): string {
  const total =
    report.input.totalSize !== undefined
      ? `${report.input.records.toLocaleString("en-US")} of ${report.input.totalSize.toLocaleString("en-US")} records`
      : plural(report.input.records, "record");
  return `Stage gate audit of ${report.input.source} (${KIND_LABEL[report.input.kind]}, ${total}) against ${report.config}, today ${report.today}`;
}

function daysText(o: OpportunityAudit): string {
  if (o.daysInStage === null) {
    return "-";
  }
  return `${o.daysInStage}${o.daysInStageFrom === "CreatedDate" ? "*" : ""}`;
}

function problemText(p: InputProblem): string {
  return `${p.location ? `${p.location}: ` : ""}${p.message}`;
}

// ---------------------------------------------------------------------------
// table
// ---------------------------------------------------------------------------

function alignTable(
  header: string[],
  rows: string[][],
  right: number[] = []
): string[] {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length))
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        if (i === cells.length - 1 && !right.includes(i)) {
          return cell;
        }
        return right.includes(i)
          ? cell.padStart(widths[i])
          : cell.padEnd(widths[i]);
      })
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function list(ids: string[]): string {
  return ids.length ? ids.join(", ") : "-";
}

export function formatTable(report: AuditReport): string {
  const out: string[] = [title(report), ...summaryLines(report), ""];
  out.push("Opportunities");
  if (report.opportunities.length === 0) {
    out.push("  (none)");
  } else {
    out.push(
      ...alignTable(
        [
          "ID",
          "NAME",
          "PROCESS",
          "STAGE",
          "DAYS",
          "TARGET",
          "OVERDUE",
          "FAILING",
          "WARNINGS",
          "NOT CHECKED",
          "WAIVED"
        ],
        report.opportunities.map((o) => [
          o.id ?? `row ${o.row}`,
          truncate(o.name ?? "", 40),
          o.process,
          o.stage,
          daysText(o),
          num(o.targetDays),
          o.overdue ? "yes" : "",
          list(o.failing),
          list(o.warnings),
          list(o.notChecked),
          list(o.waived)
        ]),
        [4, 5]
      )
    );
    if (report.opportunities.some((o) => o.daysInStageFrom === "CreatedDate")) {
      out.push(
        "* days since CreatedDate (the record has no LastStageChangeDate)"
      );
    }
  }
  out.push("", "By stage");
  out.push(
    ...alignTable(
      [
        "PROCESS",
        "STAGE",
        "DEALS",
        "MEETING GATES",
        "MEDIAN DAYS",
        "TARGET",
        "OVERDUE"
      ],
      report.byStage.map((s) => [
        s.process,
        s.stage,
        String(s.count),
        s.count ? `${s.meetingGates} (${percent(s.shareMeetingGates)})` : "-",
        num(s.medianDaysInStage),
        num(s.targetDays),
        String(s.overdue)
      ]),
      [2, 3, 4, 5, 6]
    )
  );
  out.push("", "By criterion (most failed first)");
  if (report.byCriterion.length === 0) {
    out.push("  (none)");
  } else {
    out.push(
      ...alignTable(
        [
          "CRITERION",
          "PROCESS",
          "REQUIRED BY",
          "MODE",
          "DEALS",
          "FAILING",
          "NOT CHECKED",
          "WAIVED",
          "LABEL"
        ],
        report.byCriterion.map((c) => [
          c.id,
          c.process,
          `${c.list} of ${c.stage}`,
          c.mode,
          String(c.required),
          `${c.failing} (${percent(c.shareFailing)})`,
          String(c.notChecked),
          String(c.waived),
          c.label
        ]),
        [4, 5, 6, 7]
      )
    );
  }
  if (report.waivers.from !== null) {
    const id = (d: OpportunityAudit) => d.id ?? `row ${d.row}`;
    const active = dealWaiverRows(report, true);
    out.push("", `Active waivers on ${report.today}`);
    if (active.length === 0) {
      out.push("  (none)");
    } else {
      out.push(
        ...alignTable(
          ["ID", "NAME", "CRITERION", "UNTIL", "DECIDED BY", "LIFTS", "REASON"],
          active.map(({ deal, waiver: w }) => [
            id(deal),
            truncate(deal.name ?? "", 40),
            w.criterion,
            w.until ?? "-",
            deciderText(w),
            w.lifts ? "yes" : "no",
            w.source === "field" ? `(${WAIVED_FIELD})` : (w.reason ?? "")
          ])
        )
      );
    }
    const inactive = dealWaiverRows(report, false);
    if (inactive.length) {
      out.push("", "Waivers not active (they change nothing)");
      out.push(
        ...alignTable(
          ["ID", "NAME", "CRITERION", "STATE", "UNTIL", "DECIDED BY", "REASON"],
          inactive.map(({ deal, waiver: w }) => [
            id(deal),
            truncate(deal.name ?? "", 40),
            w.criterion,
            w.state,
            w.until ?? "-",
            deciderText(w),
            w.reason ?? ""
          ])
        )
      );
    }
  }
  if (report.unknownStages.length) {
    out.push("", "Stages not in the map (not audited)");
    out.push(
      ...alignTable(
        ["PROCESS", "STAGE", "DEALS", "OPPORTUNITIES"],
        report.unknownStages.map((u) => [
          u.process,
          u.stage,
          String(u.count),
          truncate(
            u.opportunities.map((o) => o.id ?? o.location).join(", "),
            120
          )
        ]),
        [2]
      )
    );
  }
  if (report.problems.length) {
    out.push("", `Problems in the input (${report.problems.length})`);
    const shown = report.problems.slice(0, 50);
    out.push(...shown.map((p) => `  ${problemText(p)}`));
    if (report.problems.length > shown.length) {
      out.push(
        `  … and ${report.problems.length - shown.length} more (use --format json for all)`
      );
    }
  }
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------
// json
// ---------------------------------------------------------------------------

export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// csv
// ---------------------------------------------------------------------------

export const CSV_COLUMNS = [
  "Id",
  "Name",
  "Process",
  "RecordType",
  "Stage",
  "DaysInStage",
  "DaysInStageFrom",
  "TargetDays",
  "Overdue",
  "MeetsGates",
  "CriterionId",
  "CriterionStage",
  "CriterionList",
  "Mode",
  "Verdict",
  "Reason",
  "Message",
  "WaiverState",
  "WaiverUntil",
  "WaiverDecidedBy",
  "WaiverApprover",
  "WaiverReason"
] as const;

function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) {
    return "";
  }
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim()
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

export function formatCsv(report: AuditReport): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const o of report.opportunities) {
    const head = [
      o.id,
      o.name,
      o.process,
      o.recordType,
      o.stage,
      o.daysInStage,
      o.daysInStageFrom,
      o.targetDays,
      o.overdue,
      o.meetsGates
    ];
    const waiverCells = (w: WaiverAudit | undefined) =>
      w
        ? [w.state, w.until, w.decidedBy, w.approver, w.reason]
        : ["", "", "", "", ""];
    const others = o.waivers.filter((w) => !w.lifts);
    if (o.outcomes.length === 0 && others.length === 0) {
      lines.push(
        [...head, "", "", "", "", "", "", "", ...waiverCells(undefined)]
          .map(csvCell)
          .join(",")
      );
    }
    for (const c of o.outcomes) {
      const waiver = c.waived
        ? o.waivers.find((w) => w.lifts && w.criterion === c.id)
        : undefined;
      lines.push(
        [
          ...head,
          c.id,
          c.stage,
          c.list,
          c.mode,
          c.waived ? "waived" : c.verdict,
          c.reason ?? "",
          c.message,
          ...waiverCells(waiver)
        ]
          .map(csvCell)
          .join(",")
      );
    }
    // Waivers that lift nothing here: active for a criterion the deal meets or does not need, or not active.
    for (const w of others) {
      lines.push(
        [...head, w.criterion, "", "", "", "", "", "", ...waiverCells(w)]
          .map(csvCell)
          .join(",")
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

// ---------------------------------------------------------------------------
// md
// ---------------------------------------------------------------------------

function mdCell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

function mdTable(
  header: string[],
  rows: string[][],
  right: number[] = []
): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (right.includes(i) ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`)
  ];
}

export function formatMarkdown(report: AuditReport): string {
  const out: string[] = [
    `# Stage gate audit — ${report.today}`,
    "",
    `${title(report).replace(/^Stage gate audit of /, "Input: ")}.`,
    "",
    ...summaryLines(report),
    "",
    "## By stage",
    "",
    ...mdTable(
      [
        "Process",
        "Stage",
        "Deals",
        "Meeting gates",
        "Median days in stage",
        "Target days",
        "Overdue"
      ],
      report.byStage.map((s) => [
        s.process,
        s.stage,
        String(s.count),
        s.count ? `${s.meetingGates} (${percent(s.shareMeetingGates)})` : "-",
        num(s.medianDaysInStage),
        num(s.targetDays),
        String(s.overdue)
      ]),
      [2, 3, 4, 5, 6]
    ),
    "",
    "## Criteria not met",
    ""
  ];
  const failingCriteria = report.byCriterion.filter(
    (c) => c.failing > 0 || c.notChecked > 0 || c.waived > 0
  );
  if (failingCriteria.length === 0) {
    out.push("Every audited opportunity meets every criterion of its stage.");
  } else {
    out.push(
      ...mdTable(
        [
          "Criterion",
          "Required by",
          "Mode",
          "Failing",
          "Not checked",
          "Waived",
          "Label"
        ],
        failingCriteria.map((c) => [
          `\`${c.id}\``,
          `${c.process}: ${c.list} of ${c.stage}`,
          c.mode,
          `${c.failing} of ${c.required} (${percent(c.shareFailing)})`,
          String(c.notChecked),
          String(c.waived),
          c.label
        ]),
        [3, 4, 5]
      )
    );
  }
  const notMeeting = report.opportunities.filter(
    (o) => !o.meetsGates || o.warnings.length > 0 || o.waived.length > 0
  );
  out.push("", "## Opportunities with unmet criteria", "");
  if (notMeeting.length === 0) {
    out.push("None.");
  } else {
    out.push(
      ...mdTable(
        ["Opportunity", "Process", "Stage", "Days in stage", "Not met"],
        notMeeting.map((o) => [
          `${o.name ?? "(no name)"}${o.id ? ` (${o.id})` : ""}`,
          o.process,
          o.stage,
          `${daysText(o)}${o.targetDays !== null ? ` / ${o.targetDays}` : ""}${o.overdue ? " overdue" : ""}`,
          o.outcomes
            .filter((c) => c.verdict === "unmet" || c.waived)
            .map(
              (c) =>
                `${c.message}${c.waived ? " (waived)" : c.mode === "warn" ? " (warning)" : ""}`
            )
            .join("<br>")
        ]),
        [3]
      )
    );
    const passing = report.opportunities.length - notMeeting.length;
    if (passing > 0) {
      out.push(
        "",
        `${plural(passing, "other opportunity", "other opportunities")} meet every criterion of their stage.`
      );
    }
    if (report.opportunities.some((o) => o.daysInStageFrom === "CreatedDate")) {
      out.push(
        "",
        "\\* days since CreatedDate (the record has no LastStageChangeDate)."
      );
    }
  }
  if (report.waivers.from !== null) {
    const name = (d: OpportunityAudit) =>
      `${d.name ?? "(no name)"}${d.id ? ` (${d.id})` : ""}`;
    out.push("", "## Waivers", "", waiverLine(report.waivers), "");
    const active = dealWaiverRows(report, true);
    if (active.length === 0) {
      out.push(`No active waivers on ${report.today}.`);
    } else {
      out.push(
        ...mdTable(
          [
            "Opportunity",
            "Criterion",
            "Until",
            "Decided by",
            "Lifts a criterion not met",
            "Reason"
          ],
          active.map(({ deal, waiver: w }) => [
            name(deal),
            `\`${w.criterion}\``,
            w.until ?? "-",
            deciderText(w),
            w.lifts ? "yes" : "no",
            w.source === "field" ? `(${WAIVED_FIELD})` : (w.reason ?? "")
          ])
        )
      );
    }
    const inactive = dealWaiverRows(report, false);
    if (inactive.length) {
      out.push("", "Not active (they change nothing):", "");
      out.push(
        ...mdTable(
          [
            "Opportunity",
            "Criterion",
            "State",
            "Until",
            "Decided by",
            "Reason"
          ],
          inactive.map(({ deal, waiver: w }) => [
            name(deal),
            `\`${w.criterion}\``,
            w.state,
            w.until ?? "-",
            deciderText(w),
            w.reason ?? ""
          ])
        )
      );
    }
  }
  if (report.unknownStages.length) {
    out.push("", "## Stages not in the map", "");
    out.push(
      ...mdTable(
        ["Process", "Stage", "Deals", "Opportunities"],
        report.unknownStages.map((u) => [
          u.process,
          u.stage,
          String(u.count),
          u.opportunities.map((o) => o.name ?? o.id ?? o.location).join(", ")
        ]),
        [2]
      )
    );
  }
  if (report.problems.length) {
    out.push("", "## Problems in the input", "");
    out.push(...report.problems.map((p) => `- ${mdCell(problemText(p))}`));
  }
  return `${out.join("\n")}\n`;
}

export function formatReport(report: AuditReport, format: Format): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "csv":
      return formatCsv(report);
    case "md":
      return formatMarkdown(report);
    default:
      return formatTable(report);
  }
}
