/**
 * Policies compose (issue 10): `circuit-breaker` and `vol-scaled` scale any policy given as `base`,
 * dynamic ones included; the old `base: { preset | fixed | tiered }` forms build the same schedules.
 */
import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../sim/scenario/schema';
import { buildPolicy, type PolicyFactory } from '../../sim/run/policy-factory';
import { RandomStream, RandomStreams } from '../../sim/engine/rng';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { CircuitBreakerPolicy } from '../../sim/exchange/policies/circuit-breaker';
import { EsMarginPolicy } from '../../sim/exchange/policies/es-margin';
import { VolScaledPolicy } from '../../sim/exchange/policies/vol-scaled';
import { RiskScorePolicy } from '../../sim/exchange/policies/risk-score';
import { scaleLeverage, scaleTable } from '../../sim/exchange/policies/scale';
import { compileTiers } from '../../sim/exchange/margin';
import { PRESETS } from '../../sim/exchange/policies/presets';
import type { AccountsView, ExchangeView } from '../../sim/exchange/policies/types';
import type { MarketView } from '../../sim/market/market';

const market = (o: Partial<MarketView> = {}): MarketView => ({
  tick: 0, index: 100, mark: 100, markPrice: 100, realizedVol: 0.001, depth: 1e6, lastReturn: 0, exogenousReturn: 0, referenceVol: 0.001, tickMove: 0,
  flowForMove: () => 0, ...o,
});
const noAccounts: AccountsView = { count: 0, size: new Float64Array(0), entry: new Float64Array(0), collateral: new Float64Array(0), liqPrice: new Float64Array(0), state: new Uint8Array(0) };
const exch = (o: Partial<ExchangeView> = {}): ExchangeView => ({ openInterestNotional: 0, insuranceFund: 1e6, insuranceFundStart: 1e6, liquidatedNotional: 0, ...o });
const ctx = { tickSeconds: 60, modules: new Map(), streams: new RandomStreams(1) };
const build = (entry: unknown) => buildPolicy(PolicySchema.parse(entry), ctx, 'p');

describe('policies compose', () => {
  it('the schema takes any policy entry as base, nested, and keeps the old forms', () => {
    const p = PolicySchema.parse({ type: 'circuit-breaker', base: { type: 'vol-scaled', base: { type: 'es-margin', window: 50 } } });
    expect('base' in p && p.base).toMatchObject({ type: 'vol-scaled', base: { type: 'es-margin', window: 50, horizon: 60 } });
    expect(PolicySchema.parse({ type: 'vol-scaled' })).toMatchObject({ base: { preset: 'binance-btcusdt' } });
    for (const base of [{ preset: 'bybit-btcusdt' }, { type: 'fixed', maxLeverage: 25, mmr: 0.02 }, { type: 'tiered', tiers: [{ floor: 0, cap: 1e6, maxLeverage: 50, mmr: 0.01 }, { floor: 1e6, cap: 1e9, maxLeverage: 20, mmr: 0.02 }] }]) {
      expect(PolicySchema.safeParse({ type: 'circuit-breaker', base }).success).toBe(true);
    }
    expect(PolicySchema.safeParse({ type: 'circuit-breaker', base: { type: 'es-margin', window: 5 } }).success).toBe(false); // window ≥ 10, checked inside
  });

  it('a static base builds the schedules the tier-list form did', () => {
    const cb = build({ type: 'circuit-breaker', base: { preset: 'binance-btcusdt' } }) as CircuitBreakerPolicy;
    expect(cb.table(0)).toEqual(compileTiers(PRESETS['binance-btcusdt']!.tiers));
    const vs = build({ type: 'vol-scaled', base: { type: 'fixed', maxLeverage: 25, mmr: 0.02 } }) as VolScaledPolicy;
    expect(vs.table(0)).toEqual(scaleLeverage([{ floor: 0, cap: Infinity, maxLeverage: 25, mmr: 0.02 }], 1));
    // the circuit breaker in SOFT scales the preset exactly as before: scaleLeverage(tiers, 1 / 1.5)
    cb.onTick(market({ lastReturn: 0.03 }), noAccounts, exch()); // stress (1 − 0.5^(1/5)) × 30 ≈ 3.9: SOFT
    expect(cb.regime).toBe('SOFT');
    expect(cb.table(0)).toEqual(scaleLeverage(PRESETS['binance-btcusdt']!.tiers, 1 / cb.multiplier()));
  });

  it('an ES margin scaled by the breaker: the ES rate moves the schedule in every regime', () => {
    const cb = build({
      type: 'circuit-breaker', soft: 3, hard: 6, halfLife: 1, minDwell: 0, softMultiplier: 2, hardMultiplier: 4,
      base: { type: 'es-margin', window: 20, horizon: 1, q: 0.9, initialImr: 0.05, minImr: 0.01, updateEvery: 1, hysteresis: 0, maintenanceFraction: 0.5 },
    }) as CircuitBreakerPolicy;
    const es = cb.base as EsMarginPolicy;
    let mark = 100;
    const changes: number[] = [];
    const regimes: string[] = [];
    for (let t = 0; t < 40; t++) {
      // calm ±0.1% moves, then a 3% drop at tick 30: the stress index jumps (|r|/σ_ref = 30) and ES rises
      const r = t === 30 ? -0.03 : t % 2 ? 0.001 : -0.001;
      mark *= Math.exp(r);
      if (cb.onTick(market({ tick: t, mark, lastReturn: r }), noAccounts, exch())) changes.push(t);
      regimes.push(cb.regime);
      const m = cb.multiplier();
      expect(cb.table(0).maxLeverage[0]).toBeCloseTo(1 / es.imr / m, 9);
      expect(cb.table(0).mmr[0]).toBeCloseTo(Math.min(0.95, (es.imr * 0.5) * m), 12);
    }
    expect(changes).toContain(20); // the window filled: ES set the base's rate, the breaker rescaled it
    expect(changes).toContain(30);
    expect(regimes[30]).toBe('HARD');
    expect(regimes[39]).toBe('NORMAL');
    expect(es.imr).toBeCloseTo(-(Math.expm1(-0.03) + Math.expm1(-0.001)) / 2, 12); // the 3% drop is in the ES tail (k = 2)
  });

  it('vol-scaled over a dynamic base multiplies the base\'s current limits by L_t / L_base', () => {
    const base = new EsMarginPolicy('es', { window: 10, horizon: 1, q: 0.9, maintenanceFraction: 0.5, minImr: 0.02, initialImr: 0.04, updateEvery: 1, hysteresis: 0 });
    const vs = new VolScaledPolicy('vs', { base, k: 10, minLeverage: 1, maxLeverage: 25, halfLife: 1, maxStep: 1, hysteresis: 0, tickSeconds: 60 });
    let mark = 100;
    for (let t = 0; t < 15; t++) {
      mark *= Math.exp(0.002);
      vs.onTick(market({ tick: t, mark, lastReturn: 0.002, referenceVol: 0.001 }), noAccounts, exch());
      const f = vs.leverage / 25; // L_base: the ES policy's 1 / 0.04 at the start
      expect(vs.table(0)).toEqual(scaleTable(base.table(0), f));
    }
    expect(base.imr).not.toBe(0.04);
  });

  it('a risk-score base keeps its per-account limits, scaled, and its reduce-only rule holds', () => {
    const rs = new RiskScorePolicy('rs', {
      base: [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.01 }], weights: { leverage: 1, concentration: 0, distance: 0, pnlVol: 0 },
      refs: { leverage: 50, concentration: 1, distance: 1, pnlVol: 1 }, minFactor: 0.2, buckets: 10, halfLife: 10,
    });
    const cb = new CircuitBreakerPolicy('cb', {
      base: rs, soft: 3, hard: 6, exitRatio: 0.7, minDwell: 0, softMultiplier: 2, hardMultiplier: 4, hardReduceOnly: false, halfLife: 1, liqWeight: 0, liqRef: 1,
    });
    const a: AccountsView = { count: 2, size: Float64Array.from([1, 40]), entry: Float64Array.from([100, 100]), collateral: Float64Array.from([1000, 100]), liqPrice: Float64Array.from([NaN, 98]), state: new Uint8Array(2) };
    cb.onTick(market({ lastReturn: 0.008 }), a, exch({ openInterestNotional: 4_100 }));
    expect(cb.regime).toBe('SOFT');
    expect(cb.imTable!(1)).toEqual(scaleTable(rs.imTable(1), 0.5));
    expect(cb.maxLeverage(1_000, 1)).toBeCloseTo(rs.maxLeverage(1_000, 1) * 0.5, 12);
    expect(cb.maxLeverage(1_000, 1)).toBeLessThan(cb.maxLeverage(1_000, 0));
    expect(cb.reduceOnly(0)).toBe(false);
  });
});

