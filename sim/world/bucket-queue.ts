/**
 * A monotone bucket queue of account ids with lazy deletion: the storage behind the margin-of-safety
 * index (safety.ts). Why not a binary heap: the index's threshold (a path variation) only grows,
 * and at a million accounts the indexed heap's pops and re-keys were a quarter of a tick, from
 * cache misses on every level of a 16 MB heap. Here a key is filed in the bucket floor(key / w) of a
 * ring; filing, re-filing or removing an account writes its own slot and at most appends one id to a
 * bucket (O(1)); collecting drains the buckets the threshold has passed, sequentially, and skips
 * the entries a re-file or removal left stale.
 *
 * Several channels share the per-account slots: an account is filed in at most one channel, each
 * with its own threshold (the venue files a single-market account under its market's own
 * variation, the others under the venue's).
 *
 * Exactness: {@link collect} returns every filed account whose key is ≤ the threshold and no other
 * (each once), whatever the bucket width: buckets below the threshold's are drained whole (a key in
 * one is ≤ the threshold, division being monotone), the threshold's own is filtered key by key.
 */

/** log2 of the number of buckets in each channel's ring. */
const RING_BITS = 12;
const RING = 1 << RING_BITS;
const MASK = RING - 1;
/** The overflow is moved into the ring once its nearest key is within half a ring of the cursor. */
const HALF = RING >> 1;
/** Marks an account filed in its channel's overflow list rather than the ring. */
const OVER = -2;

/** Bucket queues over account ids, in `channels` channels with shared per-account slots. */
export class BucketQueue {
  /** The key each filed account was filed with. */
  private readonly key: Float64Array;
  /** 1 + the channel an account is filed in; 0 when it is in none. */
  private readonly chan: Uint8Array;
  /** The absolute bucket an account is filed in ({@link OVER} for the overflow). */
  private readonly bucketOf: Int32Array;
  /** Per channel, RING buckets of ids (null until used). */
  private readonly ring: (number[] | null)[];
  /** Per channel, the first absolute bucket not yet drained. */
  private readonly cursor: Float64Array;
  /** Per channel, ids whose bucket lies past the ring. */
  private readonly overflow: number[][];
  /** Per channel, the smallest bucket in the overflow (Infinity when empty). */
  private readonly overflowMin: Float64Array;
  private readonly invWidth: number;
  /** Filed accounts, and ids held in buckets (stale ones included): the ratio triggers a rebuild. */
  private live = 0;
  private entries = 0;

  /**
   * @param capacity largest account id + 1; @param channels number of channels (≤ 255);
   * @param width bucket width in key units (the keys here are log moves: 2^-10 puts a tick's move
   * of a volatile market in a few buckets, and the ring of 2^12 buckets spans 4 units ahead);
   * @param slack stale entries allowed beyond half the filed accounts before a rebuild drops them
   * (a rebuild costs a pass over every id, so it waits for many).
   */
  constructor(readonly capacity: number, readonly channels: number, width = 1 / 1024, private readonly slack = 65_536) {
    this.key = new Float64Array(capacity);
    this.chan = new Uint8Array(capacity);
    this.bucketOf = new Int32Array(capacity);
    this.ring = new Array<number[] | null>(channels * RING).fill(null);
    this.cursor = new Float64Array(channels);
    this.overflow = Array.from({ length: channels }, () => []);
    this.overflowMin = new Float64Array(channels).fill(Infinity);
    this.invWidth = 1 / width;
  }

  /** Number of filed accounts. */
  get size(): number {
    return this.live;
  }

  /** True when account `i` is filed (in any channel). */
  has(i: number): boolean {
    return this.chan[i] !== 0;
  }

  /**
   * Files account `i` in channel `c` with `key` (re-files it when already filed anywhere). A key
   * below what the channel has drained lands in its current bucket: it is due at the next collect.
   * A NaN key is never due (as it never was ≤ a threshold in the heap).
   */
  file(i: number, c: number, key: number): void {
    const cur = this.cursor[c]!;
    let b = Math.floor(key * this.invWidth);
    if (!(b >= cur)) b = key !== key ? Infinity : cur;
    if (this.chan[i] === 0) this.live++;
    else if (this.chan[i] === c + 1 && ((b < cur + RING && this.bucketOf[i] === b) || (b >= cur + RING && this.bucketOf[i] === OVER))) {
      // Same bucket (or still in the overflow): the entry there stays valid.
      this.key[i] = key;
      if (b >= cur + RING && b < this.overflowMin[c]!) this.overflowMin[c] = b;
      return;
    }
    this.key[i] = key;
    this.chan[i] = c + 1;
    this.entries++;
    if (b >= cur + RING) {
      this.bucketOf[i] = OVER;
      this.overflow[c]!.push(i);
      if (b < this.overflowMin[c]!) this.overflowMin[c] = b;
    } else {
      this.bucketOf[i] = b;
      const r = c * RING + (b & MASK);
      const bucket = this.ring[r];
      if (bucket) bucket.push(i);
      else this.ring[r] = [i];
    }
    if (this.entries > this.live + (this.live >> 1) + this.slack) this.rebuild();
  }

