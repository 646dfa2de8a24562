import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-clearing-'));
const short = ['--ticks', '30000', '--set', 'runs.seeds=2', '--quiet'];

describe('the walrasian scenarios through levsim run', () => {
  it('tfg-2012 gives byte-identical outputs with 1 and 2 workers, with its table and report', async () => {
    const a = tmp(), b = tmp();
    expect((await cli('run', 'scenarios/tfg-2012.yaml', '--out', a, '--workers', '1', ...short)).code).toBe(0);
    expect((await cli('run', 'scenarios/tfg-2012.yaml', '--out', b, '--workers', '2', ...short)).code).toBe(0);
    for (const f of ['compare.json', 'compare.csv', 'tables.md']) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    const policies = readdirSync(join(a, 'runs')).sort();
    expect(policies).toEqual(['fixed-1', 'fixed-10', 'fixed-2', 'fixed-20', 'fixed-5', 'fixed-7.5']);
    for (const p of policies) for (const seed of ['1', '2']) {
      const f = join('runs', p, seed, 'summary.json');
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
      // Per-tick files are off in this scenario.
      expect(existsSync(join(a, 'runs', p, seed, 'ticks.csv'))).toBe(false);
      const s = JSON.parse(readFileSync(join(a, f), 'utf8'));
      expect(s.measuredTicks).toBe(10_000);
      expect(s.ledger.maxShareResidual).toBeLessThanOrEqual(1e-12);
      expect(s.ledger.maxCashResidual).toBeLessThanOrEqual(1e-9);
    }
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    expect(html).toContain('excess kurtosis of log returns against λ_max');
    expect(readFileSync(join(a, 'tables.md'), 'utf8')).toMatch(/^\| policy \| λ_max \|/);
  });

  it('poledna-2014 pairs basel-ii with fixed at each λ_max on common random numbers', async () => {
    const out = tmp();
    const r = await cli('run', 'scenarios/poledna-2014.yaml', '--out', out, '--workers', '2', ...short);
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(c.paired.map((d: { name: string; against: string }) => `${d.name}/${d.against}`)).toEqual(
      [1, 2, 5, 7.5, 10, 20].map((l) => `basel-ii-${l}/fixed-${l}`));
    // At λ_max = 1 the rule cannot bind (λ_eff ≥ 1 = κ·λ_max): identical runs, a zero difference.
    const d1 = c.paired[0].metrics['defaults.per10kTicks'];
    expect(d1.mean).toBe(0);
    // The same seed gives the same noise path under every policy: identical runs until the rule first binds.
    const f = JSON.parse(readFileSync(join(out, 'runs', 'fixed-1', '1', 'summary.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(out, 'runs', 'basel-ii-1', '1', 'summary.json'), 'utf8'));
    expect({ ...b, policy: '' }).toEqual({ ...f, policy: '' });
  });

  it('runs one walrasian scenario without a comparison, and refuses policies the clearing mode cannot apply', async () => {
    const dir = tmp();
    const file = join(dir, 'one.yaml');
    writeFileSync(file, 'name: one\nticks: 25000\nmarket: { clearing: walrasian }\nexchange: { policy: { type: basel-ii, maxLeverage: 10 } }\noutputs: { ticks: true }\n'
      + 'assert: { ledger.maxShareResidual: { max: 1e-12 }, returns.acfAbs.lag10: { min: 0 }, defaults.count: { max: 0 } }\n');
    const r = await cli('run', file, '--out', join(dir, 'out'));
    // Funds default at λ_max = 10 within 5,000 ticks: the last bound fails, and says so.
    expect(r.code).toBe(3);
    expect(r.out).toContain('Hill tail exponent of |r|');
    expect(r.out).toMatch(/PASS {2}ledger\.maxShareResidual/);
    expect(r.out).toMatch(/PASS {2}returns\.acfAbs\.lag10/);
    expect(r.out).toMatch(/FAIL {2}defaults\.count/);
    expect(readFileSync(join(dir, 'out', 'ticks.csv'), 'utf8').split('\n')[0]).toBe('tick,price,cap,fundsAtCap,activeFunds,defaults');
    const rep = await cli('report', join(dir, 'out'));
    expect(rep.code).toBe(2);
    expect(rep.err).toContain('a walrasian run has no run report');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nticks: 100\nmarket: { clearing: walrasian, walrasian: { burnIn: 200 } }\nexchange: { policy: { preset: binance-btcusdt } }\nassert: { cascades.count: { max: 0 } }\n');
    const v = await cli('validate', bad);
    expect(v.code).toBe(2);
    // Each message ends with what is allowed (a map's "; found a map" used to trail them).
    expect(v.err).toMatch(/exchange\.policy: found preset binance-btcusdt; allowed under market\.clearing: walrasian: a policy of type fixed or basel-ii\n/);
    expect(v.err).toMatch(/market\.walrasian\.burnIn: found 200; allowed: fewer than ticks \(100\)\n/);
    expect(v.err).toContain('assert.cascades.count: unknown summary metric');
    expect(v.err).toContain('allowed: burnIn, measuredTicks, leverage.nominalCap');
  });
});
