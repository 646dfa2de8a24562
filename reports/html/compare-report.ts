/**
 * The comparison report: per-metric bars with 95% intervals, paired differences against the
 * baseline, the risk–efficiency frontier, one seed's price paths overlaid, and a table whose rows
 * link to each policy's run reports. Built from compare.json and the run folders alone.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { CompareResult } from '../../sim/run/compare';
import { writeFileAtomic } from '../atomic';
import { isMultiAsset, isVenueRun, parseCsv, readSummary, venueMarkets } from './data';
import { lineTrace } from './downsample';
import { esc, figureSection, fmt, layout, ofMarket, page, type Figure } from './page';
import { plotlyMinified } from './plotly-bundle';
import { money } from '../format';
import { isClearingComparison, writeClearingReport } from './clearing-report';

/** Metrics charted, with units. */
const METRICS: [string, string][] = [
  ['cascades.largestNotional', 'largest cascade (quote)'],
  ['liquidations.notional', 'liquidated notional (quote)'],
  ['ledger.badDebt', 'bad debt (quote)'],
  ['price.maxDrawdown', 'max drawdown (fraction)'],
  ['amplification', 'amplification (×)'],
  ['adl.notional', 'auto-deleveraged notional (quote)'],
  ['efficiency.avgLeverage', 'average leverage (×)'],
  ['efficiency.openInterestPerCollateral', 'open interest per collateral'],
];

/** Label positions taken in turn by the frontier's points, so that neighbours' names do not stack on each other. */
const LABEL_SIDES = ['top center', 'bottom center', 'middle right', 'middle left'];

/** Metrics that cannot be negative: their drawn intervals stop at 0. */
const NON_NEGATIVE = new Set(METRICS.map(([m]) => m).filter((m) => m !== 'amplification'));

/** Whiskers of the 95% intervals; with `floor0` the lower whisker stops at 0 (the caption says so). */
const errorBars = (es: { mean: number | null; ci95: [number, number] | null }[], floor0 = false) => ({
  type: 'data', symmetric: false,
  array: es.map((e) => (e.ci95 && e.mean !== null ? e.ci95[1] - e.mean : 0)),
  arrayminus: es.map((e) => (e.ci95 && e.mean !== null ? e.mean - (floor0 ? Math.max(0, e.ci95[0]) : e.ci95[0]) : 0)),
});

/** A mean in the metric's unit: money to the unit (as the terminal shows it), other figures as they are. */
const shown = (m: string, x: number | null) => (METRICS.find(([k]) => k === m)?.[1].includes('(quote)') ? money(x) : fmt(x));

