import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { LendingPool, LiquidationStats } from '../../sim/protocols/lending';
import { LoopingBorrowers } from '../../sim/protocols/looping';
import type { LendingParams } from '../../sim/protocols/types';
import { Wallets } from '../../sim/world/wallets';
import { FakeSpot } from '../helpers/spot';

const oracle = { source: { kind: 'spot' as const, venue: 0 }, lagTicks: 0 };

describe('lending pool properties', () => {
  it('a partial liquidation raises HF when HF > LT × (1 + bonus) and lowers it below: HF′ = (HF − c·LT·(1 + bonus)) / (1 − c)', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.5, max: 0.95, noNaN: true }),
      fc.double({ min: 0.01, max: 0.15, noNaN: true }),
      fc.double({ min: 0.1, max: 0.9, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (lt, bonus, closeFactor, u) => {
        const edge = lt * (1 + bonus);
        fc.pre(edge < 1); // the pool refuses a collateral that no liquidation could heal
        // HF from just above the level where close factor c would take every unit, to just below 1.
        const lo = closeFactor * edge * 1.001;
        const hf = lo + u * (0.999 - lo);
        const params: LendingParams = {
          name: 'p', collateral: [{ asset: 0, ltv: lt * 0.9, liquidationThreshold: lt, bonus, oracle }],
          closeFactor, fullCloseHealth: 0, smallPositionValue: 0, supply: 1e9, sellVenue: 0,
        };
        const wallets = new Wallets(2, 1);
        const pool = new LendingPool(2, params, wallets);
        const spot = new FakeSpot(wallets, 1, [100], 1e15);
        wallets.endow(0, 0, 0, 100);
        pool.deposit(0, 0, 100);
        expect(pool.borrow(0, 5000, Float64Array.of(1000))).toBe(5000);
        const price = Float64Array.of((hf * 5000) / (100 * lt));
        expect(pool.healthFactor(0, price)).toBeCloseTo(hf, 10);
        const out = new LiquidationStats(1);
        expect(pool.liquidateRound(price, 1, spot, out)).toBe(1);
        const after = pool.healthFactor(0, price);
        expect(after).toBeCloseTo((hf - closeFactor * edge) / (1 - closeFactor), 9);
        if (Math.abs(hf - edge) > 1e-9) expect(Math.sign(after - hf)).toBe(Math.sign(hf - edge));
        expect(out.badDebt).toBe(0);
      },
    ), { numRuns: 500, seed: 20261202 });
  });

  it('conserves money and units over random deposits, borrows, repayments (also with collateral), withdrawals, looping, price moves and liquidation rounds', () => {
    let runsWithLiquidations = 0;
    let runsWithBadDebt = 0;
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = seedrandom.alea(`lending-property/${seed}`);
      const N = 12;
      const LIQ = N - 1;
      const A = 3; // asset 2 is not a collateral of the pool
      const params: LendingParams = {
        name: 'p',
        collateral: [
          { asset: 1, ltv: 0.7 + 0.1 * rng(), liquidationThreshold: 0.82, bonus: 0.02 + 0.1 * rng(), oracle },
          { asset: 0, ltv: 0.6, liquidationThreshold: 0.7 + 0.2 * rng(), bonus: 0.05, oracle },
        ],
        closeFactor: 0.25 + 0.5 * rng(), fullCloseHealth: 0.9 + 0.08 * rng(), smallPositionValue: rng() < 0.5 ? 0 : 2000,
        supply: 1e5 + 1e6 * rng(), sellVenue: 1,
      };
      const wallets = new Wallets(N, A);
      const pool = new LendingPool(N, params, wallets);
      const spot = new FakeSpot(wallets, 2, [2000, 100, 5], 1e5 + 1e7 * rng());
      for (let i = 0; i < LIQ; i++) {
        wallets.endow(i, 1000 * rng(), 0, 20 * rng());
        wallets.endow(i, 0, 1, 500 * rng());
      }
      // Accounts 8..10 loop (8, 9 on collateral 0, 10 on collateral 1), buying on either venue.
      const loopers = new LoopingBorrowers(8, 3, Float64Array.of(0.5, 0.6, 0.4), Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1), { deleverageBelowHealth: 1.05 });
      const prices = new Float64Array(2);
      const readPrices = (): Float64Array => {
        prices[0] = spot.spotPrice(1, 1);
        prices[1] = spot.spotPrice(1, 0);
        return prices;
      };
      const out = new LiquidationStats(2);
      const scale = Math.max(wallets.quoteDeposits + pool.supplied, 1);
      const check = () => {
        expect(Math.abs(pool.ledgerResidual())).toBeLessThanOrEqual(1e-9 * pool.supplied);
        const worldQuote = wallets.totalQuote() + spot.houseQuote + pool.cash;
        expect(Math.abs(worldQuote - (wallets.quoteDeposits + pool.supplied))).toBeLessThanOrEqual(1e-9 * scale);
        for (let k = 0; k < 2; k++) {
          const a = params.collateral[k]!.asset;
          expect(Math.abs(pool.unitsResidual(k))).toBeLessThanOrEqual(1e-9 * Math.max(1, pool.deposited[k]!));
          const units = wallets.totalUnits(a) + pool.totalCollateralUnits(k) + spot.houseUnits[a]!;
          expect(Math.abs(units - wallets.unitDeposits[a]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, wallets.unitDeposits[a]!));
        }
        let debt = 0;
        let bad = 0; // accounts with a negative, NaN or infinite debt or units
        for (let i = 0; i < N; i++) {
          if (!(pool.debt[i]! >= 0 && pool.debt[i]! < Infinity)) bad++;
          debt += pool.debt[i]!;
          for (let k = 0; k < 2; k++) if (!(pool.units[k]![i]! >= 0 && pool.units[k]![i]! < Infinity)) bad++;
        }
        expect(bad).toBe(0);
        expect(pool.totalDebt()).toBeCloseTo(debt, 6);
        const ids = Array.from(pool.borrowerIds());
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
        expect(pool.cash).toBeGreaterThanOrEqual(-1e-9 * pool.supplied);
      };
      for (let step = 0; step < 150; step++) {
        const i = Math.floor(rng() * LIQ);
        const k = rng() < 0.5 ? 0 : 1;
        const op = rng();
        readPrices();
        if (op < 0.2) pool.deposit(i, k, wallets.units(params.collateral[k]!.asset)[i]! * rng());
        else if (op < 0.4) pool.borrow(i, pool.borrowLimit(i, prices) * 1.2 * rng(), prices);
        else if (op < 0.5) pool.repay(i, pool.debt[i]! * 1.2 * rng());
        else if (op < 0.55) pool.withdraw(i, k, pool.units[k]![i]! * rng(), prices);
        else if (op < 0.6) pool.repayWithCollateral(i, k, pool.units[k]![i]! * rng(), prices, spot, Math.floor(rng() * 2));
        else if (op < 0.65) loopers.step(step, pool, spot, prices, 1 + Math.floor(rng() * 4));
        else if (op < 0.85) {
          // An exogenous price move on the sell venue (the oracle reads it), down more often than up.
          const a = params.collateral[k]!.asset;
          spot.setPrice(1, a, spot.spotPrice(1, a) * Math.exp(0.25 * (rng() - 0.65)));
        } else if (op < 0.95) pool.liquidateRound(readPrices(), LIQ, spot, out);
        else pool.liquidateUntilStable(readPrices, LIQ, spot, out, 1 + Math.floor(rng() * 8));
        check();
      }
      // At the end nobody stays liquidatable after a run to stability.
      pool.liquidateUntilStable(readPrices, LIQ, spot, out);
      check();
      for (const i of pool.borrowerIds()) expect(pool.healthFactor(i, readPrices())).toBeGreaterThanOrEqual(1);
      expect(pool.totals.badDebt).toBeCloseTo(pool.badDebt, 6);
      if (pool.totals.liquidations > 0) runsWithLiquidations++;
      if (pool.badDebt > 0) runsWithBadDebt++;
    }), { numRuns: 60, seed: 20261202 });
    // The sequences must reach the paths under test.
    expect(runsWithLiquidations).toBeGreaterThan(10);
    expect(runsWithBadDebt).toBeGreaterThan(0);
  });
});
