import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aggregate, type ComparePlan } from '../../sim/run/compare';
import type { LoadedScenario } from '../../sim/scenario/loader';

const s = { config: { name: 'x' } } as LoadedScenario;
const plan = (policies: string[]): ComparePlan => ({ policies: policies.map((name) => ({ name, spec: { type: 'fixed', maxLeverage: 20, mmr: 0.025 } as never })), seeds: [1, 2, 3], baseline: policies[0]!, pairs: [] });

/** A sweep folder whose runs have these summaries, by policy and seed. */
function folder(summaries: Record<string, object[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'levsim-agg-'));
  for (const [p, xs] of Object.entries(summaries)) {
    xs.forEach((x, k) => {
      mkdirSync(join(dir, 'runs', p, String(k + 1)), { recursive: true });
      writeFileSync(join(dir, 'runs', p, String(k + 1), 'summary.json'), JSON.stringify(x));
    });
  }
  return dir;
}

describe('aggregate: a summary that lacks a metric other runs have', () => {
  it('is an error naming its file and the metric, not a value dropped from n (review: {} gave n 2 of 3, silently)', () => {
    const dir = folder({ a: [{ badDebt: 1, gone: true }, { badDebt: 2, gone: false }, { badDebt: 3, gone: true }], b: [{}, { badDebt: 2, gone: true }, { badDebt: 3, gone: true }] });
    expect(() => aggregate(s, plan(['a', 'b']), dir)).toThrow(`${join(dir, 'runs', 'b', '1', 'summary.json')}: lacks badDebt, gone`);
    // The first run's summary is not the reference: a damaged first one is found too.
    const first = folder({ a: [{}, { badDebt: 2 }, { badDebt: 3 }] });
    expect(() => aggregate(s, plan(['a']), first)).toThrow(`${join(first, 'runs', 'a', '1', 'summary.json')}: lacks badDebt`);
  });

  it('a null value (a non-finite number) is still a run without a value, counted out of n', () => {
    const dir = folder({ a: [{ badDebt: 1 }, { badDebt: null }, { badDebt: 3 }] });
    expect(aggregate(s, plan(['a']), dir).policies[0]!.metrics.badDebt!.n).toBe(2);
  });
});
