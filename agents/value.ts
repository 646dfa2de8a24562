import type { StrategyDefinition } from './strategy';

/**
 * Value funds (Thurner, Farmer & Geanakoplos 2012, "Leverage causes fat tails and clustered
 * volatility"). Rule: desired leverage λ = clamp(`aggression` × (V − p) / p, 0, `maxLeverage`),
 * where V = `value` is the fund's estimate of fundamental value (by default drawn around the start
 * price) and p the mark; the fund holds a long of λ × equity. When a fall in p pushes its actual
 * leverage above `maxLeverage` it must sell back to the cap at once — the forced, procyclical
 * selling of the paper — otherwise, when off target by more than `band`, it closes `speed` of the
 * gap (funds trade gradually).
 *
 * This strategy trades through levsim's impact market, not the paper's market clearing, so it
 * borrows the paper's rule but cannot reproduce its results; `market.clearing: walrasian` runs the
 * paper's own market (sim/market/clearing/, scenarios/tfg-2012.yaml).
 *
 * Parameters: `value` (quote; 0 = the start price × (1 + `mispricing`)), `mispricing`,
 * `aggression`, `maxLeverage`, `band`, `speed`.
 */
export const value: StrategyDefinition = {
  name: 'value',
  summary: 'long in proportion to V − p, capped at a max leverage that forces sales when breached',
  params: {
    value: { default: 0, min: 0, unit: 'quote', doc: 'fundamental value; 0 means start price × (1 + mispricing)' },
    mispricing: { default: { dist: 'normal', mean: 0.05, sd: 0.02 }, unit: 'fraction', doc: 'how far above the start price V sits, when value is 0' },
    aggression: { default: 20, min: 0, unit: 'leverage per unit mispricing', doc: 'β: demand per unit of relative mispricing' },
    maxLeverage: { default: 5, min: 0, unit: 'x', doc: 'the fund\'s leverage cap (λ_max)' },
    band: { default: 0.1, min: 0, unit: 'fraction', doc: 'rebalance when off target by more than this (selling above the cap is immediate)' },
    speed: { default: 0.1, min: 0, max: 1, unit: 'fraction per tick', doc: 'share of the gap to the target closed per rebalance (forced sales above the cap are whole)' },
  },
  init(pop, market) {
    const v = pop.param('value'), mis = pop.param('mispricing');
    const fv = pop.column('fundamental');
    for (let k = 0; k < pop.count; k++) fv[k] = v[k]! > 0 ? v[k]! : market.mark * (1 + mis[k]!);
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const fv = pop.column('fundamental'), beta = pop.param('aggression'), cap = pop.param('maxLeverage'), band = pop.param('band'), speed = pop.param('speed');
    for (let k = 0; k < pop.count; k++) {
      const i = pop.first + k;
      const eq = a.equity(i, p);
      if (!(eq > 0)) continue;
      const lev = (a.size[i]! * p) / eq;
      const forced = lev > cap[k]! * (1 + 1e-9);
      if (!forced && !pop.acts(k, tick, ex)) continue;
      const target = Math.min(cap[k]!, Math.max(0, (beta[k]! * (fv[k]! - p)) / p));
      const q = a.size[i]!;
      if (forced) pop.orderTo(k, (cap[k]! * eq) / p, ex);
      else if (Math.abs(lev - target) > band[k]! * Math.max(target, 1)) pop.orderTo(k, q + speed[k]! * ((target * eq) / p - q), ex);
    }
  },
};
