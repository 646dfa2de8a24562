import { geometricWait, NEVER } from '../sim/engine/rng';
import { AccountState } from '../sim/exchange/accounts';
import type { StrategyDefinition } from './strategy';

/**
 * Noise traders. Rule: a flat agent opens with probability `entryProb` per tick, on a side drawn
 * afresh (long with the population's `longBias`), at its drawn `leverage` × equity of notional; an
 * agent in a position closes it with probability `exitProb` per tick. With `activity` < 1 both
 * probabilities are scaled by it.
 *
 * Parameters: `entryProb` (per tick), `exitProb` (per tick); uses `leverage`, `longBias`, `activity`.
 *
 * How: each agent draws the tick of its next open or close as a geometric wait (exactly the
 * distribution of the per-tick rule) and is skipped until then, one integer comparison a tick. The
 * tick after it acts, and the tick after a liquidation, ADL or stop changed its position (the
 * population resets the schedule), it draws again from its state then, which the memoryless rule
 * allows; a schedule also records the state it was drawn for, and is redrawn if that is not the
 * agent's state when it falls due.
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
    // (tick << 2) | (state drawn for: 1 = open) << 1 | (1 = act then; 0 = redraw then).
    const due = pop.tickColumn('due');
    const activity = Math.min(1, pop.activity), ACTIVE = AccountState.Active;
    for (let k = 0; k < pop.count; k++) {
      const d = due[k]!;
      if (d >> 2 > tick) continue;
      const i = pop.first + k;
      if (a.state[i] !== ACTIVE) {
        // Liquidated or gone: asleep until a re-entry resets the schedule (AgentPopulation.tickColumn).
        due[k] = NEVER << 2;
        continue;
      }
      const open = +(a.size[i] !== 0);
      if (d !== ((tick << 2) | (open << 1) | 1)) {
        const g = geometricWait(pop.uniform(k, tick, 2), activity * (open ? exit[k]! : entry[k]!));
        if (g > 0) {
          due[k] = ((tick + g) << 2) | (open << 1) | 1;
          continue;
        }
      }
      if (open) pop.orderTo(k, 0, ex);
      else {
        const side = pop.uniform(k, tick, 1) < pop.longBias ? 1 : -1;
        pop.orderTo(k, (side * pop.leverage[k]! * a.collateral[i]!) / market.mark, ex);
      }
      due[k] = (tick + 1) << 2;
    }
  },
};
