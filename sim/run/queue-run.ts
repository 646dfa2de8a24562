/**
 * One run of a queued sweep, in a worker's sandboxed child process: the job's bundle is written to
 * a folder of this machine, the scenario loaded from there and checked against the bundle, and the
 * run made. Its summary.json and manifest.json go back through Redis; the detail files are kept only
 * when the worker was started with `--out DIR` (into `DIR/runs/<policy>/<seed>/`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { UnrecoverableError } from 'bullmq';
import { BadInputError } from '../scenario/errors';
import { loadScenario, type LoadedScenario } from '../scenario/loader';
import { materialize, versionMismatch, type JobBundle } from './bundle';
import { comparePlan, runJob } from './compare';
import { clearPartial } from './pool';
import type { RunJobData, RunJobResult } from './queue-config';

/** The environment variable through which the worker tells its sandboxed children its `--out` folder. */
export const WORKER_OUT_ENV = 'LEVSIM_WORKER_OUT';

const loaded = new Map<string, Promise<LoadedScenario>>();

/**
 * The bundle's scenario, loaded on this machine (once per bundle and process). A bundle made by
 * another levsim or Node major version, or whose files do not hash to its hash, or that does not
 * load here, fails its job at once, without retries, with the reason.
 */
export async function loadBundle(bundle: JobBundle): Promise<LoadedScenario> {
  const why = versionMismatch(bundle);
  if (why) throw new UnrecoverableError(why);
  const key = JSON.stringify([bundle.hash, bundle.sets]);
  let s = loaded.get(key);
  if (!s) {
    s = loadScenario(materialize(bundle), { sets: bundle.sets });
    loaded.set(key, s);
  }
  let scenario: LoadedScenario;
  try {
    scenario = await s;
  } catch (e) {
    loaded.delete(key);
    if (e instanceof BadInputError) throw new UnrecoverableError(`the job's scenario does not load on this worker: ${e.message}`);
    throw e;
  }
  if (scenario.sha256 !== bundle.hash) throw new UnrecoverableError(`the job's files hash to ${scenario.sha256} on this worker, not to the job's hash ${bundle.hash}`);
  return scenario;
}

/** Processes one run job (BullMQ's sandboxed processor): returns the run's summary.json and manifest.json. */
export async function processRun(job: { data: RunJobData }): Promise<RunJobResult> {
  const { bundle, policy, seed } = job.data;
  const s = await loadBundle(bundle);
  const shared = process.env[WORKER_OUT_ENV];
  const outDir = shared ? join(shared, 'runs', policy, String(seed)) : mkdtempSync(join(tmpdir(), 'levsim-run-'));
  try {
    if (shared) clearPartial(outDir);
    runJob(s, comparePlan(s)!, { policy, seed, outDir });
    const read = (f: string) => readFileSync(join(outDir, f), 'utf8');
    return { policy, seed, summary: read('summary.json'), manifest: read('manifest.json'), ...(shared ? { details: shared } : {}) };
  } finally {
    if (!shared) rmSync(outDir, { recursive: true, force: true });
  }
}
