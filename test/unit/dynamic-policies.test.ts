import { describe, expect, it } from 'vitest';
import { VolScaledPolicy } from '../../sim/exchange/policies/vol-scaled';
import { OpenInterestPolicy } from '../../sim/exchange/policies/open-interest';
import { RiskScorePolicy } from '../../sim/exchange/policies/risk-score';
import { CircuitBreakerPolicy, type Regime } from '../../sim/exchange/policies/circuit-breaker';
import { EsMarginPolicy, expectedShortfall } from '../../sim/exchange/policies/es-margin';
import { scaleLeverage } from '../../sim/exchange/policies/scale';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import { maintenanceMargin } from '../../sim/exchange/margin';
import type { MarketView } from '../../sim/market/market';
import type { AccountsView, ExchangeView } from '../../sim/exchange/policies/types';

const market = (o: Partial<MarketView> = {}): MarketView => ({
  tick: 0, index: 100, mark: 100, markPrice: 100, realizedVol: 0.001, depth: 1e6, lastReturn: 0, exogenousReturn: 0, referenceVol: 0.001, tickMove: 0,
  flowForMove: () => 0, ...o,
});
const noAccounts: AccountsView = { count: 0, size: new Float64Array(0), entry: new Float64Array(0), collateral: new Float64Array(0), liqPrice: new Float64Array(0), state: new Uint8Array(0) };
const exch = (o: Partial<ExchangeView> = {}): ExchangeView => ({ openInterestNotional: 0, insuranceFund: 1e6, insuranceFundStart: 1e6, liquidatedNotional: 0, ...o });

describe('tier scaling', () => {
  it('multiplies every bracket\'s max leverage and re-derives MMRs at a constant MMR/IMR ratio, cum continuous', () => {
    const t = scaleLeverage(PRESETS['binance-btcusdt']!.tiers, 0.5);
    expect(t.maxLeverage[0]).toBe(62.5);
    expect(t.mmr[0]).toBeCloseTo(0.008, 12);
    expect(t.mmr[2]).toBeCloseTo(0.02, 12);
    expect(t.cum[1]).toBeCloseTo(50_000 * (0.01 - 0.008), 9);
    // continuity at every boundary
    for (let b = 1; b < t.n; b++) {
      const x = t.floor[b]!;
      expect(x * t.mmr[b]! - t.cum[b]!).toBeCloseTo(x * t.mmr[b - 1]! - t.cum[b - 1]!, 4);
    }
  });
});

describe('volatility-scaled leverage', () => {
  const base = new TieredPolicy('base', [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.01 }]);
  it('targets clamp(k / σ̂, min, max)', () => {
    const p = new VolScaledPolicy('v', { base, k: 10, minLeverage: 2, maxLeverage: 50, halfLife: 10, maxStep: 1, hysteresis: 0, tickSeconds: 60 });
    expect(p.target(0.5)).toBe(20);
    expect(p.target(0.1)).toBe(50);
    expect(p.target(10)).toBe(2);
  });
  it('moves at most maxStep per tick, holds within the hysteresis band, and scales MMR with it', () => {
    const p = new VolScaledPolicy('v', { base, k: 10, minLeverage: 2, maxLeverage: 50, halfLife: 1, maxStep: 0.1, hysteresis: 0.05, tickSeconds: 60 });
    // σ̂ starts at σ_ref ≈ 0.0014 a tick ≈ 103% a year: target ≈ 9.8x, far below 50x: one bounded step
    p.onTick(market({ lastReturn: 0, referenceVol: 0.002 / Math.SQRT2 }), noAccounts, exch());
    expect(p.leverage).toBeCloseTo(45, 9);
    const levs: number[] = [];
    for (let t = 1; t < 6; t++) { p.onTick(market({ tick: t, lastReturn: 0.002, referenceVol: 0.001 }), noAccounts, exch()); levs.push(p.leverage); }
    expect(levs[0]).toBeCloseTo(40.5, 9);
    expect(levs[1]).toBeCloseTo(36.45, 9);
    expect(p.table(0).mmr[0]).toBeCloseTo(0.01 * (50 / p.leverage), 12);
    const q = new VolScaledPolicy('v', { base, k: 10, minLeverage: 2, maxLeverage: 50, halfLife: 1, maxStep: 1, hysteresis: 0.5, tickSeconds: 60 });
    // σ̂ ≈ 0.001 × 725 = 0.725 → target 13.8x: 72% below 50x: a move; then a target 10% away: held
    expect(q.onTick(market({ lastReturn: 0.001, referenceVol: 0.001 }), noAccounts, exch())).toBe(true);
    const l = q.leverage;
    expect(q.onTick(market({ tick: 1, lastReturn: 0.0011, referenceVol: 0.001 }), noAccounts, exch())).toBe(false);
    expect(q.leverage).toBe(l);
  });
});

