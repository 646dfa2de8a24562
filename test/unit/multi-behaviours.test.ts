import { describe, expect, it } from 'vitest';
import type { StrategyDefinition } from '../../agents/strategy';
import { AccountState } from '../../sim/exchange/accounts';
import type { Behaviours } from '../../agents/population';
import type { MarginMode } from '../../sim/world/types';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import { Tightening } from '../helpers/agents';
import { runWorld, venueAgents } from '../helpers/venue';

/** Opens at tick 0 a long of w_m × leverage × equity in each market m (params w0, w1), then holds. */
const basketHold: StrategyDefinition = {
  name: 'basket-hold', summary: 'open a basket once, hold',
  params: { w0: { default: 0, unit: 'x', doc: 'weight of market 0' }, w1: { default: 1, unit: 'x', doc: 'weight of market 1' } },
  decide(pop, tick) {
    if (tick !== 0) return;
    const v = pop.venue, w = [pop.param('w0'), pop.param('w1')];
    for (let k = 0; k < pop.count; k++) {
      const i = pop.first + k, e = v.equity(i);
      for (let m = 0; m < 2; m++) if (w[m]![k] !== 0) v.placeOrder(i, m, (w[m]![k]! * pop.leverage[k]! * e) / v.markets[m]!.mark);
    }
  },
};

/**
 * One managed agent of a population on asset 0 (its own market), holding w0 × and w1 × leverage ×
 * equity in markets 0 and 1; market 0 stays at 100, market 1 follows `p1`. Records each market's
 * size of the account after every tick.
 */
function managed(o: { mode?: MarginMode; p1: number[]; leverage: number; w0?: number; w1?: number; behaviours: Behaviours; reserve?: number; policy1?: LeveragePolicy; full?: boolean }) {
  const w = venueAgents({
    assets: [{ name: 'A', prices: new Array(o.p1.length).fill(100) }, { name: 'B', prices: o.p1, policy: o.policy1 }],
    pops: [{ name: 'held', strategy: basketHold, marginMode: o.mode ?? 'cross', leverage: o.leverage, reserve: o.reserve ?? 0, params: { w0: o.w0 ?? 0, w1: o.w1 ?? 1 }, behaviours: o.behaviours }],
    margin: { scan: [{ kind: 'fixed', range: 0.05 }, { kind: 'fixed', range: 0.05 }], initialFactor: 1.5 },
    exchange: o.full ? { liquidation: { mode: 'full' } as never } : {},
  });
  const sizes: number[][] = [];
  const v = w.world.venue;
  w.world.bus.tick$.subscribe(() => sizes.push(w.world.markets.map((h) => h.exchange.accounts.size[1]!)));
  return { ...w, sizes, v };
}

describe('behaviours of cross and portfolio accounts read the whole account', () => {
  it('stop-loss: a loss in another market than the population\'s closes every position', () => {
    for (const mode of ['cross', 'portfolio'] as const) {
      // 2.5x in each market on 1,000; market 1 falls 14% at tick 2: loss 350 = 35% of the wallet ≥ 30%.
      const r = managed({ mode, p1: [100, 100, 100, 86, 86, 86, 86], leverage: 2.5, w0: 1, w1: 1, behaviours: { stopLoss: 0.3 } });
      runWorld(r.world);
      expect(r.sizes[1]![0]).toBeCloseTo(25, 9);
      expect(r.sizes[2]![1]).toBeGreaterThan(0); // reached at the end of tick 2 …
      expect(r.sizes[3]).toEqual([0, 0]); // … both positions closed at tick 3
      for (const t of r.ticks) expect(t.relativeResidual).toBeLessThan(1e-9);
    }
  });

  it('take-profit: a gain over the whole account closes every position', () => {
    const r = managed({ p1: [100, 100, 110, 125, 125, 125], leverage: 2, w0: 1, w1: 1, behaviours: { takeProfit: 0.4 } });
    runWorld(r.world);
    expect(r.sizes[2]![0]).toBeGreaterThan(0); // +200 = 20%: holds
    expect(r.sizes[4]).toEqual([0, 0]); // +500 = 50% at tick 2's end: closed at tick 3
  });

  it('top-up: deposits when the account\'s MM / equity passes the threshold, though the own market is flat', () => {
    // 20x in market 1 only: 20,000 of notional, MM 0.5% = 100. A 3% fall: equity 400, MM 97 → 0.24 ≥ 0.2.
    const r = managed({ p1: [100, 100, 97, 97, 97], leverage: 20, reserve: 1_000, behaviours: { topUp: { threshold: 0.2, probability: 1, amount: 0.5 } } });
    const wallet: number[] = [];
    r.world.bus.tick$.subscribe(() => wallet.push(r.world.markets.reduce((s, h) => s + h.exchange.accounts.collateral[1]!, 0)));
    runWorld(r.world);
    expect(wallet[0]).toBeCloseTo(1_000, 9);
    expect(wallet[1]).toBeCloseTo(1_500, 9); // 400 + 500 = 900 equity, MM 97: 0.11 — no second top-up
    expect(wallet.at(-1)).toBeCloseTo(1_500, 9);
    expect(r.pops[0]!.reserve[0]).toBeCloseTo(500, 9);
    expect(r.ticks.at(-1)!.deposits - r.ticks[0]!.deposits).toBeCloseTo(500, 9);
    for (const t of r.ticks) expect(t.relativeResidual).toBeLessThan(1e-9);
  });

  it('deleverage: a tighter max leverage in another market scales every position to (1 − buffer) × the new max', () => {
    const r = managed({ p1: new Array(7).fill(100), leverage: 15, w0: 1, w1: 1, policy1: new Tightening(3), behaviours: { deleverage: { buffer: 0.1 } } });
    const lev: number[] = [];
    r.world.bus.tick$.subscribe(() => lev.push((Math.abs(r.v.notional(1, 0)) + Math.abs(r.v.notional(1, 1))) / r.v.equity(1)));
    runWorld(r.world);
    expect(lev[2]).toBeCloseTo(30, 9);
    // The tightening lands in the policy step of tick 3; the decision of tick 4 sees it.
    expect(lev.at(-1)).toBeCloseTo(9, 9);
    expect(r.sizes.at(-1)![0]).toBeCloseTo(r.sizes.at(-1)![1]!, 9); // both scaled alike
  });

  it('re-entry after the venue liquidates the account (in a market other than the population\'s), or leaving', () => {
    // 40x in market 1: a 5% fall liquidates it flat (full liquidation).
    const p1 = [100, 100, 100, 95, 95, 95, 95, 95, 95];
    const back = managed({ p1, leverage: 40, reserve: 5_000, full: true, behaviours: { reentry: { cooldownTicks: 2, probability: 1 } } });
    const states: number[][] = [];
    back.world.bus.tick$.subscribe(() => states.push(back.world.markets.map((h) => h.exchange.accounts.state[1]!)));
    runWorld(back.world);
    expect(states[2]).toEqual([AccountState.Liquidated, AccountState.Liquidated]);
    expect(states.at(-1)).toEqual([AccountState.Active, AccountState.Active]);
    const wallet = back.world.markets.reduce((s, h) => s + h.exchange.accounts.collateral[1]!, 0);
    expect(wallet).toBeCloseTo(1_000, 9); // topped back up to the initial collateral
    for (const t of back.ticks) expect(t.relativeResidual).toBeLessThan(1e-9);

    const gone = managed({ p1, leverage: 40, reserve: 5_000, full: true, behaviours: { reentry: { cooldownTicks: 2, probability: 0 } } });
    const left: number[][] = [];
    gone.world.bus.tick$.subscribe(() => left.push(gone.world.markets.map((h) => h.exchange.accounts.state[1]!)));
    runWorld(gone.world);
    expect(left.at(-1)).toEqual([AccountState.Gone, AccountState.Gone]);
    expect(gone.world.markets.reduce((s, h) => s + h.exchange.accounts.collateral[1]!, 0)).toBe(0);
    for (const t of gone.ticks) expect(t.relativeResidual).toBeLessThan(1e-9);
  });
});

