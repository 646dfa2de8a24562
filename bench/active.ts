/**
 * Agents that trade every tick: scenarios/bench-active.yaml (1,000 mirrored pairs, half adding to
 * their position every tick, 7,200 ticks, 2 policies × 100 seeds) on the worker pool, timed as a
 * whole process (`node bin/levsim.js run …`) on 1 and on 2 workers. Executed orders are counted by
 * the runs themselves (each manifest's `executedOrders`).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { runsPhase } from './mc';

/** Figures of one whole-process run of bench-active. */
export interface ActiveFigure {
  runs: number; workers: number; seconds: number; runsPhaseSeconds: number;
  executedOrders: number; ordersPerSecond: number; agentTicks: number; agentTicksPerSecond: number;
}

/** Sum of the runs' executed orders under `out`, from their manifests. */
function executedOrders(out: string): number {
  let n = 0;
  for (const policy of readdirSync(join(out, 'runs'))) {
    for (const seed of readdirSync(join(out, 'runs', policy))) {
      n += (JSON.parse(readFileSync(join(out, 'runs', policy, seed, 'manifest.json'), 'utf8')) as { executedOrders: number }).executedOrders;
    }
  }
  return n;
}

/** Times the whole `levsim run scenarios/bench-active.yaml` process with `seeds` seeds on `workers` workers. */
export function benchActive(seeds = 100, workers = 2, ticks = 7200): ActiveFigure {
  const out = mkdtempSync(join(tmpdir(), 'levsim-bench-active-'));
  const t0 = performance.now();
  execFileSync(process.execPath, ['bin/levsim.js', 'run', 'scenarios/bench-active.yaml', '--quiet', '--out', out, '--workers', String(workers), '--set', `runs.seeds=${seeds}`, '--ticks', String(ticks)], { stdio: 'inherit' });
  const seconds = (performance.now() - t0) / 1000;
  const runs = 2 * seeds, orders = executedOrders(out), agentTicks = runs * 2000 * ticks;
  return {
    runs, workers, seconds, runsPhaseSeconds: runsPhase(out), executedOrders: orders,
    ordersPerSecond: orders / seconds, agentTicks, agentTicksPerSecond: agentTicks / seconds,
  };
}
