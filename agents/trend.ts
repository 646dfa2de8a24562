import type { StrategyDefinition } from './strategy';
import type { AgentPopulation } from './population';
import { maxOf } from './columns';
import { EmaBank } from './ema-bank';

/** Each trend population's EMAs, by window (see EmaBank). */
const emas = new WeakMap<AgentPopulation, { fast: EmaBank; slow: EmaBank }>();

/**
 * Trend followers, two rules chosen per agent by `rule`:
 * - 0, EMA crossover: signal = sign(EMA_fast − EMA_slow) of the mark when the gap exceeds
 *   `threshold` (relative), else 0; EMA_w updates as e += (p − e)·2/(w + 1).
 * - 1, breakout (Donchian): long when the mark breaks above the high of the previous `slow` ticks,
 *   short when it breaks below the low; the position is held until the opposite breakout.
 * On a new signal the agent goes to signal × `leverage` × equity of notional; a zero EMA signal
 * closes the position.
 *
 * Parameters: `fast`, `slow` (ticks), `rule` (0/1), `threshold` (fraction).
 */
export const trend: StrategyDefinition = {
  name: 'trend',
  summary: 'EMA crossover or breakout on the mark, per-agent windows',
  params: {
    fast: { default: { dist: 'uniform', min: 5, max: 30 }, min: 1, integer: true, unit: 'ticks', doc: 'fast EMA window' },
    slow: { default: { dist: 'uniform', min: 40, max: 200 }, min: 2, integer: true, unit: 'ticks', doc: 'slow EMA window, and the breakout channel length' },
    rule: { default: 0, min: 0, max: 1, integer: true, unit: '0 = EMA, 1 = breakout', doc: 'which rule the agent follows' },
    threshold: { default: 0.001, min: 0, unit: 'fraction', doc: 'EMA gap (relative to the slow EMA) needed for a signal' },
  },
  historyLength: (pop) => maxOf(pop.param('slow')) + 1,
  init(pop, market) {
    emas.set(pop, { fast: new EmaBank(pop.param('fast'), market.mark), slow: new EmaBank(pop.param('slow'), market.mark) });
    pop.column('signal', 0);
  },
  decide(pop, tick, market, ex) {
    const a = ex.accounts;
    const p = market.mark;
    const fast = pop.param('fast'), slow = pop.param('slow'), rule = pop.param('rule'), thr = pop.param('threshold');
    const bank = emas.get(pop)!;
    bank.fast.update(p);
    bank.slow.update(p);
    const ef = bank.fast.value, es = bank.slow.value, sig = pop.column('signal');
    for (let k = 0; k < pop.count; k++) {
      let s = sig[k]!;
      if (rule[k] === 0) {
        const f = ef[fast[k]! | 0]!, sl = es[slow[k]! | 0]!;
        const gap = (f - sl) / sl;
        s = gap > thr[k]! ? 1 : gap < -thr[k]! ? -1 : 0;
      } else {
        const hi = pop.history.maxBefore(slow[k]!), lo = pop.history.minBefore(slow[k]!);
        if (p > hi) s = 1;
        else if (p < lo) s = -1;
      }
      if (s === sig[k] || !pop.acts(k, tick, ex)) continue;
      sig[k] = s;
      const i = pop.first + k;
      const eq = a.equity(i, p);
      pop.orderTo(k, s === 0 || eq <= 0 ? 0 : (s * pop.leverage[k]! * eq) / p, ex);
    }
  },
};
