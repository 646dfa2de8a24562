/**
 * Many small runs: scenarios/bench-mc.yaml (2,000 agents, 7,200 ticks, 2 policies × 100 seeds) on
 * the worker pool, timed as a whole process (`node bin/levsim.js run …`), so worker start-up and
 * per-run set-up are included. `seeds` shrinks it for a quick run; `workers` sets the pool size.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';

/** Figures of one many-small-runs measurement. */
export interface McFigure {
  runs: number; workers: number; agentTicks: number; seconds: number; agentTicksPerSecond: number;
  /** From the first run's start to the last run's end (manifests): the pool's share of `seconds`. */
  runsPhaseSeconds: number;
}

/** Span of the runs under `out`, from their manifests' startedAt and finishedAt. */
export function runsPhase(out: string): number {
  let first = Infinity, last = -Infinity;
  for (const policy of readdirSync(join(out, 'runs'))) {
    for (const seed of readdirSync(join(out, 'runs', policy))) {
      const m = JSON.parse(readFileSync(join(out, 'runs', policy, seed, 'manifest.json'), 'utf8')) as { startedAt: string; finishedAt: string };
      first = Math.min(first, Date.parse(m.startedAt));
      last = Math.max(last, Date.parse(m.finishedAt));
    }
  }
  return (last - first) / 1000;
}

/** Times the whole `levsim run scenarios/bench-mc.yaml` process; `scale` multiplies every population. */
export function benchMc(seeds = 100, workers = 2, ticks = 7200, scale = 1): McFigure {
  const out = mkdtempSync(join(tmpdir(), 'levsim-bench-mc-'));
  const counts = [1600, 300, 90, 5, 5].map((c, k) => ['--set', `agents[${k}].count=${Math.round(c * scale)}`]).flat();
  const t0 = performance.now();
  execFileSync(process.execPath, ['bin/levsim.js', 'run', 'scenarios/bench-mc.yaml', '--quiet', '--out', out, '--workers', String(workers), '--set', `runs.seeds=${seeds}`, '--ticks', String(ticks), ...counts], { stdio: 'inherit' });
  const seconds = (performance.now() - t0) / 1000;
  const runs = 2 * seeds;
  const agentTicks = runs * Math.round(2000 * scale) * ticks;
  return { runs, workers, agentTicks, seconds, agentTicksPerSecond: agentTicks / seconds, runsPhaseSeconds: runsPhase(out) };
}
