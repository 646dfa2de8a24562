import type { StrategyDefinition } from './strategy';
import type { AgentPopulation } from './population';
import { maxOf } from './columns';
import { EmaBank } from './ema-bank';
import { groupAgents, type AgentGroups } from './groups';

/**
 * Trend followers, two rules chosen per agent by `rule`:
 * - 0, EMA crossover: signal = sign(EMA_fast − EMA_slow) of the mark when the gap exceeds
 *   `threshold` (relative), else 0; EMA_w updates as e += (p − e)·2/(w + 1).
 * - 1, breakout (Donchian): long when the mark breaks above the high of the previous `slow` ticks,
 *   short when it breaks below the low; the position is held until the opposite breakout.
 * On a new signal the agent goes to signal × `leverage` × equity of notional (when it acts that
 * tick; an EMA signal it missed is taken up at its next active tick); a zero EMA signal closes the
 * position.
 *
 * Parameters: `fast`, `slow` (ticks), `rule` (0/1), `threshold` (fraction).
 *
 * How: agents with the same (fast, slow, rule, threshold) see the same signal, so the signal is
 * computed once per such group and tick (EMAs once per window, see EmaBank), and an agent is
 * visited only when its group's signal changes or while its own lags behind it.
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
    states.set(pop, new TrendState(pop, market.mark));
  },
  decide(pop, tick, market, ex) {
    const st = states.get(pop)!;
    const a = ex.accounts;
    const p = market.mark;
    st.fast.update(p);
    st.slow.update(p);
    const ef = st.fast.value, es = st.slow.value, sig = st.signal;
    const act = (k: number, s: number): boolean => {
      if (!pop.acts(k, tick, ex)) return false;
      sig[k] = s;
      const i = pop.first + k;
      const eq = a.equity(i, p);
      pop.orderTo(k, s === 0 || eq <= 0 ? 0 : (s * pop.leverage[k]! * eq) / p, ex);
      return true;
    };
    const rule = st.rule, fastW = st.fastW, slowW = st.slowW, thr = st.thr, groupSignal = st.groupSignal;
    const { start, members, count: groups } = st.groups;
    for (let g = 0; g < groups; g++) {
      let s: number;
      if (rule[g] === 0) {
        const sl = es[slowW[g]!]!;
        const gap = (ef[fastW[g]!]! - sl) / sl;
        s = gap > thr[g]! ? 1 : gap < -thr[g]! ? -1 : 0;
        if (s === groupSignal[g]) continue;
        groupSignal[g] = s;
      } else {
        // A breakout is a signal on its tick only; otherwise every member holds.
        const w = slowW[g]!;
        if (p > pop.history.maxBefore(w)) s = 1;
        else if (p < pop.history.minBefore(w)) s = -1;
        else continue;
      }
      for (let m = start[g]!; m < start[g + 1]!; m++) {
        const k = members[m]!;
        if (sig[k] !== s && !act(k, s) && rule[g] === 0) st.park(pop, k, tick);
      }
    }
    // EMA followers behind their group's signal, parked until their next active tick.
    for (let k = st.takeParked(tick); k >= 0;) {
      // Read before k may be parked again, which ends its chain at k.
      const next = st.nextParked[k]!;
      const s = groupSignal[st.groups.groupOf[k]!]!;
      if (sig[k] !== s && !act(k, s)) st.park(pop, k, tick);
      k = next;
    }
  },
};

/** A trend population's signal groups and bookkeeping. */
class TrendState {
  readonly fast: EmaBank;
  readonly slow: EmaBank;
  /** Each agent's current signal (the last one it acted on). */
  readonly signal: Int8Array;
  /** Agents by (fast, slow, rule, threshold), and per group those parameters and its last EMA signal. */
  readonly groups: AgentGroups;
  readonly fastW: Int32Array;
  readonly slowW: Int32Array;
  readonly rule: Uint8Array;
  readonly thr: Float64Array;
  readonly groupSignal: Float64Array;
  /** Agents whose signal lags their group's (not active when it changed), parked until they next are. */
  readonly isParked: Uint8Array;
  /**
   * Parked agents as one chain per slot (tick mod PARK_SLOTS), first parked first: the agent after
   * k in k's chain, −1 after the last. Why chains through one column sized at set-up: a list per
   * slot grows to the most agents that slot ever held, and over a run each slot once holds a large
   * share of the population (in bench-1m the 65 lists of 150,000 trend agents came to 5.8 MB, ~39
   * bytes an agent, by doublings that allocated 12.5 MB the allocator kept); the column costs 4.
   */
  readonly nextParked: Int32Array;
  /** First and last agent of each slot's chain (−1 when the slot is empty). */
  private readonly head = new Int32Array(PARK_SLOTS).fill(-1);
  private readonly tail = new Int32Array(PARK_SLOTS).fill(-1);

  constructor(pop: AgentPopulation, start: number) {
    const fast = pop.param('fast'), slow = pop.param('slow'), rule = pop.param('rule'), thr = pop.param('threshold');
    this.fast = new EmaBank(fast, start);
    this.slow = new EmaBank(slow, start);
    this.signal = new Int8Array(pop.count);
    this.isParked = new Uint8Array(pop.count);
    this.nextParked = new Int32Array(pop.count);
    this.groups = groupAgents(pop.count, (k) => `${fast[k]}|${slow[k]}|${rule[k]}|${thr[k]}`);
    const f = this.groups.first;
    this.fastW = Int32Array.from(f, (k) => fast[k]!);
    this.slowW = Int32Array.from(f, (k) => slow[k]!);
    this.rule = Uint8Array.from(f, (k) => rule[k]!);
    this.thr = Float64Array.from(f, (k) => thr[k]!);
    this.groupSignal = new Float64Array(this.groups.count);
  }

  /**
   * Parks lagging agent k until its next active tick after `tick` (asking it sooner could only
   * answer no), or for PARK_SLOTS − 1 ticks when that is further off; once parked, it stays so.
   */
  park(pop: AgentPopulation, k: number, tick: number): void {
    if (this.isParked[k] === 1) return;
    this.isParked[k] = 1;
    const at = Math.min(pop.activeFrom(k, tick + 1), tick + PARK_SLOTS - 1);
    const slot = at % PARK_SLOTS;
    this.nextParked[k] = -1;
    if (this.head[slot]! < 0) this.head[slot] = k;
    else this.nextParked[this.tail[slot]!] = k;
    this.tail[slot] = k;
  }

  /**
   * Unparks the agents parked until `tick` and returns the first of them (−1 when none), in the
   * order they were parked; {@link nextParked} leads from each to the next.
   */
  takeParked(tick: number): number {
    const slot = tick % PARK_SLOTS;
    const first = this.head[slot]!;
    this.head[slot] = -1;
    this.tail[slot] = -1;
    for (let k = first; k >= 0; k = this.nextParked[k]!) this.isParked[k] = 0;
    return first;
  }
}

/** Ticks a lagging agent can be parked ahead (activity 0.2 waits 5 ticks on average). */
const PARK_SLOTS = 64;

/** Each trend population's state (see TrendState). */
const states = new WeakMap<AgentPopulation, TrendState>();
