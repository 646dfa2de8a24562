/**
 * The report of a run of several assets (summary.json lists `assets`): one price panel, liquidation
 * chart and liquidation heatmap per asset, the contagion matrix, margin usage by mode, the venue's
 * insurance fund, and tables per market and per margin mode. Self-contained like the one-asset report.
 */
import { levsimVersion } from '../manifest';
import { readMultiRun, type MarketData, type MultiRunData } from './data';
import { esc, figureSection, page, type Figure } from './page';
import { plotlyMinified } from './plotly-bundle';
import { heatmapFigure, nearLiquidationFigure } from './charts/book';
import { contagionFigure } from './charts/contagion';
import { liquidationsFigure } from './charts/liquidations';
import { activeModes, marketTable, modeTable, multiKpis } from './charts/multi';
import { priceFigure } from './charts/price';
import { insuranceFigure } from './charts/risk';
import { scenarioEcho, summaryTable } from './charts/summary';
import { usageFigure } from './charts/usage';

/** One asset's figures and its notes where the data has none: price, liquidations, heatmap. */
function marketSection(d: MultiRunData, m: MarketData, maxPoints: number): { figures: Figure[]; html: string } {
  const hasTicks = m.ticks.tick !== undefined;
  const hasCascades = (m.cascades.tick?.length ?? 0) > 0;
  const shocks = d.summary.contagion.shocks.filter((e) => e.market === m.name);
  // the liquidation map holds isolated positions only: a cross or portfolio account has no liquidation price of one position
  const hasMap = hasTicks && (m.liqmap.tick?.length ?? 0) > 0;
  const price = hasTicks ? [priceFigure(m, maxPoints, shocks)] : [];
  const liqs = hasCascades ? [liquidationsFigure(m, 600)] : [];
  const map = hasMap ? [heatmapFigure(m)].map((f) => ({ ...f, caption: `${f.caption} Isolated positions only: a cross or portfolio account is liquidated on its whole book, not at a price of one position.` })) : [];
  const note = (id: string, title: string, text: string) => `<section id="${id}-${esc(m.name)}"><h2>${title}: ${esc(m.name)}</h2><p>${text}</p></section>`;
  const html = [
    ...price.map(figureSection),
    ...(hasCascades ? liqs.map(figureSection) : [note('no-liquidations', 'Liquidations', `No liquidations in ${esc(m.name)} in this run.`)]),
    ...(hasMap ? map.map(figureSection) : hasTicks ? [note('no-heatmap', 'Liquidation heatmap', `No isolated positions in ${esc(m.name)}: its liquidation map is empty (cross and portfolio accounts have no liquidation price of one position).`)] : []),
  ];
  return { figures: [...price, ...liqs, ...map], html: html.join('\n') };
}

/** The report of the run of several assets in `dir`, as HTML. */
export function multiRunReportHtml(dir: string, maxPoints: number): string {
  const d = readMultiRun(dir);
  const s = d.summary;
  const hasTicks = d.world.tick !== undefined;
  const markets = d.markets.map((m) => marketSection(d, m, maxPoints));
  const modes = activeModes(s);
  const contagion = contagionFigure(s.contagion, s.assets, modes);
  const usage = modes.filter((md) => d.usage[md]?.tick?.length).map((md) => usageFigure(md, d.usage[md]!));
  const world = hasTicks ? [insuranceFigure({ ticks: d.world }, maxPoints), nearLiquidationFigure({ ticks: d.world }, maxPoints)] : [];
  const figures = [...markets.flatMap((m) => m.figures), contagion, ...usage, ...world];
  const body = [
    multiKpis(s),
    hasTicks ? '' : '<section id="no-ticks"><p>This run wrote no ticks.csv (<code>outputs.ticks: false</code>): the charts over time are left out.</p></section>',
    marketTable(s),
    ...markets.map((m) => m.html),
    figureSection(contagion),
    ...usage.map(figureSection),
    ...world.map(figureSection),
    modeTable(s), summaryTable(s), scenarioEcho(d.scenario),
  ].join('\n');
  const subtitle = `${s.assets.join(', ')} · seed ${s.seed} · ${s.ticks} ticks · ${s.agents.toLocaleString('en-US')} agents · policy ${s.policy} · levsim ${levsimVersion()}`;
  return page(`levsim: ${s.scenario}`, subtitle, body, figures, plotlyMinified());
}
