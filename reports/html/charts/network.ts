/**
 * The venues and protocols of a run as a network: nodes on a circle sized by their losses, coloured
 * by insolvency, and (given the contagion matrix) arrows from a shocked node to the nodes its shock
 * liquidated, as wide as the notional.
 */
import type { ContagionMatrix } from '../../../sim/run/contagion-matrix';
import type { NodeSummary } from '../../../sim/metrics/systemic';
import { dustOf, money } from '../../format';
import type { VenueRunData } from '../data';
import { esc, type Figure } from '../page';

/** The summary the venue report reads (its `contagionMatrix` when the run measured it: sim/run/contagion-matrix.ts). */
export type VenueSummary = VenueRunData['summary'];

/** Diameter (px) of the node with the largest losses; the others' areas are to scale. */
const MAX_DIAMETER = 70;
/** Smallest diameter drawn (px), so a node with tiny losses stays visible. */
const MIN_DIAMETER = 8;
/** Width (px) of the widest edge; the others' are to scale, at least 1. */
const MAX_WIDTH = 10;
/** Edges A→B and B→A are drawn side by side, each shifted this far (data units, the circle's radius is 1) to its right. */
const EDGE_OFFSET = 0.04;
/** Opaque, so the arrowhead's short line drawn over its edge does not show as a darker stretch. */
const EDGE_COLOR = '#f08a4b';

/** A node's losses: its liquidated notional plus its bad debt (quote). */
export function nodeLosses(n: NodeSummary): number {
  return n.liquidatedNotional + n.badDebt;
}

/** The run's node names, venues first then protocols, each in summary.json's order. */
export function nodeOrder(s: VenueSummary): string[] {
  const names = s.systemic.nodes;
  return [...names.filter((n) => s.nodes[n]!.kind === 'venue'), ...names.filter((n) => s.nodes[n]!.kind === 'protocol')];
}

/** Positions on the unit circle, the first node on the left, going clockwise (one node: the centre). */
export function circle(n: number): { x: number; y: number }[] {
  if (n === 1) return [{ x: 0, y: 0 }];
  return Array.from({ length: n }, (_, k) => {
    const a = Math.PI - (2 * Math.PI * k) / n;
    return { x: Math.cos(a), y: Math.sin(a) };
  });
}

/** Marker diameters (px): area proportional to `losses`, the largest {@link MAX_DIAMETER}, none under {@link MIN_DIAMETER}. */
export function nodeDiameters(losses: readonly number[]): number[] {
  const max = Math.max(0, ...losses);
  return losses.map((l) => (max > 0 ? Math.max(MIN_DIAMETER, MAX_DIAMETER * Math.sqrt(Math.max(0, l) / max)) : MIN_DIAMETER));
}

/** One directed edge of the network: a shock to `from` liquidated `liquidated` on `to` through the links. */
export interface Edge {
  from: string;
  to: string;
  liquidated: number;
  badDebt: number;
}

/**
 * The edges of the matrix among `nodes`: every entry A→B off the diagonal with a positive liquidated
 * notional (a negative one, the links having spared B, is no contagion to draw; the matrix table shows it).
 */
export function contagionEdges(m: ContagionMatrix, nodes: readonly string[]): Edge[] {
  const known = new Set(nodes);
  return m.nodes.flatMap((a, i) => m.nodes.flatMap((b, j) => {
    const v = m.liquidated[i]?.[j] ?? 0;
    return i !== j && known.has(a) && known.has(b) && v > 0 ? [{ from: a, to: b, liquidated: v, badDebt: m.badDebt[i]?.[j] ?? 0 }] : [];
  }));
}

/** Line widths (px) of `edges`: proportional to the liquidated notional, the widest {@link MAX_WIDTH}, none under 1. */
export function edgeWidths(edges: readonly Edge[]): number[] {
  const max = Math.max(0, ...edges.map((e) => e.liquidated));
  return edges.map((e) => Math.max(1, (MAX_WIDTH * e.liquidated) / max));
}