describe('custom policy modules get ctx.rng', () => {
  /** A module that draws three uniforms from the stream it names, at build time. */
  const draws = new Map<string, number[]>();
  const factory: PolicyFactory = (params, c) => {
    const r = c.rng(params.stream as string);
    draws.set(c.name, [r.next(), r.next(), r.next()]);
    return new FixedPolicy(20, 0.02, { name: c.name });
  };
  const modules = new Map([['./m.ts', factory]]);
  const at = (seed: number) => ({ tickSeconds: 60, modules, streams: new RandomStreams(seed) });
  const spec = (stream: string) => PolicySchema.parse({ module: './m.ts', params: { stream } });

  it('keys the stream by the name the module asks for, not the policy label: common random numbers', () => {
    buildPolicy(spec('my-policy'), at(7), 'alpha');
    buildPolicy(spec('my-policy'), at(7), 'beta');
    expect(draws.get('alpha')).toEqual(draws.get('beta'));
    expect(draws.get('alpha')).toEqual(((r) => [r.next(), r.next(), r.next()])(new RandomStream(7, 'policy/my-policy')));
    buildPolicy(spec('other'), at(7), 'gamma');
    expect(draws.get('gamma')).not.toEqual(draws.get('alpha'));
    buildPolicy(spec('my-policy'), at(8), 'delta');
    expect(draws.get('delta')).not.toEqual(draws.get('alpha'));
  });

  it('the shipped drawdown-brake draws its trigger from ctx.rng, the same under any label', async () => {
    const brake = (await import('../../scenarios/policies/drawdown-brake')).default;
    const params = { maxLeverage: 20, mmr: 0.02, trigger: 0.05, jitter: 0.5, brake: 2 };
    const a = brake(params, { name: 'a', tickSeconds: 60, rng: (s) => new RandomStreams(3).stream(`policy/${s}`) }) as unknown as { trigger: number };
    const b = brake(params, { name: 'b', tickSeconds: 60, rng: (s) => new RandomStreams(3).stream(`policy/${s}`) }) as unknown as { trigger: number };
    expect(a.trigger).toBe(b.trigger);
    expect(a.trigger).toBeGreaterThanOrEqual(0.025);
    expect(a.trigger).toBeLessThan(0.075);
    expect(a.trigger).not.toBe(0.05);
    const c = brake({ ...params, jitter: 0 }, { name: 'c', tickSeconds: 60, rng: (s) => new RandomStreams(3).stream(`policy/${s}`) }) as unknown as { trigger: number };
    expect(c.trigger).toBe(0.05);
  });
});
