/**
 * A collector in the Mesa style: one Float64Array column per TickSummary field, filled from
 * `tick$`. Capacity is the run's tick count, allocated up front.
 */
import type { Observable } from 'rxjs';
import { TICK_SUMMARY_FIELDS, type TickField, type TickSummary } from '../engine/events';

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
    const k = this.length++;
    // Indexed, not over a Map's entries: that iteration allocated an entry pair per field, ~2 kB a tick.
    for (let f = 0; f < TICK_SUMMARY_FIELDS.length; f++) this.cols[f]![k] = s[TICK_SUMMARY_FIELDS[f]!];
  }

  /** The column of `field`, trimmed to the recorded ticks. */
  get(field: TickField): Float64Array {
    return this.cols[TICK_SUMMARY_FIELDS.indexOf(field)]!.subarray(0, this.length);
  }
}
