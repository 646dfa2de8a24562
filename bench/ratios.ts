/**
 * The two ratios kept as budgets (absolute times drift between machines; ratios measured on one
 * machine in one process do not): levsim over the newcomer baseline on the same workload, and the
 * full tick's cost per agent over the bare maintenance-scan kernel's.
 */
import { performance } from 'perf_hooks';
import { loadScenario } from '../sim/scenario/loader';
import { runScenario } from '../sim/run/run-scenario';
import { runBaseline } from './baseline';
import { benchFullTick } from './fulltick';
import { benchScan } from './kernels';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

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
}

/** Measures both ratios at `agents` agents for `ticks` ticks. */
export async function measureRatios(agents: number, ticks: number): Promise<Ratios> {
  const s = await loadScenario('bench/noise-crowd.yaml', { sets: [`agents[0].count=${agents}`, `ticks=${ticks}`, `market.shocks[0].tick=${Math.floor(ticks * 0.6)}`] });
  runScenario(s, { outDir: mkdtempSync(join(tmpdir(), 'levsim-ratio-')) }); // warm-up
  const t0 = performance.now();
  runScenario(s, { outDir: mkdtempSync(join(tmpdir(), 'levsim-ratio-')) });
  const levsim = (agents * ticks) / ((performance.now() - t0) / 1000);
  runBaseline(Math.min(agents, 20_000), 20); // warm-up
  const baseline = runBaseline(agents, ticks).agentTicksPerSecond;
  await benchFullTick(0.01, 50); // warm-up
  const full = await benchFullTick(agents / 1_000_000, ticks);
  benchScan(agents); // warm-up
  const scan = benchScan(agents);
  const fullNs = 1e9 / full.agentTicksPerSecond, kernelNs = 1e9 / scan.checksPerSecond;
  return {
    agents, ticks, levsimAgentTicksPerSecond: levsim, baselineAgentTicksPerSecond: baseline, levsimOverBaseline: levsim / baseline,
    fullTickNsPerAgent: fullNs, kernelNsPerCheck: kernelNs, fullTickOverKernel: fullNs / kernelNs,
  };
}
