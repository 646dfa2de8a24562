/**
 * The exogenous index of one asset, shared by every market that lists the asset (on one venue or
 * several). It moves once a tick by the index process plus scheduled and user-injected shocks, and
 * between ticks by the spillover of each market's impact (a venue's share of price discovery).
 * Markets quote against it: mark = index × (1 + premium).
 */
import type { IndexProcess } from './processes';
import { ShockSchedule } from './shocks';

/** One asset's index level and this tick's exogenous move. */
export class AssetIndex {
  /** The index level now (quote). */
  value: number;
  /** The level before this tick's exogenous move: markets measure their premium against it. */
  before: number;
  /** Tick of the last exogenous move (−1 before the first). */
  tick = -1;
  /** This tick's exogenous log-return: process + scheduled + external. */
  exogenousReturn = 0;
  /** Cumulative exogenous log-return since the start (the counterfactual index with no impact). */
  exogenousLogLevel = 0;
  /** Jump part of the tick's exogenous return, reported on shock$. */
  lastJump = 0;
  /** Scheduled part of the tick's exogenous return. */
  lastScheduled = 0;
  /** User-injected part of the tick's exogenous return. */
  lastExternal = 0;
  /** Shocks injected by the user during the run. */
  readonly external = new ShockSchedule();

  /** @param process the index process; @param shocks scheduled shocks of the asset. */
  constructor(startPrice: number, private readonly process: IndexProcess, readonly shocks: ShockSchedule) {
    this.value = startPrice;
    this.before = startPrice;
  }

  /**
   * Moves the index by tick `tick`'s exogenous return, once: every market of the asset calls it
   * at the start of the tick and only the first call draws.
   */
  advance(tick: number): void {
    if (this.tick === tick) return;
    this.tick = tick;
    this.before = this.value;
    const base = this.process.logReturn(tick);
    this.lastJump = this.process.lastJump;
    this.lastScheduled = this.shocks.at(tick);
    this.lastExternal = this.external.at(tick);
    const r = base + this.lastScheduled + this.lastExternal;
    this.exogenousReturn = r;
    this.exogenousLogLevel += r;
    this.value *= Math.exp(r);
  }
}
