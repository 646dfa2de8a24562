/**
 * Columnar accounts. Account-level columns (collateral, realized PnL, state) are indexed by account;
 * position-level columns (size, entry, liquidation price) by `account * markets + market`, so cross
 * margin and several markets fit without a new layout. Today levsim runs one market in isolated
 * margin: each account's collateral is the isolated wallet of its single position.
 */

/** Account lifecycle states (the `state` column). */
export const enum AccountState {
  /** May trade. */
  Active = 0,
  /** Fully liquidated; waiting for re-entry or gone. */
  Liquidated = 1,
  /** Left the market for good. */
  Gone = 2,
  /** Exchange-owned (the backstop / market-maker account): never liquidated. */
  House = 3,
}

/** The money the exchange holds outside accounts, and the flows across its boundary. */
export class Treasury {
  insuranceFund = 0;
  feeRevenue = 0;
  /** Negative equity that nothing covered, written off (cumulative). */
  badDebt = 0;
  deposits = 0;
  withdrawals = 0;
}

/** Struct-of-arrays account store with capacity fixed up front. */
export class Accounts {
  readonly markets: number;
  /** Number of accounts in use (ids 0..count−1). */
  count = 0;
  readonly collateral: Float64Array;
  readonly realizedPnl: Float64Array;
  readonly state: Uint8Array;
  /** Tick of the account's last partial liquidation (cooldowns); −1e9 when none. */
  readonly lastLiqTick: Int32Array;
  readonly size: Float64Array;
  readonly entry: Float64Array;
  /** Cached isolated liquidation price (NaN when flat; 0 for a long that cannot be liquidated). */
  readonly liqPrice: Float64Array;

  /** Allocates every column for `capacity` accounts. */
  constructor(readonly capacity: number, markets = 1) {
    this.markets = markets;
    this.collateral = new Float64Array(capacity);
    this.realizedPnl = new Float64Array(capacity);
    this.state = new Uint8Array(capacity);
    this.lastLiqTick = new Int32Array(capacity).fill(-1e9);
    this.size = new Float64Array(capacity * markets);
    this.entry = new Float64Array(capacity * markets);
    this.liqPrice = new Float64Array(capacity * markets).fill(NaN);
  }

  /**
   * Number of accounts in state Active, kept as states change (through {@link setState}) so the
   * per-tick book pass need not read the state column.
   */
  activeCount = 0;

  /** Reserves `n` new accounts and returns the first id. */
  allocate(n: number, state: AccountState = AccountState.Active): number {
    if (this.count + n > this.capacity) throw new RangeError(`accounts: capacity ${this.capacity} exceeded`);
    const first = this.count;
    this.state.fill(state, first, first + n);
    if (state === AccountState.Active) this.activeCount += n;
    this.count += n;
    return first;
  }

  /** Moves account i to state `s`; every state change goes through here. */
  setState(i: number, s: AccountState): void {
    this.activeCount += +(s === AccountState.Active) - +(this.state[i] === AccountState.Active);
    this.state[i] = s;
  }

  /** Equity at `mark`: collateral + size × (mark − entry). */
  equity(i: number, mark: number): number {
    return this.collateral[i]! + this.size[i]! * (mark - this.entry[i]!);
  }

  /** Bytes of column storage per account (for the memory figures). */
  static bytesPerAccount(markets = 1): number {
    return 8 + 8 + 1 + 4 + markets * (8 + 8 + 8);
  }
}

/**
 * Applies a fill of signed quantity `dq` at `price` to account `i`: increases re-average the entry
 * price; reductions realize PnL into collateral; a flip closes the old side and opens the rest at
 * `price`. Returns the realized PnL. Fees are the caller's.
 */
export function applyFill(
  size: Float64Array, entry: Float64Array, collateral: Float64Array, realized: Float64Array,
  i: number, dq: number, price: number,
): number {
  const q = size[i]!;
  if (dq === 0) return 0;
  if (q === 0 || (q > 0) === (dq > 0)) {
    const qn = q + dq;
    entry[i] = (q * entry[i]! + dq * price) / qn;
    size[i] = qn;
    return 0;
  }
  const absQ = Math.abs(q);
  const absD = Math.abs(dq);
  const closed = absD < absQ ? absD : absQ;
  const pnl = (q > 0 ? closed : -closed) * (price - entry[i]!);
  collateral[i] = collateral[i]! + pnl;
  realized[i] = realized[i]! + pnl;
  if (absD < absQ) {
    size[i] = q + dq;
  } else if (absD === absQ) {
    size[i] = 0;
    entry[i] = 0;
  } else {
    size[i] = q + dq;
    entry[i] = price;
  }
  return pnl;
}
