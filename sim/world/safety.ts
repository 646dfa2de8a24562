/**
 * Finding liquidatable cross and portfolio accounts without rescanning them (DESIGN.md "Finding who
 * to liquidate"). Such an account has no liquidation price: the smallest joint move that could
 * exhaust its margin is a bound instead. With slack = equity − requirement and exposure
 * E = Σ_m |x_m|·(1 + ρ_m) (AccountMargin.exposure), no move of every price by a relative amount
 * below δ = slack / E can make it liquidatable.
 *
 * The moves of several markets are tracked by one number: the path variation
 *     P = Σ over observations of max_m |Δ ln mark_m|,
 * which never decreases and bounds every market's log move between two observations, so an account
 * checked when the variation was P_c cannot be liquidatable before P reaches P_c + ln(1 + δ). That
 * key sits in a monotone bucket queue (bucket-queue.ts): a round drains the accounts whose bound the
 * markets have reached, in O(k) amortised, and re-files those still safe. Accounts whose money or positions changed are checked
 * again at the next observation (the `dirty` list).
 *
 * An account with a position in one market m only is filed under that market's own variation
 * P_m = Σ |Δ ln mark_m| instead (≤ P): its equity, Σ collateral + size_m·(mark_m − entry_m), and its
 * requirement (cross: the tier MM of |x_m|; portfolio: max(√M_mm·|x_m|, that tier MM)) depend on
 * mark_m alone, so the same bound with E = |x_m|·(1 + ρ_m) holds for market m's moves whatever the
 * others do, and it cannot be liquidatable before P_m reaches P_m,c + ln(1 + δ). A cross account
 * trading only BTC is thus not re-checked because SOL moved. Its set of markets changes only by a
 * fill, which touches it: it is checked and re-filed at once.
 */
import { IdList } from '../exchange/id-list';
import { BucketQueue } from './bucket-queue';

/** The margin-of-safety index of a venue's cross and portfolio accounts. */
export class MarginSafety {
  /** The path variation so far. */
  variation = 0;
  /** Each market's own path variation so far, Σ |Δ ln mark_m|. */
  readonly marketVariation: Float64Array;
  private readonly lastLog: Float64Array;
  private started = false;
  /** Keyed by the P at which the account may first be liquidatable. */
  private readonly queue: BucketQueue;
  private readonly dirty = new IdList();
  private readonly isDirty: Uint8Array;
  /** One bit per account: the due set, read out in ascending id order (no sort, no duplicates). */
  private readonly bits: Uint32Array;

  /** @param capacity account ids; @param markets number of markets. */
  constructor(capacity: number, markets: number) {
    // Channels 0..markets−1: single-market accounts; channel `markets`: the rest.
    this.queue = new BucketQueue(capacity, markets + 1);
    this.isDirty = new Uint8Array(capacity);
    this.bits = new Uint32Array((capacity + 31) >>> 5);
    this.lastLog = new Float64Array(markets);
    this.marketVariation = new Float64Array(markets);
  }

  /** Observes the markets' mark prices now: the variation grows by the largest log move since the last observation. */
  observe(marks: ArrayLike<number>): void {
    let step = 0;
    for (let m = 0; m < this.lastLog.length; m++) {
      const l = Math.log(marks[m]!);
      if (this.started) {
        const d = Math.abs(l - this.lastLog[m]!);
        this.marketVariation[m] += d;
        step = Math.max(step, d);
      }
      this.lastLog[m] = l;
    }
    this.started = true;
    this.variation += step;
  }

  /** Account `i` must be checked at the next {@link collectDue}. */
  touch(i: number): void {
    if (this.isDirty[i] === 1) return;
    this.isDirty[i] = 1;
    this.dirty.push(i);
  }

  /**
   * Files a checked account: `slack` = equity − requirement (≥ 0), `exposure` as above, `market`
   * the one market it holds a position in (−1 when several: the venue's variation then). A flat
   * account (exposure 0) with no deficit can never become liquidatable by price: it leaves the index.
   */
  file(i: number, slack: number, exposure: number, market = -1): void {
    if (!(exposure > 0)) {
      this.queue.remove(i);
      return;
    }
    const k = this.lastLog.length;
    if (market >= 0) this.queue.file(i, market, this.marketVariation[market]! + Math.log1p(slack / exposure));
    else this.queue.file(i, k, this.variation + Math.log1p(slack / exposure));
  }

  /** Takes account `i` out of the index (it left, or the venue settles it now). */
  remove(i: number): void {
    this.queue.remove(i);
  }

  /**
   * Appends to `out` every account due for a check, ascending: touched ones and those whose bound
   * the variation reached. They are marked in a bitmap and read out word by word: at a million
   * accounts a round finds tens of thousands, and sorting them cost more than finding them.
   */
  collectDue(out: IdList): void {
    const bits = this.bits;
    let lo = bits.length, hi = -1;
    const mark = (i: number): void => {
      const w = i >>> 5;
      bits[w] |= 1 << (i & 31);
      if (w < lo) lo = w;
      if (w > hi) hi = w;
    };
    for (let k = 0; k < this.dirty.n; k++) {
      const i = this.dirty.ids[k]!;
      this.isDirty[i] = 0;
      this.queue.remove(i);
      mark(i);
    }
    this.dirty.n = 0;
    const k = this.lastLog.length;
    for (let m = 0; m < k; m++) this.queue.collect(m, this.marketVariation[m]!, mark);
    this.queue.collect(k, this.variation, mark);
    for (let w = lo; w <= hi; w++) {
      let b = bits[w]!;
      if (b === 0) continue;
      bits[w] = 0;
      while (b !== 0) {
        const t = b & -b;
        out.push((w << 5) | (31 - Math.clz32(t)));
        b ^= t;
      }
    }
  }

  /** Number of accounts in the index (for tests and statistics). */
  get indexed(): number {
    return this.queue.size;
  }
}
