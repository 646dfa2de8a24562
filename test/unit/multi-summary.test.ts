import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadScenario } from '../../sim/scenario/loader';
import { runScenario } from '../../sim/run/run-scenario';

describe('summary.json of a run of several assets', () => {
  let summary: ReturnType<typeof runScenario>['summary'];
  let json: { price: Record<string, unknown>; amplification: unknown; leverage: Record<string, unknown>; efficiency: Record<string, unknown> };
  beforeAll(async () => {
    const s = await loadScenario('test/fixtures/multi-asset.yaml', { ticks: 120, sets: ['outputs.report=false', 'market.shocks[0].tick=100'] });
    const out = join(mkdtempSync(join(tmpdir(), 'levsim-multi-summary-')), 'out');
    summary = runScenario(s, { outDir: out }).summary;
    json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  });

  it('has no world leverage percentiles (they are each market\'s), rather than the first market\'s under the world\'s name', () => {
    const markets = summary.markets!;
    // The markets' own percentiles differ; the world has no one figure, as for efficiency.avgLeverage.
    expect(markets.BTC!.leverage.p50).not.toBe(markets.ETH!.leverage.p50);
    expect(json.efficiency.avgLeverage).toBeNull();
    expect(json.leverage).toEqual({ p50: null, p90: null, p99: null });
  });

  it('has null price fields, the exogenous drawdown too (each market has its own), not an exogenous drawdown of 0', () => {
    expect(summary.markets!.ETH!.price.exogenousMaxDrawdown).toBeGreaterThan(0.1); // the ETH crash at tick 100
    expect(json.price).toEqual({ start: null, end: null, min: null, maxDrawdown: null, exogenousMaxDrawdown: null });
    expect(json.amplification).toBeNull();
  });
});
