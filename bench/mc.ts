/**
 * Many small runs: scenarios/bench-mc.yaml (2,000 agents, 7,200 ticks, 2 policies × 100 seeds) on
 * the worker pool, timed as a whole process (bench/whole-process.ts), so worker start-up and
 * per-run set-up are included. `seeds` shrinks it for a quick run; `workers` sets the pool size.
 */
import { wholeProcess, type ProcessFigure } from './whole-process';

/** Figures of one many-small-runs measurement. */
export interface McFigure extends ProcessFigure {
  runs: number; workers: number; agentTicks: number; agentTicksPerSecond: number;
}

/** Times the whole `levsim run scenarios/bench-mc.yaml` process; `scale` multiplies every population. */
export function benchMc(seeds = 100, workers = 2, ticks = 7200, scale = 1): McFigure {
  const counts = [1600, 300, 90, 5, 5].map((c, k) => ['--set', `agents[${k}].count=${Math.round(c * scale)}`]).flat();
  const f = wholeProcess('scenarios/bench-mc.yaml', ['--workers', String(workers), '--set', `runs.seeds=${seeds}`, '--ticks', String(ticks), ...counts], () => ({}));
  const runs = 2 * seeds;
  const agentTicks = runs * Math.round(2000 * scale) * ticks;
  return { ...f, runs, workers, agentTicks, agentTicksPerSecond: agentTicks / f.seconds };
}
