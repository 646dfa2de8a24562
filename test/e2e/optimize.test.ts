import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';
import type { OptimizeResult } from '../../sim/run/optimize';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-opt-'));
const SMALL = 'test/fixtures/optimize/small.yaml';

describe('levsim run with optimize: (the real CLI, as a process)', () => {
  it('runs the candidates on the pool into runs/<candidate>/<seed>/, prints the table, and optimize.json is byte-identical across runs and worker counts', () => {
    const a = tmp(), b = tmp();
    const r1 = levsim('run', SMALL, '--out', a, '--workers', '1');
    expect(r1.err).toBe('');
    expect(r1.code).toBe(0);
    const r2 = levsim('run', SMALL, '--out', b, '--workers', '2');
    expect(r2.code).toBe(0);
    const json = readFileSync(join(a, 'optimize.json'), 'utf8');
    expect(readFileSync(join(b, 'optimize.json'), 'utf8')).toBe(json);
    const r = JSON.parse(json) as OptimizeResult;
    expect(r.candidates.map((c) => c.name).slice(0, 3)).toEqual(['c000', 'c001', 'c002']);
    expect(r.runs).toBeLessThanOrEqual(20);
    expect(r.best).not.toBeNull();
    const best = r.candidates.find((c) => c.name === r.best!.name)!;
    expect(best.evaluations.at(-1)!.feasible).toBe(true);
    // Each candidate's run is its own policy: the summary carries its name and its parameters were used.
    const seed = r.best!.seeds[0]!;
    const summary = JSON.parse(readFileSync(join(a, 'runs', r.best!.name, String(seed), 'summary.json'), 'utf8')) as { policy: string; ledger: { hasBadDebt: boolean } };
    expect(summary.policy).toBe(r.best!.name);
    expect(typeof summary.ledger.hasBadDebt).toBe('boolean');
    expect(readFileSync(join(a, 'runs', r.best!.name, String(seed), 'summary.json'), 'utf8')).toBe(readFileSync(join(b, 'runs', r.best!.name, String(seed), 'summary.json'), 'utf8'));
    // The pool's task carried each candidate's own policy entry: the same seed, different parameters, different runs.
    const oi = r.candidates.map((c) => JSON.parse(readFileSync(join(a, 'runs', c.name, String(seed), 'summary.json'), 'utf8')).efficiency.avgOpenInterest as number);
    expect(new Set(oi).size).toBe(r.candidates.length);
    expect(r1.out).toContain('opt-small: successive halving over a Latin hypercube');
    expect(r1.out).toMatch(new RegExp(`^ \\*  ${r.best!.name} `, 'm'));
    expect(r.frontiers.map((f) => f.metric)).toEqual(['ledger.hasBadDebt', 'cascades.largestNotional']);
    // Each frontier point is a candidate's last evaluation, and no point of it beats another on both axes.
    for (const f of r.frontiers) {
      for (const p of f.points) expect(r.candidates.find((c) => c.name === p.name)!.evaluations.at(-1)!.means[f.metric]).toBe(p.risk);
      for (const p of f.points) expect(f.points.some((q) => q.objective > p.objective && q.risk < p.risk)).toBe(false);
    }
    // The report: a frontier chart per constrained metric, with the chosen point.
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    expect(html).toContain('chart-frontier-0');
    expect(html).toContain('chart-frontier-1');
    expect(html).toContain(`chosen: ${r.best!.name}`);
    expect(html).toContain('Pareto frontier');
    // `levsim report` rebuilds it from optimize.json.
    const rebuilt = levsim('report', a);
    expect(rebuilt.code).toBe(0);
    expect(readFileSync(join(a, 'report.html'), 'utf8')).toBe(html);
  });

  it('exits 3 when no candidate meets the constraints', () => {
    const file = join(tmp(), 'none.yaml');
    writeFileSync(file, readFileSync(SMALL, 'utf8').replace('mean: { max: 1.0e+9 }', 'mean: { max: -1 }'));
    const r = levsim('run', file, '--out', tmp(), '--workers', '1');
    expect(r.code).toBe(3);
    expect(r.out).toContain('best: none (no candidate met the constraints)');
    const o = JSON.parse(readFileSync(join(r.out.match(/wrote (\S+)\/optimize\.json/)![1]!, 'optimize.json'), 'utf8')) as OptimizeResult;
    expect(o.best).toBeNull();
    expect(o.rounds).toHaveLength(1);
    // levsim test: the JUnit suite holds the constraints of the candidate with the highest objective.
    const junit = join(tmp(), 'junit.xml');
    const t = levsim('test', file, '--out', tmp(), '--workers', '1', '--junit', junit);
    expect(t.code).toBe(3);
    const top = o.candidates.reduce((a, b) => (b.evaluations[0]!.objective.value! > a.evaluations[0]!.objective.value! ? b : a)).name;
    expect(t.out).toContain(`assertions failed: opt-small: cascades.largestNotional mean [${top}]`);
    expect(readFileSync(junit, 'utf8')).toContain(`name="ledger.hasBadDebt share [${top}]"`);
  });

  it('validation: exit 2, each problem at its field', () => {
    const r = levsim('validate', 'test/fixtures/optimize/bad.yaml');
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n').map((l) => l.replace(/^test\/fixtures\/optimize\/bad\.yaml:\d+:\d+: /, '').replace(/ \(scenario, .*$|; allowed: scenario, .*$/, ''));
    expect(lines).toEqual([
      'runs: found runs: beside optimize:; allowed: one of them (optimize: runs its own candidates and seeds)',
      'optimize.params.kk: found "kk"; allowed: a numeric parameter of optimize.policy (k, minLeverage, maxLeverage, halfLife, maxStep, hysteresis) (did you mean "k"?)',
      'optimize.params.maxLeverage.max: found 20; allowed: a number > min (50)',
      expect.stringMatching(/^optimize\.objective\.maximize: found "ledger\.hasBadDebt"; allowed: a numeric summary metric \(did you mean "ledger\.badDebt"\?\)/),
      'optimize.constraints.ledger.badDebtt: unknown summary metric (did you mean "ledger.badDebt"?)',
      'optimize.budget: found 10; allowed: at least candidates × seeds (8 × 2 = 16), the runs of round 0',
    ]);
    const c = levsim('validate', 'test/fixtures/optimize/corner.yaml');
    expect(c.code).toBe(2);
    expect(c.err).toContain('optimize.params: the policy is invalid at the corner minLeverage = 30, maxLeverage = 20');
    const w = levsim('validate', 'test/fixtures/optimize/bad-int.yaml');
    expect(w.code).toBe(2);
    expect(w.err).toContain('optimize.params.window: found "window", a whole-number parameter; allowed: a real-valued parameter');
    expect(w.err).toContain('optimize.constraints.ledger.hasBadDebt.policy: found policy:; allowed: constraints without it');
  });
});
