import { describe, expect, it } from 'vitest';
import { LendingPool, LiquidationStats } from '../../sim/protocols/lending';
import { LoopingBorrowers, type LoopingOptions } from '../../sim/protocols/looping';
import type { LendingParams } from '../../sim/protocols/types';
import { Wallets } from '../../sim/world/wallets';
import { FakeSpot } from '../helpers/spot';

const LTV = 0.8;
const LT = 0.825;
const TARGET = 0.7 * LTV; // 0.56

function params(supply = 1e9): LendingParams {
  return {
    name: 'aave',
    collateral: [{ asset: 0, ltv: LTV, liquidationThreshold: LT, bonus: 0.05, oracle: { source: { kind: 'spot', venue: 0 }, lagTicks: 0 } }],
    closeFactor: 0.5, fullCloseHealth: 0.95, smallPositionValue: 2000, supply, sellVenue: 0,
  };
}

/** One looping borrower (account 0) with 10 ETH at 2,000; account 3 liquidates; the oracle reads the spot (no impact by default). */
function setup(opts: LoopingOptions = {}, depth = Infinity, supply = 1e9) {
  const wallets = new Wallets(4, 1);
  const pool = new LendingPool(4, params(supply), wallets);
  const spot = new FakeSpot(wallets, 1, [2000], depth);
  wallets.endow(0, 0, 0, 10);
  const loopers = new LoopingBorrowers(0, 1, Float64Array.of(TARGET), Int32Array.of(0), Int32Array.of(0), opts);
  const prices = new Float64Array(1);
  const read = (): Float64Array => {
    prices[0] = spot.spotPrice(0, 0);
    return prices;
  };
  return { wallets, pool, spot, loopers, read };
}

