/**
 * `levsim run s.yaml --queue redis://…`: a sweep submitted to BullMQ as a flow, one child job per
 * (policy, seed) run and a parent job that aggregates them into compare.json; `levsim worker`
 * processes run them on any number of machines. The submitter waits for the parent, then writes
 * compare.json, each run's summary.json and manifest.json, compare.csv, runs.parquet and the report
 * into its own folder: the same bytes as a local sweep, whatever the workers and whatever was killed.
 *
 * A run job's id is a hash of the scenario's hash, its overrides, the policy and the seed: a
 * resubmitted sweep reuses the runs Redis holds as finished (and those its folder holds complete,
 * with `--resume`), waits for the ones an earlier submission left in flight, and submits the rest
 * (when none is left, it aggregates here, with the same code).
 */
import { createHash } from 'crypto';
import { readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { FlowProducer, Queue, QueueEvents, type Job } from 'bullmq';
import { writeFileAtomic } from '../../reports/atomic';
import type { Manifest } from '../../reports/manifest';
import type { LoadedScenario } from '../scenario/loader';
import { makeBundle, type JobBundle } from './bundle';
import { finishComparison, planJobs, type ComparePlan, type CompareResult, type RunJob } from './compare';
import { COMPARISON_FILES } from './out-dir';
import { clearPartial, isComplete } from './pool';
import { checkRedis, connection, JOB_OPTIONS, RUNS_QUEUE, SWEEPS_QUEUE, type RunJobData, type RunJobResult, type SweepJobData } from './queue-config';
import { RunFailure } from './run-error';
import { stableJson } from './run-scenario';

/** Options of a queued sweep. */
export interface QueueOptions {
  url: string;
  resume: boolean;
  /** After each finished (or reused) run, across the cluster. */
  onRun?: (done: number, total: number) => void;
}

/** What a queued sweep returns: the comparison, and the folders where workers wrote detail files (none: not written). */
export interface QueuedSweep {
  result: CompareResult;
  details: string[];
}

/** The id of a run's job: the same for the same scenario files, overrides, policy and seed. */
export function runJobId(b: JobBundle, job: Pick<RunJob, 'policy' | 'seed'>): string {
  return `run-${createHash('sha256').update(JSON.stringify([b.hash, b.sets, job.policy, job.seed])).digest('hex').slice(0, 40)}`;
}

/**
 * Writes a run's result into its folder: summary.json, then manifest.json (naming this machine's
 * scenario file and listing the files the folder holds) last. The folder is cleared first unless the worker wrote its detail files there
 * (a worker whose `--out` is this sweep's folder).
 */
function writeRun(s: LoadedScenario, outDir: string, job: RunJob, r: RunJobResult): void {
  const here = r.details === outDir;
  if (!here) clearPartial(job.outDir);
  writeFileAtomic(join(job.outDir, 'summary.json'), r.summary);
  const manifest = JSON.parse(r.manifest) as Manifest;
  // Without the worker's detail files here, the folder holds the summary alone (the same bytes the
  // worker hashed): the manifest lists what is in the folder, so that --resume finds it complete.
  const files = here ? manifest.files : { 'summary.json': manifest.files['summary.json']! };
  writeFileAtomic(join(job.outDir, 'manifest.json'), stableJson({ ...manifest, scenario: s.file, files }));
}

/** The run's result from its complete folder. */
function readRun(job: RunJob): RunJobResult {
  const read = (f: string) => readFileSync(join(job.outDir, f), 'utf8');
  return { policy: job.policy, seed: job.seed, summary: read('summary.json'), manifest: read('manifest.json') };
}

/** Submits the sweep, waits for it, writes its outputs into `outDir`; a run that keeps failing throws {@link RunFailure} naming it. */
export async function runPlanQueued(s: LoadedScenario, plan: ComparePlan, outDir: string, o: QueueOptions): Promise<QueuedSweep> {
  await checkRedis(o.url);
  for (const f of COMPARISON_FILES) rmSync(join(outDir, f), { force: true });
  const bundle = makeBundle(s);
  const jobs = planJobs(plan, outDir);
  const runs = new Queue<RunJobData, RunJobResult>(RUNS_QUEUE, { connection: connection(o.url) });
  const events = new QueueEvents(SWEEPS_QUEUE, { connection: connection(o.url) });
  const runEvents = new QueueEvents(RUNS_QUEUE, { connection: connection(o.url) });
  const flows = new FlowProducer({ connection: connection(o.url) });
  const details = new Set<string>();
  try {
    await Promise.all([events.waitUntilReady(), runEvents.waitUntilReady()]);
    const reused: RunJobResult[] = [];
    const todo: RunJob[] = [];
    const done = () => o.onRun?.(reused.length, jobs.length);
    for (const job of jobs) {
      if (o.resume && isComplete(s, job)) {
        reused.push(readRun(job));
        done();
        continue;
      }
      let old: Job<RunJobData, RunJobResult> | undefined = await runs.getJob(runJobId(bundle, job));
      let state = await old?.getState();
      if (old && state !== 'completed' && state !== 'failed' && state !== 'unknown') {
        // In flight for an earlier submission of this sweep: its result is as good as a new one.
        await old.waitUntilFinished(runEvents).catch(() => undefined);
        old = await runs.getJob(runJobId(bundle, job));
        state = await old?.getState();
      }
      if (old && state === 'completed') {
        writeRun(s, outDir, job, old.returnvalue);
        if (old.returnvalue.details) details.add(old.returnvalue.details);
        reused.push(old.returnvalue);
        done();
      } else {
        if (old) await old.remove();
        clearPartial(job.outDir);
        todo.push(job);
      }
    }
    if (todo.length === 0) {
      // Every run was finished already: nothing for the cluster to do, the same aggregation here.
      return { result: finishComparison(s, plan, outDir), details: [...details].sort() };
    }
    const node = await flows.add({
      name: 'sweep', queueName: SWEEPS_QUEUE, data: { bundle, reused } satisfies SweepJobData, opts: JOB_OPTIONS,
      children: todo.map((job) => ({
        name: 'run', queueName: RUNS_QUEUE, data: { bundle, policy: job.policy, seed: job.seed } satisfies RunJobData,
        opts: { ...JOB_OPTIONS, jobId: runJobId(bundle, job), failParentOnFailure: true },
      })),
    });
    const parent = node.job;
    // The progress bar: children processed anywhere in the cluster, polled.
    const poll = setInterval(() => {
      void parent.getDependenciesCount({ processed: true }).then((c) => o.onRun?.(reused.length + (c.processed ?? 0), jobs.length), () => undefined);
    }, 500);
    let compareText: string;
    try {
      compareText = (await parent.waitUntilFinished(events)) as string;
    } catch (e) {
      throw await sweepFailure(runs, bundle, todo, e);
    } finally {
      clearInterval(poll);
    }
    for (const job of todo) {
      const r = (await runs.getJob(runJobId(bundle, job)))!.returnvalue;
      writeRun(s, outDir, job, r);
      if (r.details) details.add(r.details);
    }
    o.onRun?.(jobs.length, jobs.length);
    const result = JSON.parse(compareText) as CompareResult;
    finishComparison(s, plan, outDir, result);
    return { result, details: [...details].sort() };
  } finally {
    await Promise.all([runs.close(), events.close(), runEvents.close(), flows.close()]);
  }
}

/**
 * The error of a failed sweep: the first run (in plan order) that failed, with its error, else the
 * parent's. Each run's state is read before the run's job: a failed job is final (no attempt
 * follows), so its attempts and error read afterwards are the last ones. Read the other way round,
 * a run whose last attempt ended between the two reads (other runs go on after the sweep's parent
 * has failed) was reported with the attempt before it: "after 2 attempt(s)" of 3.
 */
export async function sweepFailure(runs: Pick<Queue<RunJobData, RunJobResult>, 'getJob' | 'getJobState'>, bundle: JobBundle, todo: readonly RunJob[], e: unknown): Promise<RunFailure> {
  for (const job of todo) {
    const id = runJobId(bundle, job);
    if ((await runs.getJobState(id)) !== 'failed') continue;
    const j = await runs.getJob(id);
    if (j) return new RunFailure(`(policy ${job.policy}, seed ${job.seed}) failed on the queue after ${j.attemptsMade} attempt(s): ${j.failedReason}`);
  }
  return new RunFailure(`(the sweep's aggregation) failed on the queue: ${e instanceof Error ? e.message : String(e)}`);
}
