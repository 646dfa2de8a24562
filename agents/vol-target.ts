import type { StrategyDefinition } from './strategy';

/**
 * Volatility targeters (volatility scaling). Rule: target leverage
 * L* = min(`maxLeverage`, `targetVol` / σ̂_annual), where σ̂_annual is the market's EWMA realized
 * volatility annualised; the agent holds a long of L* × equity and rebalances only when its actual
 * leverage leaves the band L* × (1 ± `band`). Procyclical by design: when volatility rises every
 * targeter sells at once.
 *
 * Parameters: `targetVol` (annualised), `band` (fraction), `maxLeverage`.
 */
export const volTarget: StrategyDefinition = {
  name: 'vol-target',
  summary: 'long at target vol / realized vol, rebalanced outside a band',
  params: {
    targetVol: { default: 0.4, min: 0, unit: 'annualised', doc: 'volatility the agent targets' },
    band: { default: 0.2, min: 0, unit: 'fraction', doc: 'rebalance when leverage is off target by more than this' },
    maxLeverage: { default: 10, min: 0, unit: 'x', doc: 'cap on the target leverage' },
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const sigma = market.realizedVol * Math.sqrt(pop.ticksPerYear);
    const tv = pop.param('targetVol'), band = pop.param('band'), cap = pop.param('maxLeverage');
    for (let k = 0; k < pop.count; k++) {
      if (!pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      const eq = a.equity(i, p);
      if (!(eq > 0)) continue;
      const target = Math.min(cap[k]!, sigma > 0 ? tv[k]! / sigma : cap[k]!);
      const lev = (a.size[i]! * p) / eq;
      if (Math.abs(lev - target) > band[k]! * target) pop.orderTo(k, (target * eq) / p, ex);
    }
  },
};
