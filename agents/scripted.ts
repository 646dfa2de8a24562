/**
 * Scripted traders: each agent deposits its collateral up front, opens one position of a given side
 * and leverage at a given tick, and holds it (optionally closing it at `closeTick`). The simplest
 * population: for tests, worked examples and hand-built books.
 */
import type { Exchange } from '../sim/exchange/exchange';
import type { PopulationContext, PopulationSpec, TraderPopulation } from '../sim/exchange/population';
import type { MarketView } from '../sim/market/market';

/** One scripted agent. */
export interface ScriptedAgent {
  /** +1 long, −1 short. */
  side: 1 | -1;
  /** Leverage at entry: notional = leverage × collateral. */
  leverage: number;
  /** Collateral deposited at the start (quote). */
  collateral: number;
  /** Tick at which the position opens (default 0). */
  openTick?: number;
  /** Tick at which it closes (default: never). */
  closeTick?: number;
}

/** A columnar population of scripted agents. */
export class ScriptedPopulation implements TraderPopulation {
  readonly first: number;
  readonly count: number;
  private readonly side: Int8Array;
  private readonly leverage: Float64Array;
  private readonly openTick: Int32Array;
  private readonly closeTick: Int32Array;

  constructor(readonly name: string, ctx: PopulationContext, agents: readonly ScriptedAgent[]) {
    this.first = ctx.first;
    this.count = agents.length;
    this.side = Int8Array.from(agents, (a) => a.side);
    this.leverage = Float64Array.from(agents, (a) => a.leverage);
    this.openTick = Int32Array.from(agents, (a) => a.openTick ?? 0);
    this.closeTick = Int32Array.from(agents, (a) => a.closeTick ?? -1);
    agents.forEach((a, k) => ctx.exchange.deposit(ctx.first + k, a.collateral));
  }

  /** Opens at `openTick` with leverage × equity of notional; closes at `closeTick`. */
  decide(tick: number, market: MarketView, ex: Exchange): void {
    const a = ex.accounts;
    for (let k = 0; k < this.count; k++) {
      const i = this.first + k;
      if (this.openTick[k] === tick && a.size[i] === 0) {
        ex.placeOrder(i, (this.side[k]! * this.leverage[k]! * a.collateral[i]!) / market.mark);
      } else if (this.closeTick[k] === tick && a.size[i] !== 0) {
        ex.placeOrder(i, -a.size[i]!);
      }
    }
  }
}

/**
 * A {@link PopulationSpec} for scripted agents.
 * @example scripted('longs', [{ side: 1, leverage: 50, collateral: 1000 }])
 */
export function scripted(name: string, agents: readonly ScriptedAgent[]): PopulationSpec {
  return { name, count: agents.length, create: (ctx) => new ScriptedPopulation(name, ctx, agents) };
}
