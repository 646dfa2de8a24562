/**
 * Where a population's reserve lives: the money outside the exchange that margin top-ups and
 * re-entries draw on and that leaving returns to (agents/population.ts). Two kinds:
 * - {@link ColumnReserve}: a per-agent column that deposits at once (the single-venue engine);
 * - {@link WorldReserve}: the world's wallets (sim/world/wallets.ts), reached through transfers that
 *   land `transferTicks` later (sim/world/transfers.ts), and shareable by populations on several
 *   venues, so a margin call on one venue drains what the others could have had, or arrives too late.
 */
import type { Exchange } from '../sim/exchange/exchange';
import type { Transfers } from '../sim/world/transfers';
import type { Wallets } from '../sim/world/wallets';

/** A population's reserve wallet, by agent number k (from 0) and account id i. */
export interface ReserveWallet {
  /** Money agent k's reserve can give now (quote). */
  available(k: number): number;
  /** Moves `amount` (≤ available(k)) from agent k's reserve into account `i` of `ex`: at once, or landing later. */
  take(k: number, i: number, amount: number, tick: number, ex: Exchange): void;
  /** Withdraws up to `amount` from flat account `i` of `ex` back to agent k's reserve; returns what left the account. */
  give(k: number, i: number, amount: number, tick: number, ex: Exchange): number;
}

/** The reserve as a column of the population: deposits and withdrawals act at once. */
export class ColumnReserve implements ReserveWallet {
  constructor(readonly reserve: Float64Array) {}

  available(k: number): number {
    return this.reserve[k]!;
  }

  take(k: number, i: number, amount: number, _tick: number, ex: Exchange): void {
    this.reserve[k] -= amount;
    ex.deposit(i, amount);
  }

  give(k: number, i: number, amount: number, _tick: number, ex: Exchange): number {
    const w = ex.withdraw(i, amount);
    this.reserve[k] += w;
    return w;
  }
}

/**
 * Shares one world wallet per agent between populations: agent k's wallet is `wallets.quote[base + k]`
 * (`base`: the first account id of the population that owns the wallets). Money to and from venue
 * `venue` travels as a transfer landing `transferTicks` after it is made (0: at once).
 */
export class WorldReserve implements ReserveWallet {
  constructor(
    readonly wallets: Wallets,
    readonly transfers: Transfers,
    readonly base: number,
    readonly venue: number,
    readonly transferTicks: number,
  ) {
    if (!(Number.isInteger(transferTicks) && transferTicks >= 0)) throw new RangeError(`sharedReserve.transferTicks is ${transferTicks}; allowed: an integer ≥ 0`);
  }

  available(k: number): number {
    return this.wallets.quote[this.base + k]!;
  }

  /**
   * Sends `amount` from agent k's wallet to account `i`, landing at tick + transferTicks. With 0 it
   * lands at once (delivered here), as {@link ColumnReserve} would: the deliveries of the `after`
   * step have already run this tick.
   */
  take(k: number, i: number, amount: number, tick: number, ex: Exchange): void {
    this.transfers.send(tick, this.base + k, this.venue, ex, amount, tick + this.transferTicks, i);
    if (this.transferTicks === 0) this.transfers.deliver(tick);
  }

  give(k: number, i: number, amount: number, tick: number, ex: Exchange): number {
    const w = this.transfers.withdrawToWallet(tick, this.base + k, this.venue, ex, amount, tick + this.transferTicks, i);
    if (this.transferTicks === 0) this.transfers.deliver(tick);
    return w;
  }
}
