import { AccountState } from '../sim/exchange/accounts';
import type { StrategyDefinition } from './strategy';

/**
 * Mirrored pairs that build up leverage. Agents 2j (the long leg) and 2j + 1 (the short leg) of the
 * population form pair j (an odd last agent stays out). Rule, every tick the pair acts (the long
 * leg's `acts`, both legs active): with e = the smaller of the two legs' equity at the mark p,
 *
 *     want = (both legs flat ? leverage of the long leg : `addRate`) × e / p
 *     d    = min(allowed long order for +want, allowed short order for −want)   (initial-margin cut)
 *
 * and, when d > 0, the long leg buys d and the short leg sells d. The legs trade equal and opposite
 * sizes, so a pair is flat in sum until a liquidation hits one leg; a pair adds "while margin
 * allows": the leg with less room caps both. With `addRate` 0 a pair opens once and holds still.
 * One pass over the population and one margin call per pair (Exchange.allowedPairOrder checks both
 * legs); its orders go in already cut, so execution does not check them again.
 *
 * Parameters: `addRate` (fraction of equity added, as notional, per tick).
 */
export const pairs: StrategyDefinition = {
  name: 'pairs',
  summary: 'mirrored long/short pairs that open at their leverage, then add addRate × equity a tick while margin allows',
  params: {
    addRate: { default: 0.01, min: 0, unit: 'per tick', doc: 'notional added to each leg per tick, as a fraction of the smaller leg equity' },
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const fee = ex.params.takerFee;
    const rate = pop.param('addRate');
    for (let k = 0; k + 1 < pop.count; k += 2) {
      const il = pop.first + k, is = il + 1;
      const flat = a.size[il] === 0 && a.size[is] === 0;
      // A holding pair (addRate 0, open) has nothing to decide: skipped before any other read.
      if (rate[k] === 0 && !flat) continue;
      if (!pop.acts(k, tick, ex) || a.state[is] !== AccountState.Active) continue;
      const e = Math.min(a.equity(il, p), a.equity(is, p));
      if (!(e > 0)) continue;
      const want = ((flat ? pop.leverage[k]! : rate[k]!) * e) / p;
      if (!(want > 0)) continue;
      const d = ex.allowedPairOrder(il, is, want, p, fee);
      if (!(d > 0)) continue;
      ex.placeCheckedOrder(il, d, p);
      ex.placeCheckedOrder(is, -d, p);
    }
  },
};