describe('open-interest driven margin (dYdX v4 style)', () => {
  it('IMF rises linearly from base to 100% between the caps; MMF = IMF × maintenance fraction', () => {
    const p = new OpenInterestPolicy('oi', { baseImf: 0.05, maintenanceFraction: 0.6, driver: 'open-interest', lowerCap: 40e6, upperCap: 100e6, fundFloor: 0.2, step: 1e-9 });
    expect(p.rawImf(30e6, 1)).toBe(0.05);
    expect(p.rawImf(70e6, 1)).toBeCloseTo(0.05 + 0.95 * 0.5, 12);
    expect(p.rawImf(150e6, 1)).toBe(1);
    expect(p.onTick(market(), noAccounts, exch({ openInterestNotional: 70e6 }))).toBe(true);
    expect(p.imf).toBeCloseTo(0.525, 6);
    expect(p.table(0).mmr[0]).toBeCloseTo(0.525 * 0.6, 6);
    expect(p.headline().maxLeverage).toBeCloseTo(1 / 0.525, 6);
  });
  it('the insurance-fund variant ramps as fund health falls to its floor, in steps', () => {
    const p = new OpenInterestPolicy('if', { baseImf: 0.05, maintenanceFraction: 0.5, driver: 'insurance-fund', lowerCap: 0, upperCap: 1, fundFloor: 0.2, step: 0.05 });
    expect(p.rawImf(0, 1)).toBe(0.05);
    expect(p.rawImf(0, 0.6)).toBeCloseTo(0.05 + 0.95 * 0.5, 12);
    expect(p.rawImf(0, 0.1)).toBe(1);
    p.onTick(market(), noAccounts, exch({ insuranceFund: 0.6e6 }));
    expect(p.imf).toBeCloseTo(0.55, 12); // 0.525 stepped up to the next 0.05
  });
});

describe('account risk score', () => {
  const p = new RiskScorePolicy('rs', {
    base: [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.01 }],
    weights: { leverage: 1, concentration: 1, distance: 1, pnlVol: 1 }, refs: { leverage: 50, concentration: 0.1, distance: 0.2, pnlVol: 0.05 },
    minFactor: 0.2, buckets: 10, halfLife: 10,
  });
  it('combines leverage, concentration, distance to liquidation and PnL volatility', () => {
    expect(p.scoreOf(0, 0, 1, 0)).toBe(0);
    expect(p.scoreOf(25, 0.05, 0.1, 0.025)).toBeCloseTo(0.5, 12);
    expect(p.scoreOf(100, 1, 0, 1)).toBe(1);
  });
  it('maps the score to a per-account max leverage and leaves maintenance alone', () => {
    const a: AccountsView = {
      count: 2, size: Float64Array.from([1, 50]), entry: Float64Array.from([100, 100]), collateral: Float64Array.from([1000, 100]),
      liqPrice: Float64Array.from([0, 98.5]), state: new Uint8Array(2),
    };
    expect(p.onTick(market(), a, exch({ openInterestNotional: 5_100 }))).toBe(false);
    expect(p.score[0]).toBeLessThan(0.1);
    expect(p.score[1]).toBeGreaterThan(0.5); // 50x, ~98% of OI, 1.5% from liquidation
    expect(p.maxLeverage(1_000, 0)).toBe(50);
    expect(p.maxLeverage(1_000, 1)).toBeLessThan(30);
    expect(p.table(1).mmr[0]).toBe(0.01);
  });
});

