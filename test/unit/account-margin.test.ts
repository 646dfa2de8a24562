import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import { crossMargin } from '../../sim/exchange/margin/cross';
import { portfolioMargin } from '../../sim/exchange/margin/portfolio';
import type { World } from '../../sim/run/world';
import { basket, venueWorld } from '../helpers/venue';

const still = { process: { kind: 'gbm' as const, mu: 0, sigma: 0 }, funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 }, liquidity: { depth: Infinity, impact: 'linear' as const, elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 } };

/** Two markets (BTC 60,000, ETH 3,000) with one account of `mode` holding `notionals`, opened at tick 0, run one tick. */
function opened(mode: 'cross' | 'portfolio', notionals: number[], o: { tiered?: boolean; corr?: number; scan?: number[]; collateral?: number } = {}): World {
  const w = venueWorld({
    assets: [
      { name: 'BTC', market: { ...still, startPrice: 60_000 }, policy: o.tiered ? new TieredPolicy('btc', PRESETS['binance-btcusdt']!.tiers) : new FixedPolicy(50, 0.005) },
      { name: 'ETH', market: { ...still, startPrice: 3_000 }, policy: o.tiered ? new TieredPolicy('eth', PRESETS['binance-ethusdt']!.tiers) : new FixedPolicy(50, 0.005) },
    ],
    populations: [basket('a', mode, [{ collateral: o.collateral ?? 1e7, notionals }])],
    margin: { scan: (o.scan ?? [0.1, 0.15]).map((range) => ({ kind: 'fixed' as const, range })), initialFactor: 1.5, correlation: [[1, o.corr ?? 0.8], [o.corr ?? 0.8, 1]] },
    exchange: { takerFee: 0, makerFee: 0 },
    ticks: 1,
  });
  w.simulation.run().subscribe();
  return w;
}

