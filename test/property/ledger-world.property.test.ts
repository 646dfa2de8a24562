import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STRATEGIES } from '../../agents/registry';
import type { AgentPopulation } from '../../agents/population';
import { TICK_SUMMARY_FIELDS } from '../../sim/engine/events';
import { populationOutcomes } from '../../sim/metrics/populations';
import { initPopulations, populationSpec } from '../../sim/run/build';
import { buildPolicy } from '../../sim/run/policy-factory';
import { PolicySchema } from '../../sim/scenario/schema';
import { buildWorld } from '../helpers/world';
import nibble from '../../scenarios/liquidation/nibble';
import { sizeBalance } from '../helpers/size-balance';

/** Every policy kind, dynamic ones included, under every tightening mode. */
const policyArb = fc.record({
  kind: fc.constantFrom(
    { preset: 'binance-btcusdt' }, { type: 'fixed', maxLeverage: 25, mmr: 0.02 }, { type: 'vol-scaled', k: 2, halfLife: 5, maxStep: 0.5 },
    { type: 'open-interest', step: 2_000_000 }, { type: 'risk-score', halfLife: 5 }, { type: 'circuit-breaker', soft: 0.004, hard: 0.01, minDwell: 2 },
    { type: 'es-margin', window: 20, horizon: 5 }, { type: 'basel-ii', maxLeverage: 20, tau: 5, sigmaB: 0.002 },
    { type: 'circuit-breaker', soft: 0.004, hard: 0.01, minDwell: 2, base: { type: 'es-margin', window: 20, horizon: 5 } },
  ),
  onTighten: fc.constantFrom('grandfather' as const, 'reduce-only' as const, 'enforce' as const),
  graceTicks: fc.constantFrom(0, 5),
});

const behaviourArb = fc.record({
  topUp: fc.option(fc.record({ threshold: fc.double({ min: 0.3, max: 0.95, noNaN: true }), probability: fc.double({ min: 0, max: 1, noNaN: true }), amount: fc.double({ min: 0.05, max: 1, noNaN: true }) }), { nil: undefined }),
  stopLoss: fc.option(fc.double({ min: 0.1, max: 0.9, noNaN: true }), { nil: undefined }),
  takeProfit: fc.option(fc.double({ min: 0.1, max: 2, noNaN: true }), { nil: undefined }),
  deleverage: fc.option(fc.record({ buffer: fc.double({ min: 0, max: 0.5, noNaN: true }) }), { nil: undefined }),
  reentry: fc.option(fc.record({ cooldownTicks: fc.integer({ min: 0, max: 10 }), probability: fc.double({ min: 0, max: 1, noNaN: true }) }), { nil: undefined }),
});

const popArb = fc.record({
  // A one-asset world: the strategies that trade a single market.
  strategy: fc.constantFrom(...Object.keys(STRATEGIES).filter((s) => (STRATEGIES[s]!.minAssets ?? 1) <= 1)),
  count: fc.integer({ min: 1, max: 60 }),
  collateral: fc.double({ min: 100, max: 100_000, noNaN: true }),
  leverage: fc.double({ min: 3, max: 100, noNaN: true }),
  reserve: fc.double({ min: 0, max: 50_000, noNaN: true }),
  longBias: fc.double({ min: 0, max: 1, noNaN: true }),
  activity: fc.double({ min: 0.2, max: 1, noNaN: true }),
  startOpen: fc.double({ min: 0.3, max: 1, noNaN: true }),
  behaviours: behaviourArb,
});

