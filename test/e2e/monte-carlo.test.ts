import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';
import type { CompareResult } from '../../sim/run/compare';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-mc-'));
const MC = 'test/fixtures/compare/mc-assert.yaml';

describe('assertions over comparisons and Monte Carlo runs (the real CLI, as a process)', () => {
  it('levsim run: every policy checked unless one is named, statistics across seeds, a pass/fail table, exit 3 on a failure', () => {
    const out = tmp();
    const r = levsim('run', MC, '--out', out, '--workers', '1');
    expect(r.code).toBe(3);
    const table = r.out.slice(r.out.indexOf(' assertions'));
    const rows = table.split('\n').filter((l) => /^ (PASS|FAIL) /.test(l)).map((l) => l.trim().replace(/\s{2,}/g, ' | '));
    expect(rows).toEqual([
      expect.stringMatching(/^PASS \| ledger\.maxRelativeResidual \[loose\] \| \S+ \(seed 1[123]\) \| \(max 1e-9\)$/),
      expect.stringMatching(/^PASS \| ledger\.maxRelativeResidual \[tight\] \| \S+ \(seed 1[123]\) \| \(max 1e-9\)$/),
      'PASS | traders.total mean [loose] | 200 | (min 200, max 200)',
      'PASS | traders.total mean [tight] | 200 | (min 200, max 200)',
      expect.stringMatching(/^FAIL \| liquidations\.notional p95 \[loose\] \| [\d,]+ \| \(max 1\)$/),
      expect.stringMatching(/^PASS \| liquidations\.notional p50 \[loose\] \| [\d,]+ \| \(min 0\)$/),
      'PASS | liquidations.notional p50 [tight] | 0 | (min 0)',
      'PASS | insuranceFund.exhausted share [tight] | 0 | (max 0)',
    ]);
    // the p95 shown is compare.json's: the largest of 3 seeds (nearest rank)
    const c = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareResult;
    const loose = c.policies.find((p) => p.name === 'loose')!.metrics['liquidations.notional']!;
    const perSeed = c.seeds.map((seed) => JSON.parse(readFileSync(join(out, 'runs', 'loose', String(seed), 'summary.json'), 'utf8')).liquidations.notional as number);
    expect(loose.p95).toBe(Math.max(...perSeed));
    expect(loose.p5).toBe(Math.min(...perSeed));
    expect(r.out).toMatch(new RegExp(`liquidations\\.notional p95 \\[loose\\] +${Math.round(loose.p95!).toLocaleString('en-US')} `));
    // true/false fields: the share of seeds where they hold
    expect(c.flags).toContain('insuranceFund.exhausted');
    for (const p of c.policies) {
      const held = c.seeds.filter((seed) => JSON.parse(readFileSync(join(out, 'runs', p.name, String(seed), 'summary.json'), 'utf8')).insuranceFund.exhausted === true).length;
      expect(p.flags['insuranceFund.exhausted']).toEqual({ n: 3, share: held / 3 });
    }
  });

  it('levsim test: JUnit with one case per policy and statistic, exit 3', () => {
    const out = tmp();
    const junit = join(out, 'junit.xml');
    const r = levsim('test', MC, '--out', join(out, 'runs'), '--junit', junit, '--workers', '1');
    expect(r.code).toBe(3);
    expect(r.out.endsWith('assertions failed: mc-assert: liquidations.notional p95 [loose]\n')).toBe(true);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="mc-assert" tests="8" failures="1">');
    expect(xml).toMatch(/<testcase classname="mc-assert" name="liquidations.notional p95 \[loose\]"><failure message="liquidations.notional p95 \[loose\] = [\d.]+, expected ≤ 1"\/><\/testcase>/);
    expect(xml).toContain('<testcase classname="mc-assert" name="traders.total mean [tight]"></testcase>');
  });

  it('a metric of one population is asserted by its name (populations.<name>.x); an unknown population is bad input', () => {
    const ok = levsim('run', 'test/fixtures/failing-assert.yaml', '--out', join(tmp(), 'o'), '--quiet', '--set', 'assert={ populations.a.accounts: { min: 50, max: 50 } }');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/PASS {2}populations\.a\.accounts +50 {2}\(min 50, max 50\)/);
    const bad = levsim('run', 'test/fixtures/failing-assert.yaml', '--out', join(tmp(), 'o'), '--set', 'assert={ populations.zz.pnl: { max: 0 } }');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--set: assert.populations.zz.pnl: unknown summary metric (did you mean "populations.<name>.pnl"?)');
  });

  it('assert: on a comparison is validated: unknown statistics, an unknown policy, a bound with nothing', () => {
    const r = levsim('run', MC, '--out', join(tmp(), 'never'), '--set', 'assert={ "cascades.count": { p99: { max: 1 } }, "ledger.badDebt": { policy: nope, max: 0 }, "price.min": {} }');
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "--set: assert.cascades.count.p99: unknown key (did you mean "p95"?); allowed here: min, max, mean, p5, p50, p95, share, policy
      --set: assert.ledger.badDebt.policy: found "nope"; allowed: a policy this scenario runs (loose, tight)
      --set: assert.price.min: found an assertion that bounds nothing; allowed: { min, max } (every run), or { mean: { min, max } }, { p5: { min, max } }, { p50: { min, max } }, { p95: { min, max } }, { share: { min, max } } (across seeds)
      "
    `);
  });
});
