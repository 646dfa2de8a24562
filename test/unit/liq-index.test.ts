import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IndexedMaxHeap } from '../../sim/exchange/liq-index';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import type { LiquidationBatch } from '../../sim/engine/events';
import { scripted, type ScriptedAgent } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

describe('indexed max-heap', () => {
  it('pops in key order through inserts, re-keys and removals', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.boolean()), { maxLength: 300 }), (ops) => {
      const h = new IndexedMaxHeap(64);
      const model = new Map<number, number>();
      for (const [id, key, del] of ops) {
        if (del) { h.remove(id); model.delete(id); } else { h.upsert(id, key); model.set(id, key); }
      }
      expect(h.size).toBe(model.size);
      const popped: number[] = [];
      while (h.size > 0) { const k = h.topKey(); const id = h.pop(); expect(model.get(id)).toBe(k); popped.push(k); }
      const want = [...model.values()].sort((a, b) => b - a);
      expect(popped).toEqual(want);
    }), { numRuns: 200 });
  });

  it('builds in O(n) with the same order as inserts', () => {
    const h = new IndexedMaxHeap(100);
    for (let i = 0; i < 100; i++) h.append(i, Math.sin(i) * 100);
    h.heapify();
    let prev = Infinity;
    while (h.size > 0) { const k = h.topKey(); h.pop(); expect(k).toBeLessThanOrEqual(prev); prev = k; }
  });
});

const agentArb = fc.record({
  side: fc.constantFrom(1 as const, -1 as const),
  leverage: fc.double({ min: 1.5, max: 60, noNaN: true }),
  collateral: fc.double({ min: 100, max: 200_000, noNaN: true }),
  openTick: fc.integer({ min: 0, max: 3 }),
});

function runBook(agents: ScriptedAgent[], drop: number, tiered: boolean, mode: 'full' | 'partial', useIndex: boolean) {
  const w = buildWorld({
    policy: tiered ? new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt']!.tiers) : new FixedPolicy(60, 0.004),
    populations: [scripted('book', agents)],
    ticks: 8,
    market: { process: { kind: 'gbm', mu: 0, sigma: 0.8 }, shocks: [{ tick: 5, ret: drop }], liquidity: { depth: 500_000, impact: 'sqrt', elasticity: 0.5, referenceVol: 0.001, minDepthFraction: 0.2 } },
    exchange: { liquidation: { mode } as never },
  });
  w.exchange.useIndex = useIndex;
  const rounds: string[] = [];
  w.bus.liquidations$.subscribe((b: LiquidationBatch) => rounds.push(`${b.tick}/${b.round}:${Array.from(b.accounts).join(',')}`));
  const marks: number[] = [];
  w.simulation.run().subscribe((s) => marks.push(s.mark));
  return { rounds, marks };
}

describe('liquidation-price index', () => {
  it('liquidates exactly the same accounts as a full rescan, round by round, on random books', () => {
    let withLiquidations = 0, multiRound = 0;
    fc.assert(fc.property(
      fc.array(agentArb, { minLength: 5, maxLength: 60 }), fc.double({ min: 0.04, max: 0.4, noNaN: true }), fc.boolean(), fc.boolean(), fc.constantFrom('full' as const, 'partial' as const),
      (agents, size, down, tiered, mode) => {
        const drop = down ? -size : size;
        const viaIndex = runBook(agents, drop, tiered, mode, true);
        const viaScan = runBook(agents, drop, tiered, mode, false);
        expect(viaIndex.rounds).toEqual(viaScan.rounds);
        expect(viaIndex.marks).toEqual(viaScan.marks);
        if (viaIndex.rounds.length > 0) withLiquidations++;
        if (viaIndex.rounds.some((r) => !r.includes('/1:'))) multiRound++;
      },
    ), { numRuns: 150, seed: 20261124 });
    // The comparison must not be vacuous: most books liquidate, many in several rounds.
    expect(withLiquidations).toBeGreaterThan(75);
    expect(multiRound).toBeGreaterThan(20);
  });
});
