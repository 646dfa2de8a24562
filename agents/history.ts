/**
 * A shared ring buffer of end-of-tick marks for window-based rules (breakouts, drops over a
 * window). Window extremes are computed once per tick per distinct window, not once per agent.
 */
export class PriceHistory {
  private readonly buf: Float64Array;
  private n = 0;
  private head = 0;
  /**
   * This tick's window extremes by window length w (0..buf.length), valid where the stamp equals
   * {@link pushes}. Why columns and stamps, not Maps cleared every tick: a Map's clear() allocates a
   * new table and its set() boxes each extreme (~1.5 kB of garbage a tick on bench-mc).
   */
  private readonly memoMax: Float64Array;
  private readonly memoMin: Float64Array;
  private readonly maxAt: Int32Array;
  private readonly minAt: Int32Array;
  /** Prices pushed so far: the stamp of this tick's memo entries. */
  private pushes = 0;

  /** @param capacity the longest window any agent uses, in ticks. */
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity) + 1);
    const m = this.buf.length + 1;
    this.memoMax = new Float64Array(m);
    this.memoMin = new Float64Array(m);
    this.maxAt = new Int32Array(m).fill(-1);
    this.minAt = new Int32Array(m).fill(-1);
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
    this.pushes++;
  }

  /** The price `lag` ticks ago (0 = latest); NaN when not recorded. */
  ago(lag: number): number {
    if (lag >= this.n) return NaN;
    const j = (this.head - 1 - lag + this.buf.length * 2) % this.buf.length;
    return this.buf[j]!;
  }

  /** Highest of the `w` prices before the latest (NaN until there are w of them). */
  maxBefore(w: number): number {
    return this.extreme(w, this.memoMax, this.maxAt, Math.max, -Infinity);
  }

  /** Lowest of the `w` prices before the latest (NaN until there are w of them). */
  minBefore(w: number): number {
    return this.extreme(w, this.memoMin, this.minAt, Math.min, Infinity);
  }

  /**
   * The `pick` (Math.max or Math.min, from `start`) of the `w` prices before the latest, memoized
   * for this tick in `memo` where `at` holds the current stamp.
   */
  private extreme(w: number, memo: Float64Array, at: Int32Array, pick: (a: number, b: number) => number, start: number): number {
    const slot = this.memoSlot(w);
    if (slot >= 0 && at[slot] === this.pushes) return memo[slot]!;
    let m = w + 1 > this.n ? Number.NaN : start;
    for (let lag = 1; lag <= w && lag < this.n; lag++) m = pick(m, this.ago(lag));
    if (slot >= 0) {
      memo[slot] = m;
      at[slot] = this.pushes;
    }
    return m;
  }

  /** The memo slot of window `w`: w itself for a whole number up to the buffer's length, else −1 (computed every time). */
  private memoSlot(w: number): number {
    return (w | 0) === w && w >= 0 && w < this.maxAt.length ? w : -1;
  }
}
