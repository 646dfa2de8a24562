/**
 * levsim benchmarks. Prints each figure and writes them all to out/bench.json.
 *
 *   npm run bench                              # every section (about 10 minutes)
 *   npm run bench -- --only kernels,report     # some sections: kernels, fulltick, 3assets, mc, active, speedup, baseline, report
 *   npm run bench -- --sizes 1e5,1e6,1e7       # kernel sizes
 *   npm run bench -- --only fulltick --scale 0.1   # bench-1m at 100,000 agents
 *   npm run bench -- --only fulltick --scale 10 --ticks 50   # 10^7 agents
 *   npm run bench -- --only mc --seeds 10          # bench-mc with 10 seeds, on 1 and 2 workers
 *   npm run bench -- --only active --seeds 10      # bench-active with 10 seeds, on 1 and 2 workers
 */
import { mkdirSync, renameSync, writeFileSync } from 'fs';
import { availableParallelism, cpus, totalmem } from 'os';
import { benchRound, benchScan } from './kernels';
import { benchReport } from './report';
import { execFileSync } from 'child_process';
import type { FullTickFigure } from './fulltick';
import { benchMc } from './mc';
import { benchActive } from './active';
import { speedup, type ProcessFigure, type Speedup } from './whole-process';
import { measureRatios } from './ratios';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d });
const workersText = (n: number) => `${n} worker${n > 1 ? 's' : ''}`;

/** Prints the 2-worker process's speed-up over the 1-worker one, with its CPU ceiling (whole-process.ts); returns them. */
function printSpeedup(one: ProcessFigure, two: ProcessFigure): Speedup {
  const s = speedup(one, two);
  console.log(`  2 workers against 1: ×${fmt(s.speedup, 2)} whole process, ×${fmt(s.runsPhaseSpeedup, 2)} over the runs phase (reported, not gated); ceiling from the CPU the 2-worker process used on ${availableParallelism()} cores: ×${fmt(s.ceiling, 2)} (the 1-worker process already used ${fmt(s.oneWorkerCores, 2)} cores)`);
  return s;
}

