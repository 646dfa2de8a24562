/**
 * Margin terms over time: which maintenance and initial-margin schedule applies to each account
 * when a dynamic policy changes its limits. Schedules are kept as versions; each account records
 * the version its position was opened under.
 *
 * When limits tighten (any bracket's max leverage falls or MMR rises), existing positions follow
 * the policy's `onTighten`:
 * - `grandfather`: a position keeps the terms (IM and MM) it was opened under until it is closed;
 *   adding to it uses those terms too. New positions get the new terms, a flip's included.
 * - `reduce-only`: a position keeps its maintenance margin, but increases are checked against the
 *   new terms and move the whole position onto them, so an account over the new limit can only reduce.
 * - `enforce`: the new terms apply to everyone at once, or after `graceTicks`.
 * When limits loosen, every position moves to the new terms at once, unless they still ask more than
 * the terms it kept (a smaller loosening after a tightening): a grandfathered position keeps its own,
 * and under `enforce` a grace period runs on.
 */
import { opensPosition } from './accounts';
import { bracketOf, type TierTable } from './margin';
import type { LeveragePolicy } from './policies/types';

/**
 * Whether `next` asks more of some position than `prev`: a higher maintenance margin or a lower
 * max leverage at some notional n ≥ 0.
 *
 * Both MM schedules are piecewise linear in n, so their difference is too, with breakpoints at the
 * union of both tables' floors: its maximum over [0, ∞) lies at a breakpoint (taken from both
 * sides, as an explicit `cum` may leave a step) or, beyond the last breakpoint, where the last
 * brackets' slopes decide (MMR_next > MMR_prev). Max leverage is a step function constant between
 * the same breakpoints, so each breakpoint's right side covers it. Tolerance: 1e-9 of the MM.
 */
export function tightens(prev: TierTable, next: TierTable): boolean {
  const points = new Set<number>();
  for (const t of [prev, next]) for (let b = 0; b < t.n; b++) points.add(t.floor[b]!);
  for (const x of points) {
    if (next.maxLeverage[bracketOf(x, next)]! < prev.maxLeverage[bracketOf(x, prev)]! - 1e-12) return true;
    for (const left of [false, true]) {
      const mp = lineAt(prev, x, left), mn = lineAt(next, x, left);
      if (mn > mp + 1e-9 * Math.max(1, Math.abs(mp))) return true;
    }
  }
  return next.mmr[next.n - 1]! > prev.mmr[prev.n - 1]! + 1e-12;
}

/** MM at notional `x` on the bracket line that holds just above x, or just below it when `left`. */
function lineAt(t: TierTable, x: number, left: boolean): number {
  let b = bracketOf(x, t);
  if (left && b > 0 && t.floor[b] === x) b--;
  return x * t.mmr[b]! - t.cum[b]!;
}

/** The terms of every account, versioned. */
export class MarginTerms {
  private readonly versions: TierTable[];
  /** Version of the terms each account's position was opened under. */
  private readonly version: Uint32Array;
  private current = 0;
  /** Under `enforce` with grace: the version that still applies until `graceUntil`. */
  private previous = 0;
  private graceUntil = -1;

  /**
   * The max leverage of {@link sharedIm} when that schedule is one bracket over every notional
   * (floor 0, no cap), else NaN; kept up to date by {@link onPolicyChange}. Why a field: a batch of
   * margin checks (a strategy's pairs, every tick) reads one number instead of finding the shared
   * schedule and testing its shape per check.
   */
  flatImLeverage = NaN;

  /** @param capacity number of account ids. */
  constructor(capacity: number, private readonly policy: LeveragePolicy) {
    this.versions = [policy.table(0)];
    this.version = new Uint32Array(capacity);
    this.flatImLeverage = this.flatLeverage();
  }

  /** See {@link flatImLeverage}. */
  private flatLeverage(): number {
    const t = this.sharedIm();
    return t !== null && t.n === 1 && t.floor[0] === 0 && t.cap[0] === Infinity ? t.maxLeverage[0]! : NaN;
  }

  /**
   * Records the policy's new schedule at `tick` (`size`: each account's position in this market).
   * Returns true when accounts' maintenance terms changed now (the exchange then re-indexes
   * liquidation prices).
   */
  onPolicyChange(tick: number, size: Float64Array): boolean {
    const prev = this.versions[this.current]!;
    const next = this.policy.table(0);
    if (next === prev) return false;
    this.versions.push(next);
    const old = this.current;
    this.current = this.versions.length - 1;
    this.flatImLeverage = this.flatLeverage();
    if (!tightens(prev, next)) return this.onLoosen(tick, next, size);
    if (this.policy.onTighten === 'enforce') {
      if (this.policy.graceTicks > 0) {
        // A second tightening during a grace period keeps the oldest terms until the new deadline.
        if (tick >= this.graceUntil) this.previous = old;
        this.graceUntil = tick + this.policy.graceTicks;
        return false;
      }
      return true;
    }
    return false;
  }

