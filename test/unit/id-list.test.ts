import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdList } from '../../sim/exchange/id-list';

describe('id list', () => {
  it('knows whether its ids arrived in ascending order, through growth and clears', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 3000 }), { maxLength: 4 }), (batches) => {
      const l = new IdList(4);
      for (const ids of batches) {
        for (const id of ids) l.push(id);
        const got = Array.from(l.ids.subarray(0, l.n));
        expect(got).toEqual(ids);
        expect(l.ascending).toBe(ids.every((v, k) => k === 0 || ids[k - 1]! <= v));
        l.clear();
        expect([l.n, l.ascending]).toEqual([0, true]);
      }
    }), { numRuns: 100, seed: 20261202 });
  });
});
