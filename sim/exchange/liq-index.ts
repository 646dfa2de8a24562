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

/** Where the index keeps its entries between two batches (see {@link LiquidationIndex.deferOrderFor}). */
const enum Mode {
  /** Heaps in order; each update sifts in O(log n). */
  Sift,
  /** Heaps filed out of order during a batch, put in order once (O(n) heapify) when next read. */
  Deferred,
  /** No heaps: a side byte per account, and popReached scans the ids in O(span). */
  Scan,
}

/** Side byte of an account in scan mode: not filed, filed long, filed short. */
const NONE = 0, LONG = 1, SHORT = 2;

/**
 * Where a position of signed size `q` with liquidation price `lp` is filed: a long when the price
 * is above 0 (NaN: no price liquidates it), a short at any price but NaN (below 0 when its
 * collateral is below minus its notional: every mark reaches it), else nowhere.
 */
function sideOf(q: number, lp: number): number {
  return q > 0 && lp > 0 ? LONG : q < 0 && lp === lp ? SHORT : NONE;
}

/**
 * Longs and shorts indexed by liquidation price, each filed by {@link sideOf}: longs in a max-heap,
 * shorts in a min-heap (as a max-heap of −price). popReached pops what the mark has reached.
 *
 * Why three modes, chosen per batch of updates (one tick's fills) by {@link deferOrderFor}: a heap
 * pays O(log n) per update, which suits a tick where few accounts trade. When a large share trades,
 * one O(n) heapify costs less (deferred). When nearly every account of the id range holds a position
 * as well (bench-active: 2,000 agents, 400 to 800 fills a tick), keeping heaps at all costs more than
 * reading the liquidation-price column once a tick: scan mode files an account with one byte and
 * popReached compares every id's price, unless bounds on the filed prices show that the mark
 * reaches nobody. All three hold the same accounts under the same keys, so
 * popReached finds the same set (in another order: callers sort it, see cascade.ts).
 */
export class LiquidationIndex {
  private readonly longs: IndexedMaxHeap;
  private readonly shorts: IndexedMaxHeap;
  private mode = Mode.Sift;
  /** Scan mode's side byte per account (NONE, LONG, SHORT); allocated the first time it is used. */
  private side: Uint8Array | null = null;
  /** Accounts filed in scan mode. */
  private scanned = 0;
  /** Largest account id ever filed + 1: the range a scan reads. */
  private span = 0;
  /**
   * Scans popReached may still make before the heaps are rebuilt: one per batch. Why: a cascade's
   * later rounds (and ticks without a batch) would each rescan the whole range; one rebuild, O(span),
   * bounds that at two passes a tick.
   */
  private scansLeft = 0;
  /**
   * Scan mode's bound on the longs: every filed long's price is ≤ longMax. An update raises it; a
   * removal or a lower re-key leaves it loose; each scan makes it exact again. Why: most ticks
   * reach nobody (bench-active: a cascade in 48–184 of 7,200 ticks), and a mark above longMax and
   * below {@link shortMin} shows it without reading any price, where a scan read 2,000 (~2.8 µs a
   * tick).
   */
  private longMax = -Infinity;
  /** Scan mode's bound on the shorts, as {@link longMax}: every filed short's price is ≥ shortMin. */
  private shortMin = Infinity;

  /**
   * @param capacity largest account id + 1.
   * @param size the accounts' position column, and
   * @param liqPrice their liquidation-price column: an update files an account by what these hold
   * (Exchange.refresh writes the price first), and scan mode reads its keys there.
   */
  constructor(private readonly capacity: number, private readonly size: Float64Array, private readonly liqPrice: Float64Array) {
    this.longs = new IndexedMaxHeap(capacity);
    this.shorts = new IndexedMaxHeap(capacity);
  }

  /**
   * True while updates file accounts without restoring heap order (deferred mode, during a batch
   * begun by {@link deferOrderFor}).
   */
  get deferOrder(): boolean {
    return this.mode === Mode.Deferred;
  }

