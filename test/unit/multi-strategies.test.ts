import { describe, expect, it } from 'vitest';
import { crossMomentum } from '../../agents/cross-momentum';
import { marginUtilisation } from '../../agents/margin-utilisation';
import { accountEquity, accountMaintenance } from '../../agents/multi-asset';
import { pairTrade } from '../../agents/pair-trade';
import { portfolio } from '../../agents/portfolio';
import { STRATEGIES } from '../../agents/registry';
import { noise } from '../../agents/noise';
import { volTarget } from '../../agents/vol-target';
import { AccountState } from '../../sim/exchange/accounts';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import type { World } from '../../sim/run/world';
import type { MarginMode } from '../../sim/world/types';
import { runWorld, venueAgents, type VenuePopSettings } from '../helpers/venue';

const MODES: MarginMode[] = ['isolated', 'cross', 'portfolio'];
const flat = (p: number, n: number): number[] => new Array(n).fill(p);
const scan = (n: number) => ({ scan: Array.from({ length: n }, () => ({ kind: 'fixed' as const, range: 0.05 })), initialFactor: 1.5 });

/** Records, after every tick, each market's notional of account `i`. */
function notionals(w: World, i: number): number[][] {
  const out: number[][] = [];
  w.bus.tick$.subscribe(() => out.push(w.markets.map((_h, m) => w.venue.notional(i, m))));
  return out;
}

function world(prices: number[][], pops: VenuePopSettings[], policy?: () => FixedPolicy) {
  return venueAgents({
    assets: prices.map((p, m) => ({ name: `A${m}`, prices: p, policy: policy?.() })),
    pops, margin: scan(prices.length),
  });
}

function expectLedger(ticks: { relativeResidual: number }[]): void {
  expect(ticks.length).toBeGreaterThan(0);
  for (const t of ticks) expect(t.relativeResidual).toBeLessThan(1e-9);
}

describe('the multi-asset strategies are registered with documented parameters', () => {
  it('pair-trade, portfolio, cross-momentum, margin-utilisation', () => {
    for (const s of [pairTrade, portfolio, crossMomentum, marginUtilisation]) {
      expect(STRATEGIES[s.name]).toBe(s);
      for (const p of Object.values(s.params)) expect(p.doc.length).toBeGreaterThan(0);
    }
  });
  it('a two-asset strategy in a one-asset world fails at build, naming the population', () => {
    expect(() => world([flat(100, 5)], [{ name: 'rv', strategy: pairTrade }])).toThrow(/population rv: strategy pair-trade needs at least 2 assets; the world has 1/);
    expect(() => world([flat(100, 5), flat(50, 5)], [{ name: 'rv', strategy: pairTrade, params: { short: 2 } }])).toThrow(/short = 2 is not an asset/);
  });
});

