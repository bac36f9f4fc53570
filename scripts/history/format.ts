/**
 * Text formats of the stage KPIs: json (the report as computed, numbers unrounded),
 * table (aligned, for a terminal), csv (one row per stage, for a spreadsheet) and md (a
 * wiki page or an email). table, csv and md round for reading; html is in ./html.ts.
 */
import type { RuntimeMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { HistoryReport, ProcessKpis, StageKpis } from "./kpis";

export const FORMATS = ["table", "json", "csv", "md", "html"] as const;
export type Format = (typeof FORMATS)[number];

/** targetDays per process and stage, from the map (the report itself does not repeat it). */
export type Targets = Map<string, Map<string, number | null>>;

export function targetsOf(runtime: RuntimeMap): Targets {
  return new Map(
    runtime.processes.map((p) => [
      p.name,
      new Map(p.stages.map((s) => [s.name, s.targetDays ?? null]))
    ])
  );
}

export function percentText(share: number | null): string {
  return share === null ? "-" : `${(share * 100).toFixed(1)}%`;
}

export function daysText(days: number | null): string {
  return days === null ? "-" : days.toFixed(1);
}

function count(n: number | null): string {
  return n === null ? "-" : n.toLocaleString("en-US");
}

export const STAGE_COLUMNS = [
  "Stage",
  "Entered",
  "Advanced",
  "Lost from",
  "Conversion",
  "Skipped",
  "Backward",
  "Ended stays",
  "Median days",
  "P90 days",
  "Target days",
  "Over target",
  "Open over target"
] as const;

/** One stage as rounded table cells, in STAGE_COLUMNS order. */
export function stageCells(
  stage: StageKpis,
  target: number | null | undefined
): string[] {
  return [
    stage.name,
    count(stage.entered),
    count(stage.advanced),
    count(stage.lostFrom),
    percentText(stage.conversion),
    count(stage.skipped),
    count(stage.backward),
    count(stage.endedStays),
    daysText(stage.medianDays),
    daysText(stage.p90Days),
    target === null || target === undefined ? "-" : String(target),
    percentText(stage.overTarget),
    count(stage.openOverTarget)
  ];
}

export function processSummary(p: ProcessKpis): string {
  return (
    `won ${count(p.won)}, lost ${count(p.lost)}, win rate ${percentText(p.winRate)}, ` +
    `median cycle ${p.medianCycleDays === null ? "-" : `${daysText(p.medianCycleDays)} days`}, ` +
    `close-date pushes ${count(p.pushes)} (${count(p.pushedDeals)} ${p.pushedDeals === 1 ? "deal" : "deals"})`
  );
}

export function periodLine(report: HistoryReport): string {
  return `${report.from} to ${report.to} (from inclusive, to exclusive, UTC), history up to the end of ${report.today}`;
}

export function unmappedLine(report: HistoryReport): string {
  return `Deals whose record type has no process: ${count(report.unmapped)}`;
}

function alignedTable(header: readonly string[], rows: string[][]): string[] {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length))
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function formatTable(report: HistoryReport, targets: Targets): string {
  const out = [`Stage KPIs from history, ${periodLine(report)}`, ""];
  for (const p of report.processes) {
    const t = targets.get(p.name);
    out.push(`${p.name}: ${processSummary(p)}`);
    out.push(
      ...alignedTable(
        STAGE_COLUMNS,
        p.stages.map((s) => stageCells(s, t?.get(s.name)))
      ),
      ""
    );
  }
  out.push(unmappedLine(report));
  return `${out.join("\n")}\n`;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function formatMd(report: HistoryReport, targets: Targets): string {
  const out = ["# Stage KPIs from history", "", periodLine(report), ""];
  for (const p of report.processes) {
    const t = targets.get(p.name);
    out.push(`## ${mdCell(p.name)}`, "", `${processSummary(p)}.`, "");
    out.push(
      `| ${STAGE_COLUMNS.join(" | ")} |`,
      `|${STAGE_COLUMNS.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`
    );
    for (const s of p.stages) {
      out.push(`| ${stageCells(s, t?.get(s.name)).map(mdCell).join(" | ")} |`);
    }
    out.push("");
  }
  out.push(`${unmappedLine(report)}.`);
  return `${out.join("\n")}\n`;
}

export const CSV_COLUMNS = [
  "from",
  "to",
  "today",
  "process",
  "stage",
  "entered",
  "advanced",
  "lostFrom",
  "conversion",
  "skipped",
  "backward",
  "endedStays",
  "medianDays",
  "p90Days",
  "targetDays",
  "overTarget",
  "openOverTarget",
  "won",
  "lost",
  "winRate",
  "medianCycleDays",
  "pushes",
  "pushedDeals",
  "unmapped"
] as const;

function csvCell(value: string | number | null): string {
  if (value === null) {
    return "";
  }
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Shares to 4 decimals (0.6667), days to 1: rounded for reading, still numbers. */
const share = (v: number | null) => (v === null ? null : Number(v.toFixed(4)));
const days = (v: number | null) => (v === null ? null : Number(v.toFixed(1)));

function formatCsv(report: HistoryReport, targets: Targets): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const p of report.processes) {
    const t = targets.get(p.name);
    for (const s of p.stages) {
      lines.push(
        [
          report.from,
          report.to,
          report.today,
          p.name,
          s.name,
          s.entered,
          s.advanced,
          s.lostFrom,
          share(s.conversion),
          s.skipped,
          s.backward,
          s.endedStays,
          days(s.medianDays),
          days(s.p90Days),
          t?.get(s.name) ?? null,
          share(s.overTarget),
          s.openOverTarget,
          p.won,
          p.lost,
          share(p.winRate),
          days(p.medianCycleDays),
          p.pushes,
          p.pushedDeals,
          report.unmapped
        ]
          .map(csvCell)
          .join(",")
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** table, json, csv or md (html needs the charting library: see ./html.ts). */
export function formatHistory(
  report: HistoryReport,
  format: Exclude<Format, "html">,
  targets: Targets
): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "csv":
      return formatCsv(report, targets);
    case "md":
      return formatMd(report, targets);
    default:
      return formatTable(report, targets);
  }
}
