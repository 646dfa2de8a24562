import { describe, expect, it } from 'vitest';
import { executeOrders } from '../../sim/exchange/execution';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';
import { sizeBalance } from '../helpers/size-balance';
import { venueWorld } from '../helpers/venue';
import type { PopulationSpec } from '../../sim/exchange/population';
import type { TickSummary } from '../../sim/engine/events';
import type { World } from '../../sim/run/world';
import type { MarginMode } from '../../sim/world/types';

/** One account that deposits `collateral`, then does `act` every tick (an order through the exchange or the venue). */
function oneTrader(marginMode: MarginMode, collateral: number, act: (tick: number, i: number, pop: Parameters<PopulationSpec['create']>[0]) => void): PopulationSpec {
  return {
    name: 'trader', count: 1, marginMode,
    create(ctx) {
      ctx.exchange.deposit(ctx.first, collateral);
      return { name: 'trader', first: ctx.first, count: 1, decide: (tick) => act(tick, ctx.first, ctx) };
    },
  };
}

/** Runs a world to its end; its tick summaries. */
function runAll(w: World): TickSummary[] {
  const ticks: TickSummary[] = [];
  let error: unknown;
  w.simulation.run().subscribe({ next: (t) => ticks.push(t), error: (e) => (error = e) });
  if (error) throw error;
  return ticks;
}

/** A market that stays at 20,000 until a gap of `ret` at tick `gapTick`, with unlimited depth. */
const gapMarket = (ret: number, gapTick: number) => ({
  process: { kind: 'replay' as const, prices: Float64Array.from([20_000]) },
  shocks: [{ tick: gapTick, ret }],
  liquidity: { depth: Infinity, impact: 'linear' as const, elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 },
  funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 },
});