  /** True while the index is in scan mode (no heaps; see {@link deferOrderFor}). */
  get scanning(): boolean {
    return this.mode === Mode.Scan;
  }

  /** Number of accounts filed. */
  get count(): number {
    return this.mode === Mode.Scan ? this.scanned : this.longs.size + this.shorts.size;
  }

  /** True when account `id` is filed. */
  has(id: number): boolean {
    if (this.mode === Mode.Scan) return this.side![id] !== NONE;
    return this.longs.has(id) || this.shorts.has(id);
  }

  /**
   * Chooses how the next batch of `k` updates (one tick's fills) is filed, for n filed accounts over
   * an id range of `span`:
   * - sift each account in O(log n) when k·log2(n) ≤ 2n (or n ≤ 64): a few orders a tick;
   * - otherwise scan mode when the range is at most 2n (most ids hold a position): the batch costs a
   *   byte an update, and popReached at most one pass over the range (on bench-active, execution
   *   23.7 → 18.7 µs a tick and the cascade 4.3 → 6.7 µs, see the README);
   * - otherwise file out of order and heapify once, O(n) (a large batch over a sparse id range, such
   *   as a shock on bench-1m; lifted a fixed-20x bench-active run from 21–25 to 26–29 M
   *   agent-ticks/s before scan mode existed).
   */
  deferOrderFor(k: number): void {
    const n = this.count;
    const large = n > 64 && k * Math.log2(n) > 2 * n;
    if (large && this.span <= 2 * n) {
      if (this.mode !== Mode.Scan) this.toScan();
      this.scansLeft = 1;
    } else if (large) {
      if (this.mode === Mode.Scan) this.toHeaps();
      this.mode = Mode.Deferred;
    } else if (this.mode === Mode.Scan) this.toHeaps();
  }

  /** Ends a batch begun by {@link deferOrderFor}: deferred heaps are put in order now. */
  settle(): void {
    if (this.mode !== Mode.Deferred) return;
    this.mode = Mode.Sift;
    if (this.longs.unordered) this.longs.heapify();
    if (this.shorts.unordered) this.shorts.heapify();
  }

  /**
   * Re-files account `id` from its columns after its position or collateral changed. Why the index
   * reads them instead of taking the price as an argument: a number passed to a call the engine
   * does not inline is boxed, a heap allocation per fill.
   */
  update(id: number): void {
    if (id >= this.span) this.span = id + 1;
    const lp = this.liqPrice[id]!;
    const s = sideOf(this.size[id]!, lp);
    if (this.mode !== Mode.Scan) {
      this.fileInHeaps(id, s, lp);
      return;
    }
    const side = this.side!;
    this.scanned += +(s !== NONE) - +(side[id] !== NONE);
    side[id] = s;
    if (s === LONG) {
      if (lp > this.longMax) this.longMax = lp;
    } else if (s === SHORT && lp < this.shortMin) this.shortMin = lp;
  }

  /** {@link update} outside scan mode: account `id` on side `s` at liquidation price `lp`. */
  private fileInHeaps(id: number, s: number, lp: number): void {
    if (s === LONG) {
      this.shorts.remove(id);
      if (this.mode === Mode.Deferred) this.longs.assign(id, lp);
      else this.longs.upsert(id, lp);
    } else if (s === SHORT) {
      this.longs.remove(id);
      if (this.mode === Mode.Deferred) this.shorts.assign(id, -lp);
      else this.shorts.upsert(id, -lp);
    } else this.remove(id);
  }

  /** Drops account `id` from the index. */
  remove(id: number): void {
    if (this.mode === Mode.Scan) {
      const side = this.side!;
      this.scanned -= +(side[id] !== NONE);
      side[id] = NONE;
      return;
    }
    this.longs.remove(id);
    this.shorts.remove(id);
  }

