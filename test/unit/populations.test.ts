import { describe, expect, it } from 'vitest';
import { scripted } from '../../agents/scripted';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { populationOutcomes } from '../../sim/metrics/populations';
import { BookSnapshots } from '../../sim/metrics/book-snapshots';
import type { TickSummary } from '../../sim/engine/events';
import { buildWorld } from '../helpers/world';

function crowd(deficit: 'adl' | 'socialized') {
  // A 100x long goes bankrupt on a 5% drop with an empty fund; two populations of shorts profit.
  const w = buildWorld({
    policy: new FixedPolicy(100, 0.004), ticks: 4,
    populations: [
      scripted('longs', [{ side: 1, leverage: 100, collateral: 1_000 }, { side: 1, leverage: 2, collateral: 5_000 }]),
      scripted('shorts', [{ side: -1, leverage: 4, collateral: 10_000 }, { side: -1, leverage: 8, collateral: 10_000 }]),
    ],
    market: {
      process: { kind: 'replay', prices: Float64Array.from([20_000]) }, shocks: [{ tick: 2, ret: -0.05 }], premiumHalfLife: 0,
      liquidity: { depth: Infinity, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 },
      funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 },
    },
    exchange: { insuranceFund: 0, deficit, takerFee: 0.001, makerFee: 0 },
  });
  const liquidated = new Uint8Array(w.exchange.accounts.capacity);
  let owed = 0;
  w.bus.liquidations$.subscribe((b) => b.accounts.forEach((i, n) => {
    liquidated[i] = 1;
    owed -= b.equity[n]!; // fills at the mark here (an infinite book), so this is the deficit
  }));
  const ticks: TickSummary[] = [];
  w.simulation.run().subscribe((s) => ticks.push(s));
  const last = ticks.at(-1)!;
  return { w, last, owed, out: populationOutcomes(w.exchange, ['longs', 'shorts'], liquidated, last.markPrice) };
}

describe('the outcome by population', () => {
  for (const deficit of ['adl', 'socialized'] as const) {
    it(`says who lost, and adds up with the house, the fund, fees and bad debt (${deficit})`, () => {
      const { out, last, owed } = crowd(deficit);
      expect(out.longs!.liquidatedAccounts).toBe(1);
      expect(out.longs!.bankrupt).toBe(1);
      expect(out.shorts!.liquidations).toBe(0);
      // The bankrupt long's ~4,000 deficit is borne by the shorts, through ADL or socialisation.
      const borne = deficit === 'adl' ? out.shorts!.adlLoss : out.shorts!.socializedLoss;
      expect(owed).toBeGreaterThan(3_500);
      expect(borne).toBeCloseTo(owed, 6);
      expect(last.badDebt).toBeCloseTo(0, 6);
      // Zero-sum: Σ population PnL + house PnL + fund change + fees − bad debt = 0.
      const total = out.longs!.pnl + out.shorts!.pnl + last.housePnl + last.insuranceFund + last.feeRevenue - last.badDebt;
      expect(Math.abs(total)).toBeLessThan(1e-6);
    });
  }

  it('leverage percentiles come from the book snapshots, averaged over them', () => {
    const w = buildWorld({ policy: new FixedPolicy(50, 0.005), ticks: 3, populations: [scripted('x', Array.from({ length: 100 }, (_, k) => ({ side: 1 as const, leverage: 1 + (k % 20), collateral: 1_000 })))] });
    const book = new BookSnapshots(3, w.exchange.accounts.count, 20_000, w.exchange.backstop);
    w.simulation.run().subscribe((s) => book.sample(s.tick, s.tick === 2, w.exchange.accounts, s.markPrice));
    // Leverage 1..20, five accounts each: the median is ~10, the 99th percentile ~20 (bins of ±1.2%).
    expect(book.meanLeverage(50)).toBeGreaterThan(9.5);
    expect(book.meanLeverage(50)).toBeLessThan(11);
    expect(book.meanLeverage(99)).toBeGreaterThan(19);
    expect(book.meanLeverage(99)).toBeLessThan(21);
  });
});

describe('warnings', () => {
  it('flags a policy whose positions are liquidatable as they open, and a fraction mode that is all takeovers', () => {
    const w = buildWorld({ policy: new TieredPolicy('steep', [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.03 }]), populations: [], exchange: { liquidation: { mode: 'fraction', backstopRatio: 1 } as never } });
    const list = w.exchange.warnings.list();
    expect(list.some((x) => x.startsWith('liquidatable-at-open: policy steep'))).toBe(true);
    expect(list.some((x) => x.startsWith('fraction-always-backstop'))).toBe(true);
    const ok = buildWorld({ policy: new FixedPolicy(20, 0.025), populations: [] });
    expect(ok.exchange.warnings.list()).toEqual([]);
  });
});
