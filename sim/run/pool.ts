/**
 * Comparison and Monte Carlo runs on a worker-thread pool (piscina). Results are byte-identical
 * for any number of workers: each run is independent and writes its own folder, and the comparison
 * is aggregated from those folders in a fixed order. Interruption-safe: every file is atomic and a
 * run's manifest.json is written last, so `resume` skips exactly the runs that completed, after
 * checking that their manifest matches this scenario (sha256, overrides), policy and seed, and
 * that the files it lists are there as they were written.
 */
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { Piscina } from 'piscina';
import type { LoadedScenario } from '../scenario/loader';
import { finishComparison, planJobs, type ComparePlan, type CompareResult, type RunJob } from './compare';
import { Interrupted, RunFailure } from './run-error';
import { COMPARISON_FILES, isFolder, refuseFileAt } from './out-dir';
import { sliceJobs, type Shard } from './shard';
import type { RunTask } from './worker-task';
import type { FileRecord } from '../../reports/atomic';
import type { Manifest } from '../../reports/manifest';


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
  /** Aborted with 'SIGINT' or 'SIGTERM': the workers are stopped and {@link Interrupted} is thrown. */
  signal?: AbortSignal;
}

/**
 * Why `job`'s folder does not hold a complete run of this very scenario, policy and seed, or null
 * when it does: a manifest that reads and matches (scenario sha256 and overrides, policy, seed),
 * every file it lists there with the size and sha256 it recorded, and a summary.json among them of
 * the same policy and seed. A damaged run is a run to do again (`--resume`), or a run to name
 * (`levsim aggregate`), not an error of the comparison that would read it.
 */
export function runProblem(s: LoadedScenario, job: RunJob): string | null {
  const read = (f: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(job.outDir, f), 'utf8'));
    } catch {
      return undefined;
    }
  };
  if (!existsSync(join(job.outDir, 'manifest.json'))) return 'no manifest.json (the run did not finish)';
  const m = read('manifest.json');
  if (typeof m !== 'object' || m === null) return 'manifest.json does not read as a manifest';
  const { scenarioSha256, overrides, policy, seed, files } = m as Partial<Manifest>;
  if (scenarioSha256 !== s.sha256 || JSON.stringify(overrides) !== JSON.stringify(s.overrides)) return 'made from another version of the scenario or other --set overrides';
  if (policy !== job.policy || seed !== job.seed) return `manifest.json is of policy ${String(policy)}, seed ${String(seed)}`;
  if (typeof files !== 'object' || files === null || !('summary.json' in files)) return 'manifest.json lists no summary.json among its files (made by an older levsim, or damaged)';
  for (const [name, rec] of Object.entries(files)) {
    const problem = fileProblem(job.outDir, name, rec);
    if (problem) return problem;
  }
  const v = read('summary.json');
  const summary = (typeof v === 'object' && v !== null ? v : {}) as { policy?: unknown; seed?: unknown };
  if (summary.policy !== job.policy || summary.seed !== job.seed) return `summary.json is of policy ${String(summary.policy)}, seed ${String(summary.seed)}`;
  return null;
}

/** True when `job`'s folder holds a complete run of this scenario, policy and seed ({@link runProblem}). */
export function isComplete(s: LoadedScenario, job: RunJob): boolean {
  return runProblem(s, job) === null;
}

/** What is wrong with file `name` of folder `dir` against its manifest record `rec`, or null when it is as written. */
function fileProblem(dir: string, name: string, rec: unknown): string | null {
  // A name with a folder in it is no file levsim wrote there: the manifest is damaged.
  if (basename(name) !== name || typeof rec !== 'object' || rec === null) return `manifest.json's entry ${JSON.stringify(name)} is not a file record`;
  const { bytes, sha256 } = rec as Partial<FileRecord>;
  const file = join(dir, name);
  const st = existsSync(file) ? statSync(file) : null;
  if (!st?.isFile()) return `${name} is missing`;
  // The size first: a file cut short is found without reading it.
  const size = st.size;
  if (size !== bytes) return `${name} has ${size} bytes, its manifest recorded ${String(bytes)}`;
  if (createHash('sha256').update(readFileSync(file)).digest('hex') !== sha256) return `${name} does not match the sha256 its manifest recorded`;
  return null;
}

