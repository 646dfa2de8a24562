/**
 * levsim benchmarks. Prints each figure and writes them all to out/bench.json.
 *
 *   npm run bench                              # every section
 *   npm run bench -- --only kernels,report     # some sections
 *   npm run bench -- --sizes 1e5,1e6,1e7       # kernel sizes
 */
import { mkdirSync, renameSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { benchRound, benchScan } from './kernels';
import { benchReport } from './report';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d });

/** Section name → runner; each returns the figures it measured. */
const SECTIONS: Record<string, () => Promise<unknown>> = {
  async kernels() {
    const sizes = arg('sizes', '1e5,1e6').split(',').map(Number);
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
  async report() {
    const f = await benchReport();
    console.log(`\nreport of a ${fmt(f.ticks, 0)}-tick run: ${fmt(f.bytes / 1024 / 1024, 2)} MB, renders in ${fmt(f.renderMs, 0)} ms in headless Chromium (median of 3)`);
    return f;
  },
};

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
