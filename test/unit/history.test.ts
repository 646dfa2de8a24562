import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PriceHistory } from '../../agents/history';

/** The extreme of the `w` prices before the latest of `xs`, directly: NaN until there are w of them (and the window is capped at capacity + 1 prices held). */
function direct(xs: number[], capacity: number, w: number, pick: (a: number, b: number) => number, start: number): number {
  const held = Math.min(xs.length, Math.max(1, capacity) + 1);
  let m = w + 1 > held ? Number.NaN : start;
  for (let lag = 1; lag <= w && lag < held; lag++) m = pick(m, xs[xs.length - 1 - lag]!);
  return m;
}

describe('price history', () => {
  it('gives the same window extremes and lags as a direct computation, asked once or several times a tick', () => {
    const tick = fc.record({ price: fc.double({ min: 1, max: 1e5, noNaN: true }), windows: fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 40, noNaN: true })), { maxLength: 6 }) });
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.array(tick, { minLength: 1, maxLength: 80 }), (capacity, ticks) => {
      const h = new PriceHistory(capacity);
      const xs: number[] = [];
      for (const t of ticks) {
        h.push(t.price);
        xs.push(t.price);
        // Each window twice: the second answer comes from this tick's memo.
        for (const w of [...t.windows, ...t.windows]) {
          expect(h.maxBefore(w)).toBe(direct(xs, capacity, w, Math.max, -Infinity));
          expect(h.minBefore(w)).toBe(direct(xs, capacity, w, Math.min, Infinity));
        }
        expect(h.ago(0)).toBe(t.price);
        expect(h.length).toBe(Math.min(xs.length, capacity + 1));
      }
    }), { numRuns: 300, seed: 20261202 });
  });
});