/** The hover text of a node: its figures from summary.json. */
function nodeHover(name: string, n: NodeSummary, dust: number): string {
  const after = n.firstLiquidationAfterShock === null ? 'none' : `+${n.firstLiquidationAfterShock} ticks`;
  return [
    `<b>${esc(name)}</b> (${n.kind}${n.insolvent ? ', INSOLVENT' : ''})`,
    `losses: ${money(nodeLosses(n), dust)}`,
    `liquidated: ${money(n.liquidatedNotional, dust)} in ${n.cascadeTicks} ticks`,
    `bad debt: ${money(n.badDebt, dust)}`,
    ...(n.kind === 'venue' ? [`insurance fund: ${money(n.insuranceFund.start, dust)} → min ${money(n.insuranceFund.min, dust)} → ${money(n.insuranceFund.end, dust)}`, `ADL: ${money(n.adlNotional, dust)}`] : []),
    `first liquidation after the shock: ${after}`,
  ].join('<br>');
}

/**
 * The network figure (`chart-network`): one marker per node on a circle, venues then protocols; its
 * area proportional to its losses (liquidated notional + bad debt; an open ring: none), red when
 * insolvent; with the contagion matrix, one line per edge A→B (width proportional to the notional a
 * shock to A liquidated on B), an arrowhead at B, and a mid-point dot that carries the edge's figures.
 */
export function networkFigure(s: VenueSummary): Figure {
  const names = nodeOrder(s);
  const at = new Map(names.map((n, k) => [n, circle(names.length)[k]!]));
  const nodes = names.map((n) => s.nodes[n]!);
  const losses = nodes.map(nodeLosses);
  // A square of side d is 4/π the area of a circle of diameter d: a protocol's side is scaled down to keep areas comparable.
  const diameters = nodeDiameters(losses).map((d, k) => (nodes[k]!.kind === 'protocol' ? (d * Math.sqrt(Math.PI)) / 2 : d));
  const radius = new Map(names.map((n, k) => [n, diameters[k]! / 2]));
  const dust = dustOf(s);
  const edges = s.contagionMatrix ? contagionEdges(s.contagionMatrix, names) : [];
  const widths = edgeWidths(edges);
  // Each edge is shifted to its right, so A→B and B→A run side by side rather than on one line.
  const ends = edges.map((e) => {
    const a = at.get(e.from)!, b = at.get(e.to)!;
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const ox = (dy / len) * EDGE_OFFSET, oy = (-dx / len) * EDGE_OFFSET;
    return { x0: a.x + ox, y0: a.y + oy, x1: b.x + ox, y1: b.y + oy };
  });
  const edgeText = (e: Edge) => `<b>${esc(e.from)} → ${esc(e.to)}</b><br>a shock to ${esc(e.from)} liquidated ${money(e.liquidated, dust)} on ${esc(e.to)}<br>and left ${money(e.badDebt, dust)} of bad debt there<br>(links on minus links cut, same seed)`;
  const lines = edges.map((e, k) => ({
    type: 'scatter', mode: 'lines', name: `${e.from} → ${e.to}`, x: [ends[k]!.x0, ends[k]!.x1], y: [ends[k]!.y0, ends[k]!.y1],
    line: { width: widths[k], color: EDGE_COLOR }, hoverinfo: 'skip', showlegend: false,
  }));
  const mids = edges.length === 0 ? [] : [{
    type: 'scatter', mode: 'markers', name: 'contagion (hover a dot)',
    x: ends.map((p) => (p.x0 + p.x1) / 2), y: ends.map((p) => (p.y0 + p.y1) / 2),
    marker: { size: 9, color: EDGE_COLOR, line: { width: 1, color: '#fff' } },
    hovertext: edges.map(edgeText), hoverinfo: 'text', showlegend: false,
  }];
  // The arrowhead: a short annotation arrow ending at the target, stopped at its marker's rim.
  const arrows = edges.map((e, k) => {
    const p = ends[k]!;
    return {
      x: p.x1, y: p.y1, ax: p.x0 + 0.75 * (p.x1 - p.x0), ay: p.y0 + 0.75 * (p.y1 - p.y0), xref: 'x', yref: 'y', axref: 'x', ayref: 'y',
      text: '', showarrow: true, arrowhead: 2, arrowsize: 1.4, arrowwidth: Math.min(widths[k]!, 3), arrowcolor: EDGE_COLOR, standoff: radius.get(e.to)! + 2,
    };
  });
  const pos = names.map((n) => at.get(n)!);
  return {
    id: 'chart-network',
    data: [...lines, ...mids, {
      type: 'scatter', mode: 'markers+text', name: 'venues and protocols', x: pos.map((p) => p.x), y: pos.map((p) => p.y),
      text: names, textposition: pos.map((p) => (p.y > 0.01 ? 'top center' : 'bottom center')), cliponaxis: false,
      marker: {
        // opacity 1: plotly draws markers of several sizes at 0.7 by default, and the edges would show through the nodes
        size: diameters, opacity: 1, color: nodes.map((n) => (n.insolvent ? '#d62728' : '#2e8b57')),
        symbol: nodes.map((n, k) => `${n.kind === 'venue' ? 'circle' : 'square'}${losses[k]! > 0 ? '' : '-open'}`),
        line: { width: 1.5, color: nodes.map((n) => (n.insolvent ? '#8b1a1a' : '#1e5e3a')) },
      },
      hovertext: names.map((n, k) => nodeHover(n, nodes[k]!, dust)), hoverinfo: 'text', showlegend: false,
    }],
    layout: {
      title: { text: 'Venues and protocols: losses and contagion', font: { size: 15 } },
      xaxis: { visible: false, range: [-1.6, 1.6] },
      yaxis: { visible: false, range: [-1.45, 1.45], scaleanchor: 'x' },
      margin: { l: 20, r: 20, t: 50, b: 20 },
      hovermode: 'closest', annotations: arrows, showlegend: false,
    },
    caption: `Each venue (circle) and protocol (square), venues first, clockwise from the left. A marker's area is proportional to the node's losses, its liquidated notional plus its bad debt (the largest ${money(Math.max(0, ...losses), dust)}; an open ring: no losses); red: insolvent (insurance fund exhausted, or bad debt). ${edges.length > 0 ? 'An arrow A→B is contagion: the notional a shock to A liquidated on B with every link on, less the same run (same seed) with every link cut; its width is proportional to that notional (hover its mid-point dot for the figures). Entries at or below zero are not drawn.' : ''}`.trim(),
  };
}

