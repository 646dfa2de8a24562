import { performance } from 'perf_hooks';
import { createSimulation } from '../sim/run/world';
import { initPopulations, populationSpec } from '../sim/run/build';
import { STRATEGIES } from '../agents/registry';
import { TieredPolicy } from '../sim/exchange/policies/tiered';
import { PRESETS } from '../sim/exchange/policies/presets';
import { DEFAULT_EXCHANGE_PARAMS } from '../sim/exchange/params';
import type { AgentPopulation } from '../agents/population';
const N = Number(process.argv[2] ?? 100000), T = Number(process.argv[3] ?? 200);
const prices = [60000, 3000, 150];
const names = ['BTC', 'ETH', 'SOL'];
const market = (p: number, k: number) => ({
  startPrice: p, process: { kind: 'gbm' as const, mu: 0, sigma: 0.6 }, shocks: k === 1 ? [{ tick: Math.floor(T * 0.6), ret: -0.15, overTicks: 1 }] : [],
  liquidity: { depth: 400_000_000 / (k + 1), impact: 'sqrt' as const, elasticity: 0.5, referenceVol: 0.002, minDepthFraction: 0.2 },
  spillover: 0.3, premiumHalfLife: 30, volHalfLife: 30, warmupTicks: 10, funding: { intervalTicks: 480, interest: 0.0001, band: 0.0005, cap: 0.0075 },
});
const created: AgentPopulation[] = [];
const pops = [];
for (const mode of ['isolated', 'cross', 'portfolio'] as const) for (let a = 0; a < 3; a++) {
  pops.push({ ...populationSpec({ name: `${mode}-${a}`, count: Math.floor(N / 9), strategy: STRATEGIES.noise!, collateral: { dist: 'pareto', min: 300, alpha: 1.8 } as never,
    leverage: { dist: 'lognormal', median: 12, sigma: 0.5 } as never, reserve: 0, longBias: 0.75, activity: 1, startOpen: 0.8, params: { entryProb: 0.01, exitProb: 0.0025 }, behaviours: {} }, 60, created), marginMode: mode, asset: a });
}
const t0 = performance.now();
const w = createSimulation({
  seed: 3, ticks: T, tickSeconds: 60, market: market(60000, 0), policy: new TieredPolicy('b', PRESETS['binance-btcusdt']!.tiers),
  exchange: { ...DEFAULT_EXCHANGE_PARAMS, insuranceFund: 50_000_000 }, populations: pops,
  assets: names.map((name, k) => ({ name, market: market(prices[k]!, k), policy: new TieredPolicy(name, PRESETS['binance-btcusdt']!.tiers) })),
  correlation: [[1, 0.8, 0.7], [0.8, 1, 0.75], [0.7, 0.75, 1]],
  margin: { scan: [0.08, 0.1, 0.15].map((range) => ({ kind: 'fixed' as const, range })), initialFactor: 1.5 },
});
initPopulations(w, created);
const t1 = performance.now();
let liq = 0;
w.bus.tick$.subscribe((t) => { liq += t.liquidations; });
w.simulation.run().subscribe({ error: (e: unknown) => console.error(e) });
const t2 = performance.now();
console.log(JSON.stringify({ N, T, setupMs: t1 - t0, msPerTick: (t2 - t1) / T, accountTicksPerSec: (N * T) / ((t2 - t1) / 1000), liq }));
