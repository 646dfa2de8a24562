/**
 * The mark price that margin and liquidations use. `last`: the last traded price (the impact
 * model's price, which stands for the bid/ask mid). `index-anchored`: Binance's rule, which anchors
 * the mark to the index so that a venue's own forced selling cannot drag its mark down alone:
 *
 *     mark = median(P1, P2, last)
 *     P1 = index × (1 + last funding rate × time until next funding / funding interval)
 *     P2 = index + moving average of the basis (last − index) over `basisWindowTicks` ticks
 *
 * (../shared/reference/exchange-margin.md "Mark price"). The basis average is over completed
 * ticks, so within a tick's cascade the mark moves with the index and, through the median, with
 * the last price only as far as P1 and P2 allow.
 */

/** Which price margin uses. */
export type MarkRule = 'last' | 'index-anchored';

/** Mark price settings. */
export interface MarkParams {
  rule: MarkRule;
  /** Ticks in the basis moving average (index-anchored only). */
  basisWindowTicks: number;
}

/** The median of three numbers. */
export function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Binance's index-anchored mark: the ring of recent basis samples and the formula. */
export class IndexAnchoredMark {
  private readonly ring: Float64Array;
  private n = 0;
  private pos = 0;
  private sum = 0;

  /** @param window ticks in the basis moving average (≥ 1). */
  constructor(window: number) {
    this.ring = new Float64Array(Math.max(1, window));
  }

  /** Mean basis (last − index) over the completed ticks in the window; 0 before the first. */
  get basis(): number {
    return this.n > 0 ? this.sum / this.n : 0;
  }

  /**
   * The mark: median(index × (1 + fundingRate × toFunding), index + mean basis, last), where
   * `toFunding` is the time until the next funding as a fraction of the funding interval.
   */
  value(index: number, last: number, fundingRate: number, toFunding: number): number {
    return median3(index * (1 + fundingRate * toFunding), index + this.basis, last);
  }

  /** Records a completed tick's basis. */
  record(index: number, last: number): void {
    const b = last - index;
    if (this.n === this.ring.length) this.sum -= this.ring[this.pos]!;
    else this.n++;
    this.ring[this.pos] = b;
    this.sum += b;
    this.pos = (this.pos + 1) % this.ring.length;
  }
}