describe('looping borrowers', () => {
  it('reach a target of 0.7 × ltv within a few ticks, their units growing by the geometric sum 1 + τ + τ² + …', () => {
    const s = setup();
    let loops = 0;
    let ticks = 0;
    for (; ticks < 10; ticks++) {
      const st = s.loopers.step(ticks, s.pool, s.spot, s.read(), 5);
      if (st.loops === 0) break;
      loops += st.loops;
      // Without impact, n loops from 10 units leave 10 × (1 − τⁿ⁺¹) / (1 − τ).
      expect(s.pool.units[0]![0]).toBeCloseTo((10 * (1 - TARGET ** (loops + 1))) / (1 - TARGET), 9);
    }
    expect(ticks).toBeGreaterThan(1);
    expect(ticks).toBeLessThanOrEqual(4);
    const cv = s.pool.collateralValue(0, s.read());
    expect(s.pool.debt[0]! / cv).toBeGreaterThan(TARGET * (1 - 2e-3));
    expect(s.pool.debt[0]! / cv).toBeLessThanOrEqual(TARGET + 1e-12);
    expect(s.pool.units[0]![0]).toBeCloseTo(10 / (1 - TARGET), 1);
    expect(s.pool.healthFactor(0, s.read())).toBeCloseTo(LT / TARGET, 2);
    expect(s.wallets.quote[0]).toBeCloseTo(0, 6); // every borrowed quote went into the asset
    expect(s.wallets.units(0)[0]).toBe(0);
  });

  it('with price impact it buys fewer units and moves the spot price up; an oracle on that spot lets it borrow more', () => {
    // Oracle on the index (held at 2,000): the buys cost more than the oracle price.
    const idx = setup({}, 1e8);
    const fixed = Float64Array.of(2000);
    for (let t = 0; t < 10; t++) idx.loopers.step(t, idx.pool, idx.spot, fixed, 5);
    expect(idx.spot.spotPrice(0, 0)).toBeGreaterThan(2000);
    expect(idx.pool.units[0]![0]).toBeLessThan(10 / (1 - TARGET) - 0.1);
    expect(idx.pool.debt[0]! / idx.pool.collateralValue(0, fixed)).toBeGreaterThan(TARGET * (1 - 2e-3));
    // Oracle on the spot it moves: its buys revalue its collateral, so it borrows and buys more.
    const own = setup({}, 1e8);
    for (let t = 0; t < 10; t++) own.loopers.step(t, own.pool, own.spot, own.read(), 5);
    expect(own.pool.debt[0]).toBeGreaterThan(idx.pool.debt[0]!);
    expect(own.spot.spotPrice(0, 0)).toBeGreaterThan(idx.spot.spotPrice(0, 0));
  });

  it("stops at the pool's cash", () => {
    const s = setup({}, Infinity, 5000);
    for (let t = 0; t < 5; t++) s.loopers.step(t, s.pool, s.spot, s.read(), 5);
    expect(s.pool.cash).toBe(0);
    expect(s.pool.debt[0]).toBe(5000);
    expect(s.pool.units[0]![0]).toBeCloseTo(12.5, 9);
  });

  it('a price fall then liquidates it', () => {
    const s = setup();
    for (let t = 0; t < 6; t++) s.loopers.step(t, s.pool, s.spot, s.read(), 5);
    const out = new LiquidationStats(1);
    expect(s.pool.liquidateRound(s.read(), 3, s.spot, out)).toBe(0);
    s.spot.setPrice(0, 0, 2000 * 0.65); // HF ≈ 1.47 × 0.65 = 0.96
    expect(s.pool.healthFactor(0, s.read())).toBeLessThan(1);
    s.loopers.step(6, s.pool, s.spot, s.read(), 5); // no deleveraging configured: nothing happens
    expect(s.pool.liquidateRound(s.read(), 3, s.spot, out)).toBe(1);
    expect(out.seizedUnits[0]).toBeGreaterThan(0);
    expect(Math.abs(s.pool.ledgerResidual())).toBeLessThan(1e-9 * s.pool.supplied);
  });

  it('deleverages below its health threshold: sells collateral back to the target while HF ≥ 1', () => {
    const s = setup({ deleverageBelowHealth: 1.05 });
    for (let t = 0; t < 6; t++) s.loopers.step(t, s.pool, s.spot, s.read(), 5);
    s.spot.setPrice(0, 0, 2000 * 0.7); // HF ≈ 1.03
    const hf = s.pool.healthFactor(0, s.read());
    expect(hf).toBeGreaterThan(1);
    expect(hf).toBeLessThan(1.05);
    const unitsBefore = s.pool.units[0]![0]!;
    const st = s.loopers.step(6, s.pool, s.spot, s.read(), 5);
    expect(st.deleverages).toBe(1);
    expect(st.loops).toBe(0);
    expect(st.soldUnits).toBeGreaterThan(0);
    expect(s.pool.units[0]![0]).toBeCloseTo(unitsBefore - st.soldUnits, 12);
    // Deep spot: sold at the oracle price, so the loan is back at its target.
    expect(s.pool.debt[0]! / s.pool.collateralValue(0, s.read())).toBeCloseTo(TARGET, 9);
    expect(s.pool.healthFactor(0, s.read())).toBeGreaterThan(1.05);
    expect(Math.abs(s.pool.unitsResidual(0))).toBeLessThan(1e-9 * s.pool.deposited[0]!);
  });

  it('below HF 1 it can only repay from wallet quote', () => {
    const s = setup({ deleverageBelowHealth: 1.05 });
    for (let t = 0; t < 6; t++) s.loopers.step(t, s.pool, s.spot, s.read(), 5);
    s.wallets.endow(0, 1000);
    s.spot.setPrice(0, 0, 2000 * 0.6);
    expect(s.pool.healthFactor(0, s.read())).toBeLessThan(1);
    const units = s.pool.units[0]![0]!;
    const debt = s.pool.debt[0]!;
    const st = s.loopers.step(6, s.pool, s.spot, s.read(), 5);
    expect(st.soldUnits).toBe(0);
    expect(st.repaidFromWallet).toBe(1000);
    expect(s.pool.units[0]![0]).toBe(units);
    expect(s.pool.debt[0]).toBeCloseTo(debt - 1000, 9);
    expect(s.wallets.quote[0]).toBeCloseTo(0, 9);
  });
});
