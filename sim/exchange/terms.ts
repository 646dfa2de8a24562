/**
 * Margin terms over time: which maintenance and initial-margin schedule applies to each account
 * when a dynamic policy changes its limits. Schedules are kept as versions; each account records
 * the version its position was opened under.
 *
 * When limits tighten (any bracket's max leverage falls or MMR rises), existing positions follow
 * the policy's `onTighten`:
 * - `grandfather`: a position keeps the terms (IM and MM) it was opened under until it is closed;
 *   adding to it uses those terms too. New positions get the new terms.
 * - `reduce-only`: a position keeps its maintenance margin, but increases are checked against the
 *   new terms and move the whole position onto them, so an account over the new limit can only reduce.
 * - `enforce`: the new terms apply to everyone at once, or after `graceTicks`.
 * When limits loosen, everyone moves to the new terms at once.
 */
import type { TierTable } from './margin';
import type { LeveragePolicy } from './policies/types';

/** Whether `next` asks more of some position than `prev`. */
export function tightens(prev: TierTable, next: TierTable): boolean {
  const probes = new Set<number>();
  for (const t of [prev, next]) for (let b = 0; b < t.n; b++) probes.add(t.floor[b]! + 1);
  for (const n of probes) {
    const bp = bracketAt(prev, n), bn = bracketAt(next, n);
    if (next.maxLeverage[bn]! < prev.maxLeverage[bp]! - 1e-12) return true;
    if (n * next.mmr[bn]! - next.cum[bn]! > n * prev.mmr[bp]! - prev.cum[bp]! + 1e-9) return true;
  }
  return false;
}

function bracketAt(t: TierTable, n: number): number {
  let b = 0;
  while (b < t.n - 1 && n >= t.cap[b]!) b++;
  return b;
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

  /** @param capacity number of account ids. */
  constructor(capacity: number, private readonly policy: LeveragePolicy) {
    this.versions = [policy.table(0)];
    this.version = new Uint32Array(capacity);
  }

  /**
   * Records the policy's new schedule at `tick`. Returns true when every account's maintenance
   * terms changed now (the exchange then re-indexes liquidation prices).
   */
  onPolicyChange(tick: number): boolean {
    const prev = this.versions[this.current]!;
    const next = this.policy.table(0);
    if (next === prev) return false;
    this.versions.push(next);
    const old = this.current;
    this.current = this.versions.length - 1;
    if (!tightens(prev, next)) {
      this.version.fill(this.current);
      this.graceUntil = -1;
      return true;
    }
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

  /** True at the tick a grace period ends (the exchange then re-indexes). */
  graceEnds(tick: number): boolean {
    return tick === this.graceUntil;
  }

  /** The maintenance schedule that applies to account `i` at `tick`. */
  mm(i: number, tick: number): TierTable {
    if (this.policy.onTighten === 'enforce') return tick < this.graceUntil ? this.versions[this.previous]! : this.versions[this.current]!;
    return this.versions[this.version[i]!]!;
  }

  /** The initial-margin schedule for an order of account `i` that holds `size`. */
  im(i: number, size: number): TierTable {
    if (this.policy.onTighten === 'grandfather' && size !== 0) return this.versions[this.version[i]!]!;
    return this.policy.imTable?.(i) ?? this.versions[this.current]!;
  }

  /** Account `i` opened a position, or increased it (`wasFlat` false). */
  onIncrease(i: number, wasFlat: boolean): void {
    if (wasFlat || this.policy.onTighten !== 'grandfather') this.version[i] = this.current;
  }
}
