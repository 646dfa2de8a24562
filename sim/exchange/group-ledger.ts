/**
 * Money and liquidations by population ("group"): who put money in, who was liquidated, and who
 * bore losses that were not their own through auto-deleveraging or socialised loss. Group 0 is the
 * house; populations are numbered from 1 in the order they were built. Kept as the exchange
 * settles (a few additions per event), so the run summary can say who lost.
 */

/** Per-group sums, indexed by group id. */
export class GroupLedger {
  readonly deposits: number[] = [];
  readonly withdrawals: number[] = [];
  /** Liquidation closes (an account liquidated in a round counts once per round). */
  readonly liquidations: number[] = [];
  /** Notional closed by liquidations, at the fill price (quote). */
  readonly liquidatedNotional: number[] = [];
  /** Liquidation closes that left the account bankrupt (negative equity, flat). */
  readonly bankrupt: number[] = [];
  /** What ADL cost the deleveraged accounts: |closed| × |fill price − bankruptcy price| (quote). */
  readonly adlLoss: number[] = [];
  /** Unrealized profit taken from the group's accounts to cover others' deficits (quote). */
  readonly socializedLoss: number[] = [];

  /** Makes room for groups 0..g. */
  ensure(g: number): void {
    for (const col of [this.deposits, this.withdrawals, this.liquidations, this.liquidatedNotional, this.bankrupt, this.adlLoss, this.socializedLoss]) {
      while (col.length <= g) col.push(0);
    }
  }
}
