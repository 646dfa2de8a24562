/**
 * Cross-market contagion in a world of several assets: the notional liquidated in market B within
 * `window` ticks of a shock to market A, split by the margin mode of the liquidated accounts, as a
 * market × market matrix ("shock here, liquidations there"). A shock is an exogenous move of A's
 * index (scheduled, injected or a jump of its process) of at least `minMove` in log terms. The
 * ticks after A's shocks are taken as one set (overlapping windows count each tick once), so the
 * row of A adds the liquidations in the union of its windows. A joint shock (several assets at one
 * tick) opens a window in each of their rows: the matrix says where liquidations happened after a
 * shock, not which shock caused them (that is the contagion matrix of counterfactual runs, with the
 * links cut).
 */
import { closePrice, type LiquidationBatch, type ShockEvent } from '../engine/events';
import { MARGIN_MODES, type MarginMode } from '../world/types';

/** A shock the recorder saw. */
export interface ContagionShock {
  market: string;
  tick: number;
  logReturn: number;
}

/** summary.json's `contagion`. */
export interface ContagionSummary {
  /** Ticks after a shock (the shock's tick included) whose liquidations count. */
  windowTicks: number;
  /** Smallest |log move| that counts as a shock. */
  minMove: number;
  shocks: ContagionShock[];
  /** matrix[A][B]: notional liquidated in B within the windows of A's shocks (quote). */
  matrix: Record<string, Record<string, number>>;
  /** The same, by the margin mode of the liquidated account. */
  byMode: Record<MarginMode, Record<string, Record<string, number>>>;
}

/** Default window: an hour of one-minute ticks. */
export const CONTAGION_WINDOW_TICKS = 60;
/** Default shock threshold: a 2% move in log terms. */
export const CONTAGION_MIN_MOVE = 0.02;

/** Records liquidations per (tick, market, mode) and shocks per market. */
export class ContagionRecorder {
  private readonly k: number;
  /** [tick][market][mode] liquidated notional. */
  private readonly liq: Float64Array;
  private readonly shocks: ContagionShock[] = [];
  private readonly shockTicks: number[][];

  constructor(
    readonly assets: readonly string[],
    readonly ticks: number,
    /** Margin mode number of each account. */
    private readonly modes: Uint8Array,
    readonly windowTicks = CONTAGION_WINDOW_TICKS,
    readonly minMove = CONTAGION_MIN_MOVE,
  ) {
    this.k = assets.length;
    this.liq = new Float64Array(ticks * this.k * 3);
    this.shockTicks = assets.map(() => []);
  }

  /** A liquidation round in market `m`. */
  liquidation(m: number, b: LiquidationBatch): void {
    const base = (b.tick * this.k + m) * 3;
    // A takeover closes at the mark before the round, not at the round's fill price (as its notional in the cascade's figures).
    for (let n = 0; n < b.accounts.length; n++) this.liq[base + this.modes[b.accounts[n]!]!] += Math.abs(b.closed[n]!) * closePrice(b, n);
  }

  /** A shock to market `m`'s index. */
  shock(m: number, e: ShockEvent): void {
    if (!(Math.abs(e.logReturn) >= this.minMove)) return;
    this.shocks.push({ market: this.assets[m]!, tick: e.tick, logReturn: e.logReturn });
    const ts = this.shockTicks[m]!;
    if (ts[ts.length - 1] !== e.tick) ts.push(e.tick);
  }

  /** The matrix of the run. */
  summary(): ContagionSummary {
    const zero = (): Record<string, Record<string, number>> => Object.fromEntries(this.assets.map((a) => [a, Object.fromEntries(this.assets.map((b) => [b, 0]))]));
    const matrix = zero();
    const byMode = Object.fromEntries(MARGIN_MODES.map((md) => [md, zero()])) as ContagionSummary['byMode'];
    for (let a = 0; a < this.k; a++) {
      const inWindow = new Uint8Array(this.ticks);
      for (const t of this.shockTicks[a]!) inWindow.fill(1, t, Math.min(this.ticks, t + this.windowTicks));
      for (let t = 0; t < this.ticks; t++) {
        if (!inWindow[t]) continue;
        for (let b = 0; b < this.k; b++) {
          for (let md = 0; md < 3; md++) {
            const x = this.liq[(t * this.k + b) * 3 + md]!;
            if (x === 0) continue;
            matrix[this.assets[a]!]![this.assets[b]!]! += x;
            byMode[MARGIN_MODES[md]!][this.assets[a]!]![this.assets[b]!]! += x;
          }
        }
      }
    }
    this.shocks.sort((x, y) => x.tick - y.tick || this.assets.indexOf(x.market) - this.assets.indexOf(y.market));
    return { windowTicks: this.windowTicks, minMove: this.minMove, shocks: this.shocks, matrix, byMode };
  }
}
