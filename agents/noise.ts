import type { StrategyDefinition } from './strategy';

/**
 * Noise traders. Rule: a flat agent opens with probability `entryProb` per tick, on a side drawn
 * afresh (long with the population's `longBias`), at its drawn `leverage` × equity of notional; an
 * agent in a position closes it with probability `exitProb` per tick.
 *
 * Parameters: `entryProb` (per tick), `exitProb` (per tick); uses `leverage`, `longBias`.
 */
export const noise: StrategyDefinition = {
  name: 'noise',
  summary: 'random entries and exits on a random side at the drawn leverage',
  params: {
    entryProb: { default: 0.02, min: 0, max: 1, unit: 'per tick', doc: 'probability that a flat agent opens a position' },
    exitProb: { default: 0.01, min: 0, max: 1, unit: 'per tick', doc: 'probability that an agent in a position closes it' },
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const entry = pop.param('entryProb'), exit = pop.param('exitProb');
    for (let k = 0; k < pop.count; k++) {
      if (!pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      const u = pop.uniform(k, tick);
      if (a.size[i] === 0) {
        if (u < entry[k]!) {
          const side = pop.uniform(k, tick, 1) < pop.longBias ? 1 : -1;
          pop.orderTo(k, (side * pop.leverage[k]! * a.collateral[i]!) / market.mark, ex);
        }
      } else if (u < exit[k]!) {
        pop.orderTo(k, 0, ex);
      }
    }
  },
};
