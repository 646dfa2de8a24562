/**
 * `levsim worker --queue redis://…`: runs the jobs of queued sweeps until SIGINT or SIGTERM. Run
 * jobs execute in sandboxed child processes (one per concurrent job), so the main process stays
 * free to renew their locks; sweep jobs (the aggregation) run in the main process.
 */
import { resolve } from 'path';
import { Worker } from 'bullmq';
import { connection, LOCKS, RUNS_QUEUE, SWEEPS_QUEUE, type RunJobData, type RunJobResult, type SweepJobData } from './queue-config';
import { processSweep } from './queue-aggregate';
import { WORKER_OUT_ENV } from './queue-run';

/** Options of `levsim worker`. */
export interface WorkerOptions {
  url: string;
  /** Runs at a time. */
  concurrency: number;
  /** Where detail files go (`<out>/runs/<policy>/<seed>/`); none are kept without it. */
  out?: string;
  /** A line per finished or failed job. */
  log(line: string): void;
  /** Aborted: the worker finishes or gives back its jobs, then resolves. */
  signal: AbortSignal;
}

/** Runs jobs until `signal` aborts; resolves once the workers are closed. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  if (o.out) process.env[WORKER_OUT_ENV] = resolve(o.out);
  const runs = new Worker<RunJobData, RunJobResult>(RUNS_QUEUE, resolve(__dirname, 'queue-processor.js'), {
    connection: connection(o.url), concurrency: o.concurrency, ...LOCKS, useWorkerThreads: false,
  });
  const sweeps = new Worker<SweepJobData, string>(SWEEPS_QUEUE, (job) => processSweep(job), { connection: connection(o.url), ...LOCKS });
  runs.on('completed', (job) => o.log(`run ${job.data.policy}/${job.data.seed} done`));
  runs.on('failed', (job, err) => o.log(`run ${job?.data.policy}/${job?.data.seed} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}`));
  sweeps.on('completed', (job) => o.log(`sweep ${job.id} aggregated`));
  sweeps.on('failed', (job, err) => o.log(`sweep ${job?.id} failed: ${err.message}`));
  for (const w of [runs, sweeps]) w.on('error', (err) => o.log(`worker error: ${err.message}`));
  o.log(`levsim worker: ${o.concurrency} run(s) at a time from ${o.url}${o.out ? `, detail files into ${resolve(o.out)}` : ', no detail files (--out DIR keeps them)'}`);
  await new Promise<void>((res) => (o.signal.aborted ? res() : o.signal.addEventListener('abort', () => res(), { once: true })));
  await Promise.all([runs.close(), sweeps.close()]);
}
