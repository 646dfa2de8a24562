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

  it('a single-market account is due on its market\'s own variation only; a several-market one on the venue\'s', () => {
    const s = new MarginSafety(10, 2);
    s.observe([100, 50]);
    s.file(1, 5, 100, 0); // BTC only: due after a 4.88% log move of market 0
    s.file(2, 5, 100); // both markets
    s.observe([100, 50 * Math.exp(0.049)]);
    expect(due(s)).toEqual([2]);
    s.observe([100 * Math.exp(0.049), 50 * Math.exp(0.049)]);
    expect(due(s)).toEqual([1]);
    expect(s.marketVariation[1]).toBeCloseTo(0.049, 12);
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
