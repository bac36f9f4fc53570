/**
 * `--format html`: one self-contained page (no scripts, no network: CSS and SVG inline)
 * with, per process, a funnel of entered and advanced deals per stage, days in stage
 * (median and p90) against targetDays, and the KPI tables. The charts are rendered to SVG
 * strings in Node by Apache ECharts' server-side rendering (`ssr: true`, SVG renderer).
 */
import * as echarts from "echarts";
import {
  daysText,
  percentText,
  periodLine,
  processSummary,
  STAGE_COLUMNS,
  stageCells,
  unmappedLine,
  type Targets
} from "./format";
import type { HistoryReport, ProcessKpis } from "./kpis";

const COLORS = {
  entered: "#0176d3",
  enteredFill: "#aacbff",
  advanced: "#2e844a",
  median: "#0176d3",
  p90: "#90d0fe",
  target: "#ba0517",
  text: "#181818",
  grid: "#e5e5e5"
};
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function renderSvg(
  option: echarts.EChartsOption,
  width: number,
  height: number
): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width,
    height
  });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT, color: COLORS.text },
      ...option
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Entered (outer) and advanced (inner) deals per stage, stages in process order. */
export function funnelOption(p: ProcessKpis): echarts.EChartsOption {
  const max = Math.max(1, ...p.stages.map((s) => s.entered));
  const common = {
    type: "funnel" as const,
    sort: "none" as const,
    left: "27%",
    width: "44%",
    top: 64,
    bottom: 10,
    min: 0,
    max,
    minSize: "0%",
    maxSize: "100%",
    gap: 4
  };
  return {
    title: {
      text: `${p.name}: entered and advanced per stage`,
      left: "center",
      top: 8,
      textStyle: { fontSize: 14 }
    },
    legend: { top: 32, data: ["Entered", "Advanced"] },
    color: [COLORS.enteredFill, COLORS.advanced],
    series: [
      {
        ...common,
        name: "Entered",
        itemStyle: { color: COLORS.enteredFill },
        label: {
          position: "left",
          color: COLORS.text,
          formatter: (params: { name: string; value: unknown }) =>
            `${params.name}: ${String(params.value)}`
        },
        labelLine: { show: true },
        data: p.stages.map((s) => ({ name: s.name, value: s.entered }))
      },
      {
        ...common,
        name: "Advanced",
        itemStyle: { color: COLORS.advanced },
        label: {
          position: "right",
          color: COLORS.text,
          formatter: (params: { dataIndex: number; value: unknown }) => {
            const s = p.stages[params.dataIndex];
            return `${String(params.value)} advanced (${percentText(s.conversion)})`;
          }
        },
        labelLine: { show: true },
        data: p.stages.map((s) => ({ name: s.name, value: s.advanced }))
      }
    ]
  };
}

/** Median and p90 days of the stays that ended in the period, and the stage's targetDays. */
export function daysOption(
  p: ProcessKpis,
  targets: Map<string, number | null> | undefined
): echarts.EChartsOption {
  const round = (v: number | null) =>
    v === null ? null : Number(v.toFixed(1));
  return {
    title: {
      text: `${p.name}: days in stage against the target`,
      left: "center",
      top: 8,
      textStyle: { fontSize: 14 }
    },
    legend: { top: 32, data: ["Median days", "P90 days", "Target days"] },
    grid: { left: 50, right: 20, top: 80, bottom: 60 },
    xAxis: {
      type: "category",
      data: p.stages.map((s) => s.name),
      axisLabel: { interval: 0, rotate: p.stages.length > 4 ? 25 : 0 }
    },
    yAxis: {
      type: "value",
      name: "days",
      splitLine: { lineStyle: { color: COLORS.grid } }
    },
    series: [
      {
        name: "Median days",
        type: "bar",
        color: COLORS.median,
        label: { show: true, position: "top" },
        data: p.stages.map((s) => round(s.medianDays))
      },
      {
        name: "P90 days",
        type: "bar",
        color: COLORS.p90,
        data: p.stages.map((s) => round(s.p90Days))
      },
      {
        name: "Target days",
        type: "scatter",
        color: COLORS.target,
        symbol: "diamond",
        symbolSize: 14,
        label: { show: true, position: "right", color: COLORS.target },
        data: p.stages.map((s) => targets?.get(s.name) ?? null)
      }
    ]
  };
}