/** Section name → runner; each returns the figures it measured. */
const SECTIONS: Record<string, () => Promise<unknown>> = {
  async kernels() {
    const sizes = arg('sizes', '1e5,1e6,1e7').split(',').map(Number);
    const k = Number(arg('k', '1000'));
    // Warm-up: the first calls of a kernel run in V8's baseline tiers and measured ~40% slow.
    benchScan(100_000, true);
    benchScan(100_000, false);
    benchRound(100_000, k);
    const scans = [], rounds = [];
    console.log('\nmaintenance-margin scan (one pass over all positions)');
    for (const n of sizes) {
      for (const tiered of [true, false]) {
        const f = benchScan(n, tiered);
        scans.push({ ...f, policy: tiered ? 'binance-btcusdt' : 'fixed-50x' });
        console.log(`  N=${fmt(n, 0).padStart(12)} ${tiered ? 'tiered' : 'fixed '}  ${fmt(f.checksPerSecond / 1e6).padStart(6)} M checks/s  ${fmt(f.msPerScan, 2)} ms/scan`);
      }
    }
    console.log(`\none cascade round liquidating k=${k} accounts`);
    for (const n of sizes) {
      const f = benchRound(n, k);
      rounds.push(f);
      console.log(`  N=${fmt(n, 0).padStart(12)}  index ${fmt(f.msPerRoundIndex, 2).padStart(7)} ms/round   rescan ${fmt(f.msPerRoundRescan, 2).padStart(7)} ms/round   (${f.liquidated} liquidated)`);
    }
    return { scans, rounds };
  },
  async fulltick() {
    return fullTickSection('scenarios/bench-1m.yaml', 'agents');
  },
  async '3assets'() {
    return fullTickSection('scenarios/bench-3assets.yaml', 'accounts');
  },
  async mc() {
    // On 1 and on 2 workers (the pool's size otherwise), whole process: the ratio is reported, not gated.
    const seeds = Number(arg('seeds', '100'));
    const one = benchMc(seeds, 1), two = benchMc(seeds, 2);
    for (const f of [one, two]) {
      console.log(`\nmany small runs, bench-mc.yaml: ${f.runs} runs, ${fmt(f.agentTicks / 1e9, 2)}e9 agent-ticks on ${workersText(f.workers)} in ${fmt(f.seconds, 1)} s (runs phase ${fmt(f.runsPhaseSeconds, 1)} s, CPU ${fmt(f.cpuSeconds, 1)} s): ${fmt(f.agentTicksPerSecond / 1e6)} M agent-ticks/s (whole process)`);
    }
    return { oneWorker: one, twoWorkers: two, ...printSpeedup(one, two) };
  },
  async active() {
    const seeds = Number(arg('seeds', '100'));
    const one = benchActive(seeds, 1), two = benchActive(seeds, 2);
    for (const f of [one, two]) {
      console.log(`\nagents trading every tick, bench-active.yaml: ${f.runs} runs on ${workersText(f.workers)} in ${fmt(f.seconds, 1)} s (runs phase ${fmt(f.runsPhaseSeconds, 1)} s, CPU ${fmt(f.cpuSeconds, 1)} s), whole process: ${fmt(f.executedOrders / 1e6, 1)} M executed orders, ${fmt(f.ordersPerSecond / 1e6, 2)} M orders/s, ${fmt(f.agentTicksPerSecond / 1e6)} M agent-ticks/s`);
    }
    return { oneWorker: one, twoWorkers: two, ...printSpeedup(one, two) };
  },
  async speedup() {
    // 8 runs (2 policies × 4 seeds of bench-mc) on 1 and on 2 workers, whole process, at two run
    // sizes: with short runs, start-up and each worker's JIT warm-up weigh on the speed-up.
    const out: Record<string, unknown> = {};
    for (const scale of [1, 5]) {
      benchMc(4, 1, 7200, scale); // fills the workers' compile cache and the page cache
      const one = benchMc(4, 1, 7200, scale), two = benchMc(4, 2, 7200, scale);
      console.log(`\nspeed-up for 8 runs of ${fmt(2000 * scale, 0)} agents × 7,200 ticks: 1 worker ${fmt(one.seconds, 1)} s (CPU ${fmt(one.cpuSeconds, 1)} s), 2 workers ${fmt(two.seconds, 1)} s (CPU ${fmt(two.cpuSeconds, 1)} s); runs phase ${fmt(one.runsPhaseSeconds, 1)} s → ${fmt(two.runsPhaseSeconds, 1)} s`);
      out[`agents${2000 * scale}`] = { oneWorker: one, twoWorkers: two, ...printSpeedup(one, two) };
    }
    return out;
  },
  async baseline() {
    const r = await measureRatios(Number(arg('baseline-agents', '100000')), 300, 7200);
    console.log(`\nbaseline (noise crowd, ${fmt(r.agents, 0)} agents × ${r.ticks} ticks): levsim ${fmt(r.levsimAgentTicksPerSecond / 1e6)} M agent-ticks/s, newcomer ${fmt(r.baselineAgentTicksPerSecond / 1e6)} M: ×${fmt(r.levsimOverBaseline, 1)}; full tick ${fmt(r.fullTickNsPerAgent, 1)} ns/agent = ×${fmt(r.fullTickOverKernel, 1)} the bare scan kernel (${fmt(r.kernelNsPerCheck, 2)} ns/check)`);
    console.log(`per-order baseline (bench-active, fixed-20x, 2,000 agents × ${fmt(r.activeTicks, 0)} ticks, one thread): levsim ${fmt(r.levsimActiveAgentTicksPerSecond / 1e6)} M agent-ticks/s, baseline ${fmt(r.activeBaselineAgentTicksPerSecond / 1e6)} M: ×${fmt(r.activeOverBaseline, 2)}`);
    return r;
  },
  async report() {
    const f = await benchReport();
    console.log(`\nreport of a ${fmt(f.ticks, 0)}-tick run: ${fmt(f.bytes / 1024 / 1024, 2)} MB, renders in ${fmt(f.renderMs, 0)} ms in headless Chromium (median of 3)`);
    return f;
  },
};

/** Runs bench/fulltick.ts on `file` in a process of its own (its peak RSS, VmHWM, is its own: other sections' peaks must not count) and prints its figure. */
function fullTickSection(file: string, unit: string): FullTickFigure {
  const args = ['--expose-gc', 'bin/run-ts.js', 'bench/fulltick.ts', arg('scale', '1'), arg('ticks', ''), file];
  const f = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').pop()!) as FullTickFigure;
  console.log(`\nfull tick, ${f.scenario}.yaml: ${fmt(f.agents, 0)} ${unit} × ${f.ticks} ticks in ${fmt(f.seconds, 1)} s: ${fmt(f.agentTicksPerSecond / 1e6)} M ${unit.slice(0, -1)}-ticks/s, ${fmt(f.positionTicksPerSecond / 1e6)} M position-ticks/s, ${fmt(f.msPerTick, 1)} ms/tick, peak RSS ${fmt(f.peakRssMB, 0)} MB, ${fmt(f.bytesPerAgent, 0)} bytes/${unit.slice(0, -1)} at peak; after a forced GC ${fmt(f.bytesPerAgentSetupGc, 0)} at the end of set-up, ${fmt(f.bytesPerAgentEndGc, 0)} at the end of the run`);
  return f;
}

async function mainBench(): Promise<void> {
  const only = arg('only', Object.keys(SECTIONS).join(',')).split(',');
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB, node ${process.version}`);
  const results: Record<string, unknown> = {};
  for (const name of only) {
    const run = SECTIONS[name];
    if (!run) throw new Error(`unknown bench section '${name}'; sections: ${Object.keys(SECTIONS).join(', ')}`);
    results[name] = await run();
  }
  mkdirSync('out', { recursive: true });
  const file = 'out/bench.json';
  writeFileSync(`${file}.tmp`, JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, ...results }, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
  console.log(`\nwrote ${file}`);
}

mainBench().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
