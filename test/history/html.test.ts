/** The HTML report: one self-contained page with two ECharts SVG charts per process. */
import { MAP, PERIOD_ARGS, SF_QUERY_FILE, history } from "./helpers";

async function page(): Promise<string> {
  const out = await history([
    "--config",
    MAP,
    "--records",
    SF_QUERY_FILE,
    ...PERIOD_ARGS,
    "--format",
    "html"
  ]);
  expect(out.code).toBe(0);
  expect(out.stderr).toBe("");
  return out.stdout;
}

describe("--format html", () => {
  it("is one self-contained page: no scripts, no external references", async () => {
    const html = await page();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    // No resource loaded from anywhere (the SVG namespace URIs are names, not requests).
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:|\/\/)/i);
    expect(html).toContain("Content-Security-Policy");
  });

  it("has per process a funnel and a days-in-stage chart rendered to SVG, and the tables", async () => {
    const html = await page();
    const funnels = html.match(/<figure class="chart funnel"[^>]*><svg/g) ?? [];
    const days = html.match(/<figure class="chart days"[^>]*><svg/g) ?? [];
    expect(funnels).toHaveLength(2);
    expect(days).toHaveLength(2);
    // ECharts' labels carry the figures: entered and advanced with conversion, median days, targets.
    expect(html).toContain("Prospecting: 7");
    expect(html).toContain("5 advanced (71.4%)");
    expect(html).toContain("15.5");
    expect(html).toMatch(
      /<th scope="row">Qualification<\/th><td>3<\/td><td>1<\/td><td>1<\/td><td>33.3%<\/td>/
    );
    expect(html).toContain(
      '<h2 id="process-0">Standard Sales</h2>\n<p class="summary">won 2, lost 2, win rate 50.0%'
    );
    expect(html).toContain("Deals whose record type has no process: 0.");
  });

  it("escapes names from the map and the input", async () => {
    const { renderHistoryHtml } = await import("../../scripts/history/html");
    const html = renderHistoryHtml(
      {
        from: "2026-01-01",
        to: "2026-04-01",
        today: "2026-04-10",
        processes: [
          {
            name: "<b>Sales</b>",
            won: 0,
            lost: 0,
            winRate: null,
            medianCycleDays: null,
            pushes: 0,
            pushedDeals: 0,
            stages: []
          }
        ],
        unmapped: 0
      },
      new Map(),
      { config: "map.json", source: "a&b.json" }
    );
    expect(html).not.toContain("<b>Sales</b>");
    expect(html).toContain("&lt;b&gt;Sales&lt;/b&gt;");
    expect(html).toContain("a&amp;b.json");
  });
});
