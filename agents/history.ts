/**
 * A shared ring buffer of end-of-tick marks for window-based rules (breakouts, drops over a
 * window). Window extremes are computed once per tick per distinct window, not once per agent.
 */
export class PriceHistory {
  private readonly buf: Float64Array;
  private n = 0;
  private head = 0;
  private readonly memoMax = new Map<number, number>();
  private readonly memoMin = new Map<number, number>();

  /** @param capacity the longest window any agent uses, in ticks. */
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity) + 1);
  }

  /** Number of prices recorded (up to capacity + 1). */
  get length(): number {
    return this.n;
  }

  /** Records the latest price. */
  push(price: number): void {
    this.buf[this.head] = price;
    this.head = (this.head + 1) % this.buf.length;
    if (this.n < this.buf.length) this.n++;
    this.memoMax.clear();
    this.memoMin.clear();
  }

  /** The price `lag` ticks ago (0 = latest); NaN when not recorded. */
  ago(lag: number): number {
    if (lag >= this.n) return NaN;
    const j = (this.head - 1 - lag + this.buf.length * 2) % this.buf.length;
    return this.buf[j]!;
  }

  /** Highest of the `w` prices before the latest (NaN until there are w of them). */
  maxBefore(w: number): number {
    let m = this.memoMax.get(w);
    if (m === undefined) {
      m = w + 1 > this.n ? NaN : -Infinity;
      for (let lag = 1; lag <= w && lag < this.n; lag++) m = Math.max(m, this.ago(lag));
      this.memoMax.set(w, m);
    }
    return m;
  }

  /** Lowest of the `w` prices before the latest (NaN until there are w of them). */
  minBefore(w: number): number {
    let m = this.memoMin.get(w);
    if (m === undefined) {
      m = w + 1 > this.n ? NaN : Infinity;
      for (let lag = 1; lag <= w && lag < this.n; lag++) m = Math.min(m, this.ago(lag));
      this.memoMin.set(w, m);
    }
    return m;
  }
}
