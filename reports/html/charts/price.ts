/** Price charts: index and mark with liquidation markers, shaded cascade episodes and (given) shock markers. */
import type { ContagionShock } from '../../../sim/metrics/contagion';
import type { MarketData } from '../data';
import { lineTrace } from '../downsample';
import { layout, ofMarket, type Figure } from '../page';

/** Most shaded episodes drawn (the largest by notional). */
const MAX_SHAPES = 150;

/** The exogenous shocks to one market's index, as markers on its index line (none: no trace). */
function shockTrace(d: MarketData, shocks: readonly ContagionShock[]): Record<string, unknown>[] {
  if (shocks.length === 0) return [];
  const t = d.ticks;
  return [{
    type: 'scatter', mode: 'markers', name: 'shocks to the index', x: shocks.map((e) => e.tick), y: shocks.map((e) => t.index![t.tick!.indexOf(e.tick)]),
    marker: { symbol: 'triangle-down', size: 11, color: '#7b3fbf' }, text: shocks.map((e) => `exogenous move ${(e.logReturn * 100).toFixed(1)}% (log)`),
  }];
}

/**
 * Index and mark price of one market; markers sized by liquidated notional; cascade episodes shaded;
 * `shocks` (a run of several assets: this market's, from summary.json's contagion) marked on the index.
 */
export function priceFigure(d: MarketData, maxPoints: number, shocks: readonly ContagionShock[] = []): Figure {
  const { id, title } = ofMarket(d.name, 'chart-price', 'Index and mark price');
  const t = d.ticks;
  const c = d.cascades;
  const notional = c.tick!.map((_, k) => c.longNotional![k]! + c.shortNotional![k]!);
  const maxN = Math.max(1, ...notional);
  // Episodes: runs of consecutive cascade ticks.
  const episodes: { x0: number; x1: number; n: number }[] = [];
  c.tick!.forEach((tick, k) => {
    const last = episodes[episodes.length - 1];
    if (last && tick === last.x1 + 1) { last.x1 = tick; last.n += notional[k]!; } else episodes.push({ x0: tick, x1: tick, n: notional[k]! });
  });
  const shapes = episodes.sort((a, b) => b.n - a.n).slice(0, MAX_SHAPES).map((e) => ({
    type: 'rect', xref: 'x', yref: 'paper', x0: e.x0 - 0.5, x1: e.x1 + 0.5, y0: 0, y1: 1, fillcolor: 'rgba(220,60,60,0.12)', line: { width: 0 },
  }));
  return {
    id,
    data: [
      lineTrace('index', t.tick!, t.index!, maxPoints, { line: { color: '#8a94a6', width: 1 } }),
      lineTrace('mark', t.tick!, t.mark!, maxPoints, { line: { color: '#1f5fbf', width: 1.5 } }),
      {
        type: 'scatter', mode: 'markers', name: 'liquidations (size ∝ notional)', x: c.tick, y: c.markAfter,
        marker: { color: 'rgba(210,40,40,0.75)', size: notional.map((n) => 4 + 26 * Math.sqrt(n / maxN)) },
        text: notional.map((n) => `${Math.round(n).toLocaleString('en-US')} liquidated`),
      },
      ...shockTrace(d, shocks),
    ],
    layout: layout(title, 'tick', 'price (quote)', { shapes, xaxis: { title: { text: 'tick' }, range: [0, d.span - 1] } }), // the run's span, as the liquidation chart: markers do not pad it
    caption: 'The mark (blue) against the exogenous index (grey); red markers are ticks with liquidations, sized by the notional liquidated; shaded bands are cascade episodes (consecutive cascade ticks). Where the mark falls below the index, forced selling is moving the price.',
  };
}
