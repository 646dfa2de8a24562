import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';
import type { CompareResult } from '../../sim/run/compare';

describe('tiering-policies.yaml in full (heavy)', () => {
  it('compares the seven policies over 20 seeds with intervals and paired differences', async () => {
    const out = mkdtempSync(join(tmpdir(), 'levsim-tiering-'));
    const r = await cli('run', 'scenarios/tiering-policies.yaml', '--out', out);
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareResult;
    expect(c.policies.map((p) => p.name)).toEqual(['fixed-20x', 'fixed-100x', 'binance-btcusdt', 'hyperliquid-btc', 'vol-scaled', 'es-margin', 'circuit-breaker']);
    for (const p of c.policies) {
      expect(p.runs).toBe(20);
      expect(p.metrics['cascades.largestNotional']!.n).toBe(20);
      expect(p.metrics['ledger.maxRelativeResidual']!.ci95![1]).toBeLessThan(1e-9);
    }
    expect(c.paired.every((p) => p.metrics['cascades.largestNotional']!.n === 20)).toBe(true);
    expect(r.out).toContain('tiering-policies: 7 policies × 20 seeds');
  }, 600_000);
});
