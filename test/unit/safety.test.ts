import { describe, expect, it } from 'vitest';
import { MarginSafety } from '../../sim/world/safety';
import { IdList } from '../../sim/exchange/id-list';

const due = (s: MarginSafety): number[] => {
  const out = new IdList(8);
  s.collectDue(out);
  return Array.from(out.ids.subarray(0, out.n));
};

describe('margin-of-safety index', () => {
  it('the path variation adds the largest log move of any market between observations', () => {
    const s = new MarginSafety(10, 2);
    s.observe([100, 50]);
    s.observe([110, 50]);
    s.observe([110, 45]);
    expect(s.variation).toBeCloseTo(Math.log(1.1) + Math.log(50 / 45), 12);
  });

  it('an account is due once the variation reaches ln(1 + slack / exposure) past its check; touched ones at once', () => {
    const s = new MarginSafety(10, 1);
    s.observe([100]);
    s.file(1, 5, 100); // 5% of slack: due after a 4.88% log move
    s.file(2, 20, 100);
    expect(due(s)).toEqual([]);
    s.observe([100 * Math.exp(0.048)]);
    expect(due(s)).toEqual([]);
    s.observe([100 * Math.exp(0.049)]);
    expect(due(s)).toEqual([1]);
    s.touch(2);
    s.touch(2);
    expect(due(s)).toEqual([2]);
    expect(s.indexed).toBe(0);
  });

  it('a flat account without a deficit leaves the index', () => {
    const s = new MarginSafety(10, 1);
    s.observe([100]);
    s.file(3, 1, 100);
    s.file(3, 0, 0);
    s.observe([1]);
    expect(due(s)).toEqual([]);
  });

  it('an account is due on the adverse moves of the markets it holds only (its sign pattern); one filed with signs 0 on P', () => {
    const s = new MarginSafety(10, 2);
    s.observe([100, 50]);
    s.file(1, 5, 100, 1); // long market 0 only (pattern 1): due after a 4.88% log fall of market 0
    s.file(2, 5, 100); // against P
    s.file(3, 5, 100, 2 + 3); // short market 0, long market 1
    s.observe([100, 50 * Math.exp(0.049)]);
    expect(due(s)).toEqual([2]);
    s.observe([100 * Math.exp(0.03), 50 * Math.exp(0.049)]); // market 0 rises: favourable to 1, adverse to 3
    expect(due(s)).toEqual([]);
    s.observe([100 * Math.exp(0.05), 50]);
    expect(due(s)).toEqual([3]); // 3.0% + 2.0% of rise of market 0 (and a 4.9% fall of market 1)
    s.observe([100 * Math.exp(0.001), 50]);
    expect(due(s)).toEqual([1]); // a 4.9% fall of market 0
    expect(s.marketVariation[1]).toBeCloseTo(0.098, 12);
  });

  it('returns the due accounts in ascending id order, each once', () => {
    const s = new MarginSafety(100, 1);
    s.observe([100]);
    for (const i of [70, 3, 41, 64, 5]) s.file(i, 1, 100);
    s.touch(41);
    s.touch(99);
    s.observe([90]);
    expect(due(s)).toEqual([3, 5, 41, 64, 70, 99]);
  });
});