describe('pair-trade', () => {
  it('holds long `long` and short β × as much of `short`, at gross leverage × equity, in every margin mode', () => {
    for (const marginMode of MODES) {
      const w = world([flat(100, 6), flat(50, 6), flat(10, 6)], [{ strategy: pairTrade, marginMode, leverage: 4, params: { long: 2, short: 0, beta: 1.5 } }]);
      const x = notionals(w.world, 1);
      runWorld(w.world);
      // E = 1,000, G = 4,000: long 1,600 of asset 2, short 2,400 of asset 0, nothing of asset 1.
      for (const row of x) {
        expect(row[2]).toBeCloseTo(1_600, 6);
        expect(row[0]).toBeCloseTo(-2_400, 6);
        expect(row[1]).toBe(0);
      }
      expectLedger(w.ticks);
      if (marginMode === 'isolated') {
        // Wallets funded 1 : β at init: 400 in asset 2's, 600 in asset 0's (the population's market).
        expect(w.world.markets[2]!.exchange.accounts.collateral[1]).toBeCloseTo(400, 9);
        expect(w.world.markets[0]!.exchange.accounts.collateral[1]).toBeCloseTo(600, 9);
      }
    }
  });

  it('isolated: once a leg\'s wallet is liquidated, the other leg is closed, not held alone', () => {
    // A short leg liquidated by a rise of its asset, or the long leg (the population's own market) by a fall of its own.
    const still = flat(100, 14), up = [100, 100, 100, 104, 108, 112, 116, 116, 116, 116, 116, 116, 116, 116];
    const down = up.map((p) => 200 - p);
    for (const [prices, hit] of [[[still, up], 1], [[down, still], 0]] as const) {
      const w = world([...prices], [{ strategy: pairTrade, marginMode: 'isolated', leverage: 10 }]);
      runWorld(w.world);
      // Before: a 10x pair (5,000 a leg on 500 a wallet) kept the surviving leg open alone to the end (2,500 of A0 long).
      expect(w.world.markets[hit]!.exchange.accounts.state[1]).toBe(AccountState.Liquidated);
      expect([w.world.venue.notional(1, 0), w.world.venue.notional(1, 1)]).toEqual([0, 0]);
      expectLedger(w.ticks);
    }
  });

  it('estimates β online: r_long = 2 r_short exactly gives a short leg twice the long', () => {
    const n = 40;
    const s = Array.from({ length: n }, (_, t) => 100 * Math.exp(0.01 * Math.sin(t)));
    const l = s.map((p) => 100 * (p / 100) ** 2);
    const w = world([l, s], [{ strategy: pairTrade, marginMode: 'cross', leverage: 3, params: { beta: 1, betaHalfLife: 5, band: 0 } }]);
    const x = notionals(w.world, 1);
    runWorld(w.world);
    expect(x[2]![1]! / x[2]![0]!).toBeCloseTo(-1, 9); // before 5 returns: the `beta` param
    const last = x.at(-1)!;
    expect(last[1]! / last[0]!).toBeCloseTo(-2, 6);
    expect(last[0]! - last[1]!).toBeCloseTo(3 * w.world.venue.equity(1), 6);
    expectLedger(w.ticks);
  });

  it('enters when the log spread z ≤ −entryZ and exits when z ≥ −exitZ', () => {
    // Asset 0 wobbles ±0.1% around 100 for 20 ticks, drops 3% for 10, then comes back.
    const a = [...Array.from({ length: 21 }, (_, t) => 100 * (1 + 0.001 * (t % 2 === 0 ? 1 : -1))), ...flat(97, 10), ...flat(100, 10)];
    const b = flat(50, a.length);
    const w = world([a, b], [{ strategy: pairTrade, marginMode: 'cross', leverage: 2, params: { entryZ: 2, exitZ: 0, zHalfLife: 10 } }]);
    const x = notionals(w.world, 1);
    runWorld(w.world);
    for (let t = 0; t < 19; t++) expect(x[t]![0]).toBe(0);
    expect(x[20]![0]).toBeGreaterThan(0); // the drop (mark of tick 20 = prices[21] = 97): long asset 0 …
    expect(x[20]![1]).toBeLessThan(0); // … short asset 1
    expect(x.at(-1)![0]).toBe(0); // back to 100: out
    expect(x.at(-1)![1]).toBe(0);
    expectLedger(w.ticks);
  });
});

describe('portfolio', () => {
  it('holds equal weights at the target leverage and rebalances only when drift exceeds the band', () => {
    for (const marginMode of MODES) {
      // Asset 0 +20% at tick 3 (drift 200 / 3,600 = 5.6% < 10%: holds), +50% at tick 6 (11% > 10%: rebalances).
      const a0 = [100, 100, 100, 100, 120, 120, 120, 150, 150, 150];
      const w = world([a0, flat(50, 10), flat(10, 10)], [{ strategy: portfolio, marginMode, leverage: 3, params: { band: 0.1 } }]);
      const x = notionals(w.world, 1);
      runWorld(w.world);
      for (const v of x[0]!) expect(v).toBeCloseTo(1_000, 6);
      expect(x[3]![0]).toBeCloseTo(1_200, 6);
      expect(x[3]![1]).toBeCloseTo(1_000, 6);
      expect(x[5]![0]).toBeCloseTo(1_200, 6);
      // E = 1,500 at tick 6 (gain 200 + 300): targets 1,500 each.
      for (const v of x[6]!) expect(v).toBeCloseTo(1_500, 6);
      expectLedger(w.ticks);
    }
  });

  it('inverse-volatility weights: the calmer asset gets the larger weight', () => {
    const n = 60;
    const a = Array.from({ length: n }, (_, t) => 100 * (t % 2 === 0 ? 1 : 1.01));
    const b = Array.from({ length: n }, (_, t) => 100 * (t % 2 === 0 ? 1 : 1.04));
    const w = world([a, b], [{ strategy: portfolio, marginMode: 'cross', leverage: 2, params: { weighting: 1, band: 0 } }]);
    const x = notionals(w.world, 1);
    runWorld(w.world);
    const [xa, xb] = x.at(-1)!;
    // σ_b ≈ 4 σ_a: weights ≈ 0.8 / 0.2 (exactly 1/σ at the decision; the marks move after it).
    expect(xa! / xb!).toBeGreaterThan(3);
    expect(xa! / xb!).toBeLessThan(5.5);
    expectLedger(w.ticks);
  });
});

