import { describe, expect, it } from 'vitest';
import { noise } from '../../agents/noise';
import { trend } from '../../agents/trend';
import { contrarian } from '../../agents/contrarian';
import { volTarget } from '../../agents/vol-target';
import { value } from '../../agents/value';
import { marketMaker } from '../../agents/market-maker';
import { basisArb } from '../../agents/basis-arb';
import { EmaBank } from '../../agents/ema-bank';
import type { StrategyDefinition } from '../../agents/strategy';
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

describe('scheduled decisions (geometric waits) keep the per-tick probabilities', () => {
  /** Per-tick rates of flat → open and open → flat over a run of `pos` (ticks × agents). */
  function transitionRates(pos: number[][]): { entry: number; exit: number } {
    let flat = 0, opened = 0, open = 0, closed = 0;
    for (let t = 1; t < pos.length; t++) {
      for (let k = 0; k < pos[t]!.length; k++) {
        const was = pos[t - 1]![k]!, now = pos[t]![k]!;
        if (was === 0) { flat++; if (now !== 0) opened++; } else { open++; if (now === 0) closed++; }
      }
    }
    return { entry: opened / flat, exit: closed / open };
  }

  it('noise: entries at entryProb and exits at exitProb per tick, scaled by activity', () => {
    const flat = new Array(401).fill(100);
    for (const activity of [1, 0.5]) {
      const w = agentWorld({ pops: [{ strategy: noise, count: 2000, activity, params: { entryProb: 0.05, exitProb: 0.02 } }], prices: flat });
      const r = transitionRates(runPositions(w.world, w.pops[0]!));
      // ~2000 × 400 trials split between the states: standard errors below 0.0005
      expect(Math.abs(r.entry - 0.05 * activity)).toBeLessThan(0.003 * activity);
      expect(Math.abs(r.exit - 0.02 * activity)).toBeLessThan(0.0015 * activity);
    }
  });

  it('noise: after a stop closes a position, the agent re-enters at entryProb from the next tick', () => {
    // All start long at 5x with exitProb 0: only the stop-loss (a 12% drop is a 60% loss) closes them.
    const prices = [100, 100, 100, 88, ...new Array(30).fill(88)];
    const w = agentWorld({ pops: [{ strategy: noise, count: 2000, longBias: 1, leverage: 5, startOpen: 1, behaviours: { stopLoss: 0.5 }, params: { entryProb: 0.2, exitProb: 0 } }], prices });
    const pos = runPositions(w.world, w.pops[0]!);
    const openShare = pos.map((p) => p.filter((q) => q !== 0).length / p.length);
    const allFlat = openShare.indexOf(0);
    expect(allFlat).toBeGreaterThan(0);
    expect(openShare[allFlat + 1]).toBeGreaterThan(0.17);
    expect(openShare[allFlat + 1]).toBeLessThan(0.23);
    expect(openShare.at(-1)).toBeGreaterThan(0.97);
  });

  it('activity: an agent asked every tick, or only now and then, acts with probability `activity`', () => {
    const asked = { every: 0, sparse: 0 }, acted = { every: 0, sparse: 0 };
    const probe: StrategyDefinition = {
      name: 'probe', summary: 'counts active ticks', params: {},
      decide(pop, tick, _m, ex) {
        for (let k = 0; k < pop.count; k++) {
          const mode = k % 2 === 0 ? 'every' : 'sparse';
          if (mode === 'sparse' && (tick + k) % 7 !== 0) continue;
          asked[mode]++;
          if (pop.acts(k, tick, ex)) acted[mode]++;
        }
      },
    };
    const w = agentWorld({ pops: [{ strategy: probe, count: 2000, activity: 0.2 }], prices: new Array(301).fill(100) });
    w.world.simulation.run().subscribe();
    expect(Math.abs(acted.every / asked.every - 0.2)).toBeLessThan(0.003);
    expect(Math.abs(acted.sparse / asked.sparse - 0.2)).toBeLessThan(0.008);
  });
});

describe('EMA bank', () => {
  it('holds, per distinct window, exactly the EMA each agent of that window would compute', () => {
    const windows = [5, 30, 5, 200, 17, 30];
    const bank = new EmaBank(windows, 100);
    const own = windows.map(() => 100);
    for (let t = 0; t < 500; t++) {
      const p = 100 * Math.exp(0.01 * Math.sin(t / 7) + 0.002 * t);
      bank.update(p);
      windows.forEach((w, k) => { own[k] += (p - own[k]!) * (2 / (w + 1)); });
    }
    windows.forEach((w, k) => expect(bank.value[w]).toBe(own[k]));
  });
});