describe('stops of a cross account holding collateral tokens', () => {
  it('take-profit and stop-loss read the unrealized PnL, not the tokens\' value: no gain on a still price fires no take-profit', async () => {
    const { lastValueFrom } = await import('rxjs');
    const { venuesWorld } = await import('../helpers/venues');
    const { populationSpec, initPopulations } = await import('../../sim/run/build');
    const { FixedPolicy } = await import('../../sim/exchange/policies/fixed');
    const still = { process: { kind: 'gbm' as const, mu: 0, sigma: 0 } };
    const run = async (behaviours: Behaviours, ret: number) => {
      const created: import('../../agents/population').AgentPopulation[] = [];
      const w = venuesWorld({
        assets: [{ name: 'BTC', market: { ...still, startPrice: 100 } }, { name: 'USDe', market: { ...still, startPrice: 1 } }],
        venues: [
          { name: 'A', assets: [0], policy: () => new FixedPolicy(10, 0.05), spots: [{ asset: 1, premiumHalfLife: 60 }], collateral: [{ asset: 1, haircut: 0.05, priceSource: 'venue' }], localShocks: ret !== 0 ? [{ tick: 5, ret }] : [] },
          { name: 'B', assets: [0] },
        ],
        // 10 cross longs of 10,000, half of it held as USDe (4,750 after the haircut); each opens 2 × its equity, 195 BTC at 100.
        populations: [{ ...populationSpec({
          name: 'tp', count: 10, strategy: basketHold, collateral: 10_000, leverage: 2, reserve: 0, longBias: 1, activity: 1, startOpen: 0,
          params: { w0: 1, w1: 0 }, behaviours,
        }, 60, created, { marginMode: 'cross', venue: 0, tokenCollateral: { token: 1, share: 0.5 } }) }],
        ticks: 20,
      });
      initPopulations(w, created);
      await lastValueFrom(w.simulation.run());
      const pop = created[0]!, ex = w.multiVenue!.venues[0]!.markets[0]!.exchange;
      return Array.from({ length: pop.count }, (_, k) => ex.accounts.size[pop.first + k]!);
    };
    // A still price: no gain, so a take-profit at 50% must not fire (before: every position was closed, the 4,750 of USDe counted as a gain).
    expect(await run({ takeProfit: 0.5 }, 0)).toEqual(new Array(10).fill(195));
    // A 10% fall of BTC on A loses 1,950 on a 5,000 wallet: a 20% stop-loss fires (before: the 4,750 of USDe hid the loss and nobody was closed).
    expect(await run({}, -0.1)).toEqual(new Array(10).fill(195));
    expect(await run({ stopLoss: 0.2 }, -0.1)).toEqual(new Array(10).fill(0));
  });
});
