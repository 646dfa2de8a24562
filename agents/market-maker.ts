import type { StrategyDefinition } from './strategy';
import { meanOf } from './columns';

/**
 * Market makers. They provide `depthShare` of the market's calm 1% depth and lean against flow:
 * each tick a quoting maker takes −`absorb` × (last tick's net order flow, the makers' own orders
 * included) / makers, and unwinds `skew` of its inventory, within an inventory limit of
 * `inventoryLimit` × equity of notional.
 * In stress they widen and withdraw: a maker's quoting intensity is
 *
 *     q_k = max(0, 1 − volSensitivity × max(0, v/σ_ref − 1)) × [drawdown_k < lossLimit]
 *
 * where v = max(σ̂, |this tick's mark move|), so makers withdraw as a shock hits;
 * and the liquidity model's depth is multiplied by (1 − depthShare) + depthShare × mean(q_k), so
 * their withdrawal really thins the book (liquidity evaporation from the makers' side).
 *
 * Parameters: `depthShare`, `absorb`, `skew`, `inventoryLimit` (x equity), `volSensitivity`,
 * `lossLimit` (fraction of initial collateral).
 */
export const marketMaker: StrategyDefinition = {
  name: 'market-maker',
  summary: 'quote depth around the mark, absorb flow within an inventory limit, withdraw in stress',
  params: {
    depthShare: { default: 0.5, min: 0, max: 1, unit: 'fraction', doc: 'share of the calm 1% depth these makers provide' },
    absorb: { default: 0.3, min: 0, max: 1, unit: 'fraction', doc: 'share of last tick\'s net order flow (the makers\' own included) the makers take' },
    skew: { default: 0.05, min: 0, max: 1, unit: 'per tick', doc: 'share of inventory unwound each tick' },
    inventoryLimit: { default: 5, min: 0, unit: 'x equity', doc: 'largest inventory, as notional over equity' },
    volSensitivity: { default: 1, min: 0, unit: 'per unit of σ̂/σ_ref − 1', doc: 'how fast quoting falls as volatility rises' },
    lossLimit: { default: 0.2, min: 0, unit: 'fraction', doc: 'drawdown of initial collateral at which a maker stops quoting' },
  },
  init(pop) {
    pop.column('quoting', 1);
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const quoting = pop.column('quoting');
    const absorb = pop.param('absorb'), skew = pop.param('skew'), lim = pop.param('inventoryLimit');
    const sens = pop.param('volSensitivity'), lossLimit = pop.param('lossLimit');
    // Stress from realized volatility or from this tick's move, whichever is larger: makers pull
    // quotes as a shock hits, not a tick later.
    const vol = Math.max(market.realizedVol, Math.abs(market.tickMove));
    const stress = Math.max(0, vol / market.referenceVol - 1);
    const perMaker = ex.lastNetFlow / pop.count;
    for (let k = 0; k < pop.count; k++) {
      const i = pop.first + k;
      const eq = a.equity(i, p);
      const drawdown = 1 - eq / pop.collateral0[k]!;
      quoting[k] = drawdown >= lossLimit[k]! || a.state[i] !== 0 ? 0 : Math.max(0, 1 - sens[k]! * stress);
      if (!pop.acts(k, tick, ex) || !(eq > 0)) continue;
      const q = a.size[i]!;
      const maxQ = (lim[k]! * eq) / p;
      let target = q - quoting[k]! * absorb[k]! * perMaker - skew[k]! * q;
      target = Math.max(-maxQ, Math.min(maxQ, target));
      pop.orderTo(k, target, ex);
    }
  },
  depthFactor(pop) {
    const share = meanOf(pop.param('depthShare'));
    return 1 - share + share * meanOf(pop.column('quoting'));
  },
};
