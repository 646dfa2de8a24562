/**
 * One whole `node bin/levsim.js run …` process, timed from outside as a user would see it: wall
 * seconds, the CPU seconds of all its threads, and its runs phase from the runs' manifests. Worker
 * start-up, per-run set-up and the aggregation at the end are all in it.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { availableParallelism } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { inTempDir } from './timing';

/** What a whole process took. */
export interface ProcessFigure {
  seconds: number;
  /** CPU seconds of every thread of the process: workers, main thread, V8's compiler and collector threads. */
  cpuSeconds: number;
  /** From the first run's start to the last run's end (manifests): the pool's share of `seconds`. */
  runsPhaseSeconds: number;
}

/** Each run's manifest under `out` (runs/<policy>/<seed>/manifest.json). */
export function manifests<T>(out: string): T[] {
  const all: T[] = [];
  for (const policy of readdirSync(join(out, 'runs'))) {
    for (const seed of readdirSync(join(out, 'runs', policy))) {
      all.push(JSON.parse(readFileSync(join(out, 'runs', policy, seed, 'manifest.json'), 'utf8')) as T);
    }
  }
  return all;
}

/** Span of the runs under `out`, from their manifests' startedAt and finishedAt. */
function runsPhase(out: string): number {
  let first = Infinity, last = -Infinity;
  for (const m of manifests<{ startedAt: string; finishedAt: string }>(out)) {
    first = Math.min(first, Date.parse(m.startedAt));
    last = Math.max(last, Date.parse(m.finishedAt));
  }
  return (last - first) / 1000;
}

/**
 * Runs `levsim run <scenario> --quiet --out <temporary folder> <args>` to its end, times it, lets
 * `read` take what it needs from the output folder, then removes the folder.
 */
export function wholeProcess<T extends object>(scenario: string, args: string[], read: (out: string) => T): ProcessFigure & T {
  return inTempDir('levsim-bench-', (out) => {
    const cpuFile = join(out, 'cpu.json');
    const t0 = performance.now();
    execFileSync(process.execPath, ['--require', join(__dirname, 'cpu-at-exit.js'), 'bin/levsim.js', 'run', scenario, '--quiet', '--out', out, ...args], {
      stdio: 'inherit', env: { ...process.env, LEVSIM_BENCH_CPU: cpuFile },
    });
    const seconds = (performance.now() - t0) / 1000;
    const { cpuSeconds } = JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuSeconds: number };
    return { seconds, cpuSeconds, runsPhaseSeconds: runsPhase(out), ...read(out) };
  });
}

/** Two measurements of the same work, on 1 and on 2 workers. */
export interface Speedup {
  /** one.seconds / two.seconds, whole process. */
  speedup: number;
  /** The same over the runs phase. */
  runsPhaseSpeedup: number;
  /**
   * The most the 2-worker process could have gained on this machine, from the CPU it used:
   * ceiling = one.seconds / (two.cpuSeconds / cores), since a process that uses C CPU seconds on
   * `cores` cores takes at least C / cores seconds. When the 2-worker process does at least the
   * 1-worker one's CPU work, the ceiling is at most cores / oneWorkerCores: below 2 on a 2-core
   * machine once one worker's process uses more than one core (V8's compiler and collector threads
   * run beside the worker). On more cores it may exceed 2 and then bounds nothing.
   */
  ceiling: number;
  /** CPU seconds per wall second of the 1-worker process: the cores it already used. */
  oneWorkerCores: number;
}

/** The speed-up of `two` over `one` and its CPU ceiling on this machine's cores ({@link Speedup}). */
export function speedup(one: ProcessFigure, two: ProcessFigure, cores = availableParallelism()): Speedup {
  return {
    speedup: one.seconds / two.seconds,
    runsPhaseSpeedup: one.runsPhaseSeconds / two.runsPhaseSeconds,
    ceiling: one.seconds / (two.cpuSeconds / cores),
    oneWorkerCores: one.cpuSeconds / one.seconds,
  };
}
