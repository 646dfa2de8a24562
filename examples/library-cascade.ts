/**
 * The library in use: a tiered policy, a small scripted crowd of leveraged longs, a scheduled
 * −8% shock, and every cascade printed as it happens.
 *
 *   node bin/run-ts.js examples/library-cascade.ts
 */
import {
  createSimulation, TieredPolicy, PRESETS, DEFAULT_EXCHANGE_PARAMS, scripted, cascadeEpisodes, type ScriptedAgent,
} from '../sim';

// 400 traders: 3 in 4 long, leverage 5x–50x, 1,000–10,000 of collateral each, entering over 40 ticks.
const crowd: ScriptedAgent[] = Array.from({ length: 400 }, (_, k) => ({
  side: k % 4 === 0 ? -1 : 1,
  leverage: 5 + (k * 7) % 46,
  collateral: 1_000 + ((k * 13) % 10) * 1_000,
  openTick: k % 40,
}));

const { simulation, bus } = createSimulation({
  seed: 42,
  ticks: 120,
  tickSeconds: 60,
  market: {
    startPrice: 60_000,
    process: { kind: 'gbm', mu: 0, sigma: 0.6 }, // annualised
    shocks: [{ tick: 60, ret: -0.08 }],
    liquidity: { depth: 20_000_000, impact: 'sqrt', elasticity: 0.5, referenceVol: 0.001, minDepthFraction: 0.2 },
    spillover: 0.3,
    premiumHalfLife: 10,
    volHalfLife: 20,
    funding: { intervalTicks: 480, interest: 0.0001, band: 0.0005, cap: 0.0075 },
  },
  exchange: DEFAULT_EXCHANGE_PARAMS,
  policy: new TieredPolicy('binance-btcusdt', PRESETS['binance-btcusdt']!.tiers),
  populations: [scripted('crowd', crowd)],
});

bus.cascade$.subscribe((c) => {
  console.log(
    `tick ${c.tick}: ${c.rounds} rounds, ${c.accounts} accounts, ` +
      `${(c.longNotional / 1e6).toFixed(2)}M long + ${(c.shortNotional / 1e6).toFixed(2)}M short liquidated, ` +
      `mark ${c.markOpen.toFixed(0)} → ${c.markAfter.toFixed(0)}`,
  );
});
bus.cascade$.pipe(cascadeEpisodes()).subscribe((e) => {
  console.log(`episode ticks ${e.startTick}–${e.endTick}: amplification ${e.amplification?.toFixed(2) ?? 'n/a'}`);
});

let worstResidual = 0;
simulation.run().subscribe((s) => (worstResidual = Math.max(worstResidual, s.relativeResidual)));
console.log(`largest relative ledger residual: ${worstResidual.toExponential(1)}`);
