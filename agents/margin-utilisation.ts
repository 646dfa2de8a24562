import { accountEquity, accountMaintenance, fundMarkets, orderToNotional } from './multi-asset';
import type { StrategyDefinition } from './strategy';

/**
 * Margin-utilisation traders: keep margin usage inside a band by scaling every position together,
 * "balancing borrowed funds against collateral to maximise trading power while preventing forced
 * position closure".
 *
 *     usage     u = MM / E       (MM: the account's maintenance requirement under its margin mode,
 *                                 E: its equity over every market; isolated: sums over its wallets)
 *     u > high  every position x_m → x_m × target / u            (cut proportionally)
 *     u < low   every position x_m → x_m × target / u, each order cut by venue.allowedOrder (add)
 *     flat      opens side × leverage × E / n in each of the n markets (side: +1 with probability
 *               longBias), which the band then scales
 *
 * MM is linear in a common scaling of the positions under flat rates and portfolio margin (tiers:
 * nearly), so one rebalance brings u to about `target`. Usage at the initial-margin limit is MM/IM
 * (0.5 for schedules with MM = IM / 2), so a band above it cannot be reached by adding.
 * Isolated agents put an equal share of collateral into each market's wallet at init.
 */
export const marginUtilisation: StrategyDefinition = {
  name: 'margin-utilisation',
  summary: 'keeps maintenance requirement / equity inside [low, high], scaling every position to target when it leaves the band',
  params: {
    low: { default: 0.2, min: 0, unit: 'MM / equity', doc: 'add exposure below this usage' },
    high: { default: 0.4, min: 0, unit: 'MM / equity', doc: 'cut exposure above this usage' },
    target: { default: 0.3, min: 0, unit: 'MM / equity', doc: 'usage a rebalance aims at' },
  },
  init(pop) {
    const w = new Float64Array(pop.venue.markets.length).fill(1);
    for (let k = 0; k < pop.count; k++) fundMarkets(pop, k, w);
  },
  decide(pop, tick, _market, ex) {
    const v = pop.venue, n = v.markets.length, xs = v.exchanges;
    const low = pop.param('low'), high = pop.param('high'), target = pop.param('target');
    for (let k = 0; k < pop.count; k++) {
      if (!pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      const e = accountEquity(pop, i);
      if (!(e > 0)) continue;
      const mm = accountMaintenance(pop, i);
      if (mm === 0) {
        let flat = true;
        for (let m = 0; m < n && flat; m++) flat = xs[m]!.accounts.size[i] === 0;
        if (!flat) continue;
        const x = (pop.side[k]! * pop.leverage[k]! * e) / n;
        for (let m = 0; m < n; m++) orderToNotional(pop, i, m, x);
        continue;
      }
      const u = mm / e;
      if (u <= high[k]! && u >= low[k]!) continue;
      const s = target[k]! / u - 1;
      const add = u < low[k]!;
      for (let m = 0; m < n; m++) {
        const q = xs[m]!.accounts.size[i]!;
        if (q === 0) continue;
        const dq = add ? v.allowedOrder(i, m, q * s) : q * s;
        if (dq !== 0) v.placeOrder(i, m, dq);
      }
    }
  },
};
