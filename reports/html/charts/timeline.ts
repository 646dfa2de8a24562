/** The nodes of a run of several venues over time (nodes.csv): each one's liquidations and insurance fund, the shock marked. */
import type { VenueRunData } from '../data';
import { lineTrace } from '../downsample';
import { layout, type Figure } from '../page';
import { nodeOrder, type VenueSummary } from './network';

/** A dashed vertical line and label at the scenario's local shock (none: nothing). */
function shockMark(s: VenueSummary): Record<string, unknown> {
  const { shockTick: t, shockedNode: node } = s.systemic;
  if (t === null) return {};
  return {
    shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: t, x1: t, y0: 0, y1: 1, line: { color: '#7b3fbf', width: 1.5, dash: 'dash' } }],
    annotations: [{ x: t, y: 1, xref: 'x', yref: 'paper', yanchor: 'bottom', showarrow: false, text: `shock${node ? ` to ${node}` : ''}`, font: { color: '#7b3fbf', size: 11 } }],
  };
}

/**
 * Liquidated notional per tick of every node (`chart-node-liquidations`), one trace per node in the
 * network's order, min–max downsampled to `maxPoints` so every spike stays; the shock marked.
 */
export function nodeLiquidationsFigure(d: Pick<VenueRunData, 'nodes'> & { summary: VenueSummary }, maxPoints: number): Figure {
  const names = nodeOrder(d.summary).filter((n) => d.nodes[n]);
  return {
    id: 'chart-node-liquidations',
    data: names.map((n) => lineTrace(n, d.nodes[n]!.tick!, d.nodes[n]!.liquidatedNotional!, maxPoints)),
    layout: layout('Liquidations per tick, by venue and protocol', 'tick', 'liquidated notional (quote)', { ...shockMark(d.summary), legend: { orientation: 'h', y: -0.25 } }),
    caption: 'The notional each venue or protocol liquidated at each tick (nodes.csv). The dashed line is the scenario\'s first local shock: a node other than the shocked one that liquidates after it took the shock through a link (shared traders, arbitrage, the shared index, an oracle).',
  };
}

/** The insurance fund of every venue over time (`chart-node-funds`); a protocol has none. */
export function nodeFundsFigure(d: Pick<VenueRunData, 'nodes'> & { summary: VenueSummary }, maxPoints: number): Figure {
  const names = nodeOrder(d.summary).filter((n) => d.summary.nodes[n]!.kind === 'venue' && d.nodes[n]);
  return {
    id: 'chart-node-funds',
    data: names.map((n) => lineTrace(n, d.nodes[n]!.tick!, d.nodes[n]!.insuranceFund!, maxPoints)),
    layout: layout('Insurance fund by venue', 'tick', 'insurance fund (quote)', { ...shockMark(d.summary), legend: { orientation: 'h', y: -0.25 } }),
    caption: 'Each venue\'s insurance fund at the end of every tick (nodes.csv). It grows from liquidation fees and pays bankrupt remainders; a venue whose fund reaches zero is insolvent (summary.json nodes.<venue>.insuranceFund.exhausted).',
  };
}
