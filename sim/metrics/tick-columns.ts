/**
 * A collector in the Mesa style: one Float64Array column per TickSummary field, filled from
 * `tick$`. Capacity is the run's tick count, allocated up front.
 */
import type { Observable } from 'rxjs';
import { TICK_SUMMARY_FIELDS, type TickField, type TickSummary } from '../engine/events';

/**
 * Stores summary `s` at row `k` of the columns, one field each: `cols[0][k] = s.tick; cols[1][k] =
 * s.index; …`, compiled once from TICK_SUMMARY_FIELDS. Why generated: a loop over the field names
 * reads `s` by a computed key, a megamorphic load per field (~0.8 µs a tick on bench-active); named,
 * each load is a fixed offset. Iterating a Map of columns also allocated an entry pair per field.
 */
const storeRow = new Function('cols', 'k', 's', TICK_SUMMARY_FIELDS.map((f, j) => `cols[${j}][k] = s.${f};`).join('\n')) as (cols: Float64Array[], k: number, s: TickSummary) => void;

/** Columns of every tick's summary. */
export class TickColumns {
  /** One column per field, in TICK_SUMMARY_FIELDS order. */
  private readonly cols: Float64Array[];
  /** Ticks recorded so far. */
  length = 0;

  /** @param capacity number of ticks the run will emit. */
  constructor(readonly capacity: number) {
    this.cols = TICK_SUMMARY_FIELDS.map(() => new Float64Array(capacity));
  }

  /** Subscribes to a tick stream. */
  collect(tick$: Observable<TickSummary>): void {
    tick$.subscribe((s) => this.push(s));
  }

  /** Appends one tick. */
  push(s: TickSummary): void {
    storeRow(this.cols, this.length++, s);
  }

  /** The column of `field`, trimmed to the recorded ticks. */
  get(field: TickField): Float64Array {
    return this.cols[TICK_SUMMARY_FIELDS.indexOf(field)]!.subarray(0, this.length);
  }
}
