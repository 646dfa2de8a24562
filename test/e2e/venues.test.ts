import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { dataFiles } from '../helpers/run-files';
import { WORLD_FIELDS } from '../../sim/world/summary';
import { PROTOCOL_COLUMNS } from '../../sim/run/protocol-recorder';
import { SPOT_COLUMNS } from '../../sim/run/spot-recorder';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-venues-'));


describe('a run of several venues from the command line', () => {
  it('writes the world\'s, each venue\'s and each market\'s files, nodes and systemic measures, and balances', async () => {
    const out = tmp();
    const r = await cli('run', 'test/fixtures/venues/two-venues.yaml', '--out', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    const files = readdirSync(out).sort();
    for (const m of ['alpha-BTC', 'alpha-ETH', 'beta-ETH', 'beta-BTC']) {
      for (const f of ['ticks', 'cascades', 'liquidations', 'book', 'liqmap']) expect(files).toContain(`${f}-${m}.csv`);
    }
    for (const f of ['ticks.csv', 'ticks-alpha.csv', 'ticks-beta.csv', 'nodes.csv', 'summary.json', 'manifest.json']) expect(files).toContain(f);
    expect(readFileSync(join(out, 'ticks-beta.csv'), 'utf8').split('\n')[0]).toBe(WORLD_FIELDS.join(','));
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.venues).toEqual(['alpha', 'beta']);
    expect(s.ledger.maxRelativeResidual).toBeLessThan(1e-9);
    expect(s.unitsMaxRelativeResidual).toBeLessThan(1e-9);
    // The local ETH crash on alpha liquidates there from its tick on.
    expect(s.nodes.alpha.firstLiquidationAfterShock).toBe(0);
    expect(s.nodes.alpha.liquidatedNotional).toBeGreaterThan(0);
    expect(s.systemic.shockedNode).toBe('alpha');
    expect(s.systemic.shockTick).toBe(60);
    // nodes.csv: one row per tick and node, summing to each node's total.
    const rows = readFileSync(join(out, 'nodes.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(120 * 2);
    const alpha = rows.filter((x) => x[1] === 'alpha').reduce((a, x) => a + Number(x[3]), 0);
    expect(alpha).toBeCloseTo(s.nodes.alpha.liquidatedNotional, 3);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).venues).toEqual(['alpha', 'beta']);
  });

  it('a lending protocol: its file, its ledger, and liquidations that loop through the spot market its oracle reads', async () => {
    const out = tmp();
    const r = await cli('run', 'test/fixtures/venues/lending.yaml', '--out', out, '--quiet');
    expect(r.code, r.err).toBe(0);
    const csv = readFileSync(join(out, 'protocol-pool.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe([...PROTOCOL_COLUMNS, 'oracle_ETH'].join(','));
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.protocols.pool.liquidations).toBeGreaterThan(0);
    expect(s.protocols.pool.maxRelativeResidual).toBeLessThan(1e-9);
    expect(s.unitsMaxRelativeResidual).toBeLessThan(1e-9);
    expect(s.ledger.maxRelativeResidual).toBeLessThan(1e-9);
    // Liquidations over several ticks after the crash: each tick's sales move the price the next round reads.
    const liqTicks = csv.slice(1).filter((l) => Number(l.split(',')[5]) > 0).length;
    expect(liqTicks).toBeGreaterThan(2);
    expect(s.nodes.pool.kind).toBe('protocol');
    // The spot market the liquidators sold into: its price fell below the index while they sold.
    const spot = readFileSync(join(out, 'spot-dex-ETH.csv'), 'utf8').trim().split('\n');
    expect(spot[0]).toBe(SPOT_COLUMNS.join(','));
    expect(spot.slice(1).some((l) => Number(l.split(',')[3]) < -0.005)).toBe(true);
    expect(Number(spot[spot.length - 1]!.split(',')[4])).toBeGreaterThan(0);
  });

  it('gives byte-identical files from a seed, on one worker or two', async () => {
    const dir = tmp();
    const file = join(dir, 'seeds.yaml');
    writeFileSync(file, readFileSync('test/fixtures/venues/two-venues.yaml', 'utf8').replace('outputs: { report: false }', 'outputs: { report: false }\nruns: { seeds: 2 }'));
    const a = join(dir, 'a'), b = join(dir, 'b');
    expect((await cli('run', file, '--out', a, '--quiet', '--workers', '1')).code).toBe(0);
    expect((await cli('run', file, '--out', b, '--quiet', '--workers', '2')).code).toBe(0);
    const arm = readdirSync(join(a, 'runs'))[0]!;
    for (const seed of ['5', '6']) expect(dataFiles(join(b, 'runs', arm, seed))).toEqual(dataFiles(join(a, 'runs', arm, seed)));
  });

  it('the contagion matrix: a shock moved to each venue, links against links cut', async () => {
    const dir = tmp();
    const file = join(dir, 'matrix.yaml');
    writeFileSync(file, readFileSync('test/fixtures/venues/two-venues.yaml', 'utf8').replace('outputs: { report: false }', 'outputs: { report: false, contagionMatrix: true }'));
    const r = await cli('run', file, '--out', join(dir, 'out'), '--quiet');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(s.contagionMatrix.nodes).toEqual(['alpha', 'beta']);
    expect(s.contagionMatrix.shock).toMatchObject({ tick: 60, return: -0.15, asset: 'ETH', market: 'perp' });
    expect(s.contagionMatrix.liquidated).toHaveLength(2);
    // beta lists ETH too: its row moves beta's ETH perpetual the same way.
    expect(s.contagionMatrix.rowShocks).toEqual([
      { kind: 'venue', tick: 60, return: -0.15, overTicks: 1, market: 'perp', asset: 'ETH' },
      { kind: 'venue', tick: 60, return: -0.15, overTicks: 1, market: 'perp', asset: 'ETH' },
    ]);
    const csv = readFileSync(join(dir, 'out', 'contagion.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 4);
  });
});

describe('bad venue and protocol keys', () => {
  it('are located, with what was found and what is allowed; exit 2, nothing written', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, [
      'name: bad-venues', 'ticks: 50',
      'assets:', '  - { name: BTC }', '  - { name: USDe, startPrice: 1, token: true }',
      'venues:', '  - name: a', '    spot: [{ asset: USDe }]', '    collateral: [{ token: BTC }]',
      'protocols:', '  - { name: a, collateral: [{ asset: BTC, ltv: 0.8, liquidationThreshold: 0.7 }], oracle: { source: spot }, supply: 1000, sellVenue: b }',
      '  - { name: c, collateral: [{ asset: BTC, ltv: 0.9, liquidationThreshold: 0.95, bonus: 0.1 }], supply: 1000, sellVenue: b }',
      '  - { name: d, collateral: [{ asset: BTC, ltv: 0.8, liquidationThreshold: 0.98 }], supply: 1000, sellVenue: b }',
      'agents:', '  - { name: x, count: 10, strategy: noise, collateral: 1000, venue: b }',
      '  - { name: y, count: 10, strategy: cross-venue-arb, collateral: 1000, leverage: 2, arbitrage: { counterVenue: a, threshold: 0.01, latencyTicks: 10000000000 } }',
    ].join('\n'));
    const r = await cli('run', file, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    for (const m of [
      /bad\.yaml:9:\d+: venues\[0\]\.collateral\[0\]\.token: found "BTC", which venue "a" lists no spot market for/,
      /protocols\[0\]\.name: found "a", already the name of a venue or protocol/,
      /protocols\[0\]\.collateral\[0\]\.liquidationThreshold: found 0\.7, below the ltv 0\.8/,
      /bad\.yaml:12:\d+: protocols\[1\]\.collateral\[0\]\.bonus: found liquidationThreshold 0\.95 × \(1 \+ bonus 0\.1\) = 1\.045; allowed: a product below 1 /,
      /bad\.yaml:13:\d+: protocols\[2\]\.collateral\[0\]\.liquidationThreshold: found liquidationThreshold 0\.98 × \(1 \+ bonus 0\.05, the default\) = 1\.029; allowed: a product below 1 /,
      /protocols\[0\]\.oracle\.venue: is required with source "spot"/,
      /protocols\[0\]\.sellVenue: unknown venue "b"/,
      /agents\[0\]\.venue: unknown venue "b"/,
      /agents\[1\]\.arbitrage\.counterVenue: found "a", the population's own venue/,
      /agents\[1\]\.arbitrage\.latencyTicks: found 10000000000; allowed: at most ticks \(50\)/,
    ]) expect(r.err).toMatch(m);
    expect(() => readdirSync(join(dir, 'out'))).toThrow();
  });
});

describe('populations of a run of several venues', () => {
  it('count each population\'s liquidations on its own venue: they add up to the venues\' (crowds on three venues)', async () => {
    const out = tmp();
    const r = await cli('run', 'scenarios/policy-contagion.yaml', '--out', out, '--quiet', '--workers', '1', '--set', 'runs.seeds=1');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'runs', 'fixed', '1', 'summary.json'), 'utf8'));
    const pops = Object.values(s.populations) as { liquidatedNotional: number; accounts: number }[];
    const nodes = Object.values(s.nodes) as { liquidatedNotional: number }[];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(nodes.map((n) => n.liquidatedNotional))).toBeGreaterThan(0);
    expect(sum(pops.map((p) => p.liquidatedNotional))).toBeCloseTo(sum(nodes.map((n) => n.liquidatedNotional)), 3);
    expect(s.populations['crowd-a'].liquidatedNotional).toBeCloseTo(s.nodes['fixed-a'].liquidatedNotional, 3);
    expect(s.populations['crowd-a'].accounts).toBe(300); // counted once, not once per venue
  });
});