describe('cross-momentum', () => {
  it('isolated: once a leg\'s wallet is liquidated, the other legs are closed, not held alone', () => {
    // Long A0 (rising), short A1 at 10x from tick 2 (5,000 a leg on 500 a wallet); A1 jumps 12% at tick 8.
    const a0 = Array.from({ length: 30 }, (_, t) => 100 * (1 + 0.002 * t));
    const a1 = Array.from({ length: 30 }, (_, t) => (t < 8 ? 100 : 112));
    const w = world([a0, a1], [{ strategy: crossMomentum, marginMode: 'isolated', leverage: 10, params: { lookback: 3, rebalanceTicks: 5 } }]);
    const x = notionals(w.world, 1);
    runWorld(w.world);
    expect(x[2]).toEqual([5_000, -5_000]);
    expect(w.world.markets[1]!.exchange.accounts.state[1]).toBe(AccountState.Liquidated);
    // Before: each rebalance re-targeted the surviving leg alone (a naked A0 long of 3,044 at the end).
    expect(x.at(-1)).toEqual([0, 0]);
    expectLedger(w.ticks);
  });
  it('is long the best asset over lookback, short the worst, dollar-neutral, rebalanced every rebalanceTicks', () => {
    for (const marginMode of MODES) {
      // Ticks 0–9: asset 0 rises, 1 flat, 2 falls; then the reverse.
      const up = (t: number) => 100 * Math.exp(0.01 * (t <= 10 ? t : 20 - t));
      const a0 = Array.from({ length: 30 }, (_, t) => up(t));
      const a2 = Array.from({ length: 30 }, (_, t) => 10000 / up(t));
      const w = world([a0, flat(50, 30), a2], [{ strategy: crossMomentum, marginMode, leverage: 2, params: { lookback: 5, rebalanceTicks: 10 } }]);
      const x = notionals(w.world, 1);
      const sizes: number[][] = [];
      w.world.bus.tick$.subscribe(() => sizes.push(w.world.markets.map((h) => h.exchange.accounts.size[1]!)));
      runWorld(w.world);
      for (let t = 0; t < 4; t++) expect(x[t]!.every((v) => v === 0)).toBe(true); // window not full yet
      // First rebalance at tick 4 (5 returns seen): long asset 0, short asset 2, each E = 1,000.
      expect(x[4]![0]).toBeCloseTo(1_000, 6);
      expect(x[4]![1]).toBe(0);
      expect(x[4]![2]).toBeCloseTo(-1_000, 6);
      for (let t = 5; t < 14; t++) expect(sizes[t]).toEqual(sizes[4]); // holds between rebalances
      // Tick 14: asset 0 has fallen and asset 2 risen over the last 5 ticks: the legs flip.
      expect(x[14]![0]).toBeLessThan(0);
      expect(x[14]![2]).toBeGreaterThan(0);
      expect(x[14]![0]! + x[14]![2]!).toBeCloseTo(0, 6);
      expectLedger(w.ticks);
    }
  });
});