describe('circuit breaker', () => {
  const mk = () => new CircuitBreakerPolicy('cb', {
    base: new TieredPolicy('base', [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.01 }]), soft: 3, hard: 6, exitRatio: 0.7, minDwell: 5,
    softMultiplier: 2, hardMultiplier: 4, hardReduceOnly: true, halfLife: 1, liqWeight: 1, liqRef: 0.01,
  });
  it('goes NORMAL → SOFT → HARD as the stress index rises, multiplying margin, HARD reduce-only', () => {
    const p = mk();
    // stress = EWMA(|r|/σ_ref + liquidated/OI/liqRef) with a half-life of 1 tick
    p.onTick(market({ lastReturn: 0.008 }), noAccounts, exch());
    expect(p.stress).toBeCloseTo(4, 9);
    expect(p.regime).toBe('SOFT');
    expect(p.table(0).maxLeverage[0]).toBe(25);
    expect(p.table(0).mmr[0]).toBeCloseTo(0.02, 12);
    expect(p.reduceOnly(0)).toBe(false);
    p.onTick(market({ tick: 1, lastReturn: 0.004 }), noAccounts, exch({ openInterestNotional: 1e6, liquidatedNotional: 80_000 }));
    expect(p.stress).toBeCloseTo(8, 9); // 0.5·4 + 0.5·(4 + 8)
    expect(p.regime).toBe('HARD');
    expect(p.reduceOnly(0)).toBe(true);
    expect(p.headline()).toMatchObject({ regime: 'HARD', marginMultiplier: 4 });
  });
  it('leaves a regime only below exitRatio × its threshold and after minDwell ticks', () => {
    const p = mk();
    p.onTick(market({ lastReturn: 0.008 }), noAccounts, exch());
    expect(p.next('SOFT', 2.5, 10)).toBe('SOFT'); // 2.5 > 0.7 × 3
    expect(p.next('SOFT', 1, 3)).toBe('SOFT'); // calm, but only 3 ticks in
    expect(p.next('SOFT', 1, 5)).toBe('NORMAL');
    expect(p.next('HARD', 3.5, 10)).toBe('SOFT');
  });
  it('every transition: HARD → SOFT below exitRatio × hard, → NORMAL below exitRatio × soft (issue 10, defect 6)', () => {
    const p = mk(); // soft 3, hard 6, exitRatio 0.7: SOFT exits below 2.1, HARD below 4.2; minDwell 5
    const cases: [Regime, number, number, Regime][] = [
      ['NORMAL', 2.9, 0, 'NORMAL'], ['NORMAL', 3, 0, 'SOFT'], ['NORMAL', 5.9, 0, 'SOFT'], ['NORMAL', 6, 0, 'HARD'],
      ['SOFT', 6, 0, 'HARD'], ['SOFT', 5.9, 10, 'SOFT'], ['SOFT', 2.1, 10, 'SOFT'], ['SOFT', 2.09, 10, 'NORMAL'], ['SOFT', 2.09, 4, 'SOFT'],
      ['HARD', 6, 10, 'HARD'], ['HARD', 4.2, 10, 'HARD'], ['HARD', 4.19, 10, 'SOFT'], ['HARD', 3, 10, 'SOFT'],
      // Between exitRatio × soft and soft: SOFT, as a SOFT market with the same stress stays SOFT.
      ['HARD', 2.5, 10, 'SOFT'], ['HARD', 2.1, 10, 'SOFT'], ['HARD', 2.09, 10, 'NORMAL'], ['HARD', 0, 10, 'NORMAL'],
      ['HARD', 0, 4, 'HARD'], ['HARD', 3, 4, 'HARD'],
    ];
    for (const [from, s, dwell, to] of cases) expect(p.next(from, s, dwell), `${from} at ${s} after ${dwell}`).toBe(to);
  });
});

