import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadScenario } from '../../sim/scenario/loader';
import { runScenario } from '../../sim/run/run-scenario';

describe('summary.json of a run of several assets', () => {
  it('has no world leverage percentiles (they are each market\'s), rather than the first market\'s under the world\'s name', async () => {
    const s = await loadScenario('test/fixtures/multi-asset.yaml', { ticks: 120, sets: ['outputs.report=false', 'market.shocks[0].tick=100'] });
    const out = join(mkdtempSync(join(tmpdir(), 'levsim-multi-summary-')), 'out');
    const { summary } = runScenario(s, { outDir: out });
    const markets = summary.markets!;
    // The markets' own percentiles differ; the world has no one figure, as for efficiency.avgLeverage.
    expect(markets.BTC!.leverage.p50).not.toBe(markets.ETH!.leverage.p50);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(json.efficiency.avgLeverage).toBeNull();
    expect(json.leverage).toEqual({ p50: null, p90: null, p99: null });
  });
});
