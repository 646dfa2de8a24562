import { describe, expect, it } from 'vitest';
import { BucketQueue } from '../../sim/world/bucket-queue';

const collect = (q: BucketQueue, c: number, threshold: number): number[] => {
  const out: number[] = [];
  q.collect(c, threshold, (i) => out.push(i));
  return out.sort((x, y) => x - y);
};

describe('monotone bucket queue', () => {
  it('returns exactly the filed accounts whose key the threshold reached, once, and takes them out', () => {
    const q = new BucketQueue(10, 1, 0.25);
    q.file(1, 0, 0.3);
    q.file(2, 0, 0.3 + 1e-15);
    q.file(3, 0, 2);
    expect(collect(q, 0, 0.29)).toEqual([]);
    expect(collect(q, 0, 0.3)).toEqual([1]);
    expect(collect(q, 0, 0.3)).toEqual([]);
    expect(collect(q, 0, 1)).toEqual([2]);
    expect(q.size).toBe(1);
    expect(q.has(3)).toBe(true);
  });

  it('a re-file or a removal leaves a stale entry that is skipped', () => {
    const q = new BucketQueue(10, 1, 0.25);
    q.file(4, 0, 0.1);
    q.file(4, 0, 3); // moved on
    q.file(5, 0, 0.6);
    q.remove(5);
    q.file(6, 0, 0.7);
    q.file(6, 0, 2.5);
    q.file(6, 0, 0.7); // back in its first bucket: two entries there, returned once
    expect(collect(q, 0, 1)).toEqual([6]);
    expect(collect(q, 0, 3)).toEqual([4]);
    expect(q.size).toBe(0);
  });

  it('a key below what was drained is due at the next collect; a NaN key never is', () => {
    const q = new BucketQueue(10, 1, 0.25);
    expect(collect(q, 0, 5)).toEqual([]);
    q.file(7, 0, 1);
    q.file(8, 0, NaN);
    expect(collect(q, 0, 5)).toEqual([7]);
    expect(collect(q, 0, 1e9)).toEqual([]);
    expect(q.has(8)).toBe(true);
  });

  it('keys past the ring wait in the overflow and are found when the threshold gets there', () => {
    const q = new BucketQueue(10, 1, 1e-4); // the ring spans 0.4096
    q.file(1, 0, 10);
    q.file(2, 0, 5);
    q.file(3, 0, 1);
    expect(collect(q, 0, 4.9)).toEqual([3]);
    q.file(2, 0, 6); // re-filed within the overflow
    expect(collect(q, 0, 5.99)).toEqual([]);
    expect(collect(q, 0, 6)).toEqual([2]);
    expect(collect(q, 0, 100)).toEqual([1]);
  });

  it('channels have their own thresholds and share the slots', () => {
    const q = new BucketQueue(10, 2, 0.25);
    q.file(1, 0, 0.5);
    q.file(2, 1, 0.5);
    expect(collect(q, 0, 1)).toEqual([1]);
    q.file(2, 0, 0.6); // moved to channel 0: its entry in channel 1 is stale
    expect(collect(q, 1, 1)).toEqual([]);
    expect(collect(q, 0, 1)).toEqual([2]);
  });

  it('matches a sorted reference under random files, removals and growing thresholds (overflow, jumps, rebuilds)', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const n = 2000;
    const q = new BucketQueue(n, 2, 1 / 1024, 16); // the ring spans 4; rebuilds are frequent
    const ref = new Map<number, { c: number; key: number }>();
    const p = [0, 0];
    for (let step = 0; step < 300; step++) {
      for (let k = 0; k < 400; k++) {
        const i = Math.floor(rnd() * n);
        if (rnd() < 0.1) {
          q.remove(i);
          ref.delete(i);
        } else {
          const c = rnd() < 0.5 ? 0 : 1;
          const key = p[c]! + (rnd() < 0.05 ? 50 * rnd() : rnd() * 0.5);
          q.file(i, c, key);
          ref.set(i, { c, key });
        }
      }
      for (let c = 0; c < 2; c++) {
        p[c] += rnd() < 0.02 ? 20 * rnd() : rnd() * 0.05;
        const want = [...ref].filter(([, v]) => v.c === c && v.key <= p[c]!).map(([i]) => i).sort((x, y) => x - y);
        for (const i of want) ref.delete(i);
        expect(collect(q, c, p[c]!)).toEqual(want);
      }
      expect(q.size).toBe(ref.size);
    }
  });
});
