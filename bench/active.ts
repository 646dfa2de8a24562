/**
 * Agents that trade every tick: scenarios/bench-active.yaml (1,000 mirrored pairs, half adding to
 * their position every tick, 7,200 ticks, 2 policies × 100 seeds) on the worker pool, timed as a
 * whole process (bench/whole-process.ts) on 1 and on 2 workers. Executed orders are counted by the
 * runs themselves (each manifest's `executedOrders`).
 */
import { manifests, wholeProcess, type ProcessFigure } from './whole-process';

/** Figures of one whole-process run of bench-active. */
export interface ActiveFigure extends ProcessFigure {
  runs: number; workers: number;
  executedOrders: number; ordersPerSecond: number; agentTicks: number; agentTicksPerSecond: number;
}

/** Times the whole `levsim run scenarios/bench-active.yaml` process with `seeds` seeds on `workers` workers. */
export function benchActive(seeds = 100, workers = 2, ticks = 7200): ActiveFigure {
  const f = wholeProcess('scenarios/bench-active.yaml', ['--workers', String(workers), '--set', `runs.seeds=${seeds}`, '--ticks', String(ticks)], (out) => ({
    executedOrders: manifests<{ executedOrders: number }>(out).reduce((n, m) => n + m.executedOrders, 0),
  }));
  const runs = 2 * seeds, agentTicks = runs * 2000 * ticks;
  return { ...f, runs, workers, ordersPerSecond: f.executedOrders / f.seconds, agentTicks, agentTicksPerSecond: agentTicks / f.seconds };
}
