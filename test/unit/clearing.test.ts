import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../sim/engine/rng';
import { excessDemand, fundDemand, NoiseTraders, ValueFunds, type DemandCurve } from '../../sim/market/clearing/demand';
import { TFG_BASELINE } from '../../sim/market/clearing/params';
import { ClearingScratch, clearingPrice, segmentRoots } from '../../sim/market/clearing/root';
import { FUND, WalrasianMarket, type ClearingTick } from '../../sim/market/clearing/walrasian';
import { ReturnStats } from '../../sim/metrics/return-stats';

/**
 * A random state of ten funds (some long and indebted, some in cash, some out of business). With
 * `stressed`, one big fund is deep in debt with few noise-trader cash: margin calls then bend the
 * excess demand into several roots.
 */
function randomState(rng: RandomStream, stressed: boolean): { curves: DemandCurve[]; cap: number; pPrev: number } {
  const f = 10;
  const funds = new ValueFunds(Array.from({ length: f }, (_, h) => 5 * (h + 1)), 0, 1);
  for (let h = 0; h < f; h++) {
    funds.live[h] = rng.next() < 0.9 ? 1 : 0;
    funds.shares[h] = rng.next() < 0.3 ? 0 : 150 * rng.next();
    funds.cash[h] = 3 - 120 * rng.next();
  }
  if (stressed) {
    const big = 5 + Math.floor(rng.next() * 5);
    funds.live[big] = 1;
    funds.shares[big] = 600 + 600 * rng.next();
    funds.cash[big] = -funds.shares[big]! * (0.3 + 0.4 * rng.next());
  }
  const cap = stressed ? [2, 5, 7.5][Math.floor(rng.next() * 3)]! : [1, 2, 5, 7.5, 10, 20][Math.floor(rng.next() * 6)]!;
  const xi = stressed ? 100 + 200 * rng.next() : 1000 * Math.exp(0.4 * rng.normal());
  return { curves: [new NoiseTraders(xi, 0), funds], cap, pPrev: 0.05 + 1.4 * rng.next() };
}

const N = 1000;

/**
 * The first sign change of the excess demand met walking from pPrev in the direction of its sign,
 * by a fine geometric grid (relative steps of 1e-5) and then bisection to the last bit.
 */
function bruteForceRoot(curves: DemandCurve[], cap: number, pPrev: number): number {
  const e = (p: number) => excessDemand(curves, N, cap, p);
  const dir = e(pPrev) > 0 ? 1 : -1;
  let a = pPrev;
  for (;;) {
    const b = a * (1 + dir * 1e-5);
    if (Math.sign(e(b)) !== Math.sign(e(a)) || e(b) === 0) {
      let lo = Math.min(a, b), hi = Math.max(a, b);
      const sLo = Math.sign(e(lo));
      for (let k = 0; k < 200 && hi - lo > 0; k++) {
        const mid = 0.5 * (lo + hi);
        if (mid === lo || mid === hi) break;
        if (Math.sign(e(mid)) === sLo) lo = mid;
        else hi = mid;
      }
      return 0.5 * (lo + hi);
    }
    a = b;
  }
}

describe('segment roots of A/p + B + C·p', () => {
  it('solves (p − 0.5)(p − 2)/p = 0, i.e. A = 1, B = −2.5, C = 1, in and out of the segment', () => {
    const out = new Float64Array(2);
    expect(segmentRoots(1, -2.5, 1, 0, 10, out)).toBe(2);
    expect([out[0], out[1]]).toEqual([0.5, 2]);
    expect(segmentRoots(1, -2.5, 1, 1, 10, out)).toBe(1);
    expect(out[0]).toBe(2);
    expect(segmentRoots(1, -2.5, 1, 0.6, 1.9, out)).toBe(0);
  });
  it('solves the linear case C = 0 (every fund at its cap or out): p = −A/B', () => {
    const out = new Float64Array(2);
    expect(segmentRoots(1000, -1000, 0, 0, Infinity, out)).toBe(1);
    expect(out[0]).toBe(1);
  });
  it('keeps its accuracy when the roots are far apart (no cancellation)', () => {
    const out = new Float64Array(2);
    // (p − 1e-6)(p − 1e6) = p² − (1e6 + 1e-6) p + 1
    expect(segmentRoots(1, -(1e6 + 1e-6), 1, 0, Infinity, out)).toBe(2);
    expect(Math.abs(out[0]! - 1e-6) / 1e-6).toBeLessThan(1e-14);
    expect(Math.abs(out[1]! - 1e6) / 1e6).toBeLessThan(1e-14);
  });
});

