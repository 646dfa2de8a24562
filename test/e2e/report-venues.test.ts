import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { readVenueRun, venueMarkets } from '../../reports/html/data';
import { contagionEdges, edgeWidths, networkFigure, nodeLosses, nodeOrder, type VenueSummary } from '../../reports/html/charts/network';
import type { ContagionMatrix } from '../../sim/run/contagion-matrix';
import { nodeLiquidationsFigure } from '../../reports/html/charts/timeline';
import type { NodeSummary } from '../../sim/metrics/systemic';

/** The figures a report page plots (its inlined `figs` array). */
const figuresOf = (html: string): { id: string; data: any[]; layout: any }[] => JSON.parse(/var figs = (.*);\n/.exec(html)![1]!);
/** The chart containers of a report page, in page order. */
const chartIds = (html: string) => [...html.matchAll(/<div id="([^"]+)" class="chart">/g)].map((m) => m[1]);
/** The network's node trace: the one of markers with text. */
const nodeTrace = (f: { data: any[] }) => f.data.find((t) => t.mode === 'markers+text');

/** A node of a hand-made summary: `liq` liquidated, `bad` bad debt. */
const node = (kind: 'venue' | 'protocol', liq: number, bad = 0, insolvent = false): NodeSummary => ({
  kind, liquidatedNotional: liq, cascadeTicks: liq > 0 ? 1 : 0, adlNotional: 0, badDebt: bad, insolvent,
  insuranceFund: { start: 100, min: 100, end: 100, drawdown: 0, exhausted: false }, firstLiquidationTick: null, firstLiquidationAfterShock: null,
});

/** A hand-made summary of three venues and a protocol (listed between them in systemic.nodes), with a matrix. */
function handSummary(matrix?: ContagionMatrix): VenueSummary {
  const nodes = { a: node('venue', 400), lend: node('protocol', 50, 50, true), b: node('venue', 100), c: node('venue', 0) };
  return {
    ledger: { deposits: 1e6, houseEquity: 0 }, house: { pnl: 0 }, insuranceFund: { start: 0 },
    venues: ['a', 'b', 'c'], nodes, contagionMatrix: matrix,
    systemic: { nodes: ['a', 'lend', 'b', 'c'], insolvent: ['lend'], insolventCount: 1, totalBadDebt: 50, largestCrossVenueCascade: 0, shockedNode: 'a', shockTick: 3, lossOutsideShare: 0.2 },
  } as unknown as VenueSummary;
}

