import { describe, expect, it } from 'vitest';
import { TICK_SUMMARY_FIELDS, type TickSummary } from '../../sim/engine/events';
import { computeSummary } from '../../sim/metrics/summary';
import { TickColumns } from '../../sim/metrics/tick-columns';

/** The summary of a run whose mark follows `marks` and whose exogenous path follows `exo`. */
function summaryOf(marks: number[], exo: number[], avgLeverage: number[] = marks.map(() => 0)) {
  const cols = new TickColumns(marks.length);
  marks.forEach((mark, tick) => {
    const s = Object.fromEntries(TICK_SUMMARY_FIELDS.map((f) => [f, 0])) as unknown as TickSummary;
    cols.push({ ...s, tick, mark, markPrice: mark, index: mark, avgLeverage: avgLeverage[tick]! });
  });
  return computeSummary({
    scenario: 't', policy: 'p', seed: 1, agents: 0, cols, cascades: [], episodes: [], liquidatedAccounts: 0, liquidationEvents: 0,
    insuranceFundStart: 0, exogenousPath: Float64Array.from(exo), leverage: { p50: 0, p90: 0, p99: 0 }, populations: {}, bankrupt: 0, warnings: [],
  });
}

describe('amplification in summary.json', () => {
  it('is null when the exogenous drawdown is below 0.5% (a fraction, as defined), and reported from 0.5%', () => {
    // Exogenous drawdown 0.499%: its log move, −0.5002%, is past the 0.5% bar, but the drawdown is not.
    const below = summaryOf([100, 99], [100, 99.501]);
    expect(below.price.exogenousMaxDrawdown).toBeCloseTo(0.00499, 12);
    expect(below.amplification).toBeNull();
    const at = summaryOf([100, 99], [100, 99.5]);
    expect(at.amplification).toBeCloseTo(Math.log(0.99) / Math.log(0.995), 12);
  });
});

describe('efficiency.avgLeverage in summary.json', () => {
  it('averages the ticks that had isolated positions (a tick without any has no mean leverage, not 0), and is null when none had', () => {
    expect(summaryOf([100, 100, 100, 100], [100, 100, 100, 100], [0, 0, 2, 4]).efficiency.avgLeverage).toBe(3);
    expect(summaryOf([100, 100], [100, 100], [0, 0]).efficiency.avgLeverage).toBeNaN();
    expect(JSON.parse(JSON.stringify(summaryOf([100, 100], [100, 100], [0, 0]))).efficiency.avgLeverage).toBeNull();
  });
});
