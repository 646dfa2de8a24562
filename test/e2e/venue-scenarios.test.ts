/**
 * Smoke test of the three scenarios of issue 13 (README "Several venues and protocols compared"): each file
 * validates, and a short version (through the shock, one seed, one arm) runs and writes a complete
 * run folder. The measured tables come from full runs (scripts/venue-tables.ts), not from here.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';

const cases = [
  // [file, ticks just past the shock, the one arm kept, a venue or protocol the summary must list, a market the report charts]
  { file: 'scenarios/oct-2025-venues.yaml', ticks: 160, arm: ['compare.variants=[{ name: depeg, set: {} }]'], name: 'depeg', node: 'hyper', market: 'hyper-BTC' },
  { file: 'scenarios/lending-loop.yaml', ticks: 130, arm: ['compare.variants=[{ name: spot-lag0, set: {} }]'], name: 'spot-lag0', node: 'aave', market: 'dex-ETH' },
  { file: 'scenarios/policy-contagion.yaml', ticks: 160, arm: ['compare.policies=[{ name: vol-scaled, policy: { type: vol-scaled, k: 10, maxLeverage: 20, base: { type: fixed, maxLeverage: 20, mmr: 0.025 } } }]'], name: 'vol-scaled', node: 'fixed-a', market: 'fixed-a-BTC' },
];

describe('the scenarios of several venues and protocols', () => {
  for (const c of cases) {
    it(`${c.file} validates, a short run of one seed writes its manifest, and levsim report builds its comparison report`, async () => {
      const v = await cli('validate', c.file);
      expect(v.code, v.err).toBe(0);
      const out = mkdtempSync(join(tmpdir(), 'levsim-venue-scen-'));
      const sets = ['runs.seeds=1', ...c.arm].flatMap((s) => ['--set', s]);
      const r = await cli('run', c.file, '--out', out, '--ticks', String(c.ticks), '--workers', '1', '--quiet', ...sets);
      expect(r.code, r.err).toBe(0);
      const run = join(out, 'runs', c.name, '1');
      expect(existsSync(join(run, 'manifest.json'))).toBe(true);
      const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { nodes: Record<string, unknown>; ledger: { maxRelativeResidual: number } };
      expect(Object.keys(summary.nodes)).toContain(c.node);
      expect(summary.ledger.maxRelativeResidual).toBeLessThan(1e-9);
      // These scenarios write no report (outputs.report: false); levsim report builds the comparison's
      // from its data files, with a price overlay per market (it crashed on the world's ticks.csv,
      // which has no mark: review finding).
      const rep = await cli('report', out);
      expect(rep.code, rep.err).toBe(0);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`id="chart-price-overlay-${c.market}"`);
    }, 120_000);
  }
});
