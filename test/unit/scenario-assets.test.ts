import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadScenario, type LoadedScenario } from '../../sim/scenario/loader';
import { BadInputError, type ScenarioIssue } from '../../sim/scenario/errors';
import { shocksOf, simulationOptions } from '../../sim/run/build';
import { comparePlan } from '../../sim/run/compare';
import { oneFactorCorrelation } from '../../sim/market/correlation';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { cli } from '../helpers/cli';

const THREE = 'test/fixtures/assets/three-assets.yaml';
const bad = (name: string) => `test/fixtures/bad/${name}.yaml`;

/** The issues of a bad scenario file, as `line path` → message. */
async function issuesOf(file: string): Promise<ScenarioIssue[]> {
  try {
    await loadScenario(file);
  } catch (e) {
    if (e instanceof BadInputError) return e.issues;
    throw e;
  }
  throw new Error(`${file} loaded without a problem`);
}

/** The issue at `path`, which must exist, be on `line` and say `text`. */
function expectIssue(issues: readonly ScenarioIssue[], path: string, line: number, text: string | RegExp): void {
  const i = issues.find((x) => x.path === path);
  expect(i, `no issue at ${path}; got ${issues.map((x) => x.path).join(', ')}`).toBeDefined();
  expect(i!.line).toBe(line);
  expect(i!.message).toMatch(text);
}

