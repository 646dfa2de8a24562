import { describe, expect, it } from 'vitest';
import { TopK } from '../../sim/exchange/top-k';
import { RandomStream } from '../../sim/engine/rng';

describe('TopK', () => {
  it('keeps the k best offers (higher score, ties to the lower id) and sorts them best first', () => {
    const rng = new RandomStream(9, 'top-k');
    for (const [n, k] of [[0, 3], [5, 10], [1000, 1], [1000, 37], [5000, 4096]] as const) {
      const scores = Array.from({ length: n }, () => Math.round(rng.next() * 50)); // many ties
      const top = new TopK(Math.min(k, n));
      scores.forEach((s, id) => top.offer(id, s));
      top.sortBestFirst();
      const want = scores.map((s, id) => ({ s, id })).sort((x, y) => y.s - x.s || x.id - y.id).slice(0, k);
      expect(Array.from(top.ids.subarray(0, top.n)), `n=${n} k=${k}`).toEqual(want.map((w) => w.id));
      expect(Array.from(top.scores.subarray(0, top.n))).toEqual(want.map((w) => w.s));
    }
  });
});
