/** Builds small worlds of agent populations on scripted price paths, for strategy and behaviour tests. */
import type { AgentPopulation, PopulationConfig } from '../../agents/population';
import type { StrategyDefinition } from '../../agents/strategy';
import type { TickSummary } from '../../sim/engine/events';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import type { LeveragePolicy } from '../../sim/exchange/policies/types';
import { TablePolicy } from '../../sim/exchange/policies/table-policy';
import type { MarketView } from '../../sim/market/market';
import { initPopulations, populationSpec } from '../../sim/run/build';
import type { World } from '../../sim/run/world';
import { buildWorld } from './world';

/** One population's settings; everything but the strategy has a test default. */
export type PopSettings = Partial<Omit<PopulationConfig, 'strategy'>> & { strategy: StrategyDefinition };

/** A world whose index replays `prices` exactly (no impact unless `depth` is given). */
export function agentWorld(o: { pops: PopSettings[]; prices: number[]; policy?: LeveragePolicy; depth?: number; seed?: number }): { world: World; pops: AgentPopulation[]; ticks: TickSummary[] } {
  const created: AgentPopulation[] = [];
  const world = buildWorld({
    seed: o.seed ?? 1,
    ticks: o.prices.length - 1,
    policy: o.policy ?? new FixedPolicy(50, 0.005),
    market: {
      process: { kind: 'replay', prices: Float64Array.from(o.prices) },
      liquidity: { depth: o.depth ?? Infinity, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.01 },
      premiumHalfLife: 0,
      funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 },
    },
    exchange: { takerFee: 0, makerFee: 0 },
    populations: o.pops.map((p, k) => populationSpec({
      name: p.name ?? `pop${k}`, count: p.count ?? 1, strategy: p.strategy, collateral: p.collateral ?? 1_000,
      leverage: p.leverage ?? 5, reserve: p.reserve ?? 0, longBias: p.longBias ?? 0.5, activity: p.activity ?? 1,
      startOpen: p.startOpen ?? 0, params: p.params ?? {}, behaviours: p.behaviours ?? {},
    }, 60, created)),
  });
  initPopulations(world, created);
  const ticks: TickSummary[] = [];
  world.bus.tick$.subscribe((t) => ticks.push(t));
  return { world, pops: created, ticks };
}

/** Runs the world and returns each tick's positions of population `p` (by agent). */
export function runPositions(w: World, pop: AgentPopulation): number[][] {
  const out: number[][] = [];
  w.bus.tick$.subscribe(() => out.push(Array.from(w.exchange.accounts.size.subarray(pop.first, pop.first + pop.count))));
  w.simulation.run().subscribe();
  return out;
}

/** A path: `n` prices from `start`, each step multiplied by `step`. */
export function geometric(start: number, step: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => start * step ** k);
}

/** A policy whose max leverage falls from 50x to 10x at tick `at`. */
export class Tightening extends TablePolicy {
  constructor(private readonly at: number) {
    super('tightening', [{ floor: 0, cap: Infinity, maxLeverage: 50, mmr: 0.005 }]);
  }
  override onTick(m: MarketView): boolean {
    if (m.tick !== this.at) return false;
    this.current = new TablePolicy('x', [{ floor: 0, cap: Infinity, maxLeverage: 10, mmr: 0.005 }]).table(0);
    return true;
  }
}