describe('a three-asset scenario builds the multi-asset options', () => {
  it.each(['bench-3assets', 'cross-asset-crash', 'portfolio-margin'])('scenarios/%s.yaml builds three markets', async (name) => {
    const { options } = simulationOptions(await loadScenario(`scenarios/${name}.yaml`));
    expect(options.assets!.map((a) => a.name)).toEqual(['BTC', 'ETH', 'SOL']);
  });

  it('assets, per-asset markets, shocks and policies', async () => {
    const s = await loadScenario(THREE);
    const { options } = simulationOptions(s);
    const assets = options.assets!;
    expect(assets.map((a) => a.name)).toEqual(['BTC', 'ETH', 'SOL']);
    expect(assets.map((a) => a.market.startPrice)).toEqual([60000, 3000, 150]);
    expect(assets[0]!.market.process).toEqual({ kind: 'gbm', mu: 0, sigma: 0.6, innovations: { dist: 't', nu: 4 } });
    expect(assets[2]!.market.process.kind).toBe('merton');
    // liquidity and funding: each key the asset's, else the market's (itself defaulted)
    expect(assets.map((a) => a.market.liquidity.depth)).toEqual([30_000_000, 10_000_000, 30_000_000]);
    expect(assets.map((a) => a.market.spillover)).toEqual([0.4, 0.4, 0.4]);
    expect(assets.map((a) => a.market.funding.intervalTicks)).toEqual([240, 240, 240]);
    expect(assets.map((a) => a.market.funding.cap)).toEqual([0.0075, 0.0075, 0.01]);
    expect(assets.map((a) => a.market.markPrice!.rule)).toEqual(['last', 'index-anchored', 'last']);
    expect(assets.map((a) => a.market.warmupTicks)).toEqual([10, 10, 10]);
    // a shock naming no asset hits every one; `assets:` picks; `returns:` gives each its own
    expect(assets.map((a) => a.market.shocks)).toEqual([
      [{ tick: 50, ret: -0.05, overTicks: 1 }, { tick: 120, ret: -0.1, overTicks: 3 }],
      [{ tick: 50, ret: -0.05, overTicks: 1 }, { tick: 100, ret: -0.3, overTicks: 1 }],
      [{ tick: 50, ret: -0.05, overTicks: 1 }, { tick: 120, ret: -0.4, overTicks: 3 }],
    ]);
    // a fresh policy instance per asset: ETH's own entry, the others exchange.policy
    expect(assets.map((a) => a.policy.name)).toEqual(['binance-btcusdt', 'fixed-50x', 'binance-btcusdt']);
    expect(assets[0]!.policy).not.toBe(assets[2]!.policy);
    // market and policy name the first asset's
    expect(options.market).toBe(assets[0]!.market);
    expect(options.policy).toBe(assets[0]!.policy);
  });

  it('correlation from the one-factor form, in the assets order', async () => {
    const { options } = simulationOptions(await loadScenario(THREE));
    expect(options.correlation).toEqual(oneFactorCorrelation({
      marketVol: 0.5,
      assets: [{ beta: 1, idiosyncraticVol: 0.2 }, { beta: 1.2, idiosyncraticVol: 0.3 }, { beta: 1.5, idiosyncraticVol: 0.6 }],
    }));
  });

  it('margin: scan ranges in asset order, no model correlation unless written; crossOrder passed', async () => {
    const { options } = simulationOptions(await loadScenario(THREE));
    expect(options.margin).toEqual({
      scan: [{ kind: 'fixed', range: 0.1 }, { kind: 'vol', k: 3, horizonTicks: 60, floor: 0.05, cap: 1 }, { kind: 'fixed', range: 0.1 }],
      initialFactor: 2,
    });
    expect('correlation' in options.margin!).toBe(false);
    expect(options.exchange.liquidation.crossOrder).toBe('pro-rata');
  });

  it('populations: marginMode (own, else the arm, else margin.mode) and asset number', async () => {
    const s = await loadScenario(THREE);
    const pick = (o: ReturnType<typeof simulationOptions>['options']) => o.populations.map((p) => [p.name, p.marginMode, p.asset]);
    expect(pick(simulationOptions(s).options)).toEqual([['btc-noise', 'cross', 0], ['eth-noise', 'portfolio', 1], ['sol-trend', 'cross', 2]]);
    const plan = comparePlan(s)!;
    expect(plan.policies.map((p) => [p.name, p.marginMode])).toEqual([['base', undefined], ['iso-arm', 'isolated']]);
    const arm = plan.policies[1]!;
    const { options } = simulationOptions(s, { policy: { spec: arm.spec, name: arm.name, marginMode: arm.marginMode } });
    expect(pick(options)).toEqual([['btc-noise', 'isolated', 0], ['eth-noise', 'portfolio', 1], ['sol-trend', 'isolated', 2]]);
    // the arm stands for exchange.policy: every market without a policy of its own, one instance each, under the arm's name
    expect(options.assets!.map((a) => a.policy.name)).toEqual(['iso-arm', 'fixed-50x', 'iso-arm']);
    expect(options.assets![0]!.policy).not.toBe(options.assets![2]!.policy);
    expect(options.assets![0]!.policy.maxLeverage(0, 0)).toBe(20);
  });

  it('a ready policy instance is refused for several markets', async () => {
    const s = await loadScenario(THREE);
    expect(() => simulationOptions(s, { policy: new FixedPolicy(10, 0.01) })).toThrow(/serves one market.*3 assets/);
  });

  it('an asset replaying a price file: read, named (hashed) and used for its market only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-assets-'));
    writeFileSync(join(dir, 'eth.csv'), 'tick,price\n' + Array.from({ length: 11 }, (_, k) => `${k},${3000 + k}`).join('\n') + '\n');
    writeFileSync(join(dir, 's.yaml'), [
      'name: replay-asset', 'ticks: 10',
      'assets:', '  - { name: BTC }', '  - { name: ETH, process: { type: replay, file: ./eth.csv } }',
      'agents:', '  - { name: a, count: 5, strategy: noise, collateral: 1000 }',
    ].join('\n'));
    const s = await loadScenario(join(dir, 's.yaml'));
    expect(s.files).toEqual(['./eth.csv']);
    expect(s.assetReplayPrices![0]).toBeUndefined();
    const { options } = simulationOptions(s);
    const eth = options.assets![1]!.market.process;
    expect(eth.kind === 'replay' && Array.from(eth.prices.slice(0, 3))).toEqual([3000, 3001, 3002]);
  });

  it('shocksOf: every shock for one market; per asset, its targets', () => {
    const shocks = [
      { tick: 1, return: -0.1, overTicks: 1 },
      { tick: 2, return: -0.2, assets: ['ETH'], overTicks: 1 },
      { tick: 3, returns: { BTC: 0.05 }, overTicks: 2 },
    ];
    expect(shocksOf(shocks.slice(0, 1))).toEqual([{ tick: 1, ret: -0.1, overTicks: 1 }]);
    expect(shocksOf(shocks, 'BTC')).toEqual([{ tick: 1, ret: -0.1, overTicks: 1 }, { tick: 3, ret: 0.05, overTicks: 2 }]);
    expect(shocksOf(shocks, 'ETH')).toEqual([{ tick: 1, ret: -0.1, overTicks: 1 }, { tick: 2, ret: -0.2, overTicks: 1 }]);
  });
});