describe('order execution', () => {
  it('fills and counts an order once when it went back to zero and was placed again in the tick', () => {
    // Several writers may set one account's order in a tick (deleverage, the strategy, a stop-loss:
    // the last call wins). An order set to 0 and then to a new size lists the account a second
    // time; execution must visit it once, or the batch's net counts it twice and the backstop takes
    // twice the other side of a fill that happened once (money and size made from nothing).
    const w = buildWorld({ policy: new FixedPolicy(20, 0.01), populations: [scripted('s', [{ side: 1, leverage: 2, collateral: 10_000, openTick: 99 }])], ticks: 1 });
    const ex = w.exchange, a = ex.accounts, i = a.count - 1;
    const fills: [number, number][] = [];
    w.bus.fills$.subscribe((f) => fills.push([f.count, f.netFlow]));
    ex.placeOrder(i, 0.1);
    ex.placeOrder(i, 0);
    ex.placeOrder(i, 0.2);
    executeOrders(ex, 0);
    expect(fills).toEqual([[1, 0.2]]);
    expect(a.size[i]).toBe(0.2);
    expect(a.size[ex.backstop]).toBe(-0.2);
    expect(sizeBalance(a).net).toBe(0);
  });

  it('checks an order too small to change the size as the increase it is: over the cap it is cut to 0', () => {
    // A long of 1 at 20,000 on 900 of collateral is over a 20x cap (it may hold 0.9). An add of
    // 1e-17 leaves 1 + 1e-17 === 1 in floating point, so a rule that judged the change of size
    // called it no increase and let it through, and it was filled and counted as a trade. The
    // order's side makes it an increase, whatever the rounding of the new size.
    const tiny = 1e-17;
    expect(1 + tiny).toBe(1);
    const w = buildWorld({ policy: new FixedPolicy(20, 0.01), populations: [scripted('s', [{ side: 1, leverage: 2, collateral: 10_000, openTick: 99 }])], ticks: 1 });
    const ex = w.exchange, a = ex.accounts, i = a.count - 1, m = ex.market.mark;
    a.size[i] = 1; a.entry[i] = m; a.collateral[i] = (0.9 * m) / 20;
    expect(ex.allowedOrder(i, tiny, m, 0)).toBe(0);
    expect(ex.allowedOrder(i, -tiny, m, 0)).toBe(-tiny); // a reduction passes
    // The pairs' fast check (one flat bracket) and the general one agree.
    a.size[i - 1] = -1; a.entry[i - 1] = m; a.collateral[i - 1] = (0.9 * m) / 20;
    expect(Math.abs(ex.allowedPairOrder(i, i - 1, tiny, m, 0))).toBe(0);
    const fills: number[] = [];
    w.bus.fills$.subscribe((f) => fills.push(f.count));
    ex.placeOrder(i, tiny);
    executeOrders(ex, 0);
    expect(fills).toEqual([0]);
  });

  it('the same for an account margined across markets', () => {
    const w = venueWorld({
      assets: [{ name: 'A', market: gapMarket(-0.01, 1) }, { name: 'B', market: { ...gapMarket(0, 99), startPrice: 20_000 } }],
      exchange: { takerFee: 0, makerFee: 0 },
      ticks: 2,
      populations: [oneTrader('cross', 1000, (t, i, ctx) => { if (t === 0) ctx.venue!.placeOrder(i, 0, 49_000 / ctx.venue!.markets[0]!.mark); })],
    });
    runAll(w);
    const i = w.exchange.accounts.count - 1, v = w.venue;
    const q = w.exchange.accounts.size[i]!;
    expect(q).toBeGreaterThan(0); // 49x at a 50x cap, then 1% down: over the cap, above maintenance
    expect(v.equity(i)).toBeLessThan(v.requirement(i, 'initial'));
    expect(v.equity(i)).toBeGreaterThan(v.requirement(i, 'maintenance'));
    expect(q + q * 1e-17).toBe(q);
    expect(v.allowedOrder(i, 0, q * 1e-17)).toBe(0);
  });

  it('charges a trader who reduces an underwater position no fee beyond what is left (isolated)', () => {
    // A 50x long gapped 10% under water sells part of it itself before the cascade. The fee is
    // the taker fee on what it sold, but its equity is already negative: charged in full, the fee
    // deepens the deficit the insurance fund pays. Only a close that leaves the account flat was
    // capped; a partial one must be capped at what is left too.
    const fundLoss = (share: number) => {
      const w = buildWorld({
        policy: new FixedPolicy(50, 0.005), ticks: 4, market: gapMarket(-0.1, 2),
        exchange: { takerFee: 0.01, makerFee: 0, deficit: 'none', insuranceFund: 1_000_000 },
        populations: [oneTrader('isolated', 1000, (t, i, ctx) => {
          const a = ctx.exchange.accounts;
          if (t === 0) ctx.exchange.placeOrder(i, 2.5);
          if (t === 2 && a.size[i] !== 0) ctx.exchange.placeOrder(i, -a.size[i]! * share);
        })],
      });
      const ticks = runAll(w);
      return { fund: 1_000_000 - ticks.at(-1)!.insuranceFund, feesAfterGap: ticks.at(-1)!.feeRevenue - ticks[1]!.feeRevenue };
    };
    const none = fundLoss(0);
    expect(none.fund).toBeGreaterThan(0);
    for (const share of [0.5, 0.999, 1]) {
      const r = fundLoss(share);
      expect(r.feesAfterGap).toBe(0);
      expect(r.fund).toBeCloseTo(none.fund, 6);
    }
  });

  it('charges a cross account that closes under water no fee beyond what is left', () => {
    // The same rule for an account margined across markets: its money is the venue's, so what is
    // left is its equity over every market.
    const run = (takerFee: number) => {
      const w = venueWorld({
        assets: [{ name: 'A', market: gapMarket(-0.05, 3) }, { name: 'B', market: { ...gapMarket(0, 99), process: { kind: 'replay', prices: Float64Array.from([100]) }, startPrice: 100 } }],
        exchange: { takerFee, makerFee: 0, deficit: 'none', insuranceFund: 1_000_000 },
        ticks: 5,
        populations: [oneTrader('cross', 1000, (t, i, ctx) => {
          const v = ctx.venue!;
          if (t === 0) v.placeOrder(i, 0, 40_000 / v.markets[0]!.mark);
          if (t === 3) v.placeOrder(i, 0, -ctx.exchange.accounts.size[i]!);
        })],
      });
      const ticks = runAll(w);
      return { fund: ticks[2]!.insuranceFund - ticks.at(-1)!.insuranceFund, feesAtClose: ticks.at(-1)!.feeRevenue - ticks[2]!.feeRevenue };
    };
    const free = run(0), charged = run(0.01);
    expect(free.fund).toBeGreaterThan(0);
    expect(charged.feesAtClose).toBe(0);
    expect(charged.fund).toBeLessThanOrEqual(free.fund);
  });

  it("charges a flip that the batch's fill price leaves under water no fee beyond what is left", () => {
    // A 25x long flips to a small short while a large seller in the same batch moves the fill
    // price 5% down: the flip passed the margin check at the batch's mark, but its closing half
    // realizes the loss at the fill price. A fill at a price does not change the equity at that
    // price, so what the fill takes beyond it is the fee, which must stop at what is left (0 here).
    let flipper = -1, equityAtFill = NaN, equityAfter = NaN;
    const w = buildWorld({
      policy: new FixedPolicy(25, 0.02), ticks: 8,
      market: { startPrice: 100, process: { kind: 'replay', prices: Float64Array.from([100]) }, liquidity: { depth: 1e6, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 }, funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 } },
      exchange: { takerFee: 0.01, makerFee: 0, deficit: 'none', insuranceFund: 1_000_000 },
      populations: [
        oneTrader('isolated', 50, (t, i, ctx) => {
          flipper = i;
          if (t === 0) ctx.exchange.placeOrder(i, 10);
          if (t === 5) ctx.exchange.placeOrder(i, -0.5 - ctx.exchange.accounts.size[i]!);
        }),
        oneTrader('isolated', 1e8, (t, i, ctx) => { if (t === 5) ctx.exchange.placeOrder(i, -1e5); }),
      ],
    });
    const a = w.exchange.accounts;
    let q = 0, entry = 0, coll = 0;
    w.bus.tick$.subscribe((t) => { if (t.tick === 4) { q = a.size[flipper]!; entry = a.entry[flipper]!; coll = a.collateral[flipper]!; } });
    w.bus.fills$.subscribe((f) => { if (f.tick === 5) { equityAtFill = coll + q * (f.price - entry); equityAfter = a.equity(flipper, f.price); } });
    runAll(w);
    expect(a.size[flipper]).toBe(0); // the short left under water was liquidated later
    expect(equityAtFill).toBeLessThan(0);
    expect(equityAfter).toBeCloseTo(equityAtFill, 9);
  });
});
