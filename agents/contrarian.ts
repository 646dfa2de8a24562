import type { StrategyDefinition } from './strategy';
import { maxOf } from './columns';

/**
 * Contrarians / dip buyers. Rule: r = mark / mark_{t−window} − 1. When r ≤ −`drop` the agent goes
 * long at `leverage` × equity; when r ≥ `rise` it closes (or, with `shortOnRise` = 1, goes short).
 * Positions are otherwise held.
 *
 * Parameters: `window` (ticks), `drop`, `rise` (fractions), `shortOnRise` (0/1).
 */
export const contrarian: StrategyDefinition = {
  name: 'contrarian',
  summary: 'buy after a drop of x% over a window, sell after a rise',
  params: {
    window: { default: { dist: 'uniform', min: 10, max: 120 }, min: 1, integer: true, unit: 'ticks', doc: 'look-back of the move' },
    drop: { default: 0.03, min: 0, unit: 'fraction', doc: 'fall over the window that triggers a buy' },
    rise: { default: 0.03, min: 0, unit: 'fraction', doc: 'rise over the window that triggers a sell' },
    shortOnRise: { default: 0, min: 0, max: 1, integer: true, unit: '0/1', doc: 'go short after a rise instead of only closing' },
  },
  historyLength: (pop) => maxOf(pop.param('window')) + 1,
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const win = pop.param('window'), drop = pop.param('drop'), rise = pop.param('rise'), shortOnRise = pop.param('shortOnRise');
    for (let k = 0; k < pop.count; k++) {
      const past = pop.history.ago(win[k]!);
      if (!(past > 0) || !pop.acts(k, tick, ex)) continue;
      const r = p / past - 1;
      const i = pop.first + k;
      const q = a.size[i]!;
      if (r <= -drop[k]! && q <= 0) {
        const eq = a.equity(i, p);
        if (eq > 0) pop.orderTo(k, (pop.leverage[k]! * eq) / p, ex);
      } else if (r >= rise[k]! && q >= 0) {
        const eq = a.equity(i, p);
        pop.orderTo(k, shortOnRise[k] === 1 && eq > 0 ? (-pop.leverage[k]! * eq) / p : 0, ex);
      }
    }
  },
};
