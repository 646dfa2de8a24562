/**
 * The liquidation-price index: longs in a max-heap and shorts in a min-heap by liquidation price,
 * each an indexed binary heap over typed arrays. Updating one account costs O(log N); a cascade
 * round pops the k liquidatable accounts in O(k log N) instead of rescanning all N.
 */
import type { IdList } from './id-list';

/** An indexed max-heap of account ids keyed by a number (store −price for a min-heap). */
export class IndexedMaxHeap {
  private readonly ids: Int32Array;
  private readonly keys: Float64Array;
  /** Heap slot of each account, −1 when absent. */
  private readonly slot: Int32Array;
  /** Number of entries. */
  size = 0;
  /**
   * True while entries have been filed by {@link assign} and heap order is not yet restored. Why:
   * when a large share of the heap is re-keyed at once (a tick where most accounts trade), one
   * O(n) {@link heapify} costs less than a sift of O(log n) per re-key. Every read of the top
   * restores order first, so a caller can never see a stale top.
   */
  unordered = false;

  /** @param capacity largest account id + 1. */
  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.slot = new Int32Array(capacity).fill(-1);
  }

  /** True when account `id` is in the heap. */
  has(id: number): boolean {
    return this.slot[id]! >= 0;
  }
  /** Largest key (−Infinity when empty). */
  topKey(): number {
    if (this.unordered) this.heapify();
    return this.size > 0 ? this.keys[0]! : -Infinity;
  }
  /** Account with the largest key (−1 when empty). */
  top(): number {
    if (this.unordered) this.heapify();
    return this.size > 0 ? this.ids[0]! : -1;
  }

  /**
   * Inserts or re-keys account `id` without restoring heap order (the heap becomes
   * {@link unordered} until the next read of its top or {@link heapify}). The same entries as
   * {@link upsert}, only not yet in order.
   */
  assign(id: number, key: number): void {
    const s = this.slot[id]!;
    if (s < 0) this.append(id, key);
    else this.keys[s] = key;
    this.unordered = true;
  }

  /** Inserts or re-keys account `id`. */
  upsert(id: number, key: number): void {
    const s = this.slot[id]!;
    if (s < 0) {
      const at = this.size++;
      this.ids[at] = id;
      this.keys[at] = key;
      this.slot[id] = at;
      this.up(at);
    } else {
      const old = this.keys[s]!;
      this.keys[s] = key;
      if (key > old) this.up(s);
      else if (key < old) this.down(s);
    }
  }

  /** Removes account `id` if present. */
  remove(id: number): void {
    const s = this.slot[id]!;
    if (s < 0) return;
    this.slot[id] = -1;
    const last = --this.size;
    if (s === last) return;
    const movedId = this.ids[last]!;
    const movedKey = this.keys[last]!;
    this.ids[s] = movedId;
    this.keys[s] = movedKey;
    this.slot[movedId] = s;
    this.up(s);
    this.down(this.slot[movedId]!);
  }

  /** Removes and returns the account with the largest key. */
  pop(): number {
    if (this.unordered) this.heapify();
    const id = this.ids[0]!;
    this.remove(id);
    return id;
  }

  /** Empties the heap. */
  clear(): void {
    for (let k = 0; k < this.size; k++) this.slot[this.ids[k]!] = -1;
    this.size = 0;
    this.unordered = false;
  }

  /**
   * Appends without restoring heap order: for bulk rebuilds, followed by {@link heapify}. Writing
   * straight into the heap's own arrays spares a per-account scratch buffer.
   */
  append(id: number, key: number): void {
    const at = this.size++;
    this.ids[at] = id;
    this.keys[at] = key;
    this.slot[id] = at;
  }

  /** Restores heap order over everything appended, in O(n) (Floyd's heapify). */
  heapify(): void {
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.down(k);
    this.unordered = false;
  }

  private up(s: number): void {
    const ids = this.ids, keys = this.keys, slot = this.slot;
    const id = ids[s]!, key = keys[s]!;
    while (s > 0) {
      const p = (s - 1) >> 1;
      if (keys[p]! >= key) break;
      ids[s] = ids[p]!;
      keys[s] = keys[p]!;
      slot[ids[s]!] = s;
      s = p;
    }
    ids[s] = id;
    keys[s] = key;
    slot[id] = s;
  }

  private down(s: number): void {
    const ids = this.ids, keys = this.keys, slot = this.slot, n = this.size;
    const id = ids[s]!, key = keys[s]!;
    for (;;) {
      let c = 2 * s + 1;
      if (c >= n) break;
      if (c + 1 < n && keys[c + 1]! > keys[c]!) c++;
      if (keys[c]! <= key) break;
      ids[s] = ids[c]!;
      keys[s] = keys[c]!;
      slot[ids[s]!] = s;
      s = c;
    }
    ids[s] = id;
    keys[s] = key;
    slot[id] = s;
  }
}

