/**
 * A collector in the Mesa style: one Float64Array column per TickSummary field, filled from
 * `tick$`. Capacity is the run's tick count, allocated up front.
 */
import type { Observable } from 'rxjs';
import { TICK_SUMMARY_FIELDS, type TickField, type TickSummary } from '../engine/events';

/** Columns of every tick's summary. */
export class TickColumns {
  private readonly cols = new Map<TickField, Float64Array>();
  /** Ticks recorded so far. */
  length = 0;

  /** @param capacity number of ticks the run will emit. */
  constructor(readonly capacity: number) {
    for (const f of TICK_SUMMARY_FIELDS) this.cols.set(f, new Float64Array(capacity));
  }

  /** Subscribes to a tick stream. */
  collect(tick$: Observable<TickSummary>): void {
    tick$.subscribe((s) => this.push(s));
  }

  /** Appends one tick. */
  push(s: TickSummary): void {
    const k = this.length++;
    for (const [f, col] of this.cols) col[k] = s[f];
  }

  /** The column of `field`, trimmed to the recorded ticks. */
  get(field: TickField): Float64Array {
    return this.cols.get(field)!.subarray(0, this.length);
  }
}
