import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import { dataFiles } from '../helpers/run-files';
import { fieldsOf } from '../../sim/metrics/reporters';
import { WORLD_FIELDS } from '../../sim/world/summary';

const FIXTURE = 'test/fixtures/assets/small-run.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-multi-'));


describe('a run of several assets from the command line', () => {
  it('writes the world\'s files and one set per market, a summary by market, mode and contagion, and balances', async () => {
    const out = tmp();
    const r = await cli('run', FIXTURE, '--out', out, '--quiet', '--workers', '1');
    expect(r.code, r.err).toBe(0);
    const run = join(out, 'runs', 'cross', '3');
    const files = readdirSync(run).sort();
    for (const a of ['BTC', 'ETH', 'SOL']) {
      for (const f of ['ticks', 'cascades', 'liquidations', 'book', 'liqmap']) expect(files).toContain(`${f}-${a}.csv`);
    }
    for (const f of ['ticks.csv', 'usage.csv', 'summary.json', 'manifest.json']) expect(files).toContain(f);
    expect(readFileSync(join(run, 'ticks.csv'), 'utf8').split('\n')[0]).toBe(WORLD_FIELDS.join(','));
    expect(readFileSync(join(run, 'ticks-ETH.csv'), 'utf8').split('\n')[0]).toBe(fieldsOf('market').join(','));
    const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect(s.assets).toEqual(['BTC', 'ETH', 'SOL']);
    expect(Object.keys(s.markets)).toEqual(['BTC', 'ETH', 'SOL']);
    expect(Object.keys(s.modes)).toEqual(['isolated', 'cross', 'portfolio']);
    expect(s.modes.cross.populations).toEqual(['diversified', 'pairs']);
    expect(s.modes.isolated.populations).toEqual(['eth-noise', 'btc-noise']);
    expect(s.contagion.shocks.map((x: { market: string; tick: number }) => [x.market, x.tick])).toEqual([['ETH', 100]]);
    expect(s.contagion.shocks[0].logReturn).toBeCloseTo(Math.log(0.8), 12);
    expect(s.ledger.maxRelativeResidual).toBeLessThan(1e-9);
    // The crash spreads through the cross accounts' wallets: their BTC is liquidated within the window.
    expect(s.contagion.byMode.cross.ETH.BTC).toBeGreaterThan(0);
    const iso = JSON.parse(readFileSync(join(out, 'runs', 'isolated', '3', 'summary.json'), 'utf8'));
    expect(iso.contagion.byMode.cross.ETH.BTC).toBe(0);
    expect(JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')).assets).toEqual(['BTC', 'ETH', 'SOL']);
  });

  it('gives byte-identical files from a seed, on one worker or two', async () => {
    const a = tmp(), b = tmp();
    expect((await cli('run', FIXTURE, '--out', a, '--quiet', '--workers', '1')).code).toBe(0);
    expect((await cli('run', FIXTURE, '--out', b, '--quiet', '--workers', '2')).code).toBe(0);
    for (const arm of ['isolated', 'cross', 'portfolio']) {
      for (const seed of ['3', '4']) expect(dataFiles(join(b, 'runs', arm, seed))).toEqual(dataFiles(join(a, 'runs', arm, seed)));
    }
    expect(readFileSync(join(b, 'compare.json'), 'utf8')).toBe(readFileSync(join(a, 'compare.json'), 'utf8'));
  });
});
