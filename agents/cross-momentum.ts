import { AccountState } from '../sim/exchange/accounts';
import { maxOf } from './columns';
import { PriceHistory } from './history';
import { accountEquity, fundMarkets, needMarkets, orderToNotional } from './multi-asset';
import type { AgentPopulation } from './population';
import type { StrategyDefinition } from './strategy';

/**
 * Cross-asset momentum traders: rank the venue's assets by their return over `lookback` ticks,
 * long the best, short the worst, dollar-neutral.
 *
 *     score     r_m = ln(p_m(t) / p_m(t − lookback))           (marks; ties: lower asset number first)
 *     legs      h = min(`legs`, ⌊n / 2⌋) assets on each side
 *     gross     G = leverage × E                               (E: account equity over every market)
 *     targets   x_m = +G / (2h) for the h best, −G / (2h) for the h worst, 0 otherwise  (Σ x_m = 0)
 *
 * Rule: an agent rebalances to the targets at the first tick it acts once `lookback` ticks of
 * marks exist, and then whenever `rebalanceTicks` have passed since its last rebalance (a forced
 * close, liquidation or stop, brings the next one forward to its next active tick). Ranks are
 * computed once per distinct lookback and tick. Isolated agents put an equal share of collateral
 * into each market's wallet at init; once one of their wallets is liquidated, they close the other
 * legs (no longer dollar-neutral) and trade no more.
 */
export const crossMomentum: StrategyDefinition = {
  name: 'cross-momentum',
  summary: 'long the assets with the best return over lookback ticks, short the worst, dollar-neutral, gross leverage × equity, rebalanced every rebalanceTicks',
  minAssets: 2,
  params: {
    lookback: { default: 60, min: 1, integer: true, unit: 'ticks', doc: 'window of the return that ranks the assets' },
    rebalanceTicks: { default: 60, min: 1, integer: true, unit: 'ticks', doc: 'ticks between rebalances' },
    legs: { default: 1, min: 1, integer: true, unit: 'assets', doc: 'assets held long (and as many short), at most half the assets' },
  },
  init(pop) {
    needMarkets(pop);
    const st = new MomentumState(pop);
    states.set(pop, st);
    const w = new Float64Array(pop.venue.markets.length).fill(1);
    for (let k = 0; k < pop.count; k++) fundMarkets(pop, k, w);
  },
  decide(pop, tick, _market, ex) {
    const st = states.get(pop)!;
    st.update();
    const v = pop.venue, n = v.markets.length;
    const every = pop.param('rebalanceTicks'), legs = pop.param('legs');
    const next = pop.tickColumn('cross-momentum/next', -1);
    const xs = v.exchanges, isolated = !pop.managed;
    for (let k = 0; k < pop.count; k++) {
      if (isolated && brokenLegs(pop, k)) {
        // A wallet of this isolated agent was liquidated: what it holds elsewhere is no longer
        // dollar-neutral, and is closed (orders to the liquidated market find nothing to close).
        for (let m = 0; m < n; m++) if (xs[m]!.accounts.size[pop.first + k] !== 0) orderToNotional(pop, pop.first + k, m, 0);
        continue;
      }
      if (tick < next[k]!) continue;
      const g = st.group[k]!;
      if (!st.ready[g] || !pop.acts(k, tick, ex)) continue;
      const i = pop.first + k;
      const e = accountEquity(pop, i);
      if (!(e > 0)) continue;
      next[k] = tick + every[k]!;
      const h = Math.min(legs[k]!, Math.floor(n / 2));
      const leg = (pop.leverage[k]! * e) / (2 * h);
      const order = st.order[g]!;
      for (let r = 0; r < n; r++) {
        const m = order[r]!;
        orderToNotional(pop, i, m, r < h ? leg : r >= n - h ? -leg : 0);
      }
    }
  },
};

const states = new WeakMap<AgentPopulation, MomentumState>();

/** True when isolated agent k's account is not active in some market (a wallet was liquidated, or it left). */
function brokenLegs(pop: AgentPopulation, k: number): boolean {
  const xs = pop.venue.exchanges, i = pop.first + k;
  for (let m = 0; m < xs.length; m++) if (xs[m]!.accounts.state[i] !== AccountState.Active) return true;
  return false;
}

/** Marks of every market, and the ranking of each distinct lookback (best first). */
class MomentumState {
  private readonly hist: PriceHistory[];
  private readonly lookbacks: number[];
  /** Each agent's lookback group. */
  readonly group: Int32Array;
  /** Per group: assets by descending return, and whether the window is full. */
  readonly order: Int32Array[];
  readonly ready: Uint8Array;
  private readonly ret: Float64Array;

  constructor(private readonly pop: AgentPopulation) {
    const lb = pop.param('lookback');
    const n = pop.venue.markets.length;
    this.hist = pop.venue.markets.map(() => new PriceHistory(maxOf(lb) + 1));
    const ids = new Map<number, number>();
    this.group = new Int32Array(pop.count);
    this.lookbacks = [];
    for (let k = 0; k < pop.count; k++) {
      let g = ids.get(lb[k]!);
      if (g === undefined) {
        g = this.lookbacks.length;
        ids.set(lb[k]!, g);
        this.lookbacks.push(lb[k]!);
      }
      this.group[k] = g;
    }
    this.order = this.lookbacks.map(() => new Int32Array(n));
    this.ready = new Uint8Array(this.lookbacks.length);
    this.ret = new Float64Array(n);
    // The start marks: the first window ends at the start price.
    for (let m = 0; m < n; m++) this.hist[m]!.push(pop.venue.markets[m]!.mark);
  }

  /** Records this tick's marks and re-ranks every lookback group (insertion sort: n is small). */
  update(): void {
    const mk = this.pop.venue.markets, n = mk.length;
    for (let m = 0; m < n; m++) this.hist[m]!.push(mk[m]!.mark);
    for (let g = 0; g < this.lookbacks.length; g++) {
      const w = this.lookbacks[g]!;
      if (this.hist[0]!.length <= w) continue;
      this.ready[g] = 1;
      const ord = this.order[g]!, ret = this.ret;
      for (let m = 0; m < n; m++) {
        ret[m] = Math.log(this.hist[m]!.ago(0) / this.hist[m]!.ago(w));
        let j = m;
        while (j > 0 && ret[ord[j - 1]!]! < ret[m]!) {
          ord[j] = ord[j - 1]!;
          j--;
        }
        ord[j] = m;
      }
    }
  }
}
