/**
 * A lending protocol in a world of venues: its pool (sim/protocols/lending.ts), one oracle per
 * collateral reading the asset's index or one venue's spot or perpetual price with a lag, its
 * liquidator (a wallet that repays debt and sells the seized collateral on a venue's spot market)
 * and its looping borrowers. In a tick:
 * - step 1 (after prices move): every oracle observes its source, and scheduled oracle shocks apply;
 * - step 4: looping borrowers act at the oracle prices;
 * - step 6 (after the venues' cascades): liquidation rounds until no loan is liquidatable, each
 *   round re-reading the sources (the sales move the spot price an oracle may read).
 */
import type { LendingLiquidationEvent } from '../protocols/lending';
import { LendingPool, LiquidationStats } from '../protocols/lending';
import { LoopingBorrowers } from '../protocols/looping';
import { Oracle } from '../protocols/oracle';
import type { LendingParams } from '../protocols/types';
import type { ScheduledShock } from '../market/shocks';
import type { SpotAccess, Wallets } from './wallets';

/** The looping borrowers of a protocol, drawn by the caller (one entry per borrower). */
export interface BorrowerOptions {
  count: number;
  /** Units of the first collateral asset each starts with, in its wallet. */
  units: Float64Array;
  /** Target LTV of each (debt / collateral value). */
  targetLtv: Float64Array;
  /** The venue whose spot market they buy on. */
  venue: number;
  loopsPerTick: number;
  deleverageBelowHealth?: number;
}

/** A lending protocol of a world of venues. */
export interface ProtocolOptions {
  params: LendingParams;
  borrowers?: BorrowerOptions;
  /** Moves of every oracle's reported price from their tick on (a simple return each). */
  oracleShocks?: ScheduledShock[];
}

/** Reads the current price of an oracle's source. */
export type PriceSource = () => number;

/** A built protocol: its pool, oracles, liquidator and borrowers, and what it did this tick. */
export class Protocol {
  readonly pool: LendingPool;
  readonly oracles: Oracle[];
  readonly loopers: LoopingBorrowers | null;
  /** Oracle prices in collateral order (refreshed by {@link observe}). */
  readonly prices: Float64Array;
  /** This tick's liquidations. */
  readonly tick: LiquidationStats;
  private readonly shocks = new Map<number, number>();

  /**
   * @param liquidator the wallet id of the protocol's liquidator; @param firstBorrower the wallet
   * id of its first looping borrower; @param sources one price source per collateral.
   */
  constructor(
    readonly name: string,
    readonly o: ProtocolOptions,
    wallets: Wallets,
    readonly liquidator: number,
    firstBorrower: number,
    private readonly sources: readonly PriceSource[],
    private readonly spot: SpotAccess,
  ) {
    this.pool = new LendingPool(wallets.capacity, o.params, wallets);
    this.oracles = o.params.collateral.map((c) => new Oracle(c.oracle));
    this.prices = new Float64Array(this.oracles.length);
    this.tick = new LiquidationStats(this.oracles.length);
    for (const s of o.oracleShocks ?? []) this.shocks.set(s.tick, (this.shocks.get(s.tick) ?? 0) + Math.log1p(s.ret));
    const b = o.borrowers;
    this.loopers = b ? new LoopingBorrowers(
      firstBorrower, b.count, b.targetLtv, new Int32Array(b.count), new Int32Array(b.count).fill(b.venue),
      b.deleverageBelowHealth !== undefined ? { deleverageBelowHealth: b.deleverageBelowHealth } : {},
    ) : null;
    // The borrowers' starting units come from outside the world (an endowment).
    if (b) for (let j = 0; j < b.count; j++) wallets.endow(firstBorrower + j, 0, o.params.collateral[0]!.asset, b.units[j]!);
  }

  /** Every oracle observes its source now (a re-read within a tick replaces the tick's observation); returns the oracle prices. */
  observe(t: number): Float64Array {
    for (let k = 0; k < this.oracles.length; k++) {
      this.oracles[k]!.observe(t, this.sources[k]!());
      this.prices[k] = this.oracles[k]!.price;
    }
    return this.prices;
  }

  /** Step 1: the oracles observe the tick's prices; a scheduled oracle shock applies from this tick on. */
  beginTick(t: number): void {
    const s = this.shocks.get(t);
    if (s !== undefined) for (const o of this.oracles) o.shock(s);
    this.tick.reset();
    this.observe(t);
  }

  /** Step 4: looping borrowers act at the oracle prices. */
  decide(t: number): void {
    if (this.loopers) this.loopers.step(t, this.pool, this.spot, this.observe(t), this.o.borrowers!.loopsPerTick);
  }

  /** Step 6: liquidation rounds until no loan is liquidatable (this tick's figures in {@link tick}); `onEvent` hears each liquidation. */
  liquidate(t: number, onEvent?: (e: LendingLiquidationEvent) => void): void {
    this.pool.liquidateUntilStable(() => this.observe(t), this.liquidator, this.spot, this.tick, undefined, { tick: t, ...(onEvent ? { onEvent } : {}) });
  }
}
