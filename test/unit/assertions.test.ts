import { describe, expect, it } from 'vitest';
import { checkAssertions, type PolicyRuns } from '../../sim/run/assertions';
import { nearestRank, percentiles, share, summaryFields } from '../../sim/run/statistics';
import { summaryValue } from '../../sim/metrics/summary';

// Synthetic summaries: a numeric metric and a true/false one (as insuranceFund.exhausted will be).
const runs = (policy: string, largest: number[], exhausted: boolean[]): PolicyRuns => ({
  policy, seeds: largest.map((_, k) => 100 + k),
  summaries: largest.map((x, k) => ({ policy, seed: 100 + k, cascades: { largestNotional: x }, insuranceFund: { exhausted: exhausted[k], min: 5 } })),
});
const a = runs('a', [10, 40, 20, 30, 50, 60, 70, 80, 90, 100], [true, false, false, true, false, false, false, false, false, false]);
const b = runs('b', [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], [true, true, true, true, true, false, false, false, false, false]);

describe('statistics across seeds', () => {
  it('nearest rank: the ⌈p·n⌉-th smallest value', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    expect([nearestRank(xs, 0.05), nearestRank(xs, 0.5), nearestRank(xs, 0.95), nearestRank(xs, 0)]).toEqual([1, 10, 19, 1]);
    expect(percentiles([3, null, 1, Infinity, 2, undefined])).toEqual({ p5: 1, p50: 2, p95: 3 });
    expect(percentiles([null])).toEqual({ p5: null, p50: null, p95: null });
  });

  it('share of true/false values; fields split by kind, whatever the summary holds', () => {
    expect(share([true, false, true, null, 3])).toEqual({ n: 3, share: 2 / 3 });
    expect(share([])).toEqual({ n: 0, share: null });
    expect(summaryFields(a.summaries[0])).toEqual({ numeric: ['cascades.largestNotional', 'insuranceFund.min'], boolean: ['insuranceFund.exhausted'] });
    expect(summaryValue(a.summaries[0]!, 'insuranceFund.exhausted')).toBe(true);
    expect(summaryValue(a.summaries[0]!, 'nope.x')).toBeUndefined();
  });
});

describe('assertions over Monte Carlo runs', () => {
  it('a bare bound holds for every run: the failing run and its seed are reported', () => {
    const r = checkAssertions({ 'cascades.largestNotional': { max: 95 } }, [a, b]);
    expect(r).toEqual([
      { metric: 'cascades.largestNotional', policy: 'a', statistic: 'each', value: 100, seed: 109, min: undefined, max: 95, pass: false, note: undefined },
      { metric: 'cascades.largestNotional', policy: 'b', statistic: 'each', value: 1000, seed: 109, min: undefined, max: 95, pass: false, note: undefined },
    ]);
  });

  it('statistics bound the across-seed value; share counts the seeds where a flag holds; policy: limits to one', () => {
    const r = checkAssertions({
      'cascades.largestNotional': [{ p95: { max: 95 } }, { p50: { max: 5 }, policy: 'b' }, { mean: { min: 50 } }],
      'insuranceFund.exhausted': { share: { min: 0.25 } },
    }, [a, b]);
    expect(r.map((x) => [x.metric, x.statistic, x.policy, x.value, x.pass])).toEqual([
      ['cascades.largestNotional', 'p95', 'a', 100, false],
      ['cascades.largestNotional', 'p95', 'b', 1000, false], // ⌈0.95·10⌉ = 10: the largest of 10 seeds
      ['cascades.largestNotional', 'p50', 'b', 5, true],
      ['cascades.largestNotional', 'mean', 'a', 55, true],
      ['cascades.largestNotional', 'mean', 'b', 104.5, true],
      ['insuranceFund.exhausted', 'share', 'a', 0.2, false],
      ['insuranceFund.exhausted', 'share', 'b', 0.5, true],
    ]);
  });

  it('share of a numeric metric fails with a note; a missing metric fails', () => {
    const r = checkAssertions({ 'insuranceFund.min': { share: { min: 0 } }, 'cascades.count': { min: 0 } }, [a]);
    expect(r.map((x) => [x.pass, x.note])).toEqual([
      [false, 'share applies to true/false metrics; use mean, p5, p50 or p95'],
      [false, 'the metric has no value in this run'],
    ]);
  });

  it('a single run is one policy × one seed: results carry no policy name', () => {
    const one = runs('x', [10], [false]);
    expect(checkAssertions({ 'cascades.largestNotional': { min: 5, max: 20 } }, [one])).toEqual([
      { metric: 'cascades.largestNotional', policy: undefined, statistic: 'each', value: 10, seed: 100, min: 5, max: 20, pass: true, note: undefined },
    ]);
  });
});