const worldArb = fc.record({
  pops: fc.array(popArb, { minLength: 1, maxLength: 4 }),
  policy: policyArb,
  mode: fc.constantFrom('full' as const, 'partial' as const, 'fraction' as const, 'module' as const),
  partialTarget: fc.constantFrom('maintenance' as const, 'initial' as const),
  surplus: fc.constantFrom('trader' as const, 'insurance-fund' as const),
  deficit: fc.constantFrom('adl' as const, 'socialized' as const, 'none' as const),
  markPrice: fc.constantFrom('last' as const, 'index-anchored' as const),
  insuranceFund: fc.constantFrom(0, 20_000, 1_000_000),
  depth: fc.double({ min: 100_000, max: 20_000_000, noNaN: true }),
  impact: fc.constantFrom('linear' as const, 'sqrt' as const),
  shocks: fc.array(fc.record({ tick: fc.integer({ min: 1, max: 59 }), ret: fc.double({ min: -0.35, max: 0.35, noNaN: true }), overTicks: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
  funding: fc.constantFrom(0, 7),
  seed: fc.integer(),
});

describe('the money ledger holds for whole worlds: every strategy, behaviour, policy and liquidation mode', () => {
  it('every tick: relative residual ≤ 1e-9 of traders\' deposits (or within rounding of the largest amount held), Σ size = 0, all finite; populations add up at the end', () => {
    let liquidating = 0;
    fc.assert(fc.property(worldArb, (w) => {
      const created: AgentPopulation[] = [];
      const cfg = PolicySchema.parse({ ...w.policy.kind, onTighten: w.policy.onTighten, graceTicks: w.policy.graceTicks });
      const world = buildWorld({
        seed: w.seed, ticks: 60,
        policy: buildPolicy(cfg, { tickSeconds: 60, modules: new Map() }),
        market: {
          process: { kind: 'gbm', mu: 0, sigma: 1.5 }, shocks: w.shocks, spillover: 0.3,
          liquidity: { depth: w.depth, impact: w.impact, elasticity: 0.5, referenceVol: 0.001, minDepthFraction: 0.1 },
          funding: { intervalTicks: w.funding, interest: 0.0001, band: 0.0005, cap: 0.0075 },
          markPrice: { rule: w.markPrice, basisWindowTicks: 3 },
        },
        exchange: {
          insuranceFund: w.insuranceFund, deficit: w.deficit, backstopCollateral: 1e10,
          liquidation: { mode: w.mode, partialTarget: w.partialTarget, surplus: w.surplus, roundCap: 50, cooldownTicks: 1, sizer: nibble({}), sizerName: 'nibble' } as never,
        },
        populations: w.pops.map((p, k) => populationSpec({
          name: `p${k}`, count: p.count, strategy: STRATEGIES[p.strategy]!, collateral: p.collateral, leverage: p.leverage, reserve: p.reserve,
          longBias: p.longBias, activity: p.activity, startOpen: p.startOpen, params: {}, behaviours: p.behaviours,
        }, 60, created)),
      });
      initPopulations(world, created);
      const a = world.exchange.accounts;
      const bad: string[] = [];
      const liquidated = new Uint8Array(a.capacity);
      world.bus.liquidations$.subscribe((b) => b.accounts.forEach((i) => (liquidated[i] = 1)));
      let last = null as null | { housePnl: number; insuranceFund: number; feeRevenue: number; badDebt: number; markPrice: number; deposits: number };
      // Rounding scales with the largest amount the sums have held (the house's 1e10 of collateral,
      // a runaway price's notionals), not with the traders' deposits that relativeResidual divides
      // by, and Σ size's dust with the largest gross size seen, not the gross left at the end.
      let scale = 1e10, maxGross = 0;
      world.simulation.run().subscribe((s) => {
        last = s;
        for (const f of TICK_SUMMARY_FIELDS) if (!Number.isFinite(s[f])) bad.push(`tick ${s.tick}: ${f} = ${s[f]}`);
        for (let i = 0; i < a.count; i++) scale = Math.max(scale, Math.abs(a.collateral[i]!), Math.abs(a.size[i]!) * s.markPrice);
        if (!(s.relativeResidual <= 1e-9 || Math.abs(s.residual) <= 1e-12 * scale)) bad.push(`tick ${s.tick}: relative residual ${s.relativeResidual}`);
        const { net, gross } = sizeBalance(a);
        maxGross = Math.max(maxGross, gross);
        if (!(Math.abs(net) <= 1e-9 * Math.max(1, maxGross))) bad.push(`tick ${s.tick}: Σ size = ${net}`);
        // Every loss went through the waterfall: nobody is left flat with a deficit.
        for (let i = 1; i < a.count; i++) if (a.size[i] === 0 && a.collateral[i]! < -1e-9 * Math.max(1, s.deposits - 1e10)) bad.push(`tick ${s.tick}: account ${i} flat with collateral ${a.collateral[i]}`);
      });
      const out = populationOutcomes(world.exchange, w.pops.map((_, k) => `p${k}`), liquidated, last!.markPrice);
      const total = Object.values(out).reduce((x, o) => x + o.pnl, 0) + last!.housePnl + last!.insuranceFund - w.insuranceFund + last!.feeRevenue - last!.badDebt;
      if (!(Math.abs(total) <= 1e-9 * Math.max(1, last!.deposits - 1e10) || Math.abs(total) <= 1e-12 * scale)) bad.push(`populations do not add up: ${total}`);
      expect(bad.slice(0, 5)).toEqual([]);
      if (liquidated.some((x) => x === 1)) liquidating++;
    }), { numRuns: 150, seed: 20261201 });
    expect(liquidating).toBeGreaterThan(50);
  });
});