describe('one-asset scenarios are built exactly as before', () => {
  // Every shipped scenario but those written for several assets.
  const multi = new Set(['bench-3assets.yaml', 'cross-asset-crash.yaml', 'portfolio-margin.yaml', 'oct-2025-venues.yaml', 'lending-loop.yaml', 'policy-contagion.yaml']);
  const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml') && !multi.has(f)).map((f) => join('scenarios', f));

  it.each(files)('%s loads, and its options carry no multi-asset key', async (file) => {
    const s: LoadedScenario = await loadScenario(file);
    expect(s.config.assets).toBeUndefined();
    expect(s.assetReplayPrices).toBeUndefined();
    if (s.config.market.clearing === 'walrasian') return; // built by run-clearing.ts, not buildWorld
    const { options } = simulationOptions(s);
    expect(Object.keys(options)).toEqual(['seed', 'ticks', 'tickSeconds', 'market', 'exchange', 'policy', 'populations']);
    expect('crossOrder' in options.exchange.liquidation).toBe(false);
    for (const p of options.populations) expect(Object.keys(p)).toEqual(['name', 'count', 'create']);
  });

  it('marginMode and margin: with one asset are allowed (portfolio too), and give the one market a scan range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-assets-'));
    writeFileSync(join(dir, 's.yaml'), [
      'name: one-portfolio', 'ticks: 10',
      'margin: { mode: portfolio, scan: { default: { k: 4, horizonTicks: 30 } } }',
      'agents:', '  - { name: a, count: 5, strategy: noise, collateral: 1000 }', '  - { name: b, count: 5, strategy: noise, collateral: 1000, marginMode: cross }',
    ].join('\n'));
    const { options } = simulationOptions(await loadScenario(join(dir, 's.yaml')));
    expect(options.assets).toBeUndefined();
    expect(options.populations.map((p) => [p.marginMode, p.asset])).toEqual([['portfolio', undefined], ['cross', undefined]]);
    expect(options.margin).toEqual({ scan: [{ kind: 'vol', k: 4, horizonTicks: 30, floor: 0, cap: 1 }], initialFactor: 1.5 });
  });

  it('a compared arm\'s margin: entries replace the scenario\'s (scan table as a whole, correlation, initialFactor); unknown assets are errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-assets-'));
    const file = (arms: string) => {
      writeFileSync(join(dir, 's.yaml'), [
        'name: arms', 'ticks: 10', 'assets: [{ name: A }, { name: B }]',
        'margin: { mode: portfolio, scan: { default: 0.1, B: 0.2 }, initialFactor: 2 }',
        'agents:', '  - { name: a, count: 5, strategy: noise, collateral: 1000 }',
        'compare:', '  policies:', '    - { name: static, policy: { type: fixed, maxLeverage: 20, mmr: 0.01 } }', arms,
      ].join('\n'));
      return join(dir, 's.yaml');
    };
    const s = await loadScenario(file('    - { name: vol, policy: { type: fixed, maxLeverage: 20, mmr: 0.01 }, margin: { scan: { default: { k: 3, horizonTicks: 60, floor: 0.05 } }, correlation: [[1, 0.2], [0.2, 1]] } }'));
    const [stat, vol] = comparePlan(s)!.policies;
    expect(simulationOptions(s, { policy: { spec: stat!.spec, name: stat!.name } }).options.margin).toEqual({ scan: [{ kind: 'fixed', range: 0.1 }, { kind: 'fixed', range: 0.2 }], initialFactor: 2 });
    expect(simulationOptions(s, { policy: { spec: vol!.spec, name: vol!.name, margin: vol!.margin } }).options.margin).toEqual({
      correlation: [[1, 0.2], [0.2, 1]], scan: [{ kind: 'vol', k: 3, horizonTicks: 60, floor: 0.05, cap: 1 }, { kind: 'vol', k: 3, horizonTicks: 60, floor: 0.05, cap: 1 }], initialFactor: 2,
    });
    const issues = await issuesOf(file('    - { name: vol, policy: { type: fixed, maxLeverage: 20, mmr: 0.01 }, margin: { scan: { C: 0.1 } } }'));
    expectIssue(issues, 'compare.policies[1].margin.scan.C', 10, /unknown asset "?C"?/);
  });

  it('a population on portfolio margin without a margin: block gets the default model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-assets-'));
    writeFileSync(join(dir, 's.yaml'), ['name: p', 'ticks: 10', 'assets: [{ name: A }, { name: B }]', 'agents:', '  - { name: a, count: 5, strategy: noise, collateral: 1000, marginMode: portfolio, asset: B }'].join('\n'));
    const { options } = simulationOptions(await loadScenario(join(dir, 's.yaml')));
    expect(options.margin).toEqual({ scan: [{ kind: 'fixed', range: 0.1 }, { kind: 'fixed', range: 0.1 }], initialFactor: 1.5 });
    expect(options.populations[0]!.asset).toBe(1);
    expect(options.correlation).toBeUndefined();
  });
});

