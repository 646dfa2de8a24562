/**
 * A growable list of account ids over an Int32Array. Why: per-tick and per-round id lists (orders
 * placed, accounts reached by the mark) are usually a small share of the book, so a list sized for
 * every account up front would cost 4 bytes an account for pages that are rarely used.
 */
export class IdList {
  ids: Int32Array;
  /** Number of ids in the list. */
  n = 0;

  constructor(initialCapacity = 1024) {
    this.ids = new Int32Array(Math.max(1, initialCapacity));
  }

  /** Appends `id`, doubling the storage when full. */
  push(id: number): void {
    if (this.n === this.ids.length) {
      const next = new Int32Array(this.ids.length * 2);
      next.set(this.ids);
      this.ids = next;
    }
    this.ids[this.n++] = id;
  }
}
