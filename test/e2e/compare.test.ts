import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import type { CompareResult } from '../../sim/run/compare';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-cmp-'));
const col = (csv: string, name: string) => {
  const lines = csv.trim().split('\n');
  const j = lines[0]!.split(',').indexOf(name);
  return lines.slice(1).map((l) => l.split(',')[j]!);
};

describe('policy comparison on common random numbers', () => {
  it('writes compare.json/csv with every policy, seed counts, intervals and paired differences; one folder per run', async () => {
    const out = tmp();
    const r = await cli('run', 'test/fixtures/compare/small.yaml', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('compare-small: 5 policies × 4 seeds');
    const c = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareResult;
    expect(c.seeds).toEqual([40, 41, 42, 43]);
    expect(c.baseline).toBe('fixed-20x');
    expect(c.policies.map((p) => p.name)).toEqual(['fixed-20x', 'fixed-20x-again', 'brake', 'cap-10', 'cap-50']);
    for (const p of c.policies) {
      expect(p.runs).toBe(4);
      const e = p.metrics['liquidations.notional']!;
      expect(e.n).toBe(4);
      expect(e.ci95![0]).toBeLessThanOrEqual(e.mean!);
      expect(e.ci95![1]).toBeGreaterThanOrEqual(e.mean!);
      for (const seed of c.seeds) expect(existsSync(join(out, 'runs', p.name, String(seed), 'summary.json'))).toBe(true);
    }
    // nearest-rank percentiles across the 4 seeds: p5 the smallest, p50 the 2nd smallest, p95 the largest
    for (const p of c.policies) {
      const xs = c.seeds.map((seed) => JSON.parse(readFileSync(join(out, 'runs', p.name, String(seed), 'summary.json'), 'utf8')).liquidations.notional as number).sort((a, b) => a - b);
      expect(p.metrics['liquidations.notional']).toMatchObject({ p5: xs[0], p50: xs[1], p95: xs[3] });
    }
    expect(c.paired.map((p) => p.name)).toEqual(['fixed-20x-again', 'brake', 'cap-10', 'cap-50']);
    expect(c.paired[0]!.metrics['liquidations.notional']!.n).toBe(4);
    const csv = readFileSync(join(out, 'compare.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('policy,metric,n,mean,sd,ci_low,ci_high,p5,p50,p95,share,diff_n,diff_mean,diff_sd,diff_ci_low,diff_ci_high');
    expect(new Set(col(csv, 'policy'))).toEqual(new Set(c.policies.map((p) => p.name)));
    // the grid really varied the parameter: 50x lets the crowd carry more leverage than 10x
    const lev = (name: string) => c.policies.find((p) => p.name === name)!.metrics['efficiency.avgLeverage']!.mean!;
    expect(lev('cap-50')).toBeGreaterThan(lev('cap-10'));
  }, 120_000);

  it('two policies with identical parameters give identical results, seed by seed', async () => {
    const out = tmp();
    await cli('run', 'test/fixtures/compare/small.yaml', '--out', out, '--quiet');
    for (const seed of [40, 41, 42, 43]) {
      for (const f of ['ticks.csv', 'cascades.csv', 'liquidations.csv', 'book.csv', 'liqmap.csv']) {
        const a = readFileSync(join(out, 'runs', 'fixed-20x', String(seed), f));
        const b = readFileSync(join(out, 'runs', 'fixed-20x-again', String(seed), f));
        expect(a.equals(b), `${seed}/${f}`).toBe(true);
      }
      // summary.json differs only in the policy's name
      const sa = JSON.parse(readFileSync(join(out, 'runs', 'fixed-20x', String(seed), 'summary.json'), 'utf8'));
      const sb = JSON.parse(readFileSync(join(out, 'runs', 'fixed-20x-again', String(seed), 'summary.json'), 'utf8'));
      expect({ ...sb, policy: sa.policy }).toEqual(sa);
      expect(sb.policy).toBe('fixed-20x-again');
    }
    const c = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareResult;
    const d = c.paired.find((p) => p.name === 'fixed-20x-again')!.metrics;
    for (const m of ['liquidations.notional', 'ledger.badDebt', 'price.maxDrawdown']) expect(d[m]).toMatchObject({ n: 4, mean: 0, sd: 0 });
  }, 120_000);

  it('every policy sees the same exogenous path for a seed, and different seeds see different ones', async () => {
    const out = tmp();
    await cli('run', 'test/fixtures/compare/small.yaml', '--out', out, '--quiet');
    const exo = (p: string, seed: number) => col(readFileSync(join(out, 'runs', p, String(seed), 'ticks.csv'), 'utf8'), 'exogenousReturn').join(',');
    const idx = (p: string, seed: number) => col(readFileSync(join(out, 'runs', p, String(seed), 'ticks.csv'), 'utf8'), 'index').join(',');
    for (const seed of [40, 43]) {
      for (const p of ['brake', 'cap-10', 'cap-50']) {
        expect(exo(p, seed)).toBe(exo('fixed-20x', seed));
        expect(idx(p, seed)).toBe(idx('fixed-20x', seed)); // spillover 0: the index is purely exogenous
      }
    }
    expect(exo('fixed-20x', 40)).not.toBe(exo('fixed-20x', 41));
    // while the policies do change the outcome
    const liq = (p: string) => JSON.parse(readFileSync(join(out, 'runs', p, '40', 'summary.json'), 'utf8')).liquidations.notional;
    expect(liq('cap-50')).not.toBe(liq('cap-10'));
  }, 120_000);

  it('the custom policy module brakes leverage after a drawdown', async () => {
    const out = tmp();
    await cli('run', 'test/fixtures/compare/small.yaml', '--out', out, '--quiet');
    const ticks = readFileSync(join(out, 'runs', 'brake', '40', 'ticks.csv'), 'utf8');
    const maxLev = col(ticks, 'policyMaxLeverage').map(Number);
    expect(maxLev[100]).toBe(20);
    expect(maxLev.slice(150, 160)).toContain(10); // the −8% shock trips the brake: 20x / 2
  }, 120_000);

  it('bad comparison entries are bad input', async () => {
    const r = await cli('validate', 'test/fixtures/bad/bad-compare.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/bad-compare.yaml:11:36: compare.policies[1].policy.preset: unknown preset "bybit-btc" (did you mean "bybit-btcusdt"?); allowed: binance-btcusdt, binance-ethusdt, bybit-btcusdt, hyperliquid-btc, hyperliquid-eth, dydx-large-cap
      test/fixtures/bad/bad-compare.yaml:12:64: compare.grid.param: found "kk"; allowed: a numeric parameter of the grid's policy (k, minLeverage, maxLeverage, halfLife, maxStep, hysteresis) (did you mean "k"?)
      test/fixtures/bad/bad-compare.yaml:13:13: compare.baseline: found "nope"; allowed: the name of a compared policy or variant (a, b, g-1, g-2)
      "
    `);
  });
});
