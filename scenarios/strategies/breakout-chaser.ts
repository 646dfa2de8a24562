/**
 * An example custom strategy, named by path from scenarios/custom-strategy.yaml.
 *
 * Breakout chasers: when the mark has moved more than `trigger` over the last `window` ticks, the
 * agent piles in the same direction at its drawn leverage, and takes the position off after
 * `holdTicks`. A deliberately pro-cyclical rule: it buys rallies and sells breaks.
 *
 * A custom strategy is a module whose default export is a StrategyDefinition: a name, a summary,
 * its parameters (each a default distribution with bounds, unit and meaning, set per population in
 * the scenario's `params:`), and decide(), a kernel over the whole population that writes desired
 * position changes into the exchange's order column (never a callback per agent). `ex` and `market`
 * are the population's own market (its `asset:`); `pop.venue` has every market and the account-level
 * figures of cross and portfolio accounts.
 */
import type { StrategyDefinition } from '../../agents/strategy';
import { maxOf } from '../../agents/columns';
import { accountEquity } from '../../agents/multi-asset';

const strategy: StrategyDefinition = {
  name: 'breakout-chaser',
  summary: 'chase a move larger than trigger over window, hold for holdTicks',
  params: {
    window: { default: 10, min: 1, integer: true, unit: 'ticks', doc: 'look-back of the move' },
    trigger: { default: 0.01, min: 0, unit: 'fraction', doc: 'move that triggers an entry' },
    holdTicks: { default: 30, min: 1, integer: true, unit: 'ticks', doc: 'how long a position is held' },
  },
  historyLength: (pop) => maxOf(pop.param('window')) + 1,
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const win = pop.param('window'), trig = pop.param('trigger'), hold = pop.param('holdTicks');
    const openedAt = pop.column('openedAt', -1);
    for (let k = 0; k < pop.count; k++) {
      if (!pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      if (a.size[i] !== 0) {
        if (tick - openedAt[k]! >= hold[k]!) pop.orderTo(k, 0, ex);
        continue;
      }
      const past = pop.history.ago(win[k]!);
      if (!(past > 0)) continue;
      const move = market.mark / past - 1;
      if (Math.abs(move) > trig[k]!) {
        // The account's equity, whatever its margin mode: under cross or portfolio margin its
        // collateral in this market is only a share of one wallet (a per-market view reads the
        // position, `a.size[i]`, from this market and the money from the venue).
        const eq = accountEquity(pop, i);
        pop.orderTo(k, (Math.sign(move) * pop.leverage[k]! * eq) / market.mark, ex);
        openedAt[k] = tick;
      }
    }
  },
};

export default strategy;