describe('the clearing price', () => {
  it('equals a brute-force root search (first sign change from p_{t−1}) on 300 random states', () => {
    const rng = new RandomStream(7, 'test/clearing-states');
    let multiple = 0;
    for (let k = 0; k < 300; k++) {
      const { curves, cap, pPrev } = randomState(rng, k % 2 === 1);
      const p = clearingPrice(curves, N, cap, pPrev, new ClearingScratch(curves));
      const ref = bruteForceRoot(curves, cap, pPrev);
      expect(Math.abs(p - ref) / ref, `state ${k}`).toBeLessThan(1e-9);
      // Count states with several roots, to be sure the test reaches the margin-call branch.
      let changes = 0;
      for (let q = 0.01; q < 3; q *= 1.001) if (Math.sign(excessDemand(curves, N, cap, q)) !== Math.sign(excessDemand(curves, N, cap, q * 1.001))) changes++;
      if (changes > 1) multiple++;
    }
    expect(multiple).toBeGreaterThan(10);
  });

  it('is exact: |excess demand| ≤ 1e-12 × N at the price found, on random states and along a run', () => {
    const rng = new RandomStream(8, 'test/clearing-exact');
    for (let k = 0; k < 2000; k++) {
      const { curves, cap, pPrev } = randomState(rng, k % 2 === 1);
      const p = clearingPrice(curves, N, cap, pPrev, new ClearingScratch(curves));
      expect(Math.abs(excessDemand(curves, N, cap, p))).toBeLessThanOrEqual(1e-12 * N);
    }
    // Along a leveraged run: the funds' states before each clearing are the real ones.
    const m = new WalrasianMarket(TFG_BASELINE);
    const noise = new RandomStream(3, 'test/noise');
    const out: ClearingTick = { price: 0, logReturn: 0, defaults: 0, atCap: 0, activeFunds: 0 };
    let worst = 0;
    for (let t = 0; t < 20_000; t++) {
      m.step(t, 10, noise.normal(), out);
      // Residual of the clearing just done: the noise traders' ξ/p plus what the funds now hold.
      let held = m.noise.shares;
      for (let h = 0; h < m.funds.count; h++) if (m.state[h] !== FUND.out) held += m.funds.shares[h]!;
      worst = Math.max(worst, Math.abs(held - m.supply));
    }
    expect(worst).toBeLessThanOrEqual(1e-12 * m.supply);
  });

  it('chooses by tâtonnement: the first root in the direction of the excess demand, never the unstable middle one', () => {
    // One fund at its cap, deep in debt: demand falls as the price falls (a margin call), so the
    // excess demand crosses zero more than once below V.
    // Roots: 0.15 = ξ/N (the fund's wealth is gone below p = 0.5), 0.6 (at the cap, from p = 0.5 to
    // 0.9, the excess demand −2100/p + 3500 rises with p), and one in (0.9, 1) where the fund's
    // demand falls to zero at V.
    const fund = new ValueFunds([50], -450, 1);
    fund.shares[0] = 900;
    const curves = [new NoiseTraders(150, 0), fund];
    const cap = 5;
    const roots: number[] = [];
    for (let q = 0.05; q < 1.5; q *= 1.0001) {
      if (Math.sign(excessDemand(curves, N, cap, q)) !== Math.sign(excessDemand(curves, N, cap, q * 1.0001))) roots.push(q);
    }
    expect(roots.length).toBe(3);
    const w = new ClearingScratch(curves);
    const fromAbove = clearingPrice(curves, N, cap, 1.4, w);
    const fromBelow = clearingPrice(curves, N, cap, 0.06, w);
    expect(fromAbove).toBeCloseTo(roots[2]!, 3);
    expect(fromAbove).toBeGreaterThan(0.9);
    expect(fromBelow).toBeCloseTo(0.15, 12);
    // Just below 0.6 demand falls short and the price falls to ξ/N; just above it demand exceeds
    // supply and the price rises to the upper root. The middle root (an upward crossing) repels.
    expect(clearingPrice(curves, N, cap, 0.59, w)).toBeCloseTo(0.15, 12);
    expect(clearingPrice(curves, N, cap, 0.61, w)).toBeCloseTo(roots[2]!, 3);
  });
});

