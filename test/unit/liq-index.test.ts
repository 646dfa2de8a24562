import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IndexedMaxHeap, LiquidationIndex } from '../../sim/exchange/liq-index';
import { IdList } from '../../sim/exchange/id-list';
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

  it('holds the same entries when re-keyed out of order (assign), and restores order on the first read', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 2 })), { maxLength: 300 }), (ops) => {
      const h = new IndexedMaxHeap(64);
      const model = new Map<number, number>();
      for (const [id, key, op] of ops) {
        if (op === 0) { h.remove(id); model.delete(id); } else if (op === 1) { h.upsert(id, key); model.set(id, key); } else { h.assign(id, key); model.set(id, key); }
      }
      expect(h.size).toBe(model.size);
      const popped: number[] = [];
      while (h.size > 0) { const k = h.topKey(); const id = h.pop(); expect(model.get(id)).toBe(k); popped.push(k); }
      h.topKey();
      expect(h.unordered).toBe(false);
      expect(popped).toEqual([...model.values()].sort((a, b) => b - a));
    }), { numRuns: 200 });
  });

  it('a batch filed with deferred order pops the same accounts as one filed account by account', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: -2, max: 2 }), fc.double({ min: 1, max: 200, noNaN: true })), { maxLength: 200 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: -2, max: 2 }), fc.double({ min: 1, max: 200, noNaN: true })), { maxLength: 200 }),
      fc.double({ min: 1, max: 200, noNaN: true }),
      (before, batch, mark) => {
        const eager = new LiquidationIndex(100), lazy = new LiquidationIndex(100);
        for (const [id, q, lp] of before) { eager.update(id, q, lp); lazy.update(id, q, lp); }
        lazy.deferOrder = true;
        for (const [id, q, lp] of batch) { eager.update(id, q, lp); lazy.update(id, q, lp); }
        lazy.settle();
        const a = new IdList(), b = new IdList();
        eager.popReached(mark, a);
        lazy.popReached(mark, b);
        expect(Array.from(b.ids.subarray(0, b.n)).sort((x, y) => x - y)).toEqual(Array.from(a.ids.subarray(0, a.n)).sort((x, y) => x - y));
        expect([lazy.longs.size, lazy.shorts.size]).toEqual([eager.longs.size, eager.shorts.size]);
      }), { numRuns: 200 });
  });

  it('defers order only for a batch that is a large share of the index', () => {
    const ix = new LiquidationIndex(1000);
    for (let i = 0; i < 1000; i++) ix.update(i, i % 2 ? 1 : -1, 50 + (i % 17));
    ix.deferOrderFor(10);
    expect(ix.deferOrder).toBe(false);
    ix.deferOrderFor(500);
    expect(ix.deferOrder).toBe(true);
    ix.settle();
    expect(ix.deferOrder).toBe(false);
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
