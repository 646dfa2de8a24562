import { describe, expect, it } from 'vitest';
import { Subject, toArray, filter, map, take } from 'rxjs';
import type { CascadeRecord, ExternalShock, ShockEvent, TickSummary } from '../../sim/engine/events';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import { cascadeEpisodes, type CascadeEpisode } from '../../sim/metrics/episodes';
import { Clock, ewmaDecay } from '../../sim/engine/clock';
import { scripted, type ScriptedAgent } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

function book(n: number): ScriptedAgent[] {
  const out: ScriptedAgent[] = [];
  for (let k = 0; k < n; k++) out.push({ side: k % 4 === 0 ? -1 : 1, leverage: 3 + (k % 45), collateral: 500 + (k % 13) * 250, openTick: k % 7, closeTick: k % 11 === 0 ? 40 + (k % 9) : -1 });
  return out;
}

function run(seed: number): TickSummary[] {
  const w = buildWorld({
    seed, ticks: 80, policy: new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt']!.tiers), populations: [scripted('b', book(300))],
    market: { process: { kind: 'merton', mu: 0, sigma: 0.9, lambda: 200, jumpMean: -0.01, jumpStd: 0.02 }, shocks: [{ tick: 30, ret: -0.06, overTicks: 3 }] },
  });
  const out: TickSummary[] = [];
  w.simulation.run().subscribe((s) => out.push(s));
  return out;
}

describe('Simulation.run', () => {
  it('is synchronous: every tick has run when subscribe returns', () => {
    const w = buildWorld({ ticks: 25, policy: new FixedPolicy(20, 0.01), populations: [scripted('b', book(10))] });
    let n = 0;
    w.simulation.run().subscribe(() => n++);
    expect(n).toBe(25);
  });

  it('is deterministic: the same seed gives an identical TickSummary stream; another seed differs', () => {
    const a = run(7), b = run(7), c = run(8);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(a.some((s) => s.liquidations > 0)).toBe(true);
  });

  it('completes the bus streams when the run ends', () => {
    const w = buildWorld({ ticks: 5, policy: new FixedPolicy(20, 0.01), populations: [scripted('b', book(5))] });
    let ticks: TickSummary[] = [];
    w.bus.tick$.pipe(toArray()).subscribe((x) => (ticks = x));
    w.simulation.run().subscribe();
    expect(ticks.length).toBe(5);
  });

  it('takes extra shocks from an Observable, including ones derived from the bus itself', () => {
    const w = buildWorld({
      ticks: 20, policy: new FixedPolicy(20, 0.01), populations: [scripted('b', book(5))],
      market: { process: { kind: 'replay', prices: Float64Array.from([100]) }, startPrice: 100, liquidity: { depth: Infinity, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 1 }, premiumHalfLife: 0 },
    });
    const user = new Subject<ExternalShock>();
    const shocks: ShockEvent[] = [];
    w.bus.shock$.subscribe((s) => shocks.push(s));
    // A reactive rule: when tick 5 ends, crash 10% at the next tick.
    w.bus.tick$.pipe(filter((s) => s.tick === 5), take(1), map(() => ({ ret: -0.1 }))).subscribe(user);
    const out: TickSummary[] = [];
    w.simulation.run({ shocks: user }).subscribe((s) => out.push(s));
    expect(out[5]!.index).toBeCloseTo(100, 9);
    expect(out[6]!.index).toBeCloseTo(90, 9);
    expect(out[6]!.exogenousReturn).toBeCloseTo(Math.log(0.9), 12);
    expect(shocks.length).toBe(1);
    expect(shocks[0]).toMatchObject({ tick: 6, source: 'external' });
    expect(shocks[0]!.logReturn).toBeCloseTo(Math.log(0.9), 12);
  });
});

describe('clock', () => {
  it('converts ticks to time', () => {
    const c = new Clock(60);
    c.tick = 10;
    expect(c.seconds).toBe(600);
    expect(c.dtYears).toBeCloseTo(60 / 31_536_000, 15);
    expect(c.ticksIn(8 * 3600)).toBe(480);
    expect(() => new Clock(0)).toThrow();
  });
  it('ewmaDecay: an EWMA weight halves every half-life', () => {
    expect(ewmaDecay(1)).toBe(0.5);
    const l = ewmaDecay(7);
    let w = 1;
    for (let t = 0; t < 7; t++) w *= l;
    expect(w).toBeCloseTo(0.5, 14);
  });
});

describe('cascade episodes', () => {
  const rec = (tick: number, open: number, after: number, exo: number): CascadeRecord => ({
    tick, rounds: 2, accounts: 3, longNotional: 10, shortNotional: 0, markOpen: open, markBefore: open, markAfter: after, exogenousReturn: exo, roundCapHit: false,
  });
  it('merges consecutive cascade ticks and measures amplification as realized over exogenous', () => {
    const src = new Subject<CascadeRecord>();
    const eps: CascadeEpisode[] = [];
    src.pipe(cascadeEpisodes()).subscribe((e) => eps.push(e));
    src.next(rec(10, 100, 90, Math.log(0.95)));
    src.next(rec(11, 90, 85, 0));
    src.next(rec(20, 85, 84, Math.log(0.99)));
    src.next(rec(30, 84, 83, -0.001)); // tick noise, not a shock
    src.complete();
    expect(eps.length).toBe(3);
    expect(eps[2]!.amplification).toBeNull();
    expect(eps[0]).toMatchObject({ startTick: 10, endTick: 11, ticks: 2, rounds: 4, accounts: 6, markOpen: 100, markAfter: 85 });
    expect(eps[0]!.amplification).toBeCloseTo(Math.log(0.85) / Math.log(0.95), 12);
    expect(eps[1]!.amplification).toBeCloseTo(Math.log(0.84 / 0.85) / Math.log(0.99), 12);
  });
  it('reports no amplification without an exogenous move', () => {
    const src = new Subject<CascadeRecord>();
    const eps: CascadeEpisode[] = [];
    src.pipe(cascadeEpisodes()).subscribe((e) => eps.push(e));
    src.next(rec(3, 100, 95, 0));
    src.complete();
    expect(eps[0]!.amplification).toBeNull();
  });
});
