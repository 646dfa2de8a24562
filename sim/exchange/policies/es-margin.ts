/**
 * Expected-shortfall margin: initial margin rate = ES_q of h-tick returns over a rolling window,
 * maintenance = `maintenanceFraction` × initial,
 *
 *     IMR = clamp(max(ES_q(1 − e^r), ES_q(e^r − 1)), minImr, 1),   r = ln(p_t / p_{t−h}) over the last `window` ticks,
 *     ES_q(x) = mean of the worst (largest) (1 − q) share of x,
 *
 * where 1 − e^r is a long's simple loss per unit of notional over h ticks and e^r − 1 a short's:
 * the ES of each side's losses, and the larger sets the one rate of the side-blind table (a
 * short's loss on a rise of log size x exceeds a long's on a fall of the same size). Max leverage
 * = 1 / IMR. Until the
 * window has filled, `initialImr` applies. Updated every `updateEvery` ticks, and only when the rate
 * has moved more than `hysteresis` (relative).
 *
 * An expected-shortfall margin, a relative of the volatility-based, Basel-II-like rule that Poledna,
 * Thurner, Farmer & Geanakoplos (2014, "Leverage-induced systemic risk under Basle II and other
 * credit risk policies") compare with a fixed leverage cap, but not that rule: theirs scales the cap
 * by σ_b/σ̂ (the `basel-ii` policy, ./basel-ii.ts); this one sets the margin from the tail
 * of recent returns.
 */
import type { MarketView } from '../../market/market';
import { flatTable } from './scale';
import { TablePolicy, type PolicyOptions } from './table-policy';
import type { PolicyHeadline } from './types';
import { TopK } from '../top-k';

/** Parameters of {@link EsMarginPolicy}. */
export interface EsMarginParams {
  window: number;
  horizon: number;
  /** Confidence level (0.99: the worst 1%). */
  q: number;
  maintenanceFraction: number;
  minImr: number;
  initialImr: number;
  updateEvery: number;
  hysteresis: number;
}

/**
 * ES_q of a sample of losses: mean of its worst (largest) (1 − q) share, at least one value.
 * The tail is selected (TopK), not sorted: O(n log k), and with a 1,440-tick window and
 * q = 0.99, k is 15.
 */
export function expectedShortfall(losses: ArrayLike<number>, q: number): number {
  // The 1e-9 keeps rounding from adding a sample: 100 × (1 − 0.95) is 5.000000000000004.
  const k = Math.max(1, Math.ceil(losses.length * (1 - q) - 1e-9));
  const top = new TopK(Math.min(k, losses.length));
  for (let j = 0; j < losses.length; j++) top.offer(j, losses[j]!);
  top.sortBestFirst();
  // Smallest first, so the sum adds up in the same order as over a sorted sample.
  let sum = 0;
  for (let j = top.n - 1; j >= 0; j--) sum += top.scores[j]!;
  return sum / k;
}

/** Writes log return `r` as a long's and a short's loss, 1 − e^r and e^r − 1, at slot `j` of `long` and `short`. */
function putLosses(long: Float64Array, short: Float64Array, j: number, r: number): void {
  const g = Math.expm1(r);
  long[j] = -g;
  short[j] = g;
}

/** Margin from the expected shortfall of recent returns. */
export class EsMarginPolicy extends TablePolicy {
  /** Current initial margin rate. */
  imr: number;
  private readonly marks: Float64Array;
  /**
   * Rings of the last `window` h-tick returns r as a long's and a short's loss, 1 − e^r and e^r − 1.
   * Why losses, not returns: each return's two expm1 are taken once, when it arrives, instead of
   * the whole window's at every update (2 × 1,440 expm1 every 10 ticks by default).
   */
  private readonly longLoss: Float64Array;
  private readonly shortLoss: Float64Array;
  /** Marks seen so far. */
  private n = 0;

  constructor(name: string, private readonly p: EsMarginParams, opts: PolicyOptions = {}) {
    super(name, [{ floor: 0, cap: Infinity, maxLeverage: 1 / p.initialImr, mmr: p.initialImr * p.maintenanceFraction }], opts);
    this.imr = p.initialImr;
    this.marks = new Float64Array(p.horizon + 1);
    this.longLoss = new Float64Array(p.window);
    this.shortLoss = new Float64Array(p.window);
  }

  /** The IMR the last `window` h-tick returns of `path` (oldest first) call for. */
  imrFor(path: Float64Array): number {
    const h = this.p.horizon;
    const long = new Float64Array(path.length - h), short = new Float64Array(path.length - h);
    for (let j = 0; j < long.length; j++) putLosses(long, short, j, Math.log(path[j + h]! / path[j]!));
    return this.imrOfLosses(long, short);
  }

  /** The IMR of samples of a long's and a short's losses: the larger ES, clamped to [minImr, 1]. */
  private imrOfLosses(long: Float64Array, short: Float64Array): number {
    const longEs = expectedShortfall(long, this.p.q);
    const shortEs = expectedShortfall(short, this.p.q);
    return Math.min(1, Math.max(this.p.minImr, Math.max(longEs, shortEs)));
  }

  override onTick(m: MarketView): boolean {
    // Ring buffers: the last horizon + 1 marks, and the losses of the last `window` h-tick log
    // returns (the ES is order-free, so the rings need no shifting).
    const h = this.p.horizon;
    this.marks[this.n % (h + 1)] = m.mark;
    if (this.n >= h) putLosses(this.longLoss, this.shortLoss, (this.n - h) % this.p.window, Math.log(m.mark / this.marks[(this.n - h) % (h + 1)]!));
    this.n++;
    if (this.n < this.p.window + h || m.tick % this.p.updateEvery !== 0) return false;
    const want = this.imrOfLosses(this.longLoss, this.shortLoss);
    if (Math.abs(want - this.imr) <= this.p.hysteresis * this.imr) return false;
    this.imr = want;
    this.current = flatTable(want, want * this.p.maintenanceFraction);
    return true;
  }

  override headline(): PolicyHeadline {
    return { maxLeverage: 1 / this.imr, marginMultiplier: this.imr / this.p.initialImr, regime: '' };
  }
}
