import { AccountState } from '../sim/exchange/accounts';
import type { Exchange } from '../sim/exchange/exchange';
import { roomOpensAt } from '../sim/exchange/execution';
import type { AgentPopulation } from './population';
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
 * legs); its orders go in already cut, so execution does not check them again. A pair found at its
 * cap under a flat schedule is not checked again while its legs' sizes, entries and collateral and
 * the schedule's leverage are unchanged and the mark stays where a leg has no room ({@link CapMemo}):
 * the check would give 0 again.
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
    const memo = capMemo(pop, ex, fee);
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
      if (memo !== null && memo.holds(k >> 1, il, is, p, want)) continue;
      const d = ex.allowedPairOrder(il, is, want, p, fee);
      if (!(d > 0)) {
        if (memo !== null && !flat) memo.park(k >> 1, il, is);
        continue;
      }
      ex.placeCheckedOrder(il, d, p);
      ex.placeCheckedOrder(is, -d, p);
    }
  },
};

/**
 * The pairs found at their cap, one slot per pair: under a flat initial-margin schedule of leverage
 * L (MarginTerms.flatImLeverage) and a fee rate ≥ 0, the long leg may add only above
 * {@link roomOpensAt} its bound lo and the short leg only below its bound hi, so while neither leg's
 * size, entry or collateral has changed (a fill, a liquidation, ADL, funding, a deposit) nor L, a
 * mark m ≤ lo·(1 − ε) or m ≥ hi·(1 + ε) gives a pair no order, as its check would. ε covers the
 * check's rounding: 1e-9·L/(L − 1)·(1 + k), k = (|q·entry| + |c|)/|q·entry − c| for a long and
 * (|c| + |q|·entry)/|c + |q|·entry| for a short (how much of the bound's terms cancel; 1 to a few in
 * practice). An order too small to change a leg's size is no increase to the check, which lets it
 * through unchecked: such a pair is checked.
 */
class CapMemo {
  /** The marks at or below which the long leg, and at or above which the short leg, has no room (bounds with ε applied). */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly sizeL: Float64Array;
  private readonly sizeS: Float64Array;
  private readonly entryL: Float64Array;
  private readonly entryS: Float64Array;
  private readonly cashL: Float64Array;
  private readonly cashS: Float64Array;
  private readonly lev: Float64Array;
  /** This tick's exchange and schedule. */
  private ex!: Exchange;
  private L = NaN;

  constructor(pairs: number) {
    this.lo = new Float64Array(pairs);
    this.hi = new Float64Array(pairs);
    this.sizeL = new Float64Array(pairs);
    this.sizeS = new Float64Array(pairs);
    this.entryL = new Float64Array(pairs);
    this.entryS = new Float64Array(pairs);
    this.cashL = new Float64Array(pairs);
    this.cashS = new Float64Array(pairs);
    // NaN: no pair parked (NaN equals nothing).
    this.lev = new Float64Array(pairs).fill(NaN);
  }

  /** Takes this tick's exchange and schedule. */
  begin(ex: Exchange, lev: number): void {
    this.ex = ex;
    this.L = lev;
  }

  /** True when pair `j` (legs `il`, `is`) is parked, its order of `want` would change both legs' sizes, and the mark `m` still leaves a leg without room. */
  holds(j: number, il: number, is: number, m: number, want: number): boolean {
    if (this.lev[j] !== this.L) return false;
    const a = this.ex.accounts;
    const qL = a.size[il]!, qS = a.size[is]!;
    if (qL !== this.sizeL[j] || qS !== this.sizeS[j] || a.collateral[il] !== this.cashL[j] || a.collateral[is] !== this.cashS[j]) return false;
    if (a.entry[il] !== this.entryL[j] || a.entry[is] !== this.entryS[j] || qL + want === qL || qS - want === qS) return false;
    return m <= this.lo[j]! || m >= this.hi[j]!;
  }

  /** Parks pair `j`, whose check just gave no order: a long long leg and a short short leg only (a buy of a short leg is a reduction, always allowed). */
  park(j: number, il: number, is: number): void {
    const a = this.ex.accounts;
    const qL = a.size[il]!, qS = a.size[is]!;
    if (!(qL > 0 && qS < 0)) return;
    const cL = a.collateral[il]!, cS = a.collateral[is]!, eL = a.entry[il]!, eS = a.entry[is]!;
    const base = (1e-9 * this.L) / (this.L - 1);
    const lo = roomOpensAt(this.ex, il, this.L), hi = roomOpensAt(this.ex, is, this.L);
    const epsL = base * (1 + (Math.abs(qL * eL) + Math.abs(cL)) / Math.abs(qL * eL - cL));
    const epsS = base * (1 + (Math.abs(cS) - qS * eS) / Math.abs(cS - qS * eS));
    // No ε (a bound's terms cancel to 0): −∞ and +∞, no skip on that leg.
    this.lo[j] = epsL < Infinity ? lo - Math.abs(lo) * epsL : -Infinity;
    this.hi[j] = epsS < Infinity ? hi + Math.abs(hi) * epsS : Infinity;
    this.sizeL[j] = qL;
    this.sizeS[j] = qS;
    this.entryL[j] = eL;
    this.entryS[j] = eS;
    this.cashL[j] = cL;
    this.cashS[j] = cS;
    this.lev[j] = this.L;
  }
}

const memos = new WeakMap<AgentPopulation, CapMemo>();

/** Population `pop`'s {@link CapMemo} for this tick, or null when the schedule is not one flat bracket of leverage > 1, the fee is negative, or the legs are margined by the venue. */
function capMemo(pop: AgentPopulation, ex: Exchange, fee: number): CapMemo | null {
  const lev = ex.terms.flatImLeverage;
  if (!(lev > 1) || !(fee >= 0) || pop.managed) return null;
  let m = memos.get(pop);
  if (!m) {
    m = new CapMemo(pop.count >> 1);
    memos.set(pop, m);
  }
  m.begin(ex, lev);
  return m;
}
