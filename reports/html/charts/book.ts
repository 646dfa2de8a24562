/** Book charts: the liquidation heatmap, leverage percentile bands, and accounts near liquidation. */
import type { MarketData, RunData } from '../data';
import { lineTrace } from '../downsample';
import { layout, ofMarket, type Figure } from '../page';
import { percentileBands } from './bands';

/** Where one market's open positions' liquidation prices sit over time: price bands × time, coloured by notional. */
export function heatmapFigure(d: MarketData): Figure {
  const { id, title } = ofMarket(d.name, 'chart-heatmap', 'Liquidation heatmap');
  const m = d.liqmap;
  const ticks = [...new Set(d.book.tick!)];
  const lows = [...new Set(m.bandLow!)].sort((a, b) => a - b);
  const bandIndex = new Map(lows.map((v, k) => [v, k]));
  const tickIndex = new Map(ticks.map((v, k) => [v, k]));
  // Empty cells stay null (drawn blank), so the map shows only where notional actually sits.
  const z: (number | null)[][] = lows.map(() => new Array<number | null>(ticks.length).fill(null));
  m.tick!.forEach((t, k) => {
    z[bandIndex.get(m.bandLow![k]!)!]![tickIndex.get(t)!] = m.longNotional![k]! + m.shortNotional![k]!;
  });
  const high = new Map(m.bandLow!.map((lo, k) => [lo, m.bandHigh![k]!]));
  const mid = lows.map((lo) => Math.sqrt(lo * high.get(lo)!)); // geometric centre of the band
  return {
    id,
    data: [
      { type: 'heatmap', name: 'liquidation notional', x: ticks, y: mid, z, colorscale: [[0, '#fff5eb'], [0.25, '#fdae6b'], [0.6, '#e6550d'], [1, '#7f2704']], colorbar: { title: { text: 'notional' } }, hovertemplate: 'tick %{x}<br>price %{y:.0f}<br>%{z:.3s} to liquidate<extra></extra>' },
      lineTrace('mark', d.ticks.tick!, d.ticks.mark!, 600, { line: { color: '#1d2330', width: 1.2 } }),
    ],
    layout: layout(title, 'tick', 'liquidation price (quote)'),
    caption: 'Bright bands are prices where much open notional would be liquidated (longs below the mark, shorts above). When the mark line runs into a bright band, a cascade follows: that is the liquidation map traders watch.',
  };
}

/** The distribution of effective leverage over time, as percentile bands. */
export function leverageFigure(d: RunData): Figure {
  return {
    id: 'chart-leverage',
    data: percentileBands(d.book, 'leverage', '31,95,191'),
    layout: layout('Effective leverage of open positions', 'tick', 'leverage (notional / equity, x)'),
    caption: 'The spread of effective leverage across open positions. Leverage rises as prices move against positions (equity shrinks) and falls as the most leveraged are liquidated or deleverage.',
  };
}

/** Accounts whose liquidation price is within 5% and 10% of the mark (a run of several assets: over its markets). */
export function nearLiquidationFigure(d: Pick<RunData, 'ticks'>, maxPoints: number): Figure {
  const t = d.ticks;
  return {
    id: 'chart-near-liquidation',
    data: [
      lineTrace('within 10%', t.tick!, t.nearLiq10!, maxPoints, { line: { color: '#f0ad4e' } }),
      lineTrace('within 5%', t.tick!, t.nearLiq5!, maxPoints, { line: { color: '#d9534f' } }),
    ],
    layout: layout('Accounts near liquidation', 'tick', 'accounts'),
    caption: 'How many positions a 5% or a 10% move would liquidate. A rising count is fuel for the next cascade.',
  };
}
