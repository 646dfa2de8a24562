import { describe, expect, it } from 'vitest';
import type { StrategyDefinition } from '../../agents/strategy';
import { TablePolicy } from '../../sim/exchange/policies/table-policy';
import type { TightenMode } from '../../sim/exchange/policies/types';
import { compileTiers } from '../../sim/exchange/margin';
import { tightens } from '../../sim/exchange/terms';
import type { MarketView } from '../../sim/market/market';
import { agentWorld } from '../helpers/agents';

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
});
