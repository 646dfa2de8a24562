/** The HTML page: styles, figure blocks, tables, and the inlined plotly bundle. */

/** One chart: a container id, its title is in the figure's layout; `caption` says how to read it. */
export interface Figure {
  id: string;
  data: unknown[];
  layout: Record<string, unknown>;
  caption: string;
}

/** Escapes text for HTML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.8}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
section{background:#fff;border:1px solid #e2e5ea;border-radius:8px;margin:16px 0;padding:12px 16px}
.chart{height:380px}#chart-network{height:560px}.caption{color:#5a6170;margin:4px 0 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #eceef2;padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#fafbfc}
.ci{color:#5a6170;font-size:12px}
pre{background:#f3f4f6;padding:10px;overflow:auto;max-height:420px;font-size:12px}
.kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{background:#f3f5f9;border-radius:6px;padding:8px 12px;min-width:150px}.kpi b{display:block;font-size:18px}
`;

/** A complete, self-contained page. */
export function page(title: string, subtitle: string, body: string, figures: Figure[], plotly: string): string {
  const figs = JSON.stringify(figures.map((f) => ({ id: f.id, data: f.data, layout: f.layout })));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style>
<script>${plotly}</script>
</head><body>
<header><h1>${esc(title)}</h1><p>${esc(subtitle)}</p></header>
<main>
${body}
</main>
<script>
(function(){
  var figs = ${figs.replace(/</g, '\\u003c')};
  var cfg = { responsive: true, displaylogo: false };
  figs.forEach(function (f) { Plotly.newPlot(document.getElementById(f.id), f.data, f.layout, cfg); });
})();
</script>
</body></html>
`;
}

/** A figure's section: container and caption. */
export function figureSection(f: Figure): string {
  return `<section><div id="${f.id}" class="chart"></div><p class="caption">${esc(f.caption)}</p></section>`;
}

/** A chart's id and title for one market: as they are in a one-asset run (`name` ''), else with the asset appended. */
export function ofMarket(name: string, id: string, title: string): { id: string; title: string } {
  return name ? { id: `${id}-${name}`, title: `${title}: ${name}` } : { id, title };
}

/** A plotly layout with a title and labelled axes. */
export function layout(title: string, x: string, y: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 15 } },
    xaxis: { title: { text: x } },
    yaxis: { title: { text: y } },
    margin: { l: 70, r: 30, t: 50, b: 55 },
    legend: { orientation: 'h', y: -0.2 },
    ...extra,
  };
}

/** Formats a number for tables: 6 significant digits, thousands separators. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(3);
  return v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}
