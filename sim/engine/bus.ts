import { Subject } from 'rxjs';
import type {
  AdlEvent, CascadeRecord, FillBatch, FundingEvent, LiquidationBatch, PolicyEvent, ShockEvent, TickSummary,
} from './events';

/**
 * The event bus of one simulation: typed, synchronous RxJS Subjects. Collectors subscribe here;
 * nothing emits per agent.
 */
export class SimBus {
  /** One summary at the end of every tick. */
  readonly tick$ = new Subject<TickSummary>();
  /** Scheduled, external and jump shocks to the index. */
  readonly shock$ = new Subject<ShockEvent>();
  /** The policy's limits changed. */
  readonly policy$ = new Subject<PolicyEvent>();
  /** Funding settlements. */
  readonly funding$ = new Subject<FundingEvent>();
  /** One batch of voluntary fills per tick. */
  readonly fills$ = new Subject<FillBatch>();
  /** One batch per cascade round. */
  readonly liquidations$ = new Subject<LiquidationBatch>();
  /** One record per tick that had liquidations. */
  readonly cascade$ = new Subject<CascadeRecord>();
  /** Auto-deleveraging, one record per cascade round that used it. */
  readonly adl$ = new Subject<AdlEvent>();

  /** Completes every stream, so `toArray()`-style collectors finish. */
  complete(): void {
    for (const s of [this.tick$, this.shock$, this.policy$, this.funding$, this.fills$, this.liquidations$, this.cascade$, this.adl$]) {
      s.complete();
    }
  }
}