  /**
   * Pops every account whose liquidation price the mark has reached (longs: LP ≥ mark; shorts:
   * LP ≤ mark, within a 1e-9 relative edge) onto `out`: from the heaps in price order, or in scan
   * mode in id order; in scan mode, nothing at all when the mark lies strictly between the bounds
   * (no long priced ≥ lo, no short ≤ hi), which neither reads a price nor uses the batch's scan up.
   */
  popReached(mark: number, out: IdList): void {
    const lo = mark * (1 - EDGE);
    const hi = mark * (1 + EDGE);
    if (this.mode === Mode.Scan) {
      if (lo > this.longMax && hi < this.shortMin) return;
      if (this.scansLeft > 0) {
        this.scansLeft--;
        this.scanReached(lo, hi, out);
        return;
      }
      this.toHeaps();
    }
    this.settle();
    while (this.longs.size > 0 && this.longs.topKey() >= lo) out.push(this.longs.pop());
    // A short's key is −LP: −LP ≥ −hi is LP ≤ hi, exactly (negation rounds nothing).
    while (this.shorts.size > 0 && this.shorts.topKey() >= -hi) out.push(this.shorts.pop());
  }

  /**
   * Scan mode's popReached: every filed id below `span` whose price is ≥ `lo` (long) or ≤ `hi`
   * (short); the bounds become those of the accounts left filed.
   */
  private scanReached(lo: number, hi: number, out: IdList): void {
    const side = this.side!, lp = this.liqPrice;
    let longMax = -Infinity, shortMin = Infinity;
    for (let i = 0; i < this.span; i++) {
      const s = side[i]!;
      if (s === NONE) continue;
      const p = lp[i]!;
      if (s === LONG ? p >= lo : p <= hi) {
        side[i] = NONE;
        this.scanned--;
        out.push(i);
      } else if (s === LONG) longMax = Math.max(longMax, p);
      else shortMin = Math.min(shortMin, p);
    }
    this.longMax = longMax;
    this.shortMin = shortMin;
  }

  /**
   * Leaves the heaps for scan mode: each filed account's side byte, from the heaps' membership; the
   * bounds from their tops.
   */
  private toScan(): void {
    this.side ??= new Uint8Array(this.capacity);
    const side = this.side;
    let n = 0;
    for (let i = 0; i < this.span; i++) {
      const s = this.longs.has(i) ? LONG : this.shorts.has(i) ? SHORT : NONE;
      side[i] = s;
      n += +(s !== NONE);
    }
    this.scanned = n;
    this.longMax = this.longs.topKey();
    this.shortMin = -this.shorts.topKey();
    this.mode = Mode.Scan;
  }

  /** Leaves scan mode: rebuilds both heaps from the side bytes and the price column, in O(span). */
  private toHeaps(): void {
    const side = this.side!, lp = this.liqPrice;
    this.longs.clear();
    this.shorts.clear();
    for (let i = 0; i < this.span; i++) {
      const s = side[i]!;
      if (s === LONG) this.longs.append(i, lp[i]!);
      else if (s === SHORT) this.shorts.append(i, -lp[i]!);
    }
    this.longs.heapify();
    this.shorts.heapify();
    this.mode = Mode.Sift;
  }

  /**
   * Rebuilds the index from the columns of accounts [0, n) in O(n) (after funding or a policy
   * change), filing each by the rule of {@link update}; `skip` leaves an account out.
   */
  rebuild(n: number, skip: (i: number) => boolean): void {
    this.mode = Mode.Sift;
    this.longs.clear();
    this.shorts.clear();
    for (let i = 0; i < n; i++) {
      const lp = this.liqPrice[i]!;
      const s = sideOf(this.size[i]!, lp);
      if (s === NONE || skip(i)) continue;
      if (i >= this.span) this.span = i + 1;
      if (s === LONG) this.longs.append(i, lp);
      else this.shorts.append(i, -lp);
    }
    this.longs.heapify();
    this.shorts.heapify();
  }
}
