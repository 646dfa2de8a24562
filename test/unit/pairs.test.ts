import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pairs } from '../../agents/pairs';
import type { StrategyDefinition } from '../../agents/strategy';
import type { Exchange } from '../../sim/exchange/exchange';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { TieredPolicy } from '../../sim/exchange/policies/tiered';
import { PRESETS } from '../../sim/exchange/policies/presets';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import { agentWorld, runPositions } from '../helpers/agents';

/**
 * The pairs rule written plainly, one object per leg, under a fixed cap of `maxLev` (IM =
 * notional / maxLev), no fees and fills at the mark: each tick's positions (tick t's mark is
 * prices[t + 1]).
 */
function reference(o: { count: number; collateral: number[]; leverage: number; addRate: number; maxLev: number; prices: number[] }): number[][] {
  const legs = o.collateral.map((c) => ({ size: 0, entry: 0, collateral: c }));
  const equity = (l: (typeof legs)[number], p: number) => l.collateral + l.size * (p - l.entry);
  const allowed = (l: (typeof legs)[number], dq: number, p: number) => {
    const qn = l.size + dq;
    if (Math.abs(qn) <= Math.abs(l.size)) return dq;
    const qmax = (equity(l, p) * o.maxLev) / p;
    return Math.abs(qn) <= qmax ? dq : Math.sign(qn) * Math.max(qmax, Math.abs(l.size)) - l.size;
  };
  const out: number[][] = [];
  for (let t = 0; t + 1 < o.prices.length; t++) {
    const p = o.prices[t + 1]!;
    for (let k = 0; k + 1 < o.count; k += 2) {
      const long = legs[k]!, short = legs[k + 1]!;
      const e = Math.min(equity(long, p), equity(short, p));
      const want = ((long.size === 0 && short.size === 0 ? o.leverage : o.addRate) * e) / p;
      const d = Math.min(allowed(long, want, p), -allowed(short, -want, p));
      if (!(d > 0)) continue;
      for (const [l, dq] of [[long, d], [short, -d]] as const) {
        l.entry = (l.size * l.entry + dq * p) / (l.size + dq);
        l.size += dq;
      }
    }
    out.push(legs.map((l) => l.size));
  }
  return out;
}

describe('pairs', () => {
  it('open at the long leg leverage, add addRate × the smaller equity each tick, equal and opposite, cut by the tighter margin: position by position as the plain rule', () => {
    // Mild moves (no liquidation at 50x with MMR 0.005) that make the legs' equities differ.
    const prices = [100, ...Array.from({ length: 120 }, (_, t) => 100 * (1 + 0.004 * Math.sin(t / 7)))];
    const collateral = [1_000, 1_000, 2_000, 2_000, 500, 500, 800]; // the odd last agent stays out
    const w = agentWorld({ pops: [{ strategy: pairs, count: 7, collateral: { dist: 'fixed', value: 0 }, leverage: 3, params: { addRate: 0.5 } }], prices });
    // Collateral per agent: deposit the difference from the drawn 0.
    collateral.forEach((c, k) => w.world.exchange.deposit(w.pops[0]!.first + k, c));
    const got = runPositions(w.world, w.pops[0]!);
    const want = reference({ count: 7, collateral, leverage: 3, addRate: 0.5, maxLev: 50, prices });
    expect(w.ticks.every((t) => t.liquidations === 0)).toBe(true);
    expect(got.length).toBe(want.length);
    for (let t = 0; t < want.length; t++) {
      for (let k = 0; k < 7; k++) expect(got[t]![k], `tick ${t} agent ${k}`).toBeCloseTo(want[t]![k]!, 9);
    }
    // Pairs stay flat in sum, the margin cap binds (not every tick adds), the odd agent never trades.
    for (const row of got) for (let k = 0; k < 6; k += 2) expect(row[k]! + row[k + 1]!).toBeCloseTo(0, 9);
    expect(got.at(-1)![6]).toBe(0);
    expect(Math.abs(got.at(-1)![0]! * prices.at(-1)!) / 1_000).toBeGreaterThan(45);
  });

  it('addRate 0: a pair opens once and holds still', () => {
    const w = agentWorld({ pops: [{ strategy: pairs, count: 4, collateral: 1_000, leverage: 2, params: { addRate: 0 } }], prices: [100, 101, 99, 100, 102] });
    const got = runPositions(w.world, w.pops[0]!);
    for (const row of got) expect(row).toEqual(got[0]);
    expect(got[0]![0]).toBeCloseTo(2 * 1_000 / 101, 9);
  });
});

describe('pre-checked orders (Exchange.placeCheckedOrder)', () => {
  /** Units bought by agents (1,000 of collateral each at 50x, price 100: at most 500 units each; the first is `i`, a second `i + 1`) placing in the way `place` says. */
  function finalSize(place: (ex: Exchange, i: number, mark: number) => void): number {
    const once: StrategyDefinition = { name: 'once', summary: 'test', params: {}, decide(pop, tick, market, ex) { if (tick === 0) place(ex, pop.first, market.mark); } };
    const w = agentWorld({ pops: [{ strategy: once, count: 2, collateral: 1_000 }], prices: [100, 100, 100] });
    let bought = 0;
    w.world.bus.fills$.subscribe((f) => { bought += f.buyQty; });
    w.world.simulation.run().subscribe();
    return bought;
  }
  it('execution takes an order checked at the mark as allowed, and checks it again when the mark differs or a later placeOrder replaced it', () => {
    // Taken as checked: the caller's word (pairs cuts its orders itself).
    expect(finalSize((ex, i, m) => ex.placeCheckedOrder(i, 10_000, m))).toBe(10_000);
    expect(finalSize((ex, i, m) => ex.placeCheckedOrder(i, 10_000, m * 1.01))).toBeCloseTo(500, 6);
    expect(finalSize((ex, i, m) => { ex.placeCheckedOrder(i, 10, m); ex.placeOrder(i, 10_000); })).toBeCloseTo(500, 6);
    // Checked at another price than a later order's: not taken on that later order's word (review finding).
    expect(finalSize((ex, i, m) => { ex.placeCheckedOrder(i, 10_000, m * 1.01); ex.placeCheckedOrder(i + 1, 1, m); })).toBeCloseTo(501, 6);
    expect(finalSize((ex, i) => ex.placeOrder(i, 10_000))).toBeCloseTo(500, 6);
  });
});

