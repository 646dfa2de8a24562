import { describe, expect, it } from 'vitest';
import { ContagionRecorder } from '../../sim/metrics/contagion';
import type { LiquidationBatch } from '../../sim/engine/events';

/** A liquidation round of `accounts` closing `qty` each at `price`. */
function batch(tick: number, accounts: number[], qty: number, price: number): LiquidationBatch {
  const n = accounts.length;
  return {
    tick, round: 1, accounts: Int32Array.from(accounts), closed: new Float64Array(n).fill(-qty), equity: new Float64Array(n), maintenance: new Float64Array(n),
    price, markBefore: price, markAfter: price, longNotional: n * qty * price, shortNotional: 0, bankrupt: 0, backstopTakeovers: 0,
  };
}

describe('contagion matrix', () => {
  // Accounts 1 and 2 isolated, 3 cross, 4 portfolio.
  const modes = Uint8Array.from([0, 0, 0, 1, 2]);

  it('counts liquidations in each market within the window after a shock to another, by mode', () => {
    const c = new ContagionRecorder(['BTC', 'ETH'], 100, modes, 10, 0.02);
    c.shock(1, { tick: 20, logReturn: -0.2, source: 'scheduled' });
    c.liquidation(1, batch(20, [1, 3], 10, 100)); // in ETH: 1,000 isolated + 1,000 cross
    c.liquidation(0, batch(21, [3, 4], 1, 500)); // in BTC: 500 cross + 500 portfolio
    c.liquidation(0, batch(30, [2], 1, 500)); // tick 30: outside [20, 30)
    const s = c.summary();
    expect(s.matrix.ETH).toEqual({ BTC: 1000, ETH: 2000 });
    expect(s.matrix.BTC).toEqual({ BTC: 0, ETH: 0 });
    expect(s.byMode.cross.ETH).toEqual({ BTC: 500, ETH: 1000 });
    expect(s.byMode.portfolio.ETH!.BTC).toBe(500);
    expect(s.byMode.isolated.ETH).toEqual({ BTC: 0, ETH: 1000 });
    expect(s.shocks).toEqual([{ market: 'ETH', tick: 20, logReturn: -0.2 }]);
  });

  it('ignores moves below the threshold, and counts overlapping windows once', () => {
    const c = new ContagionRecorder(['BTC', 'ETH'], 100, modes, 10, 0.02);
    c.shock(0, { tick: 5, logReturn: 0.01, source: 'jump' });
    c.shock(0, { tick: 40, logReturn: -0.05, source: 'scheduled' });
    c.shock(0, { tick: 45, logReturn: -0.05, source: 'external' });
    c.liquidation(1, batch(47, [1], 1, 100));
    c.liquidation(1, batch(6, [1], 1, 100));
    const s = c.summary();
    expect(s.matrix.BTC!.ETH).toBe(100);
    expect(s.shocks.map((x) => x.tick)).toEqual([40, 45]);
  });
});

describe('contagion matrix of a run', () => {
  it('counts a backstop takeover at the price it closed at (the mark), so a row adds up to the liquidated notional after the shock', async () => {
    const { mkdtempSync } = await import('fs');
    const { tmpdir } = await import('os');
    const { join } = await import('path');
    const { loadScenario } = await import('../../sim/scenario/loader');
    const { runScenario } = await import('../../sim/run/run-scenario');
    // Fraction liquidation with a high backstop ratio: rounds that mix 20% market closes (at the
    // round's fill price) with whole takeovers (at the mark). The ETH shock at tick 100 comes before
    // every liquidation of this seed, and its window runs to the end.
    const s = await loadScenario('test/fixtures/multi-asset.yaml', {
      ticks: 200,
      sets: ['outputs.report=false', 'market.shocks[0].tick=100', 'outputs.contagionWindowTicks=1000', 'exchange.liquidation.mode=fraction',
        'exchange.liquidation.fraction=0.2', 'exchange.liquidation.backstopRatio=0.9', 'exchange.liquidation.fractionMinNotional=1000'],
    });
    const { summary, cascades } = runScenario(s, { outDir: join(mkdtempSync(join(tmpdir(), 'levsim-contagion-')), 'out') });
    expect(cascades[0]!.tick).toBeGreaterThanOrEqual(100);
    const eth = summary.markets!.ETH!.liquidations.notional;
    expect(eth).toBeGreaterThan(1e6);
    const near = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, y));
    near(summary.contagion!.matrix.ETH!.ETH!, eth);
    for (const a of ['BTC', 'SOL']) near(summary.contagion!.matrix.ETH![a]!, summary.markets![a]!.liquidations.notional);
  });
});