describe('margin-utilisation', () => {
  /** Both assets fall 1% a tick for 15 ticks, then hold. */
  const fall = (p0: number) => Array.from({ length: 25 }, (_, t) => p0 * 0.99 ** Math.min(Math.max(t - 1, 0), 15));
  const policy = () => new FixedPolicy(20, 0.025); // IM 5%, MM 2.5%: usage at 12x = 0.3

  it('keeps usage inside [low, high] through a moderate fall and is never liquidated, while a fixed-leverage twin is', () => {
    for (const marginMode of MODES) {
      const w = world([fall(100), fall(50)], [
        { name: 'mu', strategy: marginUtilisation, marginMode, leverage: 12, longBias: 1, params: { low: 0.2, high: 0.4, target: 0.3 } },
        { name: 'twin', strategy: marginUtilisation, marginMode, leverage: 12, longBias: 1, params: { low: 0, high: 1e9, target: 0.3 } },
      ], policy);
      const [mu, twin] = w.pops;
      const usage: number[] = [];
      const x = notionals(w.world, mu!.first);
      w.world.bus.tick$.subscribe(() => usage.push(accountMaintenance(mu!, mu!.first) / accountEquity(mu!, mu!.first)));
      runWorld(w.world);
      const accts = w.world.exchange.accounts;
      expect(accts.state[mu!.first]).toBe(AccountState.Active);
      expect(w.world.markets.some((h) => h.exchange.accounts.state[twin!.first] === AccountState.Liquidated)).toBe(true);
      // Decisions see the tick's mark, so a cut lands before the tick ends: usage is inside the band after every tick …
      for (let t = 1; t < usage.length; t++) {
        expect(usage[t]).toBeGreaterThanOrEqual(0.2 - 1e-9);
        expect(usage[t]).toBeLessThanOrEqual(0.4 + 1e-9);
      }
      // … because the agent cut: its gross fell by more than the prices did.
      expect(x.at(-1)![0]! + x.at(-1)![1]!).toBeLessThan(0.6 * (x[1]![0]! + x[1]![1]!));
      expectLedger(w.ticks);
    }
  });

  it('adds proportionally (cut by allowedOrder) when usage falls below low', () => {
    // Long both at 4x (usage 0.1 < low 0.2): scaled up to target 0.3, i.e. 12x, in the 2 : 1 ratio it holds.
    const w = world([flat(100, 5), flat(50, 5)], [{ strategy: marginUtilisation, marginMode: 'cross', leverage: 4, longBias: 1, params: { low: 0.2, high: 0.4, target: 0.3 } }], policy);
    const x = notionals(w.world, 1);
    runWorld(w.world);
    expect(x[0]![0]).toBeCloseTo(2_000, 6);
    // (to Float32 precision: parameters are single precision)
    expect(x[1]![0]).toBeCloseTo(6_000, 2);
    expect(x[1]![1]).toBeCloseTo(6_000, 2);
    // A target above what initial margin allows (usage at max leverage = MM / IM = 0.5) is cut there.
    const c = world([flat(100, 5), flat(50, 5)], [{ strategy: marginUtilisation, marginMode: 'cross', leverage: 4, longBias: 1, params: { low: 0.7, high: 0.9, target: 0.8 } }], policy);
    const y = notionals(c.world, 1);
    runWorld(c.world);
    expect(y.at(-1)![0]! + y.at(-1)![1]!).toBeLessThanOrEqual(20_000 * (1 + 1e-9));
    expect(y.at(-1)![0]! + y.at(-1)![1]!).toBeGreaterThan(19_000);
    expectLedger(c.ticks);
  });
});

describe('single-market strategies trade their population\'s asset', () => {
  it('noise and vol-target on asset 1 (startOpen seeded there too) never touch market 0', () => {
    const w = world([flat(100, 8), flat(50, 8)], [
      { strategy: noise, count: 20, asset: 1, startOpen: 1, params: { entryProb: 0.5, exitProb: 0.2 } },
      { strategy: volTarget, count: 5, asset: 1 },
    ]);
    const m0: number[] = [], m1: number[] = [];
    const gross = (m: number) => { let g = 0; for (let i = 1; i <= 25; i++) g += Math.abs(w.world.markets[m]!.exchange.accounts.size[i]!); return g; };
    m1.push(gross(1));
    w.world.bus.tick$.subscribe(() => { m0.push(gross(0)); m1.push(gross(1)); });
    runWorld(w.world);
    expect(m1[0]).toBeGreaterThan(0); // the starting book is in market 1
    expect(m1.at(-1)).toBeGreaterThan(0);
    expect(m0.every((g) => g === 0)).toBe(true);
    expectLedger(w.ticks);
  });
});