/** The comparison report of `dir` (a folder with compare.json), as HTML. */
export function compareReportHtml(dir: string): string {
  const r = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult;
  const names = r.policies.map((p) => p.name);
  const figures: Figure[] = [];
  METRICS.forEach(([m, unit], k) => {
    const es = r.policies.map((p) => p.metrics[m]!);
    figures.push({
      id: `chart-metric-${k}`,
      data: [{ type: 'bar', x: names, y: es.map((e) => e.mean), error_y: errorBars(es, NON_NEGATIVE.has(m)), marker: { color: '#1f5fbf' }, name: m }],
      layout: layout(`${m}: mean and 95% CI over ${r.seeds.length} seeds`, 'policy', unit),
      caption: `Each bar is a policy's mean ${m} over the seeds; whiskers are the 95% confidence interval of the mean${NON_NEGATIVE.has(m) ? ', drawn from 0 at the lowest: the metric cannot be negative, though the interval formula can reach below 0' : ''}.`,
    });
  });
  const paired = r.paired;
  METRICS.slice(0, 4).forEach(([m, unit], k) => {
    const es = paired.map((p) => p.metrics[m]!);
    figures.push({
      id: `chart-paired-${k}`,
      data: [{ type: 'bar', x: paired.map((p) => p.name), y: es.map((e) => e.mean), error_y: errorBars(es), marker: { color: '#7b3fbf' }, name: m }],
      layout: layout(`${m}: paired difference against ${r.baseline}`, 'policy', `difference in ${unit}`),
      caption: `Policy minus ${r.baseline}, seed by seed (common random numbers), with its 95% interval. An interval that excludes zero is a difference the seeds agree on.`,
    });
  });
  const frontier = (id: string, xm: string, xl: string, ym: string, yl: string): Figure => {
    const xs = r.policies.map((p) => p.metrics[xm]!), ys = r.policies.map((p) => p.metrics[ym]!);
    return {
      id,
      data: [{ type: 'scatter', mode: 'markers+text', x: xs.map((e) => e.mean), y: ys.map((e) => e.mean), text: names, textposition: names.map((_, k) => LABEL_SIDES[k % LABEL_SIDES.length]), error_x: errorBars(xs, NON_NEGATIVE.has(xm)), error_y: errorBars(ys, NON_NEGATIVE.has(ym)), marker: { size: 10, color: '#d9534f' } }],
      layout: layout(`Frontier: ${yl.split(' (')[0]} against ${xl.split(' (')[0]}`, xl, yl),
      caption: 'One point per policy with 95% intervals on both axes (drawn from 0 at the lowest where a metric cannot be negative). Capital efficiency to the right, risk up: the better policies sit low and to the right.',
    };
  };
  figures.push(frontier('chart-frontier-cascade', 'efficiency.openInterestPerCollateral', 'open interest per collateral', 'cascades.largestNotional', 'largest cascade (quote)'));
  figures.push(frontier('chart-frontier-baddebt', 'efficiency.avgLeverage', 'average leverage (×)', 'ledger.badDebt', 'bad debt (quote)'));
  const seed = r.seeds[0]!;
  figures.push(...priceOverlays(dir, r, seed));
  const rows = r.policies.map((p) => {
    const link = `runs/${p.name}/${seed}/report.html`;
    const has = existsSync(join(dir, link));
    const cells = METRICS.map(([m]) => {
      const e = p.metrics[m]!;
      return `<td class="num" data-metric="${m}" data-value="${e.mean ?? 'null'}">${shown(m, e.mean)}${e.ci95 ? `<br><span class="ci">±${shown(m, (e.ci95[1] - e.ci95[0]) / 2)}</span>` : ''}</td>`;
    }).join('');
    return `<tr><td>${has ? `<a href="${esc(link)}">${esc(p.name)}</a>` : esc(p.name)}${p.name === r.baseline ? ' (baseline)' : ''}</td><td class="num">${p.runs}</td>${cells}</tr>`;
  }).join('');
  const table = `<section><h2>Policies</h2><table id="compare-table"><thead><tr><th>policy (links to seed ${seed}'s run report)</th><th>runs</th>${METRICS.map(([m]) => `<th>${esc(m).replace(/\./g, '.<wbr>')}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<p class="caption">Means with the half-width of their 95% confidence interval, over seeds ${esc(r.seeds.join(', '))}.</p></section>`;
  const body = [table, ...figures.map(figureSection)].join('\n');
  return page(`levsim comparison: ${r.scenario}`, `${r.policies.length} policies × ${r.seeds.length} seeds, common random numbers; baseline ${r.baseline}`, body, figures, plotlyMinified());
}

/**
 * One seed's mark paths under each policy: one chart, or one per market when the runs are of several
 * assets (`ticks-<asset>.csv`) or venues (`ticks-<venue>-<asset>.csv`; the world's ticks.csv has no
 * mark). Runs with outputs.ticks: false wrote no ticks files: the overlay shows the policies that did, if any.
 */
function priceOverlays(dir: string, r: CompareResult, seed: number): Figure[] {
  const runDir = (name: string) => join(dir, 'runs', name, String(seed));
  const first = r.policies.map((p) => runDir(p.name)).find((d) => existsSync(join(d, 'summary.json')));
  const s = first === undefined ? undefined : readSummary(first);
  const markets = !s ? [''] : isVenueRun(s) ? venueMarkets(readdirSync(first!), s.venues) : isMultiAsset(s) ? s.assets : [''];
  return markets.flatMap((asset): Figure[] => {
    const file = `ticks${asset ? `-${asset}` : ''}.csv`;
    const paths = r.policies.filter((p) => existsSync(join(runDir(p.name), file))).map((p) => {
      const t = parseCsv(readFileSync(join(runDir(p.name), file), 'utf8'), join(runDir(p.name), file));
      return lineTrace(p.name, t.tick!, t.mark!, 1500);
    });
    if (paths.length === 0) return [];
    const { id, title } = ofMarket(asset, 'chart-price-overlay', `Mark price under each policy, seed ${seed}`);
    return [{
      id, data: paths, layout: layout(title, 'tick', 'mark (quote)'),
      caption: 'The same seed, so the same exogenous path and the same agents: where the lines part, the policy made the difference.',
    }];
  });
}

/** Writes `report.html` into the comparison folder `dir` (a walrasian comparison gets its own, {@link writeClearingReport}). */
export function writeCompareReport(dir: string): string {
  if (isClearingComparison(JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareResult)) return writeClearingReport(dir);
  const file = join(dir, 'report.html');
  writeFileAtomic(file, compareReportHtml(dir));
  return file;
}