describe('a batch of pre-checked orders (execution.ts, CheckedFlow)', () => {
  /** The tick-0 fill event of 4 agents (1,000 each, 50x at 100) whose orders `place` places. */
  function fills(place: (ex: Exchange, first: number, mark: number) => void) {
    const once: StrategyDefinition = { name: 'once', summary: 'test', params: {}, decide(pop, tick, market, ex) { if (tick === 0) place(ex, pop.first, market.mark); } };
    const w = agentWorld({ pops: [{ strategy: once, count: 4, collateral: 1_000 }], prices: [100, 100, 100] });
    const got: { count: number; buyQty: number; sellQty: number; netFlow: number; clipped: number }[] = [];
    w.world.bus.fills$.subscribe((f) => { if (f.tick === 0) got.push({ count: f.count, buyQty: f.buyQty, sellQty: f.sellQty, netFlow: f.netFlow, clipped: f.clipped }); });
    w.world.simulation.run().subscribe();
    return { batch: got[0]!, sizes: Array.from(w.world.exchange.accounts.size.subarray(w.pops[0]!.first, w.pops[0]!.first + 4)) };
  }
  const orders = [0.3, -0.7, 0.1, -0.2];

  it('summed as placed in account order, it fills as the checking pass sums it in any other order', () => {
    const inOrder = fills((ex, f, m) => orders.forEach((q, k) => ex.placeCheckedOrder(f + k, q, m)));
    const reversed = fills((ex, f, m) => [3, 2, 1, 0].forEach((k) => ex.placeCheckedOrder(f + k, orders[k]!, m)));
    const mixed = fills((ex, f, m) => orders.forEach((q, k) => (k === 2 ? ex.placeOrder(f + k, q) : ex.placeCheckedOrder(f + k, q, m))));
    expect(inOrder.batch).toEqual({ count: 4, buyQty: 0.3 + 0.1, sellQty: 0.7 + 0.2, netFlow: 0.3 - 0.7 + 0.1 - 0.2, clipped: 0 });
    expect(reversed.batch).toEqual(inOrder.batch);
    expect(mixed.batch).toEqual(inOrder.batch);
    expect(inOrder.sizes).toEqual(orders);
  });

  it('refuses a NaN or infinite order, first of the tick or not', () => {
    const w = agentWorld({ pops: [{ strategy: pairs, count: 4, collateral: 1_000, params: { addRate: 0 } }], prices: [100, 100] });
    const ex = w.world.exchange, f = w.pops[0]!.first, m = ex.market.mark;
    expect(() => ex.placeCheckedOrder(f, NaN, m)).toThrow('order for account');
    ex.placeCheckedOrder(f, 1, m);
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => ex.placeCheckedOrder(f + 1, bad, m)).toThrow(`is ${bad}`);
  });

  it('an account placed twice counts once, with its last order; an order of 0 is no trader', () => {
    const twice = fills((ex, f, m) => {
      orders.forEach((q, k) => ex.placeCheckedOrder(f + k, q, m));
      ex.placeCheckedOrder(f + 1, -0.5, m);
      ex.placeCheckedOrder(f + 3, 0, m);
    });
    expect(twice.batch).toEqual({ count: 3, buyQty: 0.3 + 0.1, sellQty: 0.5, netFlow: 0.3 - 0.5 + 0.1, clipped: 0 });
    expect(twice.sizes).toEqual([0.3, -0.5, 0.1, 0]);
  });
});

describe('the pair check (Exchange.allowedPairOrder)', () => {
  /** Two legs with random money and positions; the pair check against the two general checks, to the bit. */
  function agrees(policy: LeveragePolicy): void {
    const w = agentWorld({ pops: [{ strategy: pairs, count: 2, collateral: 1_000 }], prices: [100, 100], policy });
    const ex = w.world.exchange, a = ex.accounts, il = w.pops[0]!.first, is = il + 1;
    const leg = fc.record({ size: fc.double({ min: -50, max: 50, noNaN: true }), entry: fc.double({ min: 1, max: 1_000, noNaN: true }), collateral: fc.double({ min: -500, max: 5_000, noNaN: true }) });
    let cut = 0;
    fc.assert(fc.property(leg, leg, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 1, max: 1_000, noNaN: true }), fc.constantFrom(0, 0.0005, 0.01), (l, s, want, m, fee) => {
      for (const [i, x] of [[il, l], [is, s]] as const) { a.size[i] = x.size; a.entry[i] = x.entry; a.collateral[i] = x.collateral; }
      const general = Math.min(ex.allowedOrder(il, want, m, fee), -ex.allowedOrder(is, -want, m, fee));
      expect(Object.is(ex.allowedPairOrder(il, is, want, m, fee), general)).toBe(true);
      if (general < want) cut++;
    }), { numRuns: 500, seed: 20261201 });
    expect(cut).toBeGreaterThan(50); // not vacuous: the margin rule binds in many cases
  }
  it('gives the general check per leg, to the bit, under a flat schedule (the fast path)', () => agrees(new FixedPolicy(20, 0.025)));
  it('and under a tiered schedule (the general path)', () => agrees(new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt']!.tiers)));
});
