import { describe, expect, it } from 'vitest';
import { noise } from '../../agents/noise';
import type { StrategyDefinition } from '../../agents/strategy';
import { AccountState } from '../../sim/exchange/accounts';
import { agentWorld, Tightening } from '../helpers/agents';

/** Opens once at tick 0 at the drawn leverage and side, then holds. */
const holder: StrategyDefinition = {
  name: 'holder', summary: 'open once, hold', params: {},
  decide(pop, tick, market, ex) {
    if (tick !== 0) return;
    for (let k = 0; k < pop.count; k++) pop.orderTo(k, (pop.side[k]! * pop.leverage[k]! * ex.accounts.collateral[pop.first + k]!) / market.mark, ex);
  },
};

describe('margin top-up from the reserve wallet', () => {
  it('deposits from the reserve when MM / equity passes the threshold, and only while the reserve lasts', () => {
    // 20x long of 1,000 at 100: 200 units, MM = 0.5% of notional. Ticks' marks: 100, 96, 95.2, 94.8, 90.5, 90.5.
    // t1 @96:   equity 1,000 − 800 = 200,   MM 96.0 → ratio 0.48  ≥ 0.2: +500 → 1,500
    // t2 @95.2: equity 1,500 − 960 = 540,   MM 95.2 → ratio 0.18       : nothing
    // t3 @94.8: equity 1,500 − 1,040 = 460, MM 94.8 → ratio 0.206 ≥ 0.2: +500 → 2,000 (reserve used up)
    // t4 @90.5: equity 2,000 − 1,900 = 100, MM 90.5 → ratio 0.9        : the reserve is empty, nothing
    const w = agentWorld({ pops: [{ strategy: holder, count: 1, leverage: 20, longBias: 1, reserve: 1_000, behaviours: { topUp: { threshold: 0.2, probability: 1, amount: 0.5 } } }], prices: [100, 100, 96, 95.2, 94.8, 90.5, 90.5] });
    const a = w.world.exchange.accounts;
    const coll: number[] = [];
    w.world.bus.tick$.subscribe(() => coll.push(a.collateral[1]!));
    w.world.simulation.run().subscribe();
    expect(coll.slice(0, 6)).toEqual([1_000, 1_500, 1_500, 2_000, 2_000, 2_000]);
    expect(w.pops[0]!.reserve[0]).toBe(0);
    expect(w.ticks.at(-1)!.deposits - w.ticks[0]!.deposits).toBe(1_000); // top-ups are deposits in the ledger
  });
});

describe('stop-loss and take-profit', () => {
  it('close the position at the next decision once the loss or gain reaches its fraction of collateral', () => {
    const sl = agentWorld({ pops: [{ strategy: holder, count: 1, leverage: 10, longBias: 1, behaviours: { stopLoss: 0.3 } }], prices: [100, 100, 98, 97, 97, 97] });
    const a = sl.world.exchange.accounts;
    const q: number[] = [];
    sl.world.bus.tick$.subscribe(() => q.push(a.size[1]!));
    sl.world.simulation.run().subscribe();
    expect(q[1]).toBeGreaterThan(0); // −20%: holds
    expect(q[2]).toBeGreaterThan(0); // −30% reached at the end of tick 2 …
    expect(q[3]).toBe(0); // … closed at tick 3
    const tp = agentWorld({ pops: [{ strategy: holder, count: 1, leverage: 10, longBias: 1, behaviours: { takeProfit: 0.5 } }], prices: [100, 100, 104, 105, 105] });
    const b = tp.world.exchange.accounts;
    const r: number[] = [];
    tp.world.bus.tick$.subscribe(() => r.push(b.size[1]!));
    tp.world.simulation.run().subscribe();
    expect(r[1]).toBeGreaterThan(0);
    expect(r[3]).toBe(0);
  });
});

describe('voluntary deleveraging when the policy tightens', () => {
  it('cuts leverage to (1 − buffer) × the new max', () => {
    const w = agentWorld({ pops: [{ strategy: holder, count: 1, leverage: 30, longBias: 1, behaviours: { deleverage: { buffer: 0.1 } } }], prices: new Array(6).fill(100), policy: new Tightening(3) });
    const a = w.world.exchange.accounts;
    const lev: number[] = [];
    w.world.bus.tick$.subscribe((t) => lev.push((a.size[1]! * t.mark) / a.equity(1, t.mark)));
    w.world.simulation.run().subscribe();
    expect(lev[2]).toBeCloseTo(30, 9);
    expect(lev[3]).toBeCloseTo(9, 9);
  });
});

describe('re-entry after liquidation', () => {
  it('after the cooldown an agent comes back with a new deposit from its reserve, or leaves for good', () => {
    const prices = [100, 100, 90, 90, 90, 90, 90, 90];
    const back = agentWorld({ pops: [{ strategy: holder, count: 1, leverage: 20, longBias: 1, reserve: 5_000, behaviours: { reentry: { cooldownTicks: 2, probability: 1 } } }], prices });
    const a = back.world.exchange.accounts;
    const st: number[] = [];
    back.world.bus.tick$.subscribe(() => st.push(a.state[1]!));
    back.world.simulation.run().subscribe();
    expect(st[1]).toBe(AccountState.Liquidated);
    expect(st[3]).toBe(AccountState.Active);
    expect(a.collateral[1]).toBeCloseTo(1_000, 9); // topped back up to its initial collateral
    const gone = agentWorld({ pops: [{ strategy: holder, count: 1, leverage: 20, longBias: 1, reserve: 5_000, behaviours: { reentry: { cooldownTicks: 2, probability: 0 } } }], prices });
    const b = gone.world.exchange.accounts;
    gone.world.simulation.run().subscribe();
    expect(b.state[1]).toBe(AccountState.Gone);
    expect(b.collateral[1]).toBe(0);
    expect(gone.ticks.at(-1)!.withdrawals).toBeGreaterThanOrEqual(0);
    expect(Math.abs(gone.ticks.at(-1)!.residual)).toBeLessThan(1e-6);
  });
});

describe('a population draws the same parameters whatever other populations exist', () => {
  it('adding a population does not change another\'s draws', () => {
    const spec = { strategy: noise, name: 'x', count: 50, leverage: { dist: 'lognormal' as const, median: 10, sigma: 0.5 } };
    const one = agentWorld({ pops: [spec], prices: [100, 100] });
    const two = agentWorld({ pops: [{ ...spec, name: 'y' }, spec], prices: [100, 100] });
    expect(Array.from(two.pops[1]!.leverage)).toEqual(Array.from(one.pops[0]!.leverage));
  });
});
