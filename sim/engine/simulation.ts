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
      // The seven steps in order, called through one call site. Why not seven calls: V8 would
      // inline every step, and all they call, into this loop when it compiles it on stack
      // replacement, compiling the tick's hot code a second time (~0.1–0.2 s of compiler-thread CPU
      // each time), and a deoptimization anywhere in a step would throw the whole loop's code away
      // (3–7 such compiles per worker on bench-mc). Called through one site with seven targets,
      // each step is compiled on its own; seven calls a tick cost nothing measurable.
      const order = [s.market, s.policy, s.funding, s.decide, s.execute, s.liquidate, s.after];
      try {
        for (let t = 0; t < this.ticks && !subscriber.closed; t++) {
          this.clock.tick = t;
          for (let k = 0; k < order.length; k++) order[k]!.call(s, t);
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
