/**
 * The parent job of a queued sweep: once every run job is done, it aggregates their summaries (and
 * those of the runs an earlier submission finished) into compare.json, with the same code and
 * order as a local sweep, so the bytes are the same.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aggregate, comparePlan, planJobs } from './compare';
import { loadBundle } from './queue-run';
import { stableJson } from './run-scenario';
import type { RunJobResult, SweepJobData } from './queue-config';

/** Processes a sweep job: compare.json's text, from its children's results and the reused runs. */
export async function processSweep(job: { data: SweepJobData; getChildrenValues(): Promise<Record<string, RunJobResult>> }): Promise<string> {
  const s = await loadBundle(job.data.bundle);
  const plan = comparePlan(s)!;
  const results = [...job.data.reused, ...Object.values(await job.getChildrenValues())];
  const dir = mkdtempSync(join(tmpdir(), 'levsim-sweep-'));
  try {
    const have = new Set(results.map((r) => `${r.policy}/${r.seed}`));
    const missing = planJobs(plan, dir).filter((j) => !have.has(`${j.policy}/${j.seed}`));
    if (missing.length > 0) throw new Error(`the sweep lacks ${missing.length} run(s) (${missing.slice(0, 5).map((j) => `${j.policy}/${j.seed}`).join(', ')})`);
    for (const r of results) {
      const runDir = join(dir, 'runs', r.policy, String(r.seed));
      mkdirSync(runDir, { recursive: true });
      writeFileSync(join(runDir, 'summary.json'), r.summary);
    }
    return stableJson(aggregate(s, plan, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
