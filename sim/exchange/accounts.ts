/**
 * Columnar accounts. Account-level columns (collateral, state) are indexed by account;
 * position-level columns (size, entry, liquidation price) by `account * markets + market`, so cross
 * margin and several markets fit without a new layout. Today levsim runs one market in isolated
 * margin: each account's collateral is the isolated wallet of its single position.
 */
import { columnKernels, type ColumnKernels } from './wasm/kernels';

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
  /** Deposits of traders and the insurance fund's seed (the house's are apart). */
  deposits = 0;
  withdrawals = 0;
  /**
   * The house (backstop) account's collateral, kept apart from `deposits`: summed with them at 1e10
   * it would round traders' deposits to ~2e-6. It is not in the house's collateral column either,
   * which starts at 0 and so holds the house's PnL (see Exchange).
   */
  houseDeposits = 0;
}

/** Bytes before the columns in the kernels' memory: the book pass's results, then tier lines. */
const HEADER_BYTES = 65_536;
/** Byte offset of the tier lines the scan kernel reads (see kernels.wat). */
export const LINES_OFFSET = 1024;
/** Most tier lines the header holds (32 bytes each). */
export const MAX_LINES = (HEADER_BYTES - LINES_OFFSET) / 32;

/**
 * Struct-of-arrays account store with capacity fixed up front. The columns the per-tick kernels
 * read (size, entry, liquidation price, collateral) live in one WebAssembly memory with the
 * kernels bound to it (./wasm/kernels.wat): ordinary typed-array views for every other use.
 */
export class Accounts {
  readonly markets: number;
  /** Number of accounts in use (ids 0..count−1). */
  count = 0;
  readonly collateral: Float64Array;
  readonly state: Uint8Array;
  /** The population (group) each account belongs to: 0 the house, populations from 1. */
  readonly group: Uint16Array;
  /** Tick of the account's last partial liquidation (cooldowns); −1e9 when none. */
  readonly lastLiqTick: Int32Array;
  readonly size: Float64Array;
  readonly entry: Float64Array;
  /** Cached isolated liquidation price (NaN when flat; 0 for a long that cannot be liquidated). */
  readonly liqPrice: Float64Array;

  /** The kernels, bound to the memory that holds the columns. */
  readonly kernels: ColumnKernels;
  /** That memory's buffer (results at byte 0, tier lines at {@link LINES_OFFSET}). */
  readonly heap: ArrayBuffer;
  /** Byte offsets of the kernel columns, and of an id list a scan may fill (untouched otherwise). */
  readonly ptr: { size: number; entry: number; liqPrice: number; collateral: number; ids: number };

  /** Allocates every column for `capacity` accounts. */
  constructor(readonly capacity: number, markets = 1) {
    this.markets = markets;
    // Even lengths: the kernels take two accounts at a time; the spare one is a flat account.
    const slots = capacity * markets + ((capacity * markets) & 1);
    const col = slots * 8;
    const ids = HEADER_BYTES + 4 * col;
    // Pages are zero until written, so the id list costs address space, not memory, until used.
    const memory = new WebAssembly.Memory({ initial: Math.ceil((ids + 4 * (slots + 2)) / 65_536) });
    this.heap = memory.buffer;
    this.ptr = { size: HEADER_BYTES, entry: HEADER_BYTES + col, liqPrice: HEADER_BYTES + 2 * col, collateral: HEADER_BYTES + 3 * col, ids };
    this.kernels = columnKernels(memory);
    this.size = new Float64Array(this.heap, this.ptr.size, slots);
    this.entry = new Float64Array(this.heap, this.ptr.entry, slots);
    this.liqPrice = new Float64Array(this.heap, this.ptr.liqPrice, slots).fill(NaN);
    this.collateral = new Float64Array(this.heap, this.ptr.collateral, slots);
    this.state = new Uint8Array(capacity);
    this.group = new Uint16Array(capacity);
    this.lastLiqTick = new Int32Array(capacity).fill(-1e9);
  }

  /** Number of accounts the kernels pass over: `count`, rounded up to even. */
  get kernelCount(): number {
    return this.count + (this.count & 1);
  }

  /**
   * Number of accounts in state Active, kept as states change (through {@link setState}) so the
   * per-tick book pass need not read the state column.
   */
  activeCount = 0;

  /** Reserves `n` new accounts of population `group` and returns the first id. */
  allocate(n: number, state: AccountState = AccountState.Active, group = 0): number {
    if (this.count + n > this.capacity) throw new RangeError(`accounts: capacity ${this.capacity} exceeded`);
    const first = this.count;
    this.state.fill(state, first, first + n);
    this.group.fill(group, first, first + n);
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
    return this.collateral[i]! + unrealizedPnl(this.size[i]!, this.entry[i]!, mark);
  }
}

/** Unrealized PnL of a position of signed `size` entered at `entry`, at `price`: size × (price − entry). */
export function unrealizedPnl(size: number, entry: number, price: number): number {
  return size * (price - entry);
}

/**
 * True when order `dq` (signed base units) on a position of `q` raises exposure: it adds on the
 * position's side (or opens one), or it flips the position to the other side (|dq| > |q| against
 * it). Closing to flat or reducing is not an increase. Judged by the order's side, not by the new
 * size: an add too small to change q in floating point (q + dq === q) is still an add, and is
 * checked as one. The one rule for "is this an increase" (initial-margin checks, margin terms,
 * reduce-only).
 * @example isIncrease(2, -2) // false: closing a long to flat
 */
export function isIncrease(q: number, dq: number): boolean {
  return dq !== 0 && (q === 0 || (q > 0) === (dq > 0) || Math.abs(dq) > Math.abs(q));
}

/**
 * True when a position change from `q` to `qn` opens a new position: from flat, or by a flip (the
 * old side closed and the rest opened on the other). Such a position is on the current margin
 * terms, whatever terms the old one kept (MarginTerms).
 */
export function opensPosition(q: number, qn: number): boolean {
  return qn !== 0 && (q === 0 || (q > 0) !== (qn > 0));
}

/**
 * Applies a fill of signed quantity `dq` at `price` to account `i`: increases re-average the entry
 * price; reductions realize PnL into collateral; a flip closes the old side and opens the rest at
 * `price`. Returns the realized PnL. Fees are the caller's.
 */
export function applyFill(
  size: Float64Array, entry: Float64Array, collateral: Float64Array,
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