describe('account margin engines of a venue', () => {
  it('cross: the requirement is Σ tier MM, as crossMargin prices the same book (Binance BTC and ETH tables)', () => {
    const w = opened('cross', [30_000_000, -8_000_000], { tiered: true });
    const v = w.venue, i = 1;
    const positions = w.markets.map((h, m) => ({
      symbol: h.name, side: (h.exchange.accounts.size[i]! > 0 ? 'long' : 'short') as 'long' | 'short', size: Math.abs(h.exchange.accounts.size[i]!),
      entryPrice: h.exchange.accounts.entry[i]!, markPrice: h.market.markPrice, tiers: PRESETS[m === 0 ? 'binance-btcusdt' : 'binance-ethusdt']!.tiers,
    }));
    const ref = crossMargin({ walletBalance: v.margin.wallet(i), positions });
    expect(v.requirement(i, 'maintenance')).toBeCloseTo(ref.maintenanceMargin, 6);
    expect(v.equity(i)).toBeCloseTo(ref.equity, 6);
    // 30M of BTC sits in a higher bracket than 8M of ETH: more than the first bracket's 0.4%.
    expect(v.requirement(i, 'maintenance')).toBeGreaterThan(0.004 * 38_000_000);
  });

  it('portfolio: max(worst loss on the scan ellipsoid, Σ tier MM), as portfolioMargin prices it', () => {
    const x = [2_000_000, -1_500_000];
    const w = opened('portfolio', x);
    const ref = portfolioMargin({ positions: x, scanRanges: [0.1, 0.15], correlation: [[1, 0.8], [0.8, 1]], minimumRates: [0.005, 0.005] });
    expect(w.venue.requirement(1, 'maintenance')).toBeCloseTo(ref.requirement, 6);
    expect(w.venue.requirement(1, 'initial')).toBeCloseTo(1.5 * ref.requirement, 6);
  });

  it('a perfect hedge costs the minimum charge under correlation 1, and √(a² + b²) of its legs\' scan losses under 0', () => {
    // 1M long BTC against a short ETH leg of equal scan loss: 0.1 × 1M = 0.15 × 666,667.
    const legs = [1_000_000, -1_000_000 / 1.5];
    const hedged = opened('portfolio', legs, { corr: 1 });
    expect(hedged.venue.requirement(1, 'maintenance')).toBeCloseTo(0.005 * (1_000_000 + 1_000_000 / 1.5), 4);
    const independent = opened('portfolio', legs, { corr: 0 });
    expect(independent.venue.requirement(1, 'maintenance')).toBeCloseTo(Math.hypot(100_000, 100_000), 4);
  });

  it('an order is cut so that equity after it covers the initial requirement; a hedge passes where more exposure would not', () => {
    // 100,000 of equity, IM = 1.5 × 10% scan: 666,667 of BTC at most.
    const w = opened('portfolio', [0, 0], { collateral: 100_000, corr: 0.9 });
    const v = w.venue;
    const q = v.allowedOrder(1, 0, 1_000_000 / 60_000);
    expect(q * 60_000).toBeCloseTo(100_000 / 0.15, 0);
    v.placeOrder(1, 0, q);
    w.markets[0]!.exchange.execute(1);
    expect(v.requirement(1, 'initial')).toBeCloseTo(v.equity(1), 0);
    // At its limit: more BTC is refused, a short ETH hedge (correlation 0.9) lowers the requirement and passes whole.
    expect(v.allowedOrder(1, 0, 1)).toBeCloseTo(0, 6);
    expect(v.allowedOrder(1, 1, -100)).toBe(-100);
  });

  it('no joint move smaller than the margin of safety makes an account liquidatable', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 2, maxLength: 2 }),
      fc.constantFrom('cross' as const, 'portfolio' as const),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
      (lev, mode, dir) => {
        const w = opened(mode, lev.map((l) => l * 100_000), { tiered: true, collateral: 1_000_000 });
        const v = w.venue;
        const e = v.margin.assess(1, v.marks()), r = v.margin.assessed.requirement, x = v.margin.assessed.exposure;
        expect(e).toBeCloseTo(v.equity(1), 6);
        expect(r).toBeCloseTo(v.requirement(1, 'maintenance'), 6);
        if (!(x > 0) || e < r) return;
        const delta = (e - r) / x;
        // Every price moved by at most 0.999 δ, in any direction.
        const q = v.margin.sizes(1, new Float64Array(2));
        const p = w.markets.map((h, m) => h.market.markPrice * (1 + 0.999 * delta * dir[m]!));
        let e2 = e;
        for (let m = 0; m < 2; m++) e2 += q[m]! * (p[m]! - w.markets[m]!.market.markPrice);
        expect(e2).toBeGreaterThanOrEqual(v.margin.requirementOf(1, q, 'maintenance', (m) => p[m]!) * (1 - 1e-12));
      },
    ), { numRuns: 200, seed: 5 });
  });

  it('a hedge passes only when it lowers the maintenance requirement by at least its fee (review finding)', () => {
    // Correlation 1, equal scans: a short B leg offsets the long A leg one for one.
    const w = venueWorld({
      assets: [
        { name: 'A', market: { ...still, startPrice: 100 } },
        { name: 'B', market: { ...still, startPrice: 100 } },
      ],
      populations: [basket('a', 'portfolio', [{ collateral: 8_000, notionals: [100_000, 0] }])],
      margin: { scan: [{ kind: 'fixed', range: 0.08 }, { kind: 'fixed', range: 0.08 }], initialFactor: 1.5, correlation: [[1, 1], [1, 1]] },
      exchange: { takerFee: 0.0005, makerFee: 0 },
      ticks: 1,
    });
    w.simulation.run().subscribe();
    const v = w.venue;
    // Over-hedging to a short of 2 × 1,000 − 2 units lowers MM by 0.16 and costs a 0.0998 fee a unit:
    // before the fix it passed whole and could leave equity below maintenance after the fee.
    const x = w.markets[0]!.exchange.accounts.size[1]!;
    const dq = -(2 * x - 2);
    const allowed = v.allowedOrder(1, 1, dq);
    expect(Math.abs(allowed)).toBeLessThan(Math.abs(dq));
    // A true hedge (a short of 1,000: MM falls from 8,000 to the minimum charge) passes whole.
    expect(v.allowedOrder(1, 1, -x)).toBe(-x);
  });
});
