import { describe, expect, it } from 'vitest';
import { BaselIIPolicy, baselIILeverage } from '../../sim/exchange/policies/basel-ii';
import { maintenanceMargin, initialMargin } from '../../sim/exchange/margin';
import type { MarketView } from '../../sim/market/market';
import type { AccountsView, ExchangeView } from '../../sim/exchange/policies/types';

const noAccounts: AccountsView = { count: 0, size: new Float64Array(0), entry: new Float64Array(0), collateral: new Float64Array(0), liqPrice: new Float64Array(0), state: new Uint8Array(0) };
const exch: ExchangeView = { openInterestNotional: 0, insuranceFund: 0, insuranceFundStart: 0, liquidatedNotional: 0 };
const at = (mark: number): MarketView => ({ tick: 0, index: mark, mark, markPrice: mark, realizedVol: 0, depth: 0, lastReturn: 0, exogenousReturn: 0, referenceVol: 0, tickMove: 0, flowForMove: () => 0 });

describe('basel-ii: λ_eff = min(κ·λ_max, max(1, λ_max·σ_b/σ̂))', () => {
  it('gives the full cap at and below σ_b, scales it down above, floors it at 1 and caps it at κ·λ_max', () => {
    expect(baselIILeverage(10, 1, 0.035, 0.035)).toBe(10);
    expect(baselIILeverage(10, 1, 0.035, 0.01)).toBe(10); // calm: min(κ·λ_max, 35) = 10
    expect(baselIILeverage(10, 2, 0.035, 0.01)).toBe(20); // κ = 2 lets calm markets double it
    expect(baselIILeverage(10, 1, 0.035, 0.07)).toBeCloseTo(5, 14);
    expect(baselIILeverage(10, 1, 0.035, 0.7)).toBe(1); // 0.5 floored at 1
    expect(baselIILeverage(0.5, 1, 0.035, 0.035)).toBe(0.5); // κ·λ_max below the floor still wins the min
    expect(baselIILeverage(10, 1, 0.035, 0)).toBe(10); // no volatility measured
  });

  it('measures σ̂ as the root mean square of the last τ log returns of the mark', () => {
    const p = new BaselIIPolicy('b', { maxLeverage: 10, sigmaB: 0.035, tau: 4, kappa: 1, maintenanceFraction: 0.5 });
    // Alternating ±7% log moves: σ̂ = 0.07 once 4 returns are in, so λ_eff = 10·0.035/0.07 = 5.
    const marks = [1, Math.exp(0.07), 1, Math.exp(0.07), 1];
    const changed = marks.map((m) => p.onTick(at(m), noAccounts, exch));
    expect(changed).toEqual([false, false, false, false, true]);
    expect(p.maxLeverage(1e6, 0)).toBeCloseTo(5, 12);
    // Then calm: once the window holds only zero returns the full cap is back.
    for (let k = 0; k < 3; k++) p.onTick(at(1), noAccounts, exch);
    expect(p.maxLeverage(0, 0)).toBeCloseTo(10 * 0.035 / Math.sqrt(0.07 ** 2 / 4), 12);
    p.onTick(at(1), noAccounts, exch);
    expect(p.maxLeverage(0, 0)).toBe(10);
  });

  it('keeps κ·λ_max until the window has filled, and its margins and table follow λ_eff', () => {
    const p = new BaselIIPolicy('b', { maxLeverage: 8, sigmaB: 0.01, tau: 3, kappa: 1, maintenanceFraction: 0.5 });
    for (const m of [100, 110, 100]) p.onTick(at(m), noAccounts, exch);
    expect(p.maxLeverage(0, 0)).toBe(8);
    p.onTick(at(110), noAccounts, exch);
    const sigma = Math.log(1.1); // three returns of ±ln 1.1
    const lev = Math.max(1, 8 * 0.01 / sigma);
    expect(p.maxLeverage(0, 0)).toBeCloseTo(lev, 12);
    expect(p.initialMargin(1000, 0)).toBeCloseTo(1000 / lev, 9);
    expect(p.maintenanceMargin(1000, 0)).toBeCloseTo(500 / lev, 9);
    expect(initialMargin(1000, p.table(0))).toBeCloseTo(1000 / lev, 9);
    expect(maintenanceMargin(1000, p.table(0))).toBeCloseTo(500 / lev, 9);
    expect(p.headline().maxLeverage).toBeCloseTo(lev, 12);
  });
});
