/**
 * The report of a walrasian-mode comparison (a grid over λ_max, one or more policy families):
 * each statistic of Thurner, Farmer & Geanakoplos (2012) plotted against λ_max with its 95%
 * interval over seeds, the paired changes the scenario asked for (Poledna et al. 2014: basel-ii
 * against fixed at each λ_max), and the same as Markdown tables (`tables.md`, quoted in the README).
 * Built from compare.json alone.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Estimate } from '../../sim/metrics/stats';
import type { CompareResult } from '../../sim/run/compare';
import { writeFileAtomic } from '../atomic';
import { esc, figureSection, layout, page, type Figure } from './page';
import { plotlyMinified } from './plotly-bundle';

/** Statistics plotted against λ_max, with their labels. */
export const CLEARING_METRICS: [string, string][] = [
  ['returns.excessKurtosis', 'excess kurtosis of log returns'],
  ['returns.hillAlpha', 'Hill tail exponent of |r| (top 1%)'],
  ['returns.acfAbs.lag1', 'autocorrelation of |r|, lag 1'],
  ['returns.acfAbs.lag10', 'autocorrelation of |r|, lag 10'],
  ['leverage.atCapShare', 'share of ticks with a fund at its cap'],
  ['defaults.per10kTicks', 'defaults per 10⁴ ticks'],
];

/** True when compare.json comes from a walrasian-mode comparison. */
export function isClearingComparison(r: CompareResult): boolean {
  return r.metrics.includes('defaults.per10kTicks');
}

/** A policy's family: its name without the trailing grid value (`basel-ii-7.5` → `basel-ii`). */
function family(name: string): string {
  return name.replace(/-[0-9.]+$/, '');
}

const lambdaOf = (r: CompareResult, name: string) => r.policies.find((p) => p.name === name)!.metrics['leverage.nominalCap']!.mean!;

const errorBars = (es: Estimate[]) => ({
  type: 'data', symmetric: false,
  array: es.map((e) => (e.ci95 && e.mean !== null ? e.ci95[1] - e.mean : 0)),
  arrayminus: es.map((e) => (e.ci95 && e.mean !== null ? e.mean - e.ci95[0] : 0)),
});

/** `mean ± sd` with 3 significant digits. */
function cell(e: Estimate | undefined): string {
  if (!e || e.mean === null) return 'n/a';
  const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  return e.sd === null ? f(e.mean) : `${f(e.mean)} ± ${f(e.sd)}`;
}

/** The Markdown tables: one row per policy (mean ± sd over seeds), then the paired changes with their 95% intervals. */
export function clearingMarkdown(r: CompareResult): string {
  // A '|' inside a cell (|r|) would split it: escaped.
  const head = `| policy | λ_max | ${CLEARING_METRICS.map(([, l]) => l.replace(/\|/g, '\\|')).join(' | ')} |\n|---|---|${CLEARING_METRICS.map(() => '---|').join('')}`;
  const rows = r.policies.map((p) => `| ${p.name} | ${lambdaOf(r, p.name)} | ${CLEARING_METRICS.map(([m]) => cell(p.metrics[m])).join(' | ')} |`);
  let md = `${head}\n${rows.join('\n')}\n\nmean ± sd over ${r.seeds.length} seeds (${r.seeds.join(', ')})\n`;
  if (r.paired.length > 0) {
    const ci = (e: Estimate) => (e.ci95 ? `[${e.ci95[0].toPrecision(3)}, ${e.ci95[1].toPrecision(3)}]` : 'n/a');
    md += `\n| policy − against | λ_max | Δ defaults per 10⁴ ticks | 95% interval | Δ excess kurtosis | 95% interval |\n|---|---|---|---|---|---|\n`;
    md += r.paired.map((d) => {
      const dd = d.metrics['defaults.per10kTicks']!, dk = d.metrics['returns.excessKurtosis']!;
      return `| ${d.name} − ${d.against} | ${lambdaOf(r, d.name)} | ${dd.mean?.toPrecision(3) ?? 'n/a'} | ${ci(dd)} | ${dk.mean?.toPrecision(3) ?? 'n/a'} | ${ci(dk)} |`;
    }).join('\n') + `\n\npaired by seed (common random numbers), Student-t intervals over ${r.seeds.length} seeds\n`;
  }
  return md;
}

/** The HTML report of a walrasian comparison in `dir`. */
export function clearingReportHtml(r: CompareResult): string {
  const families = [...new Set(r.policies.map((p) => family(p.name)))];
  // A log axis labelled at the grid's own values (plotly's minor labels would read 20 as "2").
  const grid = [...new Set(r.policies.map((p) => lambdaOf(r, p.name)))].sort((a, b) => a - b);
  const xaxis = { title: { text: 'λ_max' }, type: 'log', tickvals: grid, ticktext: grid.map(String) };
  const figures: Figure[] = CLEARING_METRICS.map(([m, label], k) => ({
    id: `chart-lambda-${k}`,
    data: families.map((f) => {
      const ps = r.policies.filter((p) => family(p.name) === f);
      const es = ps.map((p) => p.metrics[m]!);
      return { type: 'scatter', mode: 'lines+markers', name: f, x: ps.map((p) => lambdaOf(r, p.name)), y: es.map((e) => e.mean), error_y: errorBars(es) };
    }),
    layout: layout(`${label} against λ_max`, 'λ_max', label, { xaxis }),
    caption: `Mean over ${r.seeds.length} seeds with the 95% interval of the mean; one line per policy family.`,
  }));
  if (r.paired.length > 0) {
    const es = r.paired.map((d) => d.metrics['defaults.per10kTicks']!);
    figures.push({
      id: 'chart-paired-defaults',
      data: [{ type: 'scatter', mode: 'lines+markers', name: 'Δ defaults', x: r.paired.map((d) => lambdaOf(r, d.against)), y: es.map((e) => e.mean), error_y: errorBars(es) }],
      layout: layout('Change in defaults per 10⁴ ticks (policy − against) against λ_max', 'λ_max', 'Δ defaults per 10⁴ ticks', { xaxis }),
      caption: `Paired by seed on common random numbers (${r.paired.map((d) => `${d.name} − ${d.against}`).join(', ')}). Below zero: the policy lowers defaults.`,
    });
  }
  // The Markdown as text: its escaped pipes (\|r\|) read back as |r| here.
  const table = `<section><h2>Tables</h2><pre>${esc(clearingMarkdown(r).replace(/\\\|/g, '|'))}</pre></section>`;
  return page(`levsim walrasian comparison: ${r.scenario}`, `${r.policies.length} policies × ${r.seeds.length} seeds, common random numbers`, [table, ...figures.map(figureSection)].join('\n'), figures, plotlyMinified());
}

/** Writes report.html and tables.md into the comparison folder `dir`; returns the report's path. */
export function writeClearingReport(dir: string): string {
  const r = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult;
  writeFileAtomic(join(dir, 'tables.md'), clearingMarkdown(r));
  const file = join(dir, 'report.html');
  writeFileAtomic(file, clearingReportHtml(r));
  return file;
}
