/**
 * The run report: a self-contained HTML page (plotly inlined, no network) built from a finished
 * run's data files alone.
 */
import { join } from 'path';
import { writeFileAtomic } from '../atomic';
import { levsimVersion } from '../manifest';
import { isMultiAsset, isVenueRun, readRun, readSummary } from './data';
import { multiRunReportHtml } from './multi-report';
import { venueRunReportHtml } from './venue-report';
import { figureSection, page, type Figure } from './page';
import { plotlyMinified } from './plotly-bundle';
import { heatmapFigure, leverageFigure, nearLiquidationFigure } from './charts/book';
import { cascadesTable, ccdfFigure, liquidationsFigure } from './charts/liquidations';
import { priceFigure } from './charts/price';
import { fundingFigure, insuranceFigure, policyFigure, policyIsDynamic } from './charts/risk';
import { kpis, scenarioEcho, summaryTable } from './charts/summary';

/** Points per line series after min–max downsampling. */
const MAX_POINTS = 2000;

/** The report of the run in `dir`, as HTML (a run of several venues: {@link venueRunReportHtml}; of several assets: {@link multiRunReportHtml}). */
export function runReportHtml(dir: string): string {
  const summary = readSummary(dir);
  if (isVenueRun(summary)) return venueRunReportHtml(dir, MAX_POINTS);
  if (isMultiAsset(summary)) return multiRunReportHtml(dir, MAX_POINTS);
  const d = readRun(dir);
  const s = d.summary;
  // What the data allows: charts over time need ticks.csv (and book.csv, liqmap.csv); liquidation
  // charts need at least one cascade, else the page says there were none.
  const hasTicks = d.ticks.tick !== undefined;
  const hasCascades = (d.cascades.tick?.length ?? 0) > 0;
  const figures: Figure[] = [
    ...(hasTicks ? [priceFigure(d, MAX_POINTS)] : []),
    ...(hasCascades ? [liquidationsFigure(d, 600), ccdfFigure(d)] : []),
    ...(hasTicks && d.book.tick !== undefined ? [heatmapFigure(d), leverageFigure(d)] : []),
    ...(hasTicks ? [nearLiquidationFigure(d, MAX_POINTS), insuranceFigure(d, MAX_POINTS), fundingFigure(d, MAX_POINTS)] : []),
    ...(hasTicks && policyIsDynamic(d) ? [policyFigure(d, MAX_POINTS)] : []),
  ];
  const byId = new Map(figures.map((f) => [f.id, f]));
  const sec = (id: string) => (byId.has(id) ? figureSection(byId.get(id)!) : '');
  const body = [
    kpis(s),
    hasTicks ? '' : '<section id="no-ticks"><p>This run wrote no ticks.csv (<code>outputs.ticks: false</code>): the charts over time are left out.</p></section>',
    sec('chart-price'),
    hasCascades ? '' : '<section id="no-liquidations"><h2>Liquidations</h2><p>No liquidations in this run.</p></section>',
    sec('chart-liquidations'), hasCascades ? cascadesTable(d) : '', sec('chart-ccdf'), sec('chart-heatmap'),
    sec('chart-leverage'), sec('chart-near-liquidation'), sec('chart-insurance'), sec('chart-funding'), sec('chart-policy'),
    summaryTable(s), scenarioEcho(d.scenario),
  ].join('\n');
  const subtitle = `seed ${s.seed} · ${s.ticks} ticks · ${s.agents.toLocaleString('en-US')} agents · policy ${s.policy} · levsim ${levsimVersion()}`;
  return page(`levsim: ${s.scenario}`, subtitle, body, figures, plotlyMinified());
}

/** Writes `report.html` into the run folder `dir`. */
export function writeRunReport(dir: string): string {
  const file = join(dir, 'report.html');
  writeFileAtomic(file, runReportHtml(dir));
  return file;
}
