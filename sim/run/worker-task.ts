/**
 * One run of a comparison or an optimisation, inside a pool worker. The worker loads the scenario
 * itself (once, then cached), so a task is only a few strings and numbers (and an optimisation
 * candidate's policy entry), and returns nothing but "done": results go to disk, which keeps memory
 * flat however many runs there are.
 */
import { comparePlan, runJob, type RunJob } from './compare';
import { loadScenario, type LoadedScenario } from '../scenario/loader';

/** What the main thread sends for one run. */
export interface RunTask {
  file: string;
  sets: string[];
  ticks?: number;
  seed?: number;
  job: RunJob;
}

const cache = new Map<string, Promise<LoadedScenario>>();

/** Runs one job (of the plan, or carrying its own policy entry); resolves once its folder is complete. */
export async function runTask(t: RunTask): Promise<{ policy: string; seed: number }> {
  const key = JSON.stringify([t.file, t.sets, t.ticks, t.seed]);
  let s = cache.get(key);
  if (!s) {
    s = loadScenario(t.file, { sets: t.sets, ticks: t.ticks, seed: t.seed });
    cache.set(key, s);
  }
  const loaded = await s;
  runJob(loaded, comparePlan(loaded), t.job);
  return { policy: t.job.policy, seed: t.job.seed };
}
