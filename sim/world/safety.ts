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
 */
import { IdList } from '../exchange/id-list';
import { BucketQueue } from './bucket-queue';

/** The margin-of-safety index of a venue's cross and portfolio accounts. */
export class MarginSafety {
  /** The path variation so far. */
  variation = 0;
  private readonly lastLog: Float64Array;
  private started = false;
  /** Keyed by the P at which the account may first be liquidatable. */
  private readonly queue: BucketQueue;
  private readonly dirty = new IdList();
  private readonly isDirty: Uint8Array;

  /** @param capacity account ids; @param markets number of markets. */
  constructor(capacity: number, markets: number) {
    this.queue = new BucketQueue(capacity, 1);
    this.isDirty = new Uint8Array(capacity);
    this.lastLog = new Float64Array(markets);
  }

  /** Observes the markets' mark prices now: the variation grows by the largest log move since the last observation. */
  observe(marks: ArrayLike<number>): void {
    let step = 0;
    for (let m = 0; m < this.lastLog.length; m++) {
      const l = Math.log(marks[m]!);
      if (this.started) step = Math.max(step, Math.abs(l - this.lastLog[m]!));
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
   * Files a checked account: `slack` = equity − requirement (≥ 0), `exposure` as above. A flat
   * account (exposure 0) with no deficit can never become liquidatable by price: it leaves the index.
   */
  file(i: number, slack: number, exposure: number): void {
    if (!(exposure > 0)) {
      this.queue.remove(i);
      return;
    }
    this.queue.file(i, 0, this.variation + Math.log1p(slack / exposure));
  }

  /** Takes account `i` out of the index (it left, or the venue settles it now). */
  remove(i: number): void {
    this.queue.remove(i);
  }

  /** Appends to `out` every account due for a check: touched ones and those whose bound the variation reached. */
  collectDue(out: IdList): void {
    for (let k = 0; k < this.dirty.n; k++) {
      const i = this.dirty.ids[k]!;
      this.isDirty[i] = 0;
      this.queue.remove(i);
      out.push(i);
    }
    this.dirty.n = 0;
    this.queue.collect(0, this.variation, (i) => out.push(i));
  }

  /** Number of accounts in the index (for tests and statistics). */
  get indexed(): number {
    return this.queue.size;
  }
}
