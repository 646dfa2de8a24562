/**
 * The k best of a stream of (id, score) offers: a higher score first, ties to the lower id. A
 * bounded binary min-heap whose root is the worst pair kept, so n offers cost O(n log k) and no
 * sort of the whole stream (ADL ranking, expected shortfall's tail).
 */
export class TopK {
  readonly ids: Int32Array;
  readonly scores: Float64Array;
  /** Pairs kept (at most the capacity). */
  n = 0;

  constructor(readonly capacity: number) {
    this.ids = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** Keeps (id, score) if it ranks among the best `capacity` offered so far. */
  offer(id: number, score: number): void {
    const ids = this.ids, scores = this.scores;
    if (this.n < this.capacity) {
      let c = this.n++;
      while (c > 0 && ranksBefore(scores[(c - 1) >> 1]!, ids[(c - 1) >> 1]!, score, id)) {
        ids[c] = ids[(c - 1) >> 1]!;
        scores[c] = scores[(c - 1) >> 1]!;
        c = (c - 1) >> 1;
      }
      ids[c] = id;
      scores[c] = score;
    } else if (this.capacity > 0 && ranksBefore(score, id, scores[0]!, ids[0]!)) {
      this.siftDown(id, score, this.n);
    }
  }

  /** Orders the pairs kept best first, in place (a heap sort: each step moves the worst left to the end). */
  sortBestFirst(): void {
    const ids = this.ids, scores = this.scores;
    for (let m = this.n - 1; m > 0; m--) {
      const id = ids[m]!, score = scores[m]!;
      ids[m] = ids[0]!;
      scores[m] = scores[0]!;
      this.siftDown(id, score, m);
    }
  }

  /** Puts (id, score) at the root of the heap of the first `n` pairs and sifts it down. */
  private siftDown(id: number, score: number, n: number): void {
    const ids = this.ids, scores = this.scores;
    let c = 0;
    for (;;) {
      let m = 2 * c + 1;
      if (m >= n) break;
      if (m + 1 < n && ranksBefore(scores[m]!, ids[m]!, scores[m + 1]!, ids[m + 1]!)) m++;
      if (!ranksBefore(score, id, scores[m]!, ids[m]!)) break;
      ids[c] = ids[m]!;
      scores[c] = scores[m]!;
      c = m;
    }
    ids[c] = id;
    scores[c] = score;
  }
}

/** True when (score s, id i) ranks before (t, j): a higher score, then a lower id. */
export function ranksBefore(s: number, i: number, t: number, j: number): boolean {
  return s > t || (s === t && i < j);
}
