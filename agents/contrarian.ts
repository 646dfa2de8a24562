import type { StrategyDefinition } from './strategy';
import { maxOf } from './columns';
import { groupAgents, type AgentGroups } from './groups';
import type { AgentPopulation } from './population';

/**
 * Contrarians / dip buyers. Rule: r = mark / mark_{t−window} − 1. When r ≤ −`drop` the agent goes
 * long at `leverage` × equity; when r ≥ `rise` it closes (or, with `shortOnRise` = 1, goes short).
 * Positions are otherwise held.
 *
 * Parameters: `window` (ticks), `drop`, `rise` (fractions), `shortOnRise` (0/1).
 *
 * How: the move is computed once per distinct window and tick, and the members of a window are
 * visited only when the move reaches one of their triggers.
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
  init(pop) {
    const win = pop.param('window'), drop = pop.param('drop'), rise = pop.param('rise');
    const groups = groupAgents(pop.count, (k) => String(win[k]));
    const minDrop = new Float64Array(groups.count).fill(Infinity), minRise = new Float64Array(groups.count).fill(Infinity);
    for (let k = 0; k < pop.count; k++) {
      const g = groups.groupOf[k]!;
      minDrop[g] = Math.min(minDrop[g]!, drop[k]!);
      minRise[g] = Math.min(minRise[g]!, rise[k]!);
    }
    states.set(pop, { groups, window: Int32Array.from(groups.first, (k) => win[k]!), minDrop, minRise });
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const drop = pop.param('drop'), rise = pop.param('rise'), shortOnRise = pop.param('shortOnRise');
    const { groups, window, minDrop, minRise } = states.get(pop)!;
    const { start, members } = groups;
    for (let g = 0; g < groups.count; g++) {
      // One move per window; a window whose move reaches no member's trigger is skipped whole.
      const past = pop.history.ago(window[g]!);
      if (!(past > 0)) continue;
      const r = p / past - 1;
      if (r > -minDrop[g]! && r < minRise[g]!) continue;
      for (let m = start[g]!; m < start[g + 1]!; m++) {
        const k = members[m]!;
        const i = pop.first + k;
        const q = a.size[i]!;
        const buy = r <= -drop[k]! && q <= 0, sell = !buy && r >= rise[k]! && q >= 0;
        if (!(buy || sell) || !pop.acts(k, tick, ex)) continue;
        const eq = a.equity(i, p);
        if (buy) {
          if (eq > 0) pop.orderTo(k, (pop.leverage[k]! * eq) / p, ex);
        } else pop.orderTo(k, shortOnRise[k] === 1 && eq > 0 ? (-pop.leverage[k]! * eq) / p : 0, ex);
      }
    }
  },
};

/** Each contrarian population's agents grouped by window, with the smallest triggers per group. */
const states = new WeakMap<AgentPopulation, { groups: AgentGroups; window: Int32Array; minDrop: Float64Array; minRise: Float64Array }>();
