import { describe, expect, it } from 'vitest';
import { noise } from '../../agents/noise';
import { trend } from '../../agents/trend';
import { contrarian } from '../../agents/contrarian';
import { volTarget } from '../../agents/vol-target';
import { value } from '../../agents/value';
import { marketMaker } from '../../agents/market-maker';
import { basisArb } from '../../agents/basis-arb';
import { agentWorld, geometric, runPositions } from '../helpers/agents';

// Note: with a replay path, tick t's mark is prices[t + 1] (prices[0] is the start).

describe('noise traders', () => {
  it('open at the drawn leverage on a side drawn with longBias, and close with exitProb', () => {
    const { world, pops } = agentWorld({ pops: [{ strategy: noise, count: 4000, longBias: 0.8, leverage: 10, params: { entryProb: 1, exitProb: 0 } }], prices: [100, 100, 100] });
    const pos = runPositions(world, pops[0]!);
    const t0 = pos[0]!;
    expect(t0.every((q) => Math.abs(Math.abs(q) - 100) < 1e-9)).toBe(true); // 10 × 1,000 / 100
    const longs = t0.filter((q) => q > 0).length / t0.length;
    expect(longs).toBeGreaterThan(0.77);
    expect(longs).toBeLessThan(0.83);
    const c = agentWorld({ pops: [{ strategy: noise, count: 2000, params: { entryProb: 1, exitProb: 0.25 } }], prices: [100, 100, 100, 100] });
    const p2 = runPositions(c.world, c.pops[0]!);
    const closed = p2[1]!.filter((q) => q === 0).length / 2000;
    expect(closed).toBeGreaterThan(0.21);
    expect(closed).toBeLessThan(0.29);
  });
});

describe('trend followers', () => {
  it('EMA crossover: long in a rising market, short in a falling one', () => {
    const up = agentWorld({ pops: [{ strategy: trend, count: 3, params: { fast: 3, slow: 10, rule: 0, threshold: 0.001 } }], prices: geometric(100, 1.01, 20) });
    const pu = runPositions(up.world, up.pops[0]!);
    expect(pu.at(-1)!.every((q) => q > 0)).toBe(true);
    const down = agentWorld({ pops: [{ strategy: trend, count: 3, params: { fast: 3, slow: 10, rule: 0, threshold: 0.001 } }], prices: geometric(100, 0.99, 20) });
    expect(runPositions(down.world, down.pops[0]!).at(-1)!.every((q) => q < 0)).toBe(true);
  });

  it('breakout: goes long when the mark breaks the previous slow-window high, holds until a downside break', () => {
    const prices = [100, ...new Array(12).fill(100), 103, 102, 101, 100.5, 96];
    const w = agentWorld({ pops: [{ strategy: trend, count: 1, params: { fast: 3, slow: 10, rule: 1 } }], prices });
    const p = runPositions(w.world, w.pops[0]!).map((r) => r[0]!);
    expect(p[11]).toBe(0); // flat range: no break
    expect(p[12]).toBeGreaterThan(0); // 103 breaks the 100 high
    expect(p[15]).toBeGreaterThan(0); // 100.5 is inside the channel: held
    expect(p[16]).toBeLessThan(0); // 96 breaks the low
  });
});

describe('contrarians', () => {
  it('buy after a drop of x% over the window, close after a rise', () => {
    const prices = [100, 100, 100, 100, 100, 96, 96, 96, 99, 101];
    const w = agentWorld({ pops: [{ strategy: contrarian, count: 1, params: { window: 3, drop: 0.03, rise: 0.03 } }], prices });
    const p = runPositions(w.world, w.pops[0]!).map((r) => r[0]!);
    expect(p[3]).toBe(0);
    expect(p[4]).toBeGreaterThan(0); // 96 vs 100 three ticks ago: −4%
    expect(p[6]).toBeGreaterThan(0); // held while flat
    expect(p[7]).toBe(0); // 99 vs 96 three ticks ago: +3.1%: sells
  });
});

describe('volatility targeters', () => {
  it('hold targetVol / realized vol of leverage, capped, and cut when volatility rises', () => {
    // alternating ±1% moves: per-tick vol 1%, annualised 0.01·√525,600 ≈ 7.25
    const prices = Array.from({ length: 200 }, (_, k) => (k % 2 ? 101 : 100));
    const w = agentWorld({ pops: [{ strategy: volTarget, count: 1, collateral: 1_000, params: { targetVol: 14.5, band: 0.05, maxLeverage: 10 } }], prices });
    const mkt = w.world.market;
    const lev: number[] = [];
    const a = w.world.exchange.accounts;
    w.world.bus.tick$.subscribe((t) => lev.push((a.size[1]! * t.mark) / a.equity(1, t.mark)));
    w.world.simulation.run().subscribe();
    const sigma = mkt.realizedVol * Math.sqrt(525_600);
    expect(lev.at(-1)!).toBeCloseTo(Math.min(10, 14.5 / sigma), 0);
    expect(lev.at(-1)!).toBeGreaterThan(1);
    expect(lev.at(-1)!).toBeLessThan(lev[0]!); // started at the cap when vol was calm, cut as it rose
  });
});

