/**
 * The report of a run of several venues (summary.json lists `venues`): the systemic measures, the
 * network of venues and protocols (with the contagion matrix when the run measured it), each node's
 * liquidations and insurance fund over time, a price panel per market, the nodes table and the
 * scenario. Self-contained like the other reports.
 */
import { levsimVersion } from '../manifest';
import { dustOf, money } from '../format';
import { readVenueRun } from './data';
import { esc, figureSection, fmt, page, type Figure } from './page';
import { plotlyMinified } from './plotly-bundle';
import { contagionTable, networkFigure, nodeLosses, nodeOrder, type VenueSummary } from './charts/network';
import { nodeFundsFigure, nodeLiquidationsFigure } from './charts/timeline';
import { priceFigure } from './charts/price';
import { scenarioEcho } from './charts/summary';

/** The headline systemic measures (summary.json systemic) and the world's liquidations. */
function venueKpis(s: VenueSummary): string {
  const y = s.systemic;
  const dust = dustOf(s);
  const k = (label: string, v: string) => `<div class="kpi">${esc(label)}<b>${esc(v)}</b></div>`;
  return `<section class="kpis">${[
    k('insolvent venues and protocols', y.insolventCount === 0 ? '0' : `${y.insolventCount} (${y.insolvent.join(', ')})`),
    k('total bad debt', money(y.totalBadDebt, dust)),
    k('largest cross-venue cascade', money(y.largestCrossVenueCascade, dust)),
    k('loss outside the shocked node', y.lossOutsideShare === null ? 'n/a' : `${(y.lossOutsideShare * 100).toFixed(1)}%`),
    k('local shock', y.shockTick === null ? 'none' : `${y.shockedNode ?? 'index'} at tick ${y.shockTick}`),
    k('liquidated notional (all nodes)', money(s.liquidations.notional, dust)),
    k('traders liquidated', `${(s.traders.liquidatedShare * 100).toFixed(1)}%`),
  ].join('')}</section>`;
}

/** One row per node (summary.json nodes), each cell's exact value in `data-value`. */
function nodesTable(s: VenueSummary): string {
  const dust = dustOf(s);
  type N = VenueSummary['nodes'][string];
  const cols: [string, (n: N) => number | boolean | string | null, 'money'?][] = [
    ['kind', (n) => n.kind], ['losses', nodeLosses, 'money'], ['liquidated notional', (n) => n.liquidatedNotional, 'money'],
    ['cascade ticks', (n) => n.cascadeTicks], ['fund start', (n) => n.insuranceFund.start, 'money'], ['fund min', (n) => n.insuranceFund.min, 'money'],
    ['fund end', (n) => n.insuranceFund.end, 'money'], ['fund drawdown', (n) => n.insuranceFund.drawdown, 'money'], ['fund exhausted', (n) => n.insuranceFund.exhausted],
    ['ADL notional', (n) => n.adlNotional, 'money'], ['bad debt', (n) => n.badDebt, 'money'], ['first liquidation tick', (n) => n.firstLiquidationTick],
    ['first liquidation after shock (ticks)', (n) => n.firstLiquidationAfterShock], ['insolvent', (n) => n.insolvent],
  ];
  const show = (v: number | boolean | string | null, kind?: 'money') => (v === null ? 'n/a' : typeof v === 'number' ? (kind ? money(v, dust) : fmt(v)) : esc(String(v)));
  const rows = nodeOrder(s).map((name) => {
    const n = s.nodes[name]!;
    return `<tr data-node="${esc(name)}"><th>${esc(name)}</th>${cols.map(([h, f, kind]) => {
      const v = f(n);
      return `<td class="num" data-field="${esc(h)}" data-value="${esc(String(v))}">${show(v, kind)}</td>`;
    }).join('')}</tr>`;
  }).join('');
  return `<section><h2>Venues and protocols</h2><table id="nodes-table"><thead><tr><th>node</th>${cols.map(([h]) => `<th class="num">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<p class="caption">${esc('Each node\'s section of summary.json (nodes.<name>): losses are liquidated notional plus bad debt (the network\'s marker areas); a venue is insolvent when its insurance fund was exhausted or it wrote off bad debt, a protocol when it has bad debt. The first liquidation after the shock counts ticks from the scenario\'s first local shock.')}</p></section>`;
}

/** The report of the run of several venues in `dir`, as HTML; series of more than `maxPoints` are downsampled. */
export function venueRunReportHtml(dir: string, maxPoints: number): string {
  const d = readVenueRun(dir);
  const s: VenueSummary = d.summary;
  const hasTicks = Object.keys(d.nodes).length > 0;
  const network = networkFigure(s);
  const overTime = hasTicks ? [nodeLiquidationsFigure({ ...d, summary: s }, maxPoints), nodeFundsFigure({ ...d, summary: s }, maxPoints)] : [];
  const prices = d.markets.filter((m) => m.ticks.tick !== undefined).map((m) => priceFigure(m, maxPoints));
  const figures: Figure[] = [network, ...overTime, ...prices];
  const body = [
    venueKpis(s),
    figureSection(network),
    s.contagionMatrix ? '' : '<section id="no-contagion-edges"><p>No edges: the contagion between nodes is measured (and drawn) when the scenario sets <code>outputs.contagionMatrix: true</code>.</p></section>',
    contagionTable(s),
    hasTicks ? '' : '<section id="no-ticks"><p>This run wrote no ticks.csv nor nodes.csv (<code>outputs.ticks: false</code>): the charts over time are left out.</p></section>',
    ...overTime.map(figureSection),
    ...prices.map(figureSection),
    nodesTable(s),
    scenarioEcho(d.scenario),
  ].join('\n');
  const subtitle = `venues ${s.venues.join(', ')} · seed ${s.seed} · ${s.ticks} ticks · ${s.agents.toLocaleString('en-US')} agents · levsim ${levsimVersion()}`;
  return page(`levsim: ${s.scenario}`, subtitle, body, figures, plotlyMinified());
}