/** Relative tolerance of the index's pre-filter; the exact margin check decides. */
const EDGE = 1e-9;

/** Longs and shorts indexed by liquidation price. */
export class LiquidationIndex {
  readonly longs: IndexedMaxHeap;
  readonly shorts: IndexedMaxHeap;

  /** @param capacity largest account id + 1. */
  constructor(capacity: number) {
    this.longs = new IndexedMaxHeap(capacity);
    this.shorts = new IndexedMaxHeap(capacity);
  }

  /**
   * While true, {@link update} files re-keyed accounts without restoring heap order, and the heaps
   * are put in order once, when next read (see {@link IndexedMaxHeap.assign}). Set by
   * {@link deferOrderFor} for a batch of updates.
   */
  deferOrder = false;

  /**
   * Chooses, before a batch of `k` updates (one tick's fills), between re-filing each account in
   * O(log n) and filing them all out of order, then one O(n) heapify per heap: deferred when
   * k·log2(n) exceeds 2n (on bench-active, where half the accounts trade every tick, deferring
   * lifted a fixed-20x run from 21–25 to 26–29 M agent-ticks/s; with a few orders a tick the
   * per-account sift stays).
   * Either way the heaps hold the same entries and keys, so popReached pops the same accounts.
   */
  deferOrderFor(k: number): void {
    const n = this.longs.size + this.shorts.size;
    this.deferOrder = n > 64 && k * Math.log2(n) > 2 * n;
  }

  /** Ends a batch begun by {@link deferOrderFor}: restores heap order now. */
  settle(): void {
    this.deferOrder = false;
    if (this.longs.unordered) this.longs.heapify();
    if (this.shorts.unordered) this.shorts.heapify();
  }

  /** Re-files account `id` after its position or collateral changed. */
  update(id: number, size: number, liqPrice: number): void {
    if (size > 0 && liqPrice > 0) {
      this.shorts.remove(id);
      if (this.deferOrder) this.longs.assign(id, liqPrice);
      else this.longs.upsert(id, liqPrice);
    } else if (size < 0) {
      this.longs.remove(id);
      if (this.deferOrder) this.shorts.assign(id, -liqPrice);
      else this.shorts.upsert(id, -liqPrice);
    } else {
      this.longs.remove(id);
      this.shorts.remove(id);
    }
  }

  /** Drops account `id` from the index. */
  remove(id: number): void {
    this.longs.remove(id);
    this.shorts.remove(id);
  }

  /**
   * Pops every account whose liquidation price the mark has reached (longs: LP ≥ mark; shorts:
   * LP ≤ mark, within a 1e-9 relative edge) onto `out`.
   */
  popReached(mark: number, out: IdList): void {
    this.settle();
    const lo = mark * (1 - EDGE);
    while (this.longs.size > 0 && this.longs.topKey() >= lo) out.push(this.longs.pop());
    const hi = -mark * (1 + EDGE);
    while (this.shorts.size > 0 && this.shorts.topKey() >= hi) out.push(this.shorts.pop());
  }

  /** Rebuilds both heaps from the columns in O(N) (after funding or a policy change). */
  rebuild(size: Float64Array, liqPrice: Float64Array, n: number, skip: (i: number) => boolean): void {
    this.longs.clear();
    this.shorts.clear();
    for (let i = 0; i < n; i++) {
      const q = size[i]!;
      if (q === 0 || skip(i)) continue;
      // NaN (no liquidation price: a long no price liquidates, or an account its venue margins) stays
      // out of both heaps: a NaN key would stop every comparison at the top.
      const lp = liqPrice[i]!;
      if (q > 0) {
        if (lp > 0) this.longs.append(i, lp);
      } else if (lp >= 0) this.shorts.append(i, -lp);
    }
    this.longs.heapify();
    this.shorts.heapify();
  }
}
