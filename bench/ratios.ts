/**
 * The ratios kept as budgets (absolute times drift between machines; ratios measured on one
 * machine in one process do not): levsim over the newcomer baseline on the same workload, the
 * full tick's cost per agent over the bare maintenance-scan kernel's, and, where agents trade every
 * tick, levsim over the per-order baseline (bench/active-baseline.ts) on one bench-active run.
 */
import { performance } from 'perf_hooks';
import { loadScenario } from '../sim/scenario/loader';
import { runScenario } from '../sim/run/run-scenario';
import { runBaseline } from './baseline';
import { runActiveBaseline } from './active-baseline';
import { comparePlan, planJobs, runJob } from '../sim/run/compare';
import { benchFullTick } from './fulltick';
import { benchScan } from './kernels';
import { join } from 'path';
import { inTempDir } from './timing';

/** Measured ratios. */
export interface Ratios {
  agents: number;
  ticks: number;
  levsimAgentTicksPerSecond: number;
  baselineAgentTicksPerSecond: number;
  /** levsim ÷ baseline agent-ticks per second (higher is better). */
  levsimOverBaseline: number;
  fullTickNsPerAgent: number;
  kernelNsPerCheck: number;
  /** Full tick ns per agent ÷ kernel ns per check (lower is better). */
  fullTickOverKernel: number;
  activeTicks: number;
  levsimActiveAgentTicksPerSecond: number;
  activeBaselineAgentTicksPerSecond: number;
  /** levsim ÷ the per-order baseline, agent-ticks per second on bench-active's fixed-20x run (higher is better). */
  activeOverBaseline: number;
}

/** Agent-ticks per second of one bench-active run (its first seed, fixed-20x) of `ticks` ticks, in this thread. */
async function levsimActive(ticks: number): Promise<number> {
  const s = await loadScenario('scenarios/bench-active.yaml', { sets: ['runs.seeds=1', `ticks=${ticks}`] });
  const plan = comparePlan(s)!;
  return inTempDir('levsim-ratio-active-', (dir) => {
    const job = planJobs(plan, dir).find((j) => j.policy === 'fixed-20x')!;
    runJob(s, plan, job); // warm-up
    const t0 = performance.now();
    runJob(s, plan, { ...job, outDir: join(dir, 'timed') });
    return (2000 * ticks) / ((performance.now() - t0) / 1000);
  });
}

/** Measures the ratios at `agents` agents for `ticks` ticks, and bench-active's over `activeTicks` ticks. */
export async function measureRatios(agents: number, ticks: number, activeTicks: number): Promise<Ratios> {
  const s = await loadScenario('bench/noise-crowd.yaml', { sets: [`agents[0].count=${agents}`, `ticks=${ticks}`, `market.shocks[0].tick=${Math.floor(ticks * 0.6)}`] });
  const levsim = inTempDir('levsim-ratio-', (dir) => {
    runScenario(s, { outDir: join(dir, 'warm-up') });
    const t0 = performance.now();
    runScenario(s, { outDir: join(dir, 'timed') });
    return (agents * ticks) / ((performance.now() - t0) / 1000);
  });
  runBaseline(Math.min(agents, 20_000), 20); // warm-up
  const baseline = runBaseline(agents, ticks).agentTicksPerSecond;
  await benchFullTick(0.01, 50); // warm-up
  const full = await benchFullTick(agents / 1_000_000, ticks);
  benchScan(agents); // warm-up
  const scan = benchScan(agents);
  const fullNs = 1e9 / full.agentTicksPerSecond, kernelNs = 1e9 / scan.checksPerSecond;
  const active = await levsimActive(activeTicks);
  runActiveBaseline(1000, 100); // warm-up
  const activeBaseline = runActiveBaseline(1000, activeTicks).agentTicksPerSecond;
  return {
    activeTicks, levsimActiveAgentTicksPerSecond: active, activeBaselineAgentTicksPerSecond: activeBaseline, activeOverBaseline: active / activeBaseline,
    agents, ticks, levsimAgentTicksPerSecond: levsim, baselineAgentTicksPerSecond: baseline, levsimOverBaseline: levsim / baseline,
    fullTickNsPerAgent: fullNs, kernelNsPerCheck: kernelNs, fullTickOverKernel: fullNs / kernelNs,
  };
}