  /** Takes account `i` out (its entry goes stale). */
  remove(i: number): void {
    if (this.chan[i] === 0) return;
    this.chan[i] = 0;
    this.live--;
  }

  /**
   * Calls `due(i)` once for every account of channel `c` whose key is ≤ `threshold`, and takes it
   * out. The threshold of a channel must never decrease. Order: by bucket, not by id.
   */
  collect(c: number, threshold: number, due: (i: number) => void): void {
    const last = Math.floor(threshold * this.invWidth);
    if (!(last >= this.cursor[c]!)) return;
    const key = this.key, chan = this.chan, bucketOf = this.bucketOf, ch = c + 1, base = c * RING;
    if (last - this.cursor[c]! >= RING) this.jump(c, last, due);
    for (;;) {
      const b = this.cursor[c]!;
      if (this.overflowMin[c]! < b + HALF) this.spill(c);
      const bucket = this.ring[base + (b & MASK)];
      if (bucket) {
        let kept = 0;
        for (let n = 0; n < bucket.length; n++) {
          const i = bucket[n]!;
          if (chan[i] !== ch || bucketOf[i] !== b) {
            this.entries--;
            continue;
          }
          if (key[i]! <= threshold) {
            chan[i] = 0;
            this.live--;
            this.entries--;
            due(i);
          } else bucket[kept++] = i;
        }
        bucket.length = kept;
      }
      if (b === last) return;
      this.cursor[c] = b + 1;
    }
  }

  /**
   * A threshold a whole ring ahead: every ring entry is due (its bucket is below the threshold's),
   * the cursor moves to the threshold's bucket at once and the overflow is spilled from there.
   */
  private jump(c: number, last: number, due: (i: number) => void): void {
    const chan = this.chan, bucketOf = this.bucketOf, ch = c + 1, cur = this.cursor[c]!;
    for (let r = c * RING; r < (c + 1) * RING; r++) {
      const bucket = this.ring[r];
      if (!bucket) continue;
      for (let n = 0; n < bucket.length; n++) {
        const i = bucket[n]!;
        const b = bucketOf[i]!;
        this.entries--;
        if (chan[i] !== ch || b < cur || b >= cur + RING || (b & MASK) !== r - c * RING) continue;
        chan[i] = 0;
        this.live--;
        due(i);
      }
      bucket.length = 0;
    }
    this.cursor[c] = last;
    this.spill(c);
  }

  /** Moves channel `c`'s overflow entries that now fall within the ring into it. */
  private spill(c: number): void {
    const list = this.overflow[c]!, cur = this.cursor[c]!;
    let kept = 0, min = Infinity;
    for (let n = 0; n < list.length; n++) {
      const i = list[n]!;
      if (this.chan[i] !== c + 1 || this.bucketOf[i] !== OVER) {
        this.entries--;
        continue;
      }
      const b = Math.max(cur, Math.floor(this.key[i]! * this.invWidth));
      if (b < cur + RING) {
        this.bucketOf[i] = b;
        const r = c * RING + (b & MASK);
        const bucket = this.ring[r];
        if (bucket) bucket.push(i);
        else this.ring[r] = [i];
      } else {
        list[kept++] = i;
        if (b < min) min = b;
      }
    }
    list.length = kept;
    this.overflowMin[c] = min;
  }

  /** Drops every stale entry: each filed account is put back once, in id order. O(capacity). */
  private rebuild(): void {
    for (let r = 0; r < this.ring.length; r++) if (this.ring[r]) this.ring[r]!.length = 0;
    for (let c = 0; c < this.channels; c++) {
      this.overflow[c]!.length = 0;
      this.overflowMin[c] = Infinity;
    }
    this.entries = 0;
    const chan = this.chan, bucketOf = this.bucketOf;
    for (let i = 0; i < this.capacity; i++) {
      const ch = chan[i]!;
      if (ch === 0) continue;
      const c = ch - 1;
      this.entries++;
      if (bucketOf[i] === OVER) {
        this.overflow[c]!.push(i);
        const b = Math.floor(this.key[i]! * this.invWidth);
        if (b < this.overflowMin[c]!) this.overflowMin[c] = b;
      } else {
        const r = c * RING + (bucketOf[i]! & MASK);
        const bucket = this.ring[r];
        if (bucket) bucket.push(i);
        else this.ring[r] = [i];
      }
    }
  }
}