/** What the funnel shows, for screen readers (the SVG's own text is not a description). */
function funnelDescription(p: ProcessKpis): string {
  return `${p.name}, entered and advanced per stage: ${p.stages
    .map((s) => `${s.name} ${s.entered} entered, ${s.advanced} advanced`)
    .join("; ")}`;
}

function daysDescription(
  p: ProcessKpis,
  targets: Map<string, number | null> | undefined
): string {
  return `${p.name}, days in stage: ${p.stages
    .map((s) => {
      const target = targets?.get(s.name);
      return `${s.name} median ${daysText(s.medianDays)}, p90 ${daysText(s.p90Days)}${
        target === null || target === undefined ? "" : `, target ${target}`
      }`;
    })
    .join("; ")}`;
}

function table(header: readonly string[], rows: string[][]): string {
  const head = header
    .map((h) => `<th scope="col">${escapeHtml(h)}</th>`)
    .join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) =>
            i === 0
              ? `<th scope="row">${escapeHtml(c)}</th>`
              : `<td>${escapeHtml(c)}</td>`
          )
          .join("")}</tr>`
    )
    .join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const CSS = `
body { font-family: ${FONT}; color: ${COLORS.text}; margin: 24px auto; max-width: 1240px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid ${COLORS.grid}; padding-bottom: 4px; }
.meta, .summary { color: #444; margin: 4px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }
.chart { margin: 0; border: 1px solid ${COLORS.grid}; border-radius: 4px; background: #fff; }
.chart svg { display: block; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
th, td { border: 1px solid ${COLORS.grid}; padding: 4px 8px; }
thead th { background: #f3f3f3; text-align: right; }
thead th:first-child, tbody th { text-align: left; font-weight: 600; }
td { text-align: right; font-variant-numeric: tabular-nums; }
.definitions { font-size: 13px; color: #444; max-width: 900px; }
`;

export function renderHistoryHtml(
  report: HistoryReport,
  targets: Targets,
  meta: { config: string; source: string }
): string {
  const sections = report.processes.map((p, index) => {
    const t = targets.get(p.name);
    const funnel = renderSvg(
      funnelOption(p),
      600,
      100 + 56 * Math.max(1, p.stages.length)
    );
    const days = renderSvg(daysOption(p, t), 600, 380);
    return `<section class="process" aria-labelledby="process-${index}">
<h2 id="process-${index}">${escapeHtml(p.name)}</h2>
<p class="summary">${escapeHtml(processSummary(p))}.</p>
<div class="charts">
<figure class="chart funnel" role="img" aria-label="${escapeHtml(funnelDescription(p))}">${funnel}</figure>
<figure class="chart days" role="img" aria-label="${escapeHtml(daysDescription(p, t))}">${days}</figure>
</div>
${table(
  STAGE_COLUMNS,
  p.stages.map((s) => stageCells(s, t?.get(s.name)))
)}
</section>`;
  });
  const cycle = (p: ProcessKpis) => daysText(p.medianCycleDays);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Stage KPIs from history, ${escapeHtml(report.from)} to ${escapeHtml(report.to)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Stage KPIs from history</h1>
<p class="meta">${escapeHtml(periodLine(report))}</p>
<p class="meta">Source: ${escapeHtml(meta.source)}; process map: ${escapeHtml(meta.config)}</p>
${table(
  [
    "Process",
    "Won",
    "Lost",
    "Win rate",
    "Median cycle days",
    "Close-date pushes",
    "Pushed deals"
  ],
  report.processes.map((p) => [
    p.name,
    String(p.won),
    String(p.lost),
    percentText(p.winRate),
    cycle(p),
    String(p.pushes),
    String(p.pushedDeals)
  ])
)}
${sections.join("\n")}
<p class="meta">${escapeHtml(unmappedLine(report))}.</p>
<p class="definitions">Entered: deals with a stay in the stage starting in the period. Advanced: of those,
deals that later (up to the report date) reach a later stage. Conversion = advanced / entered. Skipped:
deals moving in the period from an earlier stage directly past this one. Backward: moves in the period
to an earlier open stage. Days in stage: stays ending in the period (median; p90 by nearest rank); over
target: share of them longer than the stage's target days; open over target: deals in the stage now,
longer than its target.</p>
</body>
</html>
`;
}
