/**
 * Comparison and Monte Carlo runs on a worker-thread pool (piscina). Results are byte-identical
 * for any number of workers: each run is independent and writes its own folder, and the comparison
 * is aggregated from those folders in a fixed order. Interruption-safe: every file is atomic and a
 * run's manifest.json is written last, so `resume` skips exactly the runs that completed, after
 * checking that their manifest matches this scenario (sha256, overrides), policy and seed.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join, resolve } from 'path';
import { Piscina } from 'piscina';
import type { LoadedScenario } from '../scenario/loader';
import { writeCompareReport } from '../../reports/html/compare-report';
import { aggregate, planJobs, writeComparison, type ComparePlan, type CompareResult, type RunJob } from './compare';
import type { RunTask } from './worker-task';

/** Options of a pooled comparison. */
export interface PoolOptions {
  workers: number;
  resume: boolean;
  /** How the scenario was loaded, so workers load it the same way. */
  sets: string[];
  ticks?: number;
  seed?: number;
  /** After each finished (or skipped) run. */
  onRun?: (done: number, total: number) => void;
}

/** True when `job`'s folder holds a complete run of this very scenario, policy and seed. */
export function isComplete(s: LoadedScenario, job: RunJob): boolean {
  const file = join(job.outDir, 'manifest.json');
  if (!existsSync(file) || !existsSync(join(job.outDir, 'summary.json'))) return false;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { scenarioSha256: string; seed: number; policy: string; overrides: string[] };
    return m.scenarioSha256 === s.sha256 && m.seed === job.seed && m.policy === job.policy && JSON.stringify(m.overrides) === JSON.stringify(s.overrides);
  } catch {
    return false;
  }
}

/** Removes what a killed run left behind: temporary files and a partial folder's contents. */
function clearPartial(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true, recursive: true });
}

/** Runs every job of the plan on `workers` threads (skipping complete ones when resuming), then aggregates. */
export async function runPlanPooled(s: LoadedScenario, plan: ComparePlan, outDir: string, o: PoolOptions): Promise<CompareResult> {
  const jobs = planJobs(plan, outDir);
  let done = 0;
  const todo: RunJob[] = [];
  for (const job of jobs) {
    if (o.resume && isComplete(s, job)) {
      o.onRun?.(++done, jobs.length);
    } else {
      clearPartial(job.outDir);
      todo.push(job);
    }
  }
  if (todo.length > 0) {
    // execArgv [] : a host's loader flags (a test runner's, say) must not leak into the workers,
    // which load TypeScript through ts-cache.js themselves.
    const pool = new Piscina({ filename: resolve(__dirname, 'worker.js'), minThreads: o.workers, maxThreads: o.workers, idleTimeout: 1000, execArgv: [] });
    try {
      await Promise.all(todo.map(async (job) => {
        const task: RunTask = { file: s.file, sets: o.sets, ticks: o.ticks, seed: o.seed, job };
        await pool.run(task);
        o.onRun?.(++done, jobs.length);
      }));
    } finally {
      await pool.destroy();
    }
  }
  const result = aggregate(s, plan, outDir);
  writeComparison(result, outDir);
  if (s.config.outputs.report) writeCompareReport(outDir);
  return result;
}
