import { describe, expect, it } from 'vitest';
import type { StrategyDefinition } from '../../agents/strategy';
import { TablePolicy } from '../../sim/exchange/policies/table-policy';
import type { TightenMode } from '../../sim/exchange/policies/types';
import { compileTiers } from '../../sim/exchange/margin';
import { MarginTerms, tightens } from '../../sim/exchange/terms';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import type { TierTable } from '../../sim/exchange/margin';
import type { MarketView } from '../../sim/market/market';
import { agentWorld } from '../helpers/agents';
import { venueWorld } from '../helpers/venue';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import type { PopulationSpec } from '../../sim/exchange/population';

/** 25x / 2% until tick `at`, then 10x / 6% (or back to looser terms if `loosen`). */
class StepPolicy extends TablePolicy {
  constructor(private readonly at: number, mode: TightenMode, grace = 0, private readonly loosen = false) {
    super('step', loosen ? [{ floor: 0, cap: Infinity, maxLeverage: 10, mmr: 0.06 }] : [{ floor: 0, cap: Infinity, maxLeverage: 25, mmr: 0.02 }], { onTighten: mode, graceTicks: grace });
  }
  override onTick(m: MarketView): boolean {
    if (m.tick !== this.at) return false;
    this.current = compileTiers(this.loosen ? [{ floor: 0, cap: Infinity, maxLeverage: 25, mmr: 0.02 }] : [{ floor: 0, cap: Infinity, maxLeverage: 10, mmr: 0.06 }]);
    return true;
  }
}

/** Opens a 20x long at tick 0 (or 8x when loosening from 10x), tries to add 20% more at tick 5. */
const opener = (lev: number): StrategyDefinition => ({
  name: 'opener', summary: '', params: {},
  decide(pop, tick, market, ex) {
    const i = pop.first;
    if (tick === 0) pop.orderTo(0, (lev * ex.accounts.collateral[i]!) / market.mark, ex);
    if (tick === 5 && ex.accounts.size[i]! > 0) pop.orderTo(0, ex.accounts.size[i]! * 1.2, ex);
  },
});

function run(mode: TightenMode, grace = 0, lev = 20, loosen = false) {
  const w = agentWorld({ pops: [{ strategy: opener(lev), count: 1 }], prices: new Array(12).fill(100), policy: new StepPolicy(3, mode, grace, loosen) });
  const a = w.world.exchange.accounts;
  const size: number[] = [];
  const flat: number[] = [];
  w.world.bus.tick$.subscribe(() => { size.push(a.size[1]!); flat.push(w.world.exchange.terms.flatImLeverage); });
  const liqTicks: number[] = [];
  w.world.bus.liquidations$.subscribe((b) => liqTicks.push(b.tick));
  w.world.simulation.run().subscribe();
  return { size, flat, liqTicks, w };
}

