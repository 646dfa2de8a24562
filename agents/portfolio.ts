import { accountEquity, fundMarkets, orderToNotional } from './multi-asset';
import type { AgentPopulation } from './population';
import type { StrategyDefinition } from './strategy';

/**
 * Diversified holders: long every asset of the venue at target weights and a target leverage.
 *
 *     weights   w_m = 1 / n                                  (weighting = 0, equal)
 *               w_m = (1 / σ_m) / Σ_j (1 / σ_j)              (weighting = 1, inverse volatility;
 *                                                            σ_m = market m's EWMA realized vol,
 *                                                            equal weights while some σ_m is 0)
 *     targets   x*_m = w_m × leverage × E                    (E: account equity over every market)
 *     drift     D = max_m |x_m − x*_m| / (leverage × E)
 *
 * Rule, each tick an agent acts: a flat agent opens the targets; an open one goes back to them
 * when D > `band`. Weights are computed once per tick for the whole population.
 * Isolated agents put collateral into each market's wallet at init, by the weights then.
 */
export const portfolio: StrategyDefinition = {
  name: 'portfolio',
  summary: 'long every asset at equal or inverse-volatility weights, gross leverage × equity, rebalanced when a weight drifts by more than band',
  params: {
    weighting: { default: 0, min: 0, max: 1, integer: true, unit: '0 = equal, 1 = inverse vol', doc: 'how target weights are set' },
    band: { default: 0.1, min: 0, unit: 'fraction of gross', doc: 'rebalance when a position is off its target by more than this share of the target gross' },
  },
  init(pop) {
    const st = new PortfolioState(pop.venue.markets.length);
    states.set(pop, st);
    st.update(pop);
    const wt = pop.param('weighting');
    for (let k = 0; k < pop.count; k++) fundMarkets(pop, k, st.weights[wt[k]!]!);
  },
  decide(pop, tick, _market, ex) {
    const st = states.get(pop)!;
    st.update(pop);
    const v = pop.venue, n = v.markets.length;
    const wt = pop.param('weighting'), band = pop.param('band');
    for (let k = 0; k < pop.count; k++) {
      if (!pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      const e = accountEquity(pop, i);
      if (!(e > 0)) continue;
      const w = st.weights[wt[k]!]!;
      const g = pop.leverage[k]! * e;
      let drift = 0, open = false;
      for (let m = 0; m < n; m++) {
        const x = v.notional(i, m);
        if (x !== 0) open = true;
        drift = Math.max(drift, Math.abs(x - w[m]! * g));
      }
      if (open && drift <= band[k]! * g) continue;
      for (let m = 0; m < n; m++) orderToNotional(pop, i, m, w[m]! * g);
    }
  },
};

const states = new WeakMap<AgentPopulation, PortfolioState>();

/** This tick's weight vectors: [equal, inverse volatility]. */
class PortfolioState {
  readonly weights: [Float64Array, Float64Array];

  constructor(n: number) {
    this.weights = [new Float64Array(n).fill(1 / n), new Float64Array(n)];
  }

  update(pop: AgentPopulation): void {
    const mk = pop.venue.markets, iv = this.weights[1];
    let sum = 0;
    for (let m = 0; m < mk.length; m++) {
      const s = mk[m]!.realizedVol;
      iv[m] = s > 0 ? 1 / s : NaN;
      sum += iv[m]!;
    }
    if (!(sum > 0 && Number.isFinite(sum))) iv.set(this.weights[0]);
    else for (let m = 0; m < mk.length; m++) iv[m] = iv[m]! / sum;
  }
}