describe('trend followers', () => {
  it('grouped signals act exactly as the per-agent rule would, both rules, at activity < 1', () => {
    // The per-agent rule, written plainly: every agent, every tick.
    const plain: StrategyDefinition = {
      ...trend, name: 'trend-plain',
      init(pop, market) {
        pop.column('ef', market.mark);
        pop.column('es', market.mark);
        pop.column('sig', 0);
      },
      decide(pop, tick, market, ex) {
        const p = market.mark;
        const fast = pop.param('fast'), slow = pop.param('slow'), rule = pop.param('rule'), thr = pop.param('threshold');
        const ef = pop.column('ef'), es = pop.column('es'), sig = pop.column('sig');
        for (let k = 0; k < pop.count; k++) {
          ef[k] += (p - ef[k]!) * (2 / (fast[k]! + 1));
          es[k] += (p - es[k]!) * (2 / (slow[k]! + 1));
          let s = sig[k]!;
          if (rule[k] === 0) {
            const gap = (ef[k]! - es[k]!) / es[k]!;
            s = gap > thr[k]! ? 1 : gap < -thr[k]! ? -1 : 0;
          } else if (p > pop.history.maxBefore(slow[k]!)) s = 1;
          else if (p < pop.history.minBefore(slow[k]!)) s = -1;
          if (s === sig[k] || !pop.acts(k, tick, ex)) continue;
          sig[k] = s;
          const eq = ex.accounts.equity(pop.first + k, p);
          pop.orderTo(k, s === 0 || eq <= 0 ? 0 : (s * pop.leverage[k]! * eq) / p, ex);
        }
      },
    };
    let x = 100;
    const prices = [100, ...Array.from({ length: 400 }, (_, t) => (x *= Math.exp(0.004 * Math.sin(t / 9) + 0.003 * Math.sin(t * 2.3))))];
    const params = { fast: { dist: 'uniform' as const, min: 2, max: 6 }, slow: { dist: 'uniform' as const, min: 8, max: 20 }, rule: { dist: 'choice' as const, values: [0, 1] }, threshold: { dist: 'choice' as const, values: [0.001, 0.003] } };
    const run = (strategy: StrategyDefinition) => {
      const w = agentWorld({ pops: [{ strategy, count: 600, activity: 0.3, params }], prices });
      return runPositions(w.world, w.pops[0]!);
    };
    const grouped = run(trend), reference = run(plain);
    expect(grouped).toEqual(reference);
    expect(grouped.at(-1)!.filter((q) => q !== 0).length).toBeGreaterThan(100); // not vacuous
  });

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
  it('window groups act exactly as the plain per-agent rule', () => {
    const plain: StrategyDefinition = {
      ...contrarian, name: 'contrarian-plain', init: undefined,
      decide(pop, tick, market, ex) {
        const p = market.mark;
        const win = pop.param('window'), drop = pop.param('drop'), rise = pop.param('rise'), sor = pop.param('shortOnRise');
        for (let k = 0; k < pop.count; k++) {
          const past = pop.history.ago(win[k]!);
          if (!(past > 0) || !pop.acts(k, tick, ex)) continue;
          const r = p / past - 1, i = pop.first + k, q = ex.accounts.size[i]!, eq = ex.accounts.equity(i, p);
          if (r <= -drop[k]! && q <= 0) { if (eq > 0) pop.orderTo(k, (pop.leverage[k]! * eq) / p, ex); }
          else if (r >= rise[k]! && q >= 0) pop.orderTo(k, sor[k] === 1 && eq > 0 ? (-pop.leverage[k]! * eq) / p : 0, ex);
        }
      },
    };
    let x = 100;
    const prices = [100, ...Array.from({ length: 300 }, (_, t) => (x *= Math.exp(0.012 * Math.sin(t / 5) + 0.006 * Math.sin(t * 2.1))))];
    const params = { window: { dist: 'uniform' as const, min: 2, max: 12 }, drop: { dist: 'choice' as const, values: [0.02, 0.04] }, rise: { dist: 'choice' as const, values: [0.02, 0.05] }, shortOnRise: { dist: 'choice' as const, values: [0, 1] } };
    const run = (strategy: StrategyDefinition) => {
      const w = agentWorld({ pops: [{ strategy, count: 500, params }], prices });
      return runPositions(w.world, w.pops[0]!);
    };
    const grouped = run(contrarian), reference = run(plain);
    expect(grouped).toEqual(reference);
    expect(grouped.at(-1)!.filter((q) => q !== 0).length).toBeGreaterThan(100);
  });

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
    expect(wild.world.market.providedDepthFactor).toBeCloseTo(0.4, 6); // 1 − share: makers gone
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