/** The contagion matrix as a table (`contagion-matrix-table`): shocked node per row, affected node per column, liquidated notional over bad debt. */
export function contagionTable(s: VenueSummary): string {
  const m = s.contagionMatrix;
  if (!m) return '';
  const dust = dustOf(s);
  const head = m.nodes.map((b) => `<th class="num">${esc(b)}</th>`).join('');
  const rows = m.nodes.map((a, i) => `<tr data-node="${esc(a)}"><th>${esc(a)}</th>${m.nodes.map((b, j) => {
    const liq = m.liquidated[i]?.[j] ?? 0, bad = m.badDebt[i]?.[j] ?? 0;
    return `<td class="num" data-key="${esc(b)}" data-liquidated="${liq}" data-bad-debt="${bad}">${money(liq, dust)}<br><span class="ci">${money(bad, dust)} bad debt</span></td>`;
  }).join('')}</tr>`).join('');
  return `<section><h2>Contagion matrix</h2><table id="contagion-matrix-table"><thead><tr><th>shock to ↓ / on →</th>${head}</tr></thead><tbody>${rows}</tbody></table>
<p class="caption">${esc('What a shock to the row\'s node causes on the column\'s node: liquidated notional and, below, bad debt, in the run with every link minus the same run (same seed) with every link cut (summary.json contagionMatrix). The diagonal is what the links add or take from the shocked node itself; a negative entry is a node the links spared.')}</p></section>`;
}
