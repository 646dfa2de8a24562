/**
 * levsim benchmarks. Prints each figure and writes them all to out/bench.json.
 *
 *   npm run bench                 # kernels at 10^5 and 10^6
 *   npm run bench -- --sizes 1e5,1e6,1e7
 */
import { mkdirSync, writeFileSync, renameSync } from 'fs';
import { cpus } from 'os';
import { benchRound, benchScan } from './kernels';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sizes = arg('sizes', '1e5,1e6').split(',').map(Number);
const k = Number(arg('k', '1000'));
const fmt = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d });

const scans = [];
const rounds = [];
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, node ${process.version}`);
// Warm-up: the first calls of a kernel run in V8's baseline tiers and measured ~40% slow.
benchScan(100_000, true);
benchScan(100_000, false);
benchRound(100_000, k);
console.log('\nmaintenance-margin scan (one pass over all positions)');
for (const n of sizes) {
  for (const tiered of [true, false]) {
    const f = benchScan(n, tiered);
    scans.push({ ...f, policy: tiered ? 'binance-btcusdt' : 'fixed-50x' });
    console.log(`  N=${fmt(n, 0).padStart(10)} ${tiered ? 'tiered' : 'fixed '}  ${fmt(f.checksPerSecond / 1e6).padStart(6)} M checks/s  ${fmt(f.msPerScan, 2)} ms/scan`);
  }
}
console.log(`\none cascade round liquidating k=${k} accounts`);
for (const n of sizes) {
  const f = benchRound(n, k);
  rounds.push(f);
  console.log(`  N=${fmt(n, 0).padStart(10)}  index ${fmt(f.msPerRoundIndex, 2).padStart(7)} ms/round   rescan ${fmt(f.msPerRoundRescan, 2).padStart(7)} ms/round   (${f.liquidated} liquidated)`);
}
mkdirSync('out', { recursive: true });
const file = 'out/bench.json';
writeFileSync(`${file}.tmp`, JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, kernels: { scans, rounds } }, null, 2) + '\n');
renameSync(`${file}.tmp`, file);
console.log(`\nwrote ${file}`);