describe('network figure of hand-made nodes', () => {
  it('places venues then protocols; marker areas are proportional to liquidated notional + bad debt, a node without losses an open ring', () => {
    const s = handSummary();
    expect(nodeOrder(s)).toEqual(['a', 'b', 'c', 'lend']);
    const t = nodeTrace(networkFigure(s));
    expect(t.text).toEqual(['a', 'b', 'c', 'lend']);
    const d: number[] = t.marker.size;
    // a: 400, b: 100 → a's diameter twice b's; the protocol's square side is √π/2 of a circle of its losses (100, as b)
    expect(d[0]).toBeCloseTo(2 * d[1]!, 9);
    expect(d[3]).toBeCloseTo((d[1]! * Math.sqrt(Math.PI)) / 2, 9);
    expect(t.marker.symbol).toEqual(['circle', 'circle', 'circle-open', 'square']);
    expect(t.marker.color[3]).not.toBe(t.marker.color[0]); // the insolvent protocol in its own colour
    // no matrix: nodes only
    expect(networkFigure(s).data).toHaveLength(1);
  });

  it('edges: positive off-diagonal liquidated entries only, widths proportional to them', () => {
    const m: ContagionMatrix = {
      nodes: ['a', 'b', 'c', 'lend'], shock: { tick: 3, return: -0.1, overTicks: 1, market: 'perp' }, rowShocks: [],
      liquidated: [[999, 300, 150, 0], [-20, 5, 0, 0], [0, 0, 0, 0], [0, 75, 0, 0]],
      badDebt: [[0, 7, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    };
    const edges = contagionEdges(m, ['a', 'b', 'c', 'lend']);
    expect(edges.map((e) => `${e.from}>${e.to}`)).toEqual(['a>b', 'a>c', 'lend>b']);
    expect(edges[0]!.badDebt).toBe(7);
    expect(edgeWidths(edges)).toEqual([10, 5, 2.5]);
    const f = networkFigure(handSummary(m));
    const lines = (f.data as any[]).filter((t) => t.mode === 'lines');
    expect(lines.map((t) => [t.name, t.line.width])).toEqual([['a → b', 10], ['a → c', 5], ['lend → b', 2.5]]);
    expect(f.layout.annotations).toHaveLength(3); // one arrowhead per edge
    // a node the matrix names but the run does not have is left out
    expect(contagionEdges({ ...m, nodes: ['a', 'x', 'c', 'lend'] }, ['a', 'b', 'c', 'lend']).map((e) => e.to)).toEqual(['c']);
  });

  it('the markets of each venue are found by the longest venue name their cascades file starts with', () => {
    const files = ['cascades-a-b-ETH.csv', 'cascades-a-BTC.csv', 'ticks-a-b.csv', 'cascades-a-b-BTC.csv', 'ticks-a-BTC.csv', 'nodes.csv'];
    expect(venueMarkets(files, ['a', 'a-b'])).toEqual(['a-BTC', 'a-b-BTC', 'a-b-ETH']);
  });
});

describe('the report of a run of several venues', () => {
  let dir: string, html: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'levsim-report-venues-'));
    const r = await cli('run', 'test/fixtures/venues/two-venues.yaml', '--out', dir, '--quiet', '--set', 'outputs.report=true');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  }, 120_000);

  it('has the network, the timelines, a price panel per market, the nodes table and the note that edges need the matrix', () => {
    expect(chartIds(html)).toEqual([
      'chart-network', 'chart-node-liquidations', 'chart-node-funds',
      'chart-price-alpha-BTC', 'chart-price-alpha-ETH', 'chart-price-beta-BTC', 'chart-price-beta-ETH',
    ]);
    expect(html).toContain('id="no-contagion-edges"');
    expect(html).not.toContain('id="contagion-matrix-table"');
    expect(html).toContain('<pre id="scenario-echo">');
    const s = readVenueRun(dir).summary;
    for (const [name, n] of Object.entries(s.nodes)) {
      expect(html).toContain(`<tr data-node="${name}">`);
      expect(html).toMatch(new RegExp(`<tr data-node="${name}">.*?data-field="liquidated notional" data-value="${n.liquidatedNotional}"`));
    }
  });

  it("the network's node sizes order as the nodes' losses; the timeline has one trace per node and marks the shock", () => {
    const s = readVenueRun(dir).summary;
    const figs = figuresOf(html);
    const t = nodeTrace(figs.find((f) => f.id === 'chart-network')!);
    expect(t.text).toEqual(['alpha', 'beta']);
    const losses = (t.text as string[]).map((n) => nodeLosses(s.nodes[n]!));
    const sizes: number[] = t.marker.size;
    expect(losses[0]).toBeGreaterThan(losses[1]!); // the fixture's shock hits alpha; beta is spared
    for (let i = 0; i < sizes.length; i++) for (let j = 0; j < sizes.length; j++) if (losses[i]! > losses[j]!) expect(sizes[i]).toBeGreaterThan(sizes[j]!);
    const tl = figs.find((f) => f.id === 'chart-node-liquidations')!;
    expect(tl.data.map((x) => x.name)).toEqual(['alpha', 'beta']);
    expect(tl.layout.shapes[0].x0).toBe(60);
    // the timeline's alpha sums to its summary figure (120 ticks: no downsampling)
    expect(tl.data[0].y.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(s.nodes.alpha!.liquidatedNotional, 6);
    expect((nodeLiquidationsFigure(readVenueRun(dir), 10).data[0] as { y: number[] }).y.length).toBeLessThan(120); // long series are downsampled
  });

  it('levsim report DIR rebuilds it byte for byte, and builds one for a venue run written without a report', async () => {
    expect((await cli('report', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8') === html).toBe(true);
    const bare = mkdtempSync(join(tmpdir(), 'levsim-report-venues-bare-'));
    expect((await cli('run', 'test/fixtures/venues/two-venues.yaml', '--out', bare, '--quiet')).code).toBe(0);
    expect(existsSync(join(bare, 'report.html'))).toBe(false); // the fixture says outputs.report: false
    const r = await cli('report', bare);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(chartIds(readFileSync(join(bare, 'report.html'), 'utf8'))).toEqual(chartIds(html));
  }, 120_000);

  it('with a contagion matrix in summary.json: an edge per positive off-diagonal entry, widths ordered as the matrix, and its table', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'levsim-report-venues-matrix-'));
    cpSync(dir, copy, { recursive: true });
    rmSync(join(copy, 'report.html'));
    const summary = JSON.parse(readFileSync(join(copy, 'summary.json'), 'utf8'));
    summary.contagionMatrix = { nodes: ['alpha', 'beta'], liquidated: [[1000, 800000], [200000, 0]], badDebt: [[0, 1200], [0, 0]] };
    writeFileSync(join(copy, 'summary.json'), JSON.stringify(summary, null, 2));
    expect((await cli('report', copy)).code).toBe(0);
    const page = readFileSync(join(copy, 'report.html'), 'utf8');
    expect(page).not.toContain('id="no-contagion-edges"');
    expect(page).toContain('<td class="num" data-key="beta" data-liquidated="800000" data-bad-debt="1200">');
    const net = figuresOf(page).find((f) => f.id === 'chart-network')!;
    const lines = net.data.filter((t) => t.mode === 'lines');
    expect(lines.map((t) => t.name)).toEqual(['alpha → beta', 'beta → alpha']);
    expect(lines[0].line.width).toBeGreaterThan(lines[1].line.width);
    expect(lines[0].line.width / lines[1].line.width).toBeCloseTo(4, 9);
    const dots = net.data.find((t) => t.mode === 'markers' && t.name.startsWith('contagion'));
    expect(dots.hovertext[0]).toContain('800,000');
  }, 120_000);
});
