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

/** An index over its own size and liquidation-price columns; `file` writes both, then updates. */
function tracked(capacity: number) {
  const size = new Float64Array(capacity), lp = new Float64Array(capacity).fill(Number.NaN);
  const ix = new LiquidationIndex(capacity, size, lp);
  const file = (id: number, q: number, price: number): void => {
    size[id] = q;
    lp[id] = price;
    ix.update(id);
  };
  return { ix, size, lp, file };
}

/**
 * Pops what `mark` reaches from `ix` and expects exactly the accounts of the plain `model` (id →
 * signed size and liquidation price) that it reaches (longs: LP ≥ mark, shorts: LP ≤ mark, within
 * the 1e-9 relative edge), which it then drops from the model as popReached drops them from the index.
 */
function popAsModel(ix: LiquidationIndex, model: Map<number, { q: number; lp: number }>, mark: number): void {
  const want = [...model].filter(([, e]) => (e.q > 0 ? e.lp >= mark * (1 - 1e-9) : e.lp <= mark * (1 + 1e-9))).map(([id]) => id).sort((x, y) => x - y);
  for (const id of want) model.delete(id);
  const got = new IdList();
  ix.popReached(mark, got);
  expect(Array.from(got.ids.subarray(0, got.n)).sort((x, y) => x - y)).toEqual(want);
}

/**
 * −0 as +0: the heap orders keys by `<`, for which −0 and +0 are equal, so two accounts keyed −0 and
 * +0 may pop in either order (a random run found one), while `toEqual` tells the two zeros apart.
 */
