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
 * Tighter, by direction: an account's slack changes by Σ_m x_m·r_m − [R(x∘(1+r)) − R(x)] under
 * relative moves r, and the requirement R has |∂R/∂x_m| ≤ ρ_m, so a favourable move (x_m·r_m > 0)
 * changes the slack by at least |x_m·r_m|·(1 − ρ_m) ≥ 0 when ρ_m ≤ 1, and an adverse one by at
 * least −|x_m·r_m|·(1 + ρ_m): the account stays safe while every adverse move of a market it holds
 * is below δ, whatever the favourable ones. With its sign pattern σ (long, short or flat in each
 * market), the adverse variation
 *     V_σ = Σ over observations of max_{m: σ_m ≠ 0} max(0, −σ_m·Δ ln mark_m)
 * never decreases and bounds the adverse log move of every market it holds since its check (a fall
 * for a long, a rise for a short; a relative adverse move below δ follows from a log one below
 * ln(1 + δ)), so it is filed at V_σ,c + ln(1 + δ) in the channel of σ. Bouncing marks move V_σ about
 * half as fast as P, and markets the account does not hold not at all: a cross account long BTC only
 * is not re-checked because SOL moved, nor because BTC rose. Its pattern changes only by a fill,
 * which touches it. An account with some ρ_m > 1 (`signs` 0), and every account of a venue of more
 * than {@link MAX_PATTERN_MARKETS} markets (3^k channels), are filed against P.
 */
import { IdList } from '../exchange/id-list';
import { BucketQueue } from './bucket-queue';

/** Venues of up to this many markets file accounts by sign pattern (3^k channels); larger ones against P only. */
export const MAX_PATTERN_MARKETS = 5;

/** The margin-of-safety index of a venue's cross and portfolio accounts. */
export class MarginSafety {
  /** The path variation so far. */
  variation = 0;
  /** Each market's own path variation so far, Σ |Δ ln mark_m| (a statistic). */
  readonly marketVariation: Float64Array;
  /** Per sign pattern σ (channel σ), the adverse variation V_σ so far; [0] unused (channel 0 is P's). */
  readonly adverse: Float64Array;
  /** Number of channels: 3^k, or 1 (P only) for a venue of many markets. */
  private readonly patterns: number;
  private readonly lastLog: Float64Array;
  /** Scratch: each market's log move at the last observation. */
  private readonly move: Float64Array;
  private started = false;
  /** Keyed by the P at which the account may first be liquidatable. */
  private readonly queue: BucketQueue;
  private readonly dirty = new IdList();
  private readonly isDirty: Uint8Array;
  /** One bit per account: the due set, read out in ascending id order (no sort, no duplicates). */
  private readonly bits: Uint32Array;

  /** @param capacity account ids; @param markets number of markets. */
  constructor(capacity: number, markets: number) {
    // Channel σ > 0: accounts of sign pattern σ against V_σ; channel 0: the rest against P.
    this.patterns = markets <= MAX_PATTERN_MARKETS ? 3 ** markets : 1;
    this.adverse = new Float64Array(this.patterns);
    this.queue = new BucketQueue(capacity, this.patterns);
    this.isDirty = new Uint8Array(capacity);
    this.bits = new Uint32Array((capacity + 31) >>> 5);
    this.lastLog = new Float64Array(markets);
    this.move = new Float64Array(markets);
    this.marketVariation = new Float64Array(markets);
  }

  /** Observes the markets' mark prices now: the variations grow by the largest (adverse) log move since the last observation. */
  observe(marks: ArrayLike<number>): void {
    const k = this.lastLog.length, move = this.move;
    let step = 0;
    for (let m = 0; m < k; m++) {
      const l = Math.log(marks[m]!);
      move[m] = this.started ? l - this.lastLog[m]! : 0;
      const d = Math.abs(move[m]!);
      this.marketVariation[m] += d;
      step = Math.max(step, d);
      this.lastLog[m] = l;
    }
    this.started = true;
    this.variation += step;
    for (let c = 1; c < this.patterns; c++) {
      let worst = 0;
      for (let m = 0, code = c; m < k; m++, code = (code / 3) | 0) {
        const d = code % 3;
        if (d === 1) worst = Math.max(worst, -move[m]!);
        else if (d === 2) worst = Math.max(worst, move[m]!);
      }
      this.adverse[c] += worst;
    }
  }

  /** Account `i` must be checked at the next {@link collectDue}. */
  touch(i: number): void {
    if (this.isDirty[i] === 1) return;
    this.isDirty[i] = 1;
    this.dirty.push(i);
  }

  /**
   * Files a checked account: `slack` = equity − requirement (≥ 0), `exposure` as above, `signs` its
   * sign pattern (AccountMargin.assessed.signs; 0: against P). A flat account (exposure 0) with no
   * deficit can never become liquidatable by price: it leaves the index.
   */
  file(i: number, slack: number, exposure: number, signs = 0): void {
    if (!(exposure > 0)) {
      this.queue.remove(i);
      return;
    }
    const c = signs < this.patterns ? signs : 0;
    this.queue.file(i, c, (c === 0 ? this.variation : this.adverse[c]!) + Math.log1p(slack / exposure));
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
    this.queue.collect(0, this.variation, mark);
    for (let c = 1; c < this.patterns; c++) this.queue.collect(c, this.adverse[c]!, mark);
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
