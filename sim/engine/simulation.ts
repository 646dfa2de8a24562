import { Observable, type Subscription } from 'rxjs';
import type { Clock } from './clock';
import type { SimBus } from './bus';
import type { ExternalShock, TickSummary } from './events';

/** The seven steps of a tick (DESIGN.md "One tick"), each given the tick number. */
export interface TickSteps {
  market(tick: number): void;
  policy(tick: number): void;
  funding(tick: number): void;
  decide(tick: number): void;
  execute(tick: number): void;
  liquidate(tick: number): void;
  after(tick: number): void;
  /** Builds the tick's summary once the seven steps are done. */
  summarize(tick: number): TickSummary;
  /** Queues a user shock; the market applies it at `shock.tick` or the next tick. */
  injectShock(shock: ExternalShock, currentTick: number): void;
}

/** Options of {@link Simulation.run}. */
export interface RunOptions {
  /**
   * Extra shocks. Subscribed before the first tick; anything it emits while the run is going (for
   * instance from a `bus.tick$` subscription) applies from the next tick on.
   */
  shocks?: Observable<ExternalShock>;
}

/**
 * A discrete-time simulation: a clock, a bus and the tick steps. The engine knows nothing about
 * trading; `sim/run` assembles the market, the exchange and the agents into {@link TickSteps}.
 */
export class Simulation {
  /** @param ticks number of ticks to run. */
  constructor(
    readonly clock: Clock,
    readonly bus: SimBus,
    readonly ticks: number,
    private readonly steps: TickSteps,
  ) {}

  private started = false;

  /**
   * Runs every tick synchronously inside the subscription and emits each tick's summary, then
   * completes the bus. Deterministic: no scheduler, no wall clock. A simulation runs once: a second
   * call throws, since the state it would start from is the first run's end.
   */
  run(options: RunOptions = {}): Observable<TickSummary> {
    if (this.started) throw new Error('Simulation.run() was already called: a simulation runs once; build a new one to run again');
    this.started = true;
    return new Observable<TickSummary>((subscriber) => {
      const s = this.steps;
      let shockSub: Subscription | undefined;
      if (options.shocks) {
        shockSub = options.shocks.subscribe((shock) => s.injectShock(shock, this.clock.tick));
      }
      try {
        for (let t = 0; t < this.ticks && !subscriber.closed; t++) {
          this.clock.tick = t;
          s.market(t);
          s.policy(t);
          s.funding(t);
          s.decide(t);
          s.execute(t);
          s.liquidate(t);
          s.after(t);
          const summary = s.summarize(t);
          this.bus.tick$.next(summary);
          subscriber.next(summary);
        }
        shockSub?.unsubscribe();
        this.bus.complete();
        subscriber.complete();
      } catch (err) {
        shockSub?.unsubscribe();
        subscriber.error(err);
      }
    });
  }
}
