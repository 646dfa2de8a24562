import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { parseUsage, readMultiRun, type MarketData } from '../../reports/html/data';
import { priceFigure } from '../../reports/html/charts/price';
import { contagionFigure } from '../../reports/html/charts/contagion';
import { usageFigure } from '../../reports/html/charts/usage';
import { percentileBands } from '../../reports/html/charts/bands';
import type { ContagionSummary } from '../../sim/metrics/contagion';

/** A market of four ticks and one cascade, by hand. */
const market = (name: string): MarketData => ({
  name, span: 4,
  ticks: { tick: [0, 1, 2, 3], index: [100, 99, 80, 82], mark: [100, 98, 78, 81] },
  cascades: { tick: [2], longNotional: [5000], shortNotional: [0], markAfter: [78] },
  book: { tick: [0, 2] }, liqmap: { tick: [], bandLow: [], bandHigh: [], longNotional: [], shortNotional: [] },
});

describe('report builders on one market of several (hand-made columns)', () => {
  it('the price figure carries the asset in its id and title, and marks the shocks given on the index', () => {
    const f = priceFigure(market('ETH'), 100, [{ market: 'ETH', tick: 2, logReturn: -0.2 }]);
    expect(f.id).toBe('chart-price-ETH');
    expect((f.layout.title as { text: string }).text).toBe('Index and mark price: ETH');
    const shocks = f.data[3] as { name: string; x: number[]; y: number[] };
    expect(shocks.name).toBe('shocks to the index');
    expect([shocks.x, shocks.y]).toEqual([[2], [80]]);
    // a one-asset market (no name) without shocks: the one-asset figure, no fourth trace
    const one = priceFigure(market(''), 100);
    expect([one.id, one.data.length, (one.layout.title as { text: string }).text]).toEqual(['chart-price', 3, 'Index and mark price']);
  });

  it('the contagion heatmap: rows are the shocked markets, columns where liquidations happened, a button per margin mode', () => {
    const zero = { A: { A: 0, B: 0 }, B: { A: 0, B: 0 } };
    const c: ContagionSummary = {
      windowTicks: 60, minMove: 0.02, shocks: [{ market: 'A', tick: 5, logReturn: -0.3 }],
      matrix: { A: { A: 10, B: 30 }, B: { A: 0, B: 0 } },
      byMode: { isolated: { A: { A: 10, B: 0 }, B: { A: 0, B: 0 } }, cross: { A: { A: 0, B: 30 }, B: { A: 0, B: 0 } }, portfolio: zero },
    };
    const f = contagionFigure(c, ['A', 'B'], ['isolated', 'cross']);
    const h = f.data[0] as { x: string[]; y: string[]; z: number[][]; text: string[][] };
    expect(f.id).toBe('chart-contagion');
    expect(h.x).toEqual(['A', 'B']);
    expect(h.y).toEqual(['A (1 shock)', 'B (0 shocks)']);
    expect(h.z).toEqual([[10, 30], [0, 0]]);
    expect(h.text).toEqual([['10.00', '30.00'], ['', '']]);
    const buttons = (f.layout.updatemenus as { buttons: { label: string; args: [{ z: number[][][] }] }[] }[])[0]!.buttons;
    expect(buttons.map((b) => b.label)).toEqual(['all modes', 'isolated', 'cross']);
    expect(buttons[2]!.args[0].z).toEqual([[[0, 30], [0, 0]]]);
  });

  it('usage.csv splits by margin mode; the usage figure draws its percentile bands on a log axis with the liquidation line at 1', () => {
    const u = parseUsage('tick,mode,accounts,equity,requirement,usageP10,usageP25,usageP50,usageP75,usageP90,usageP99\n0,isolated,2,10,1,0.1,0.1,0.1,0.1,0.1,0.1\n0,cross,3,9,2,0.2,0.2,0.2,0.2,0.2,0.3\n1,isolated,2,10,1,0.4,0.5,0.6,0.7,0.8,0.9\n');
    expect(Object.keys(u)).toEqual(['isolated', 'cross']);
    expect(u.isolated!.tick).toEqual([0, 1]);
    expect(u.isolated!.usageP50).toEqual([0.1, 0.6]);
    expect(u.cross!.usageP99).toEqual([0.3]);
    const f = usageFigure('isolated', u.isolated!);
    expect(f.id).toBe('chart-usage-isolated');
    expect(f.data.slice(0, 5)).toEqual(percentileBands(u.isolated!, 'usage', '31,95,191'));
    expect((f.data[4] as { y: number[] }).y).toEqual([0.1, 0.6]);
    expect((f.layout.yaxis as { type: string }).type).toBe('log');
    expect((f.layout.shapes as { y0: number }[])[0]!.y0).toBe(1);
  });
});

