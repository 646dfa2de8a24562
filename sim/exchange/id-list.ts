/**
 * A growable list of account ids over an Int32Array. Why: per-tick and per-round id lists (orders
 * placed, accounts reached by the mark) are usually a small share of the book, so a list sized for
 * every account up front would cost 4 bytes an account for pages that are rarely used.
 */
export class IdList {
  ids: Int32Array;
  /** Number of ids in the list. */
  n = 0;
  /**
   * True while every id was pushed after a smaller one (the list is in ascending order). Why: a
   * consumer that needs the ids in account order (execution's order list) can skip sorting when
   * they arrived in order, as they do when populations place orders in account order. Only
   * {@link clear} sets it back.
   */
  ascending = true;

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
    if (this.n > 0 && id < this.ids[this.n - 1]!) this.ascending = false;
    this.ids[this.n++] = id;
  }

  /** Empties the list (an empty list is in ascending order). */
  clear(): void {
    this.n = 0;
    this.ascending = true;
  }
}
