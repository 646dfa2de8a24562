/**
 * Full-tick benchmark: scenarios/bench-1m.yaml (1,000,000 agents in a mix of strategies, a tiered
 * policy, a shock that cascades, 1,000 ticks), or another scenario such as bench-3assets.yaml (a
 * million accounts over three assets and three margin modes), run in this process. Reports
 * agent-ticks (account-ticks) and position-ticks per second, ms per tick, peak RSS and bytes per
 * agent (RSS growth over the run's set-up and run, per agent). `scale` shrinks every population
 * (0.1 = 100,000 agents) for a quick run.
 */
import { performance } from 'perf_hooks';
import { loadScenario } from '../sim/scenario/loader';
import { runScenario } from '../sim/run/run-scenario';
import { inTempDir, peakRssBytes, settle } from './timing';

/** Figures of one full-tick run. */
export interface FullTickFigure {
  scenario: string; agents: number; ticks: number; seconds: number; agentTicksPerSecond: number; msPerTick: number; peakRssMB: number;
  /** Open positions per second of run, summed over the markets (a position-tick is one position held through one tick). */
  positionTicksPerSecond: number;
  /** Peak RSS growth over set-up and run, per agent (garbage V8 has not collected yet included). */
  bytesPerAgent: number;
  /** RSS growth per agent after a forced GC, at the end of set-up (after tick 0) and at the end of the run (after its last tick): the data's footprint. */
  bytesPerAgentSetupGc: number;
  bytesPerAgentEndGc: number;
}

/**
 * Allocates ~80 MB of short-lived arrays, so that scavenges write V8's young generation (two
 * semispaces, 32 MB resident once grown) through. Why, before the baseline reading: the young
 * generation is resident only as far as allocation has reached, and how far start-up had taken it
 * (the transpile cache's state, which modules loaded) moved the baseline by up to 8 MB; set-up
 * always fills it. Read filled, the baseline holds that cost, which is the process's and the same
 * at any agent count, instead of the figures taking it as the agents' in some processes (104 or 112
 * bytes an agent at set-up, 140 or 150 at the end, for the same code and flags).
 */
function fillYoungGeneration(): void {
  const ring: number[][] = new Array(1024);
  // Kept in a ring, every array escapes (the compiler cannot drop the allocation) and dies within 1,024 more.
  for (let k = 0; k < 1 << 20; k++) ring[k & 1023] = [k, k, k, k];
}

/** Runs `file` (bench-1m.yaml by default) scaled by `scale` and `ticks`. */
export async function benchFullTick(scale = 1, ticks?: number, file = 'scenarios/bench-1m.yaml'): Promise<FullTickFigure> {
  const base = await loadScenario(file);
  const sets = base.config.agents.map((a, k) => `agents[${k}].count=${Math.max(1, Math.round(a.count * scale))}`);
  // A shortened run keeps its proportions: the shock at 60% of it, the warm-up within its first 5%.
  if (ticks !== undefined) sets.push(`ticks=${ticks}`, `market.shocks[0].tick=${Math.floor(ticks * 0.6)}`, `market.warmupTicks=${Math.min(base.config.market.warmupTicks, Math.floor(ticks * 0.05))}`);
  const s = await loadScenario(file, { sets });
  const agents = s.config.agents.reduce((n, a) => n + a.count, 0);
  fillYoungGeneration();
  settle();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  // Forced collections are timed out: they are a measurement, not part of the run's work.
  let rssSetup = NaN, rssEnd = NaN, gcMs = 0;
  const collected = () => {
    const g0 = performance.now();
    settle();
    gcMs += performance.now() - g0;
    return process.memoryUsage().rss;
  };
  // Both readings inside the run, the world alive: read after runScenario returned, the end figure
  // raced V8 freeing the finished world's buffers on its own threads (175 and 136 bytes an agent
  // for one state, read 100 ms apart).
  // The clock stops inside: removing the output folder is not the run's work.
  const { r, ms } = inTempDir('levsim-bench-', (outDir) => {
    const run = runScenario(s, {
      outDir,
      onProgress: (done, total) => {
        if (done === 1) rssSetup = collected();
        if (done === total) rssEnd = collected();
      },
    });
    return { r: run, ms: performance.now() - t0 - gcMs };
  });
  const peak = peakRssBytes();
  const positionTicks = r.cols.get('positions').reduce((n, x) => n + x, 0);
  return {
    scenario: s.config.name, positionTicksPerSecond: positionTicks / (ms / 1000),
    agents, ticks: s.config.ticks, seconds: ms / 1000, agentTicksPerSecond: (agents * s.config.ticks) / (ms / 1000),
    msPerTick: ms / s.config.ticks, peakRssMB: peak / 1024 / 1024, bytesPerAgent: (peak - rss0) / agents,
    bytesPerAgentSetupGc: (rssSetup - rss0) / agents, bytesPerAgentEndGc: (rssEnd - rss0) / agents,
  };
}

// Run as a program (`node bin/run-ts.js bench/fulltick.ts SCALE [TICKS] [FILE]`), it prints its
// figure as JSON: `npm run bench` measures it in a process of its own, since peak RSS is per process.
if (process.argv[1] === __filename) {
  const [scale, ticks, file] = process.argv.slice(2);
  benchFullTick(Number(scale ?? 1), ticks ? Number(ticks) : undefined, file || undefined).then((f) => console.log(JSON.stringify(f)));
}