describe('expected-shortfall margin', () => {
  it('ES_q is the mean of the worst (1 − q) share', () => {
    const x = Float64Array.from({ length: 100 }, (_, k) => k + 1); // 1..100
    expect(expectedShortfall(x, 0.95)).toBe((96 + 97 + 98 + 99 + 100) / 5);
    expect(expectedShortfall(x, 0.999)).toBe(100);
  });
  it('ES by partial selection equals the mean of the sorted tail, bit for bit, ties included', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 50; trial++) {
      const x = Float64Array.from({ length: 1 + Math.floor(rnd() * 3000) }, () => Math.round((rnd() - 0.5) * 200) / 1000);
      for (const q of [0.5, 0.9, 0.99, 0.999]) {
        const s = Float64Array.from(x).sort();
        const k = Math.max(1, Math.ceil(s.length * (1 - q) - 1e-9));
        let sum = 0;
        for (let j = s.length - k; j < s.length; j++) sum += s[j]!;
        expect(expectedShortfall(x, q)).toBe(sum / k);
      }
    }
  });
  it('the rolling update gives the IMR of the full path, tick by tick', () => {
    const params = { window: 50, horizon: 5, q: 0.9, maintenanceFraction: 0.5, minImr: 0.001, initialImr: 0.05, updateEvery: 1, hysteresis: 0 };
    const p = new EsMarginPolicy('es', params);
    const path: number[] = [];
    let mark = 100;
    for (let t = 0; t < 300; t++) {
      mark *= Math.exp(0.01 * Math.sin(t * 1.7) + (t % 37 === 0 ? -0.04 : 0));
      path.push(mark);
      p.onTick(market({ tick: t, mark }));
      if (path.length >= params.window + params.horizon) {
        const want = new EsMarginPolicy('ref', params).imrFor(Float64Array.from(path.slice(-(params.window + params.horizon))));
        expect(p.imr).toBe(want);
      }
    }
  });
  it('IMR = the larger of the long and short ES of simple losses: 1 − e^r and e^r − 1 (issue 10, defect 5)', () => {
    const params = { window: 100, horizon: 1, q: 0.95, maintenanceFraction: 0.5, minImr: 0.001, initialImr: 0.05, updateEvery: 1, hysteresis: 0 };
    const imr = (returns: number[]) => {
      const path = [100];
      for (const r of returns) path.push(path[path.length - 1]! * Math.exp(r));
      return new EsMarginPolicy('es', params).imrFor(Float64Array.from(path));
    };
    const calm = (k: number) => (k % 2 ? 0.001 : -0.001);
    // Short tail: five +8% .. +12% log returns. A short loses e^r − 1 on each (8.3% .. 12.7%).
    const up = [0.08, 0.09, 0.1, 0.11, 0.12];
    const shortEs = up.reduce((s, r) => s + Math.expm1(r), 0) / 5;
    expect(imr(Array.from({ length: 100 }, (_, k) => (k % 20 === 0 ? up[k / 20]! : calm(k))))).toBeCloseTo(shortEs, 12);
    // Long tail: the same moves down. A long loses 1 − e^r on each (7.7% .. 11.3%), the mean of the
    // losses (not 1 − e^(−mean log return)).
    const longEs = up.reduce((s, r) => s - Math.expm1(-r), 0) / 5;
    expect(imr(Array.from({ length: 100 }, (_, k) => (k % 20 === 0 ? -up[k / 20]! : calm(k))))).toBeCloseTo(longEs, 12);
    // Both tails of equal log size: the short tail is the larger, and sets the side-blind rate.
    expect(imr(Array.from({ length: 100 }, (_, k) => (k % 10 === 0 ? (k % 20 ? -1 : 1) * up[Math.floor(k / 20)]! : calm(k))))).toBeGreaterThan(longEs);
  });
  it('IMR = ES of h-tick returns on the worse tail; maintenance a fraction of it; applied once the window fills', () => {
    const p = new EsMarginPolicy('es', { window: 100, horizon: 1, q: 0.95, maintenanceFraction: 0.5, minImr: 0.005, initialImr: 0.05, updateEvery: 1, hysteresis: 0 });
    // a path whose 1-tick log returns are ±1% alternating, with five −5% drops
    const path: number[] = [100];
    for (let k = 1; k <= 100; k++) path.push(path[k - 1]! * Math.exp(k % 20 === 0 ? -0.05 : k % 2 ? 0.01 : -0.01));
    const want = 1 - Math.exp(-0.05);
    expect(p.imrFor(Float64Array.from(path))).toBeCloseTo(want, 12);
    let changed = false;
    path.forEach((mark, t) => { changed = p.onTick(market({ tick: t, mark })) || changed; });
    expect(changed).toBe(true);
    expect(p.imr).toBeCloseTo(want, 12);
    expect(p.table(0).mmr[0]).toBeCloseTo(want / 2, 12);
    expect(maintenanceMargin(1000, p.table(0))).toBeCloseTo(1000 * want / 2, 9);
  });
});