/**
 * Removes what a killed run left behind: temporary files and a partial folder's contents, or a
 * plain file where the run's folder goes (nothing but levsim writes in runs/<policy>/).
 */
export function clearPartial(dir: string): void {
  if (!isFolder(dir)) {
    rmSync(dir, { force: true });
    return;
  }
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true, recursive: true });
}

/** Refuses a plain file where a policy's folder runs/<policy>/ goes ({@link refuseFileAt}). */
function checkPolicyFolders(jobs: readonly RunJob[]): void {
  for (const d of new Set(jobs.map((j) => dirname(j.outDir)))) refuseFileAt(d);
}

/**
 * Runs the jobs on `workers` threads, at most `workers` at a time in plan order (an abort stops the
 * workers first, then throws {@link Interrupted}), and fails fast: at
 * the first failed run nothing more is started, the runs in flight are stopped (their folders have
 * no manifest, so `resume` reruns them), and a {@link RunFailure} names the run and its error.
 */
async function runJobs(s: LoadedScenario, todo: readonly RunJob[], o: PoolOptions, onDone: () => void): Promise<void> {
  // execArgv [] : a host's loader flags (a test runner's, say) must not leak into the workers,
  // which load TypeScript through ts-cache.js themselves.
  const workers = Math.min(o.workers, todo.length);
  const pool = new Piscina({ filename: resolve(__dirname, 'worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 1000, execArgv: [] });
  let next = 0;
  let failure: RunFailure | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= pool.destroy());
  const onAbort = () => void stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const lane = async (): Promise<void> => {
    while (!failure && !o.signal?.aborted && next < todo.length) {
      const job = todo[next++]!;
      const task: RunTask = { file: s.file, sets: o.sets, ticks: o.ticks, seed: o.seed, job };
      try {
        await pool.run(task);
      } catch (e) {
        if (o.signal?.aborted) return; // stopped by the interrupt, not a failure of this run
        // The first failure is the one reported; stopping the pool rejects the other lanes' runs.
        failure ??= new RunFailure(`(policy ${job.policy}, seed ${job.seed}) ${e instanceof Error ? e.message : String(e)}`);
        void stop();
        return;
      }
      onDone();
    }
  };
  await Promise.all(Array.from({ length: workers }, lane));
  await stop();
  o.signal?.removeEventListener('abort', onAbort);
  if (o.signal?.aborted) throw new Interrupted(o.signal.reason as 'SIGINT' | 'SIGTERM');
  if (failure) throw failure;
}

/** Runs `jobs` of the plan on the pool (skipping complete ones when resuming); the comparison's own outputs are removed first. */
async function runSome(s: LoadedScenario, jobs: readonly RunJob[], outDir: string, o: PoolOptions): Promise<void> {
  // The comparison's own outputs describe the runs as they were: gone until these runs finish.
  for (const f of COMPARISON_FILES) rmSync(join(outDir, f), { force: true });
  await runJobsPooled(s, jobs, o);
}

/** Runs `jobs` on the pool (skipping complete ones when resuming) and resolves when every one is complete. */
export async function runJobsPooled(s: LoadedScenario, jobs: readonly RunJob[], o: PoolOptions): Promise<void> {
  checkPolicyFolders(jobs);
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
  if (todo.length > 0) await runJobs(s, todo, o, () => o.onRun?.(++done, jobs.length));
}

/** Runs every job of the plan on `workers` threads (skipping complete ones when resuming), then aggregates. */
export async function runPlanPooled(s: LoadedScenario, plan: ComparePlan, outDir: string, o: PoolOptions): Promise<CompareResult> {
  await runSome(s, planJobs(plan, outDir), outDir, o);
  return finishComparison(s, plan, outDir);
}

/** Runs one slice of the plan on the pool, without aggregating (`levsim aggregate` does, once every slice is done). */
export async function runSlicePooled(s: LoadedScenario, plan: ComparePlan, outDir: string, shard: Shard, o: PoolOptions): Promise<number> {
  const jobs = sliceJobs(planJobs(plan, outDir), shard);
  await runSome(s, jobs, outDir, o);
  return jobs.length;
}