  /**
   * The new schedule `next` asks no more than the latest did. It may still ask more than the terms
   * some positions kept (a tightening, then a smaller loosening): an account holding a position
   * (`size` ≠ 0) moves onto `next` only when `next` is no tighter than its own terms, a flat one
   * always; under `enforce` a grace period keeps running while `next` is tighter than the terms it
   * protects.
   */
  private onLoosen(tick: number, next: TierTable, size: Float64Array): boolean {
    if (this.policy.onTighten === 'enforce') {
      if (tick < this.graceUntil && tightens(this.versions[this.previous]!, next)) return false;
      this.graceUntil = -1;
      return true;
    }
    // Whether `next` is looser than each version accounts hold, worked out once per version in use
    // (0 unknown, 1 looser, 2 tighter): a policy that changes every tick has thousands of versions.
    const looser = new Uint8Array(this.versions.length);
    for (let i = 0; i < this.version.length; i++) {
      const v = this.version[i]!;
      if (size[i] !== 0 && looser[v] === 0) looser[v] = tightens(this.versions[v]!, next) ? 2 : 1;
      if (size[i] === 0 || looser[v] === 1) this.version[i] = this.current;
    }
    return true;
  }

  /** True at the tick a grace period ends (the exchange then re-indexes). */
  graceEnds(tick: number): boolean {
    return tick === this.graceUntil;
  }

  /** The maintenance schedule that applies to account `i` at `tick`. */
  mm(i: number, tick: number): TierTable {
    if (this.policy.onTighten === 'enforce') return tick < this.graceUntil ? this.versions[this.previous]! : this.versions[this.current]!;
    return this.versions[this.version[i]!]!;
  }

  /**
   * The maintenance schedule account `i`'s position will be on once an increase takes it from
   * `size` to `next` is filled ({@link onIncrease}): under `enforce` the one of the tick
   * ({@link mm}); else the current terms for a new position (from flat, or a flip:
   * {@link opensPosition}) and for any increase under `reduce-only`, the position's own under
   * `grandfather`. Why: portfolio margin checks an order against maintenance schedules, and one
   * checked against the terms the position had was let through on them and then liquidated on the
   * ones the fill moved it onto.
   */
  mmAfterIncrease(i: number, tick: number, size: number, next: number): TierTable {
    const mode = this.policy.onTighten;
    if (mode === 'enforce') return this.mm(i, tick);
    if (mode === 'grandfather' && !opensPosition(size, next)) return this.versions[this.version[i]!]!;
    return this.versions[this.current]!;
  }

  /**
   * The initial-margin schedule of account `i` holding `size`, for an order that takes it to `next`
   * (`size` itself when only the position held is margined): a grandfathered position's own terms,
   * unless the order opens a new position (from flat, or by a flip: {@link opensPosition}).
   */
  im(i: number, size: number, next = size): TierTable {
    if (this.policy.onTighten === 'grandfather' && size !== 0 && !opensPosition(size, next)) return this.versions[this.version[i]!]!;
    return this.policy.imTable?.(i) ?? this.versions[this.current]!;
  }

  /**
   * The maintenance schedule that applies to every account at `tick`, when it is one and the same
   * for all ({@link mm} of any account returns it); null when accounts may be on different terms.
   * Why: a batch (a tick's fills) can then look the schedule up once instead of once per account.
   */
  sharedMm(tick: number): TierTable | null {
    if (this.policy.onTighten === 'enforce') return tick < this.graceUntil ? this.versions[this.previous]! : this.versions[this.current]!;
    return this.versions.length === 1 ? this.versions[0]! : null;
  }

  /**
   * The initial-margin schedule every account's order is checked against, when it is one and the
   * same for all ({@link im} of any account and size returns it): no per-account IM table, and no
   * grandfathered terms; null otherwise. Why: as {@link sharedMm}, for a batch of margin checks.
   */
  sharedIm(): TierTable | null {
    if (this.policy.imTable || (this.policy.onTighten === 'grandfather' && this.versions.length > 1)) return null;
    return this.versions[this.current]!;
  }

  /** Account `i` opened a new position (`opened`: from flat, or by a flip), or increased the one it held. */
  onIncrease(i: number, opened: boolean): void {
    if (opened || this.policy.onTighten !== 'grandfather') this.version[i] = this.current;
  }
}
