import { describe, expect, it } from 'vitest';
import { scripted, type ScriptedAgent } from '../../agents/scripted';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { IndexAnchoredMark, median3 } from '../../sim/market/mark';
import type { CascadeRecord, TickSummary } from '../../sim/engine/events';
import { buildWorld } from '../helpers/world';

describe('the index-anchored mark price (Binance)', () => {
  it('is the median of index × (1 + rate × time to funding), index + mean basis, and the last price', () => {
    expect(median3(3, 1, 2)).toBe(2);
    expect(median3(1, 1, 5)).toBe(1);
    const m = new IndexAnchoredMark(3);
    expect(m.value(100, 90, 0, 0)).toBe(100); // no basis yet: P1 = P2 = index
    m.record(100, 101); // basis +1
    m.record(100, 103); // +3
    expect(m.basis).toBe(2);
    // P1 = 100 × (1 + 0.001 × 0.5) = 100.05, P2 = 102, last 110 → 102
    expect(m.value(100, 110, 0.001, 0.5)).toBeCloseTo(102, 12);
    expect(m.value(100, 101, 0.001, 0.5)).toBeCloseTo(101, 12); // last in between
    m.record(100, 100);
    m.record(100, 100); // the window drops the first sample: (3 + 0 + 0)/3
    expect(m.basis).toBeCloseTo(1, 12);
  });

  function layers(markPrice: 'last' | 'index-anchored') {
    const agents: ScriptedAgent[] = [];
    for (let L = 50; L >= 10; L -= 2) for (let k = 0; k < 5; k++) agents.push({ side: 1, leverage: L, collateral: 2_000 });
    const w = buildWorld({
      policy: new FixedPolicy(50, 0.005), populations: [scripted('book', agents)], ticks: 8,
      market: {
        process: { kind: 'replay', prices: Float64Array.from([20_000]) }, shocks: [{ tick: 6, ret: -0.03 }],
        // The crowd's buying lifts the last price ~2% at tick 0; a fast premium decay brings it back
        // to the index (and the basis average to ~0) before the shock.
        premiumHalfLife: 0.5,
        liquidity: { depth: 3e6, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 },
        funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 }, spillover: 0,
        markPrice: { rule: markPrice, basisWindowTicks: 3 },
      },
      exchange: { takerFee: 0, makerFee: 0 },
    });
    const cascades: CascadeRecord[] = [];
    const ticks: TickSummary[] = [];
    w.bus.cascade$.subscribe((c) => cascades.push(c));
    w.simulation.run().subscribe((s) => ticks.push(s));
    return { cascades, ticks };
  }

  it('stops a venue\'s own forced selling from feeding its cascade when nothing moves the index', () => {
    const last = layers('last');
    const anchored = layers('index-anchored');
    const c = last.cascades.find((x) => x.tick === 6)!;
    expect(c.rounds).toBeGreaterThan(2);
    const a = anchored.cascades.find((x) => x.tick === 6);
    // The first layer still goes (the index fell 3%), but its selling moves only the last price.
    expect(a?.rounds).toBe(1);
    expect(anchored.ticks[6]!.markPrice).toBeGreaterThan(anchored.ticks[6]!.mark);
    expect(last.ticks[6]!.markPrice).toBe(last.ticks[6]!.mark);
  });

  it('takes the rate funding just settled into P1 in the settlement tick, with a whole interval to the next funding', () => {
    // A flat index, buyers lifting the last price ~10% at tick 0, the premium decaying with a half-life
    // of 2 ticks, funding every 4 ticks (settled at tick 3) at the interval's average premium.
    const w = buildWorld({
      policy: new FixedPolicy(50, 0.005), ticks: 5,
      populations: [scripted('buyers', Array.from({ length: 10 }, () => ({ side: 1 as const, leverage: 10, collateral: 100_000 })))],
      market: {
        process: { kind: 'replay', prices: Float64Array.from([20_000]) }, premiumHalfLife: 2, spillover: 0,
        liquidity: { depth: 1e6, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 },
        funding: { intervalTicks: 4, interest: 0, band: 0, cap: 0.05 },
        markPrice: { rule: 'index-anchored', basisWindowTicks: 4 },
      },
      exchange: { takerFee: 0, makerFee: 0 },
    });
    const ticks: TickSummary[] = [];
    w.simulation.run().subscribe((s) => ticks.push(s));
    const t3 = ticks[3]!;
    expect(ticks[2]!.fundingRate).toBe(0);
    expect(t3.fundingRate).toBeGreaterThan(0.04); // settled at tick 3
    // At the end of tick 3: P1 = index × (1 + the last funding rate × 1), P2 = index + the mean basis of ticks 0–3.
    const p1 = t3.index * (1 + t3.fundingRate);
    const p2 = t3.index + ticks.slice(0, 4).reduce((b, s) => b + (s.mark - s.index), 0) / 4;
    expect(t3.markPrice).toBeCloseTo(median3(p1, p2, t3.mark), 8);
    expect(t3.markPrice).toBeGreaterThan(t3.mark); // P1 is the median here: 20,820.68 against the last price 20,743.67
  });
});