describe('value funds', () => {
  it('buy in proportion to V − p, and must sell back to the cap when a fall breaches it', () => {
    // V = 110 (value param); p = 100: target λ = 20 × 0.1 = 2 (under the cap of 3)
    const prices = [100, 100, 100, 100, 100, 100, 80, 80];
    const w = agentWorld({ pops: [{ strategy: value, count: 1, collateral: 10_000, params: { value: 110, aggression: 20, maxLeverage: 3, band: 0.01, speed: 1 } }], prices });
    const a = w.world.exchange.accounts;
    const lev: number[] = [];
    w.world.bus.tick$.subscribe((t) => lev.push((a.size[1]! * t.mark) / a.equity(1, t.mark)));
    w.world.simulation.run().subscribe();
    expect(lev[0]).toBeCloseTo(2, 6);
    // at 80: equity fell, leverage jumped above 3; mispricing target would be 20 × 30/80 = 7.5, so the
    // fund sits at its cap of 3 after selling (the forced sale of Thurner et al.)
    expect(lev[5]).toBeCloseTo(3, 6);
  });
});

describe('market makers', () => {
  it('lean against last tick\'s flow within the inventory limit', () => {
    const { world, pops } = agentWorld({
      pops: [
        { strategy: noise, count: 100, longBias: 1, leverage: 5, params: { entryProb: 1, exitProb: 0 } },
        { strategy: marketMaker, count: 2, collateral: 1_000_000, params: { absorb: 0.5, skew: 0, inventoryLimit: 5 } },
      ],
      prices: [100, 100, 100, 100],
    });
    const mm = runPositions(world, pops[1]!);
    // tick 0: crowd buys 100 × 50 = 5,000; tick 1: makers sell half of it between them
    expect(mm[1]![0]).toBeCloseTo(-1_250, 6);
    expect(mm[1]![1]).toBeCloseTo(-1_250, 6);
  });

  it('withdraw depth as volatility and their own losses rise: the liquidity model sees it', () => {
    const calm = agentWorld({ pops: [{ strategy: marketMaker, count: 2, collateral: 1_000_000, params: { depthShare: 0.6, volSensitivity: 1 } }], prices: new Array(5).fill(100), depth: 1e7 });
    calm.world.simulation.run().subscribe();
    expect(calm.world.market.providedDepthFactor).toBeCloseTo(1, 9);
    const wild = agentWorld({ pops: [{ strategy: marketMaker, count: 2, collateral: 1_000_000, params: { depthShare: 0.6, volSensitivity: 1 } }], prices: [100, 100, 100, 90, 100, 88], depth: 1e7 });
    const depth: number[] = [];
    wild.world.bus.tick$.subscribe((t) => depth.push(t.depth));
    wild.world.simulation.run().subscribe();
    expect(wild.world.market.providedDepthFactor).toBeCloseTo(0.4, 9); // 1 − share: makers gone
    expect(depth.at(-1)!).toBeLessThan(depth[0]!);
  });
});

describe('basis arbitrageurs', () => {
  it('short a rich perp, never past the flow that closes the premium, and pull the mark toward the index', () => {
    const { world, pops } = agentWorld({
      pops: [
        { strategy: noise, count: 200, longBias: 1, leverage: 10, collateral: 10_000, params: { entryProb: 1, exitProb: 0 } },
        { strategy: basisArb, count: 5, collateral: 5_000_000, leverage: 3, params: { threshold: 0.0005, scale: 0.005, speed: 0.5 } },
      ],
      prices: new Array(30).fill(100), depth: 5_000_000,
    });
    const prem: number[] = [];
    world.bus.tick$.subscribe((t) => prem.push(t.premium));
    const arb = runPositions(world, pops[1]!);
    expect(prem[0]).toBeGreaterThan(0.01); // the crowd's buying made the perp rich
    expect(arb[1]!.every((q) => q < 0)).toBe(true);
    expect(Math.abs(prem[1]!)).toBeLessThan(prem[0]!);
    expect(prem[1]).toBeGreaterThan(0); // did not overshoot through the index
    // a proportional rule: with no other force on the premium it settles where the arbs' position
    // balances the crowd's, well below where it started, and on the same side
    expect(prem.at(-1)!).toBeLessThan(prem[0]! / 4);
    expect(prem.at(-1)!).toBeGreaterThan(0);
  });
});
