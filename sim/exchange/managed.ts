/**
 * The hook through which a venue's account-level margin engine (cross or portfolio margin, over
 * every market of the venue: sim/world/) takes over the accounts it manages from each market's
 * exchange. A managed account has no isolated wallet and no liquidation price of its own in a
 * market: its money is the sum of its collateral columns over every market, its margin check,
 * liquidation and deficit are the venue's. A one-market exchange without a venue has no hook.
 */
import type { Exchange } from './exchange';

/** What an exchange asks its venue about the accounts the venue margins. */
export interface ManagedMargin {
  /** 1 where the account is cross or portfolio margined (one column shared by every market). */
  readonly managed: Uint8Array;
  /** The managed accounts' ids, ascending. */
  readonly managedAccounts: readonly number[];
  /**
   * The same ids as ranges [lo, hi), ascending, flattened (lo₀, hi₀, lo₁, hi₁, …): populations are
   * allocated in blocks, so a handful of ranges cover them and a kernel can walk them (book-stats.ts).
   */
  readonly managedRanges: readonly number[];
  /** The part of order `dq` of managed account `i` in `ex`'s market that its margin mode allows at price `m`, after a fee at `feeRate`. */
  allowedManagedOrder(ex: Exchange, i: number, dq: number, m: number, feeRate: number): number;
  /** The account's money or positions changed: its margin of safety must be measured again. */
  touched(i: number): void;
  /** Every managed account changed at once (funding, a policy change). */
  touchedAll(): void;
  /** Withdraws up to `amount` of a managed account that is flat in every market; returns what was withdrawn. */
  withdraw(i: number, amount: number): number;
  /** Withdraws up to `amount` of a managed account's free collateral, positions open or not; returns what was withdrawn. */
  withdrawFree(i: number, amount: number): number;
  /** Managed account `i`'s equity over every market of the venue at the marks (quote). */
  equity(i: number): number;
  /** ADL ranking basis of managed account `j`: its equity and the gross notional of all its positions (quote). */
  adlBasis(j: number): { equity: number; notional: number };
}