describe('the walrasian market', () => {
  it('conserves shares (Σ holdings = N) and cash (only noise cash, flows, re-entries, payouts and bad debt move it) every tick, through defaults', () => {
    const m = new WalrasianMarket(TFG_BASELINE);
    const noise = new RandomStream(5, 'test/noise');
    const out: ClearingTick = { price: 0, logReturn: 0, defaults: 0, atCap: 0, activeFunds: 0 };
    let defaults = 0;
    for (let t = 0; t < 30_000; t++) {
      const before = { ...m.ledger };
      let cashBefore = 0;
      for (let h = 0; h < m.funds.count; h++) cashBefore += m.funds.cash[h]!;
      m.step(t, 10, noise.normal(), out);
      defaults += out.defaults;
      let shares = m.noise.shares, cash = 0;
      for (let h = 0; h < m.funds.count; h++) {
        shares += m.funds.shares[h]!;
        cash += m.funds.cash[h]!;
      }
      expect(Math.abs(shares - m.supply)).toBeLessThanOrEqual(1e-9 * m.supply);
      const L = m.ledger;
      const moved = (L.noiseCash - before.noiseCash) + (L.investorFlows - before.investorFlows) + (L.reentryDeposits - before.reentryDeposits) - (L.payouts - before.payouts) + (L.badDebt - before.badDebt);
      expect(Math.abs(cash - cashBefore - moved)).toBeLessThanOrEqual(1e-9 * (m.supply * m.price + Math.abs(cashBefore)));
    }
    // The default path was exercised: funds failed, the bank wrote off debt, funds came back.
    expect(defaults).toBeGreaterThan(10);
    expect(m.ledger.badDebt).toBeGreaterThan(0);
    expect(m.ledger.reentryDeposits).toBeGreaterThan(0);
    expect(m.ledger.maxShareResidual).toBeLessThanOrEqual(1e-12);
  });

  it('gives every fund the demand λ(p)·W(p)/p at the clearing price', () => {
    const m = new WalrasianMarket(TFG_BASELINE);
    const noise = new RandomStream(6, 'test/noise');
    const out: ClearingTick = { price: 0, logReturn: 0, defaults: 0, atCap: 0, activeFunds: 0 };
    for (let t = 0; t < 2000; t++) {
      const d0 = Float64Array.from(m.funds.shares), m0 = Float64Array.from(m.funds.cash), st = Uint8Array.from(m.state);
      m.step(t, 5, noise.normal(), out);
      for (let h = 0; h < m.funds.count; h++) {
        if (st[h] !== FUND.active || m.state[h] === FUND.out) continue;
        expect(m.funds.shares[h]).toBeCloseTo(fundDemand(out.price, d0[h]!, m0[h]!, m.funds.beta[h]!, 1, 5), 12);
      }
    }
  });

  it('at 10⁵ ticks: λ_max = 1 gives excess kurtosis below 1, λ_max = 10 above 3 (TFG 2012)', () => {
    for (const seed of [1, 2]) {
      const kurt = (cap: number) => {
        const m = new WalrasianMarket(TFG_BASELINE);
        const noise = new RandomStream(seed, 'walrasian/noise');
        const stats = new ReturnStats(100_000 - TFG_BASELINE.burnIn, 0.01, [1, 10]);
        const out: ClearingTick = { price: 0, logReturn: 0, defaults: 0, atCap: 0, activeFunds: 0 };
        for (let t = 0; t < 100_000; t++) {
          m.step(t, cap, noise.normal(), out);
          if (t >= TFG_BASELINE.burnIn) stats.push(out.logReturn);
        }
        return stats.summary().excessKurtosis!;
      };
      expect(kurt(1), `seed ${seed}`).toBeLessThan(1);
      expect(kurt(10), `seed ${seed}`).toBeGreaterThan(3);
    }
  });
});
