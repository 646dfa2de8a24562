/**
 * What the submitter and the workers of a queued sweep agree on: the Redis URL, the queue names,
 * the jobs' data, their retry policy and the worker's lock settings.
 */
import type { Redis as RedisClient } from 'ioredis';
import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';
import { BadInputError } from '../scenario/errors';
import type { JobBundle } from './bundle';

/** The queue of run jobs (one per policy and seed). */
export const RUNS_QUEUE = 'levsim-runs';
/** The queue of sweep jobs: each the parent of its runs, aggregating them into compare.json. */
export const SWEEPS_QUEUE = 'levsim-sweeps';

/** A run job's data. */
export interface RunJobData {
  bundle: JobBundle;
  policy: string;
  seed: number;
}

/** A run job's result: the run's summary.json and manifest.json, as written. */
export interface RunJobResult {
  policy: string;
  seed: number;
  summary: string;
  manifest: string;
  /** The worker's `--out` folder, when it wrote the run's detail files there. */
  details?: string;
}

/** A sweep (parent) job's data: the bundle, and the runs finished before this submission (not children). */
export interface SweepJobData {
  bundle: JobBundle;
  reused: RunJobResult[];
}

/**
 * Retries: a run that fails is retried twice, after 1 s then 2 s, and then fails the sweep with its
 * error. Finished jobs stay in Redis, so that a resubmitted sweep reuses them (remove them with
 * Redis's FLUSHDB, or BullMQ's `Queue.obliterate`, once a study is done).
 */
export const JOB_OPTIONS: DefaultJobOptions = { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: false, removeOnFail: false };

/**
 * The worker's lock settings: a job's lock lasts 10 s and is renewed every 5 s by the worker's main
 * process (runs execute in sandboxed child processes, so a long run never blocks the renewal); a
 * worker that dies stops renewing, and within 10 s + 5 s another worker's stalled-job check puts
 * its jobs back in the queue. A job may stall 5 times before it fails.
 */
export const LOCKS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 5 } as const;

/** Checks `--queue`: a redis:// or rediss:// URL. */
export function queueUrl(url: string): string {
  // The shape first, then the URL parser: a port past 65535 or a space in the host has the shape.
  if (!/^rediss?:\/\/[^/]+(\/\d+)?$/.test(url) || !URL.canParse(url)) throw BadInputError.of('--queue', `found ${JSON.stringify(url)}; allowed: redis://host:port/db (or rediss:// for TLS)`);
  return url;
}

/** BullMQ's connection to `url` (blocking commands wait without a retry limit, as BullMQ requires). */
export function connection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

/** Fails with bad input (exit 2) naming `--queue` when Redis does not answer at `url`. */
export async function checkRedis(url: string): Promise<void> {
  // Loaded here, not with this module: the command reads `--queue`'s parser from this module at
  // start, and ioredis with BullMQ took ~0.2 s of every command's start-up.
  const { Redis } = require('ioredis') as { Redis: typeof RedisClient };
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  r.on('error', () => undefined); // reported below, once
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    throw BadInputError.of('--queue', `cannot reach Redis at ${url} (${e instanceof Error ? e.message : String(e)}); allowed: the URL of a running Redis server`);
  } finally {
    r.disconnect();
  }
}