describe('bad multi-asset input: every problem, with its field path and line', () => {
  it('names, per-asset keys at market level, correlation size and PSD, unknown assets, shock returns', async () => {
    const issues = await issuesOf(bad('assets-bad'));
    expectIssue(issues, 'assets[2].name', 14, /found "BTC", already the name of assets\[0\]/);
    expectIssue(issues, 'market.process', 5, /per asset when assets: is given; found a map; allowed: move it to assets\[k\]\.process/);
    expectIssue(issues, 'market.startPrice', 4, /found 50000; allowed: move it to assets\[k\]\.startPrice/);
    expectIssue(issues, 'correlation.matrix', 16, /found a 2 × 2 matrix; allowed: 3 × 3/);
    expectIssue(issues, 'margin.correlation', 18, /not positive semi-definite: eigenvalue 3 of 3 is -0\.8 < 0/);
    expectIssue(issues, 'margin.scan.ETC', 19, /unknown asset "ETC" \(did you mean "BTC"\?\); allowed: default, BTC, ETH$/);
    expectIssue(issues, 'market.shocks[0].assets[1]', 7, /unknown asset "DOGE"/);
    expectIssue(issues, 'market.shocks[1].returns.XRP', 8, /unknown asset "XRP"/);
    expectIssue(issues, 'market.shocks[2].returns', 9, /found both return: and returns:/);
    expectIssue(issues, 'market.shocks[3].return', 10, /is required/);
    expectIssue(issues, 'agents[0].asset', 21, /unknown asset "SOLANA"/);
    expectIssue(issues, 'agents[1].marginMode', 22, /found "hybrid"; allowed: "isolated", "cross", "portfolio"/);
    expect(issues).toHaveLength(12);
  });

  it('the one-factor form names every asset, and only assets', async () => {
    const issues = await issuesOf(bad('assets-one-factor'));
    expectIssue(issues, 'correlation.oneFactor.assets.ETHER', 12, /unknown asset "ETHER" \(did you mean "ETH"\?\)/);
    expectIssue(issues, 'correlation.oneFactor.assets', 11, /found no entry for ETH, SOL/);
    expect(issues).toHaveLength(2);
  });

  it('naming assets without an assets: list (marginMode and margin: are fine with one market)', async () => {
    const issues = await issuesOf(bad('assets-without-list'));
    expectIssue(issues, 'correlation', 7, /no assets: list/);
    expectIssue(issues, 'margin.correlation', 11, /no assets: list/);
    expectIssue(issues, 'margin.scan.BTC', 12, /allowed: margin\.scan\.default/);
    expectIssue(issues, 'market.shocks[0].assets', 5, /no assets: list/);
    expectIssue(issues, 'market.shocks[1].returns', 6, /no assets: list/);
    expectIssue(issues, 'agents[0].asset', 14, /found asset: "BTC" but the scenario has no assets: list/);
    expect(issues).toHaveLength(6);
  });

  it('the walrasian clearing mode takes one asset and no margin settings', async () => {
    const issues = await issuesOf(bad('assets-walrasian'));
    expectIssue(issues, 'assets', 9, /under market\.clearing: walrasian/);
    expectIssue(issues, 'margin', 11, /found margin: under market\.clearing: walrasian/);
    expectIssue(issues, 'compare.policies[0].marginMode', 14, /found marginMode: under market\.clearing: walrasian/);
    expect(issues).toHaveLength(3);
  });

  it('a correlation that is not one (diagonal, symmetry) and an asset named default; the CLI prints file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-assets-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, [
      'name: c', 'ticks: 10',
      'assets: [{ name: A }, { name: default }]',
      'correlation: { matrix: [[1, 0.5], [0.4, 1]] }',
      'margin: { correlation: [[0.9, 0], [0, 1]] }',
      'agents:', '  - { name: a, count: 5, strategy: noise, collateral: 1000 }',
    ].join('\n'));
    const issues = await issuesOf(file);
    expectIssue(issues, 'assets[1].name', 3, /found "default"; allowed: any other name/);
    expectIssue(issues, 'correlation.matrix[0][1]', 4, /correlation\[0\]\[1\] is 0\.5 but correlation\[1\]\[0\] is 0\.4: the matrix must be symmetric/);
    expectIssue(issues, 'margin.correlation[0][0]', 5, /correlation\[0\]\[0\] is 0\.9: an asset's correlation with itself is 1/);
    const r = await cli('validate', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:4:29: correlation.matrix[0][1]: correlation[0][1] is 0.5 but correlation[1][0] is 0.4`);
  });
});