const sameZero = (k: number): number => k + 0;

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
      expect(popped.map(sameZero)).toEqual([...model.values()].sort((a, b) => b - a).map(sameZero));
    }), { numRuns: 200, seed: 20261202, examples: [[[[0, -0, false], [1, 5e-324, false], [1, 0, false]]]] });
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
      expect(popped.map(sameZero)).toEqual([...model.values()].sort((a, b) => b - a).map(sameZero));
    }), { numRuns: 200, seed: 20261202, examples: [[[[0, -0, 1], [1, 5e-324, 1], [1, 0, 2]]]] });
  });

  it('files, re-files and pops the same accounts in every mode, batch after batch, as a plain model', () => {
    // Ids dense (0..149, the scan mode's case) or sparse (multiples of 7 up to 1043: deferred heaps),
    // batches of random size announced through deferOrderFor, and one or two pops after each batch
    // (a cascade's second round that reaches accounts rebuilds the heaps out of scan mode).
    const op = fc.tuple(fc.integer({ min: 0, max: 149 }), fc.integer({ min: -2, max: 2 }), fc.oneof({ arbitrary: fc.double({ min: -10, max: 200, noNaN: true }), weight: 9 }, { arbitrary: fc.constant(Number.NaN), weight: 1 }));
    const batch = fc.record({ k: fc.integer({ min: 0, max: 2000 }), ops: fc.array(op, { maxLength: 200 }), marks: fc.array(fc.double({ min: 1, max: 200, noNaN: true }), { maxLength: 2 }) });
    const modes = new Set<string>();
    fc.assert(fc.property(fc.boolean(), fc.array(op, { minLength: 150, maxLength: 150 }), fc.array(batch, { minLength: 1, maxLength: 6 }), (sparse, book, batches) => {
      const t = tracked(1050);
      const model = new Map<number, { q: number; lp: number }>();
      // A book first (one account per id), so that batches find indexes large enough to defer or scan.
      for (const b of [{ k: 0, ops: book.map(([, q, lp], j) => [j, q, lp] as const), marks: [] }, ...batches]) {
        t.ix.deferOrderFor(b.k);
        modes.add(t.ix.scanning ? 'scan' : t.ix.deferOrder ? 'deferred' : 'sift');
        for (const [j, q, lp] of b.ops) {
          const id = sparse ? 7 * j : j;
          t.file(id, q, lp);
          if ((q > 0 && lp > 0) || (q < 0 && lp === lp)) model.set(id, { q, lp });
          else model.delete(id);
        }
        t.ix.settle();
        expect(t.ix.count).toBe(model.size);
        for (const mark of b.marks) {
          popAsModel(t.ix, model, mark);
          expect(t.ix.count).toBe(model.size);
        }
        for (const id of model.keys()) expect(t.ix.has(id)).toBe(true);
      }
    }), { numRuns: 200, seed: 20261202 });
    expect([...modes].sort()).toEqual(['deferred', 'scan', 'sift']);
  });

  it('chooses sift for a few updates, scan mode when most ids trade, deferred heaps when the ids are sparse', () => {
    const dense = tracked(1000);
    for (let i = 0; i < 1000; i++) dense.file(i, i % 2 ? 1 : -1, 50 + (i % 17));
    dense.ix.deferOrderFor(10);
    expect([dense.ix.scanning, dense.ix.deferOrder]).toEqual([false, false]);
    dense.ix.deferOrderFor(500);
    expect(dense.ix.scanning).toBe(true);
    // One scan a batch: a second pop in the same batch that reaches accounts (a cascade's next
    // round) rebuilds the heaps.
    const out = new IdList();
    dense.ix.popReached(1, out);
    expect(dense.ix.scanning).toBe(true);
    expect(out.n).toBe(500);
    dense.ix.popReached(60, out);
    expect(dense.ix.scanning).toBe(false);
    const shortsAtOrBelow60 = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 2 === 0 && 50 + (i % 17) <= 60).length;
    expect(out.n).toBe(500 + shortsAtOrBelow60);
    const sparse = tracked(10_000);
    for (let i = 0; i < 1000; i++) sparse.file(10 * i, i % 2 ? 1 : -1, 50 + (i % 17));
    sparse.ix.deferOrderFor(500);
    expect([sparse.ix.scanning, sparse.ix.deferOrder]).toEqual([false, true]);
    sparse.ix.settle();
    expect(sparse.ix.deferOrder).toBe(false);
  });

  it('in scan mode, a mark between the bounds reaches nobody without using the batch\'s scan up; bounds left loose by a re-key stay exact', () => {
    // Longs (odd ids) liquidate at 40–49, shorts (even ids) at 60–69: a mark of 55 reaches nobody.
    const t = tracked(200);
    const price = (i: number): number => (i % 2 ? 40 : 60) + ((i >> 1) % 10);
    for (let i = 0; i < 200; i++) t.file(i, i % 2 ? 1 : -1, price(i));
    t.ix.deferOrderFor(200);
    expect(t.ix.scanning).toBe(true);
    const out = new IdList();
    t.ix.popReached(55, out);
    expect(out.n).toBe(0);
    // The longs at 49 re-keyed down to 41 leave the bound at 49: a mark of 48 must not take them,
    // and takes the longs at 48, still filed there.
    for (let i = 1; i < 200; i += 2) if (price(i) === 49) t.file(i, 1, 41);
    t.ix.popReached(48, out);
    const want = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 2 === 1 && price(i) === 48);
    expect(want.length).toBe(10);
    expect(Array.from(out.ids.subarray(0, out.n))).toEqual(want);
    // That was the batch's one scan, still unused by the pop at 55: scan mode is kept.
    expect(t.ix.scanning).toBe(true);
    // Exact again after the scan (longs now ≤ 47): 47.5 reaches nobody and rebuilds nothing.
    t.ix.popReached(47.5, out);
    expect([out.n, t.ix.scanning]).toEqual([10, true]);
    // An update raises the bound: a long filed at 52 is reached at 51 (by a rebuild of the heaps,
    // the batch's scan being used up).
    t.file(7, 1, 52);
    t.ix.popReached(51, out);
    expect(Array.from(out.ids.subarray(10, out.n))).toEqual([7]);
    expect(t.ix.scanning).toBe(false);
  });

  it('in scan mode, finds exactly the reached accounts of a book split around the mark, batch after batch of re-filings', () => {
    // Longs below 100 and shorts above, re-filed at prices that may cross, then pops around 100:
    // the pops the bounds answer alone and the ones that scan must agree with a plain model.
    const refile = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.double({ min: 80, max: 120, noNaN: true }));
    fc.assert(fc.property(fc.array(fc.record({ ops: fc.array(refile, { maxLength: 30 }), marks: fc.array(fc.double({ min: 85, max: 115, noNaN: true }), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 8 }), (batches) => {
      const t = tracked(100);
      const model = new Map<number, { q: number; lp: number }>();
      const start = (i: number): void => {
        const q = i % 2 ? 1 : -1, lp = q > 0 ? 90 - (i % 7) : 110 + (i % 7);
        t.file(i, q, lp);
        model.set(i, { q, lp });
      };
      for (let i = 0; i < 100; i++) start(i);
      for (const b of batches) {
        // The accounts popped by the last batch come back at their first prices (as liquidated
        // accounts are re-filed), so that most ids stay filed and the batch runs in scan mode.
        for (let i = 0; i < 100; i++) if (!model.has(i)) start(i);
        t.ix.deferOrderFor(100);
        expect(t.ix.scanning).toBe(true);
        for (const [i, lp] of b.ops) {
          const q = i % 2 ? 1 : -1;
          t.file(i, q, lp);
          model.set(i, { q, lp });
        }
        for (const mark of b.marks) popAsModel(t.ix, model, mark);
      }
    }), { numRuns: 300, seed: 20261202 });
  });

  it('files a position by one rule whether updated or rebuilt: a short at any price, never at NaN', () => {
    // A short's liquidation price is below zero when its collateral is below −notional (bankrupt
    // beyond its position): every mark reaches it. The rebuild after funding used to leave it out.
    const t = tracked(4);
    t.size[1] = -1; t.lp[1] = -5;
    t.size[2] = -1; t.lp[2] = Number.NaN;
    t.size[3] = -1; t.lp[3] = 90;
    t.ix.rebuild(4, () => false);
    const viaRebuild = new IdList();
    t.ix.popReached(100, viaRebuild);
    expect(Array.from(viaRebuild.ids.subarray(0, viaRebuild.n)).sort()).toEqual([1, 3]);
    // Filed one by one, a NaN short is not filed (a NaN key in a heap fails every comparison).
    const u = tracked(4);
    u.file(3, -1, 90);
    u.file(2, -1, Number.NaN);
    u.file(1, -1, -5);
    const viaUpdate = new IdList();
    u.ix.popReached(100, viaUpdate);
    expect(Array.from(viaUpdate.ids.subarray(0, viaUpdate.n)).sort()).toEqual([1, 3]);
    expect(u.ix.count).toBe(0);
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
