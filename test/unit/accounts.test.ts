import { describe, expect, it } from 'vitest';
import { Accounts, applyFill } from '../../sim/exchange/accounts';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import type { FillBatch } from '../../sim/engine/events';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

function fill(a: Accounts, dq: number, p: number): number {
  return applyFill(a.size, a.entry, a.collateral, 0, dq, p);
}

describe('fills', () => {
  it('increases average the entry price; reductions realize PnL; a flip reopens at the fill price', () => {
    const a = new Accounts(1);
    a.allocate(1);
    a.collateral[0] = 1_000;
    fill(a, 1, 100);
    fill(a, 1, 110);
    expect(a.entry[0]).toBeCloseTo(105, 12);
    expect(fill(a, -0.5, 120)).toBeCloseTo(7.5, 12);
    expect(a.size[0]).toBe(1.5);
    expect(a.collateral[0]).toBeCloseTo(1_007.5, 12);
    expect(fill(a, -3, 90)).toBeCloseTo(1.5 * -15, 12); // closes 1.5 at a loss, opens 1.5 short
    expect(a.size[0]).toBe(-1.5);
    expect(a.entry[0]).toBe(90);
    expect(fill(a, 1.5, 80)).toBeCloseTo(15, 12);
    expect(a.size[0]).toBe(0);
    expect(a.entry[0]).toBe(0);
    expect(a.collateral[0]).toBeCloseTo(1_000 + 7.5 - 22.5 + 15, 12);
  });
});

describe('execution', () => {
  it('every fill has a counterparty: the backstop takes the net, open interest balances, fees are charged', () => {
    const w = buildWorld({
      ticks: 2, policy: new FixedPolicy(20, 0.01),
      populations: [scripted('l', [{ side: 1, leverage: 10, collateral: 1_000 }, { side: 1, leverage: 5, collateral: 2_000 }]), scripted('s', [{ side: -1, leverage: 4, collateral: 1_000 }])],
      market: { process: { kind: 'replay', prices: Float64Array.from([20_000]) }, liquidity: { depth: 1_000_000, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 1 } },
      exchange: { takerFee: 0.001, makerFee: 0.0002 },
    });
    const fills: FillBatch[] = [];
    w.bus.fills$.subscribe((f) => fills.push(f));
    w.simulation.run().subscribe();
    const a = w.exchange.accounts;
    const f = fills[0]!;
    expect(f.count).toBe(3);
    expect(f.buyQty).toBeCloseTo(1, 12); // 0.5 + 0.5 BTC
    expect(f.sellQty).toBeCloseTo(0.2, 12);
    expect(a.size[0]).toBeCloseTo(-0.8, 12); // the backstop sold the net
    expect(a.size[0]! + a.size[1]! + a.size[2]! + a.size[3]!).toBeCloseTo(0, 14);
    // net buying of 0.8 BTC ≈ 16,000 notional against 1M depth: +0.016% on the mark, and the batch
    // fills at the average along the way, (e^k − 1)/k of the price before
    const k = 0.01 * (0.8 * 20_000) / 1_000_000;
    expect(f.price).toBeCloseTo((20_000 * Math.expm1(k)) / k, 6);
    expect(f.fees).toBeCloseTo(0.001 * 1.2 * f.price + 0.0002 * 0.8 * f.price, 9);
  });

  it('cuts orders down to what the initial-margin rule allows, and never turns them into reductions', () => {
    const w = buildWorld({
      ticks: 3, policy: new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt']!.tiers),
      populations: [scripted('x', [{ side: 1, leverage: 500, collateral: 1_000 }, { side: 1, leverage: 125, collateral: 1_000, openTick: 0 }, { side: 1, leverage: 500, collateral: 1_000, openTick: 1 }])],
      market: { process: { kind: 'replay', prices: Float64Array.from([20_000]) }, liquidity: { depth: Infinity, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 1 } },
      exchange: { takerFee: 0, makerFee: 0 },
    });
    const clipped: number[] = [];
    w.bus.fills$.subscribe((f) => clipped.push(f.clipped));
    w.simulation.run().subscribe();
    const a = w.exchange.accounts;
    // 1,000 of equity reaches 100,000 of notional at 100x in bracket 2 (more than 125x × 1,000 = 125,000 would need bracket 2's 100x).
    expect(a.size[1]! * 20_000).toBeCloseTo(100_000, 3);
    expect(a.size[2]! * 20_000).toBeCloseTo(100_000, 3);
    expect(clipped[0]).toBe(2);
    expect(clipped[1]).toBe(1);
    // a third agent opening at tick 1 is capped as well, while the first two keep their positions
    expect(a.size[3]! * 20_000).toBeCloseTo(100_000, 3);
  });
});

describe('isIncrease: the one rule for "does this order raise exposure"', () => {
  it('adding or flipping is an increase; reducing or closing to flat is not', async () => {
    const { isIncrease } = await import('../../sim/exchange/accounts');
    expect(isIncrease(0, 1)).toBe(true);
    expect(isIncrease(1, 1)).toBe(true);
    expect(isIncrease(-1, -2)).toBe(true);
    expect(isIncrease(2, -3)).toBe(true); // a flip opens the other side
    expect(isIncrease(2, -1)).toBe(false);
    // execute() used to count closing a long to flat as an increase (moving the account onto new
    // margin terms), while allowedOrder() did not; both now ask this function.
    expect(isIncrease(2, -2)).toBe(false);
    expect(isIncrease(-2, 2)).toBe(false);
    expect(isIncrease(0, 0)).toBe(false);
    expect(isIncrease(2, 0)).toBe(false);
  });

  it('judges the order by its side, not by the rounded new size', async () => {
    const { isIncrease } = await import('../../sim/exchange/accounts');
    // 1 + 1e-17 === 1: judged by the new size, this add was no increase and skipped the margin check.
    expect(1 + 1e-17).toBe(1);
    expect(isIncrease(1, 1e-17)).toBe(true);
    expect(isIncrease(-1, -1e-17)).toBe(true);
    expect(isIncrease(1, -1e-17)).toBe(false);
  });
});
