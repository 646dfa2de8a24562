import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { TICK_SUMMARY_FIELDS, type TickSummary } from '../../sim/engine/events';
import { TickColumns } from '../../sim/metrics/tick-columns';

/** A summary whose every field holds a value unique to the field and the tick. */
function row(t: number): TickSummary {
  return Object.fromEntries(TICK_SUMMARY_FIELDS.map((f, j) => [f, t * 1000 + j])) as TickSummary;
}

describe('tick columns', () => {
  it('stores each field of each tick in its own column, at the tick\'s row, trimmed to the ticks recorded', () => {
    const c = new TickColumns(10);
    const tick$ = new Subject<TickSummary>();
    c.collect(tick$);
    for (let t = 0; t < 7; t++) tick$.next(row(t));
    expect(c.length).toBe(7);
    TICK_SUMMARY_FIELDS.forEach((f, j) => {
      expect(Array.from(c.get(f))).toEqual([0, 1, 2, 3, 4, 5, 6].map((t) => t * 1000 + j));
    });
  });

  it('names every field as a plain identifier (the stored row is generated from the names)', () => {
    expect(TICK_SUMMARY_FIELDS.length).toBeGreaterThan(30);
    for (const f of TICK_SUMMARY_FIELDS) expect(f).toMatch(/^[A-Za-z_$][\w$]*$/);
  });
});