describe('the report of a run of several assets', () => {
  let dir: string, html: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'levsim-report-multi-'));
    const r = await cli('run', 'test/fixtures/multi-asset.yaml', '--out', dir, '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  }, 120_000);

  it('has one price panel and one liquidation heatmap or note per asset, the contagion heatmap and a usage panel per margin mode', () => {
    const ids = [...html.matchAll(/<div id="([^"]+)" class="chart">/g)].map((m) => m[1]);
    for (const a of ['BTC', 'ETH', 'SOL']) expect(ids).toContain(`chart-price-${a}`);
    expect(ids.filter((id) => id.startsWith('chart-price'))).toHaveLength(3);
    expect(ids).toEqual(expect.arrayContaining(['chart-liquidations-ETH', 'chart-heatmap-BTC', 'chart-heatmap-ETH', 'chart-contagion', 'chart-usage-isolated', 'chart-usage-cross', 'chart-usage-portfolio', 'chart-insurance']));
    // SOL's traders are all portfolio-margined: no isolated position, no map; BTC and SOL had no liquidation
    expect(html).toContain('id="no-heatmap-SOL"');
    expect(html).toContain('id="no-liquidations-BTC"');
    expect(ids).not.toContain('chart-price'); // no one-asset panels
  });

  it('its tables show summary.json: a column per market and per margin mode', () => {
    const d = readMultiRun(dir);
    expect(d.summary.assets).toEqual(['BTC', 'ETH', 'SOL']);
    expect(d.markets.map((m) => [m.name, m.ticks.tick!.length])).toEqual([['BTC', 400], ['ETH', 400], ['SOL', 400]]);
    expect(d.world.mark).toBeUndefined();
    const cell = (table: string, field: string, key: string) => html.match(new RegExp(`<table id="${table}">.*?<tr data-field="${field}">.*?<td class="num" data-key="${key}" data-value="([^"]*)"`, 's'))?.[1];
    for (const a of d.summary.assets) {
      expect(cell('market-table', 'liquidated notional', a)).toBe(String(d.summary.markets[a]!.liquidations.notional));
      expect(cell('market-table', 'max drawdown', a)).toBe(String(d.summary.markets[a]!.price.maxDrawdown));
    }
    for (const [md, m] of Object.entries(d.summary.modes)) expect(cell('mode-table', 'pnl', md)).toBe(String(m!.pnl));
    expect(html).toContain(`max drawdown ETH (exogenous)<b>${(d.summary.markets.ETH!.price.maxDrawdown * 100).toFixed(1)}%`);
  });

  it('levsim report DIR rebuilds it byte for byte', async () => {
    expect((await cli('report', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8') === html).toBe(true);
  }, 120_000);
});

describe('a comparison of runs of several assets', () => {
  it('overlays each asset\'s mark under every policy (it failed on the world\'s ticks.csv, which has no mark), and links each run\'s report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-report-multi-cmp-'));
    const r = await cli('run', 'test/fixtures/compare/multi-asset.yaml', '--out', dir, '--quiet', '--workers', '1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect([...html.matchAll(/<div id="(chart-price-overlay[^"]*)"/g)].map((m) => m[1])).toEqual(['chart-price-overlay-BTC', 'chart-price-overlay-ETH']);
    const seed = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')).seeds[0];
    for (const arm of ['isolated', 'cross']) expect(readFileSync(join(dir, 'runs', arm, String(seed), 'report.html'), 'utf8')).toContain('id="chart-contagion"');
  }, 120_000);
});
