import { describe, expect, it } from 'vitest';
import { ACCELERATE_FROM, aitkenStep, nextResizePoint } from '../../sim/exchange/cascade';

describe('the re-sizing\'s Aitken step (sim/exchange/cascade.ts)', () => {
  // G(x) = 10 + 0.98·(x − 10): a linear map of slope 0.98 with its fixed point at 10.
  const g = (x: number) => 10 + 0.98 * (x - 10);

  it('lands on the fixed point of a linear map from three plain iterates', () => {
    const a = 0, b = g(a), c = g(b);
    expect(aitkenStep(a, b, c, 1e6)).toBeCloseTo(10, 9);
    // Plain passes from there are still more than 4 short after 40 more.
    let x = c;
    for (let k = 0; k < 40; k++) x = g(x);
    expect(10 - x).toBeGreaterThan(4);
  });

  it('takes no step when the iterates do not shrink one way (ratio outside (0, 1)), and keeps within the bound', () => {
    expect(aitkenStep(0, 1, 0.5, 1e6)).toBeNaN(); // turned back
    expect(aitkenStep(0, 1, 2, 1e6)).toBeNaN(); // not shrinking
    expect(aitkenStep(0, 1, 1, 1e6)).toBeNaN(); // settled: nothing to extrapolate
    expect(aitkenStep(0, -1, -1.999, 50)).toBe(-50); // −1,000 clamped to the gross flow
  });

  it('steps only from the eighth pass on, every third pass, after plain iterates', () => {
    const at = g(0), next = g(at);
    for (let pass = 0; pass + 1 < ACCELERATE_FROM; pass++) expect(nextResizePoint(pass, 0, at, next, 1e6)).toBe(next);
    expect(nextResizePoint(ACCELERATE_FROM - 1, 0, at, next, 1e6)).toBeCloseTo(10, 9);
    expect(nextResizePoint(ACCELERATE_FROM, 0, at, next, 1e6)).toBe(next);
    expect(nextResizePoint(ACCELERATE_FROM + 2, 0, at, next, 1e6)).toBeCloseTo(10, 9);
    // Right after a step there is no plain triple yet.
    expect(nextResizePoint(ACCELERATE_FROM + 2, NaN, at, next, 1e6)).toBe(next);
  });
});