describe('when limits tighten', () => {
  it('tightens() tells a stricter schedule from a looser one', () => {
    const loose = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 25, mmr: 0.02 }]);
    const strict = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 10, mmr: 0.06 }]);
    expect(tightens(loose, strict)).toBe(true);
    expect(tightens(strict, loose)).toBe(false);
  });

  it('tightens() compares whole schedules, past breakpoints it does not share (issue 10, defect 4)', () => {
    const flat = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 20, mmr: 0.01 }]);
    // 0.5% up to 1,000 notional, 2% above: looser near 0, stricter from 2,000 on (MM 0.02n − 15 > 0.01n).
    const kinked = compileTiers([{ floor: 0, cap: 1_000, maxLeverage: 20, mmr: 0.005 }, { floor: 1_000, cap: Infinity, maxLeverage: 20, mmr: 0.02 }]);
    expect(tightens(flat, kinked)).toBe(true);
    expect(tightens(kinked, flat)).toBe(true); // flat asks more below 1,500
    // Only beyond the last breakpoint of either table: the slope decides.
    const steeper = compileTiers([{ floor: 0, cap: 1_000, maxLeverage: 20, mmr: 0.005 }, { floor: 1_000, cap: Infinity, maxLeverage: 20, mmr: 0.0200001 }]);
    expect(tightens(kinked, steeper)).toBe(true);
    expect(tightens(steeper, kinked)).toBe(false);
    // Max leverage that falls only inside the other table's bracket.
    const lev = compileTiers([{ floor: 0, cap: 1_000, maxLeverage: 20, mmr: 0.005 }, { floor: 1_000, cap: 5_000, maxLeverage: 20, mmr: 0.02 }, { floor: 5_000, cap: Infinity, maxLeverage: 19, mmr: 0.02 }]);
    expect(tightens(kinked, lev)).toBe(true);
    expect(tightens(lev, kinked)).toBe(false);
    // The same schedule, and a uniformly looser one.
    expect(tightens(kinked, compileTiers([{ floor: 0, cap: 1_000, maxLeverage: 20, mmr: 0.005 }, { floor: 1_000, cap: Infinity, maxLeverage: 20, mmr: 0.02 }]))).toBe(false);
    expect(tightens(kinked, compileTiers([{ floor: 0, cap: 1_000, maxLeverage: 25, mmr: 0.004 }, { floor: 1_000, cap: Infinity, maxLeverage: 25, mmr: 0.019 }]))).toBe(false);
  });

  it('enforce: the new maintenance margin applies at once and liquidates', () => {
    // a 20x long has 5% equity; the new MMR is 6%
    const r = run('enforce');
    expect(r.liqTicks).toEqual([3]);
    expect(r.size[3]).toBe(0);
  });

  it('enforce with graceTicks: the old margin holds until the grace ends', () => {
    const r = run('enforce', 4);
    expect(r.liqTicks).toEqual([7]);
    expect(r.size[6]).toBeGreaterThan(0);
    expect(r.size[5]).toBeCloseTo(r.size[0]!, 12); // no add during the grace: the new IM (10x) refuses it
  });

  it('grandfather: the position keeps its terms, and may even add under them', () => {
    const r = run('grandfather');
    expect(r.liqTicks).toEqual([]);
    expect(r.size[5]).toBeCloseTo(r.size[0]! * 1.2, 9); // 24x under the old 25x
    const ex = r.w.world.exchange;
    expect(ex.mmTable(1).mmr[0]).toBe(0.02);
  });

  it('reduce-only: the position keeps its maintenance margin but cannot add', () => {
    const r = run('reduce-only');
    expect(r.liqTicks).toEqual([]);
    expect(r.size[5]).toBeCloseTo(r.size[0]!, 12);
    expect(r.w.world.exchange.mmTable(1).mmr[0]).toBe(0.02);
  });

  it('the flat schedule the pair check reads (MarginTerms.flatImLeverage) follows the change', () => {
    const seen = (mode: TightenMode, loosen = false) => run(mode, 0, 8, loosen).flat;
    /** `a` for ticks 0–2, `b` from the change at tick 3 to the last of the run's 11 ticks. */
    const step = (a: number, b: number) => [a, a, a, ...new Array<number>(8).fill(b)];
    // 25x until tick 3, then 10x, for every account at once…
    expect(seen('enforce')).toEqual(step(25, 10));
    expect(seen('reduce-only')).toEqual(step(25, 10));
    // …but not under grandfathering, where accounts keep their own terms: no shared schedule.
    expect(seen('grandfather')).toEqual(step(25, NaN));
    // (Once a grandfathering policy has changed at all the shared schedule is not trusted, even
    // after a loosening: the pair check takes the general path, which gives the same answer.)
    expect(seen('grandfather', true)).toEqual(step(10, NaN));
  });

  it('when limits loosen everyone moves to the new terms at once, whatever the mode', () => {
    for (const mode of ['grandfather', 'reduce-only', 'enforce'] as const) {
      const r = run(mode, 0, 8, true);
      expect(r.w.world.exchange.mmTable(1).mmr[0]).toBe(0.02);
      expect(r.size[5]).toBeCloseTo(r.size[0]! * 1.2, 9); // 8x → 9.6x: fine under the new 25x
    }
  });

  /**
   * Terms of 3 accounts under a policy whose schedule the test sets (accounts 0 and 1 hold
   * positions, account 2 is flat); `change(t)` applies `t` now.
   */
  function termsUnder(mode: TightenMode, graceTicks = 0) {
    const start = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.005 }]);
    let table: TierTable = start;
    const policy = { onTighten: mode, graceTicks, table: () => table } as unknown as LeveragePolicy;
    const terms = new MarginTerms(3, policy);
    const sizes = Float64Array.from([1, -1, 0]);
    const change = (next: TierTable, tick: number) => {
      table = next;
      return terms.onPolicyChange(tick, sizes);
    };
    return { terms, start, change };
  }
  const tight = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 20, mmr: 0.02 }]);
  const partLoose = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 25, mmr: 0.015 }]);

  it('a loosening that is still tighter than the terms a position kept moves nobody onto them', () => {
    // A position opened at 50x / 0.5% keeps those terms when they tighten to 2%. A loosening to
    // 1.5% is looser than the latest terms but tighter than the ones the position kept: it must
    // not take the protection away (it used to move every account onto the newest terms).
    for (const mode of ['grandfather', 'reduce-only'] as const) {
      const { terms, start, change } = termsUnder(mode);
      terms.onIncrease(0, true); // account 0 opened under the starting terms
      change(tight, 2);
      terms.onIncrease(1, true); // account 1 opened under the tight terms
      change(partLoose, 4);
      expect(terms.mm(0, 4)).toBe(start);
      expect(terms.mm(1, 4)).toBe(partLoose); // looser than its own terms: it moves
      expect(terms.mm(2, 4)).toBe(partLoose); // flat: it keeps no terms, and moves
    }
  });

  it('under enforce, a loosening during a grace period that is still tighter than the old terms keeps the grace', () => {
    const { terms, start, change } = termsUnder('enforce', 100);
    expect(change(tight, 2)).toBe(false);
    expect(terms.mm(0, 3)).toBe(start);
    change(partLoose, 4);
    expect(terms.mm(0, 4)).toBe(start); // the grace holds until tick 102
    expect(terms.mm(0, 101)).toBe(start);
    expect(terms.graceEnds(102)).toBe(true);
    expect(terms.mm(0, 102)).toBe(partLoose);
    // A loosening past the old terms ends the grace: everyone is on the newest, loosest terms.
    const { terms: t2, change: c2 } = termsUnder('enforce', 100);
    c2(tight, 2);
    const looser = compileTiers([{ floor: 0, cap: Infinity, maxLeverage: 60, mmr: 0.004 }]);
    expect(c2(looser, 4)).toBe(true);
    expect(t2.mm(0, 4)).toBe(looser);
  });

  it('grandfather: a flip opens a new position, on the new terms', () => {
    // A 5x long opened under 50x / 0.5% keeps those terms when they tighten to 10x / 5%. Flipping
    // it into a short closes it and opens a new position: the short must be cut to the new 10x and
    // margined at 5%, as closing and then opening would be (it was opened at 45x, margined at 0.5%).
    const flipTo = (openTick: number) => {
      const flipper: StrategyDefinition = {
        name: 'flipper', summary: '', params: {},
        decide(pop, tick, market, ex) {
          const i = pop.first, q = ex.accounts.size[i]!;
          if (tick === 0) pop.orderTo(0, (5 * ex.accounts.collateral[i]!) / market.mark, ex);
          if (tick === openTick && openTick === 5) pop.orderTo(0, -(45 * ex.accounts.collateral[i]!) / market.mark, ex);
          if (openTick === 6 && tick === 5) pop.orderTo(0, 0, ex);
          if (tick === openTick && openTick === 6) pop.orderTo(0, -(45 * ex.accounts.collateral[i]!) / market.mark, ex);
          void q;
        },
      };
      const w = agentWorld({ pops: [{ strategy: flipper, count: 1 }], prices: new Array(12).fill(100), policy: new StepPolicy(3, 'grandfather') });
      w.world.simulation.run().subscribe();
      const ex = w.world.exchange, a = ex.accounts;
      const n = Math.abs(a.size[1]!) * 100;
      return { size: a.size[1]!, leverage: n / a.equity(1, 100), mm: ex.maintenanceMargin(1, n) / n };
    };
    const flipped = flipTo(5), reopened = flipTo(6);
    expect(reopened.size).toBeLessThan(0);
    expect(reopened.leverage).toBeCloseTo(10, 6);
    expect(reopened.mm).toBeCloseTo(0.06, 12);
    expect(flipped.leverage).toBeCloseTo(reopened.leverage, 6);
    expect(flipped.mm).toBeCloseTo(0.06, 12);
  });

  /** One account of `mode` on 1,000 in market A (terms 25x / 2%, tightened to 10x / 6% at tick 3 under `onTighten`) and B: `act` orders in A at each tick. */
  function managed(mode: 'cross' | 'portfolio', onTighten: TightenMode, act: (t: number, q: number) => number | null) {
    const calm = { process: { kind: 'gbm' as const, mu: 0, sigma: 0 }, funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 }, startPrice: 100,
      liquidity: { depth: Infinity, impact: 'linear' as const, elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 } };
    const pop: PopulationSpec = {
      name: 'p', count: 1, marginMode: mode,
      create(ctx) {
        ctx.exchange.deposit(ctx.first, 1000);
        const v = ctx.venue!;
        return { name: 'p', first: ctx.first, count: 1, decide(t) {
          const dq = act(t, v.exchanges[0]!.accounts.size[ctx.first]!);
          if (dq !== null) v.placeOrder(ctx.first, 0, dq);
        } };
      },
    };
    const w = venueWorld({
      assets: [{ name: 'A', market: calm, policy: new StepPolicy(3, onTighten) }, { name: 'B', market: calm, policy: new FixedPolicy(50, 0.005) }],
      populations: [pop], ticks: 8, exchange: { takerFee: 0, makerFee: 0 },
      margin: { scan: [{ kind: 'fixed' as const, range: 0.01 }, { kind: 'fixed' as const, range: 0.01 }], initialFactor: 1, correlation: [[1, 0], [0, 1]] },
    });
    const liq: number[] = [];
    // Each market's exchange emits its liquidations (the world's bus carries the ticks).
    for (const h of w.markets) h.exchange.bus.liquidations$.subscribe((b) => liq.push(b.tick));
    w.simulation.run().subscribe({ error: (e) => { throw e; } });
    const ex = w.markets[0]!.exchange;
    return { size: ex.accounts.size[1]!, mmRate: ex.maintenanceMargin(1, 100) / 100, liq };
  }

  it('grandfather: a cross account\'s flip opens a new position on the new terms, as an isolated one\'s does', () => {
    // A 20x long opened under 25x / 2% keeps those terms when they tighten to 10x / 6%. Its flip to
    // a 19x short used to be checked and kept on the old terms (the venue's check did not tell a
    // flip from an add); it is cut to the new 10x (1,000 of equity: a short of 100) and margined at 6%.
    const r = managed('cross', 'grandfather', (t, q) => (t === 0 ? 200 : t === 5 ? -190 - q : null));
    expect(r.size).toBeCloseTo(-100, 9);
    expect(r.mmRate).toBeCloseTo(0.06, 12);
    expect(r.liq).toEqual([]);
    // Without the flip the long keeps its old terms.
    const kept = managed('cross', 'grandfather', (t) => (t === 0 ? 200 : null));
    expect(kept.size).toBe(200);
    expect(kept.mmRate).toBeCloseTo(0.02, 12);
  });

  it('portfolio: an order that opens a position (from flat, or a flip) is checked against the new maintenance terms, not those of the last position', () => {
    // Portfolio margin charges at least Σ tier MM (the scan range here is 1%, below it), × the
    // initial factor 1: a new position may reach 1,000 / 6% = 16,667 of notional under the new
    // terms, where the old 2% allowed 50,000 and the position was then liquidated at once.
    const flipped = managed('portfolio', 'grandfather', (t, q) => (t === 0 ? 200 : t === 5 ? -600 - q : null));
    expect(flipped.size * 100).toBeCloseTo(-1000 / 0.06, 6);
    expect(flipped.liq).toEqual([]);
    const reopened = managed('portfolio', 'grandfather', (t, q) => (t === 0 ? 200 : t === 4 ? -q : t === 5 ? -600 : null));
    expect(reopened.size * 100).toBeCloseTo(-1000 / 0.06, 6);
    expect(reopened.liq).toEqual([]);
  });

  it('reduce-only, portfolio: an add is checked against the new terms it moves the position onto', () => {
    // Under reduce-only an increase moves a position onto the current terms (isolated and cross
    // alike); the portfolio check used the old 2% for it, so the add passed and was liquidated at 6%.
    const r = managed('portfolio', 'reduce-only', (t, q) => (t === 0 ? 100 : t === 5 ? 600 - q : null));
    expect(r.liq).toEqual([]);
    expect(r.size * 100).toBeCloseTo(1000 / 0.06, 6); // cut to what 6% allows: 16,667 of notional
  });

});
