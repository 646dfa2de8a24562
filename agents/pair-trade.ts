import { ewmaDecay } from '../sim/engine/clock';
import { AccountState } from '../sim/exchange/accounts';
import { accountEquity, checkAsset, fundMarkets, needMarkets, orderToNotional } from './multi-asset';
import type { AgentPopulation } from './population';
import type { StrategyDefinition } from './strategy';

/**
 * Relative-value pair traders: long asset `long`, short asset `short`, sized by their beta.
 *
 *     hedge ratio  β = `beta`                                 (betaHalfLife = 0)
 *                  β = max(0, Ĉ / V̂) once betaHalfLife returns are seen, `beta` before
 *                      Ĉ ← λ·Ĉ + (1 − λ)·r_L·r_S,  V̂ ← λ·V̂ + (1 − λ)·r_S²,  λ = 0.5^(1/betaHalfLife)
 *                      (r = the marks' log returns per tick; EWMA around zero)
 *     gross        G = leverage × E                           (E: account equity over every market)
 *     targets      x_L = G / (1 + β),  x_S = −β × G / (1 + β)   (so |x_S| = β·x_L)
 *     spread       s = ln p_L − ln p_S;  z = (s − μ̂) / σ̂, μ̂ and σ̂² EWMAs of s (half-life zHalfLife),
 *                  taken before this tick's s enters them (z = 0 for the first zHalfLife ticks)
 *
 * Rule, each tick an agent acts: with `entryZ` = 0 a flat agent enters at once and stays in; with
 * `entryZ` > 0 it enters when z ≤ −entryZ (the long leg cheap against the short) and exits (both
 * legs to 0) when z ≥ −exitZ. While in, it goes back to the targets when a leg is off its target
 * by more than `band` × G. (For the opposite trade, swap `long` and `short`.) When one leg's
 * isolated wallet has been liquidated, the other leg is closed: the pair is never held on one leg.
 *
 * Isolated agents put collateral into each leg's wallet at init, in the ratio 1 : β (β = `beta`).
 * Statistics are kept once per distinct (long, short, betaHalfLife, zHalfLife).
 */
export const pairTrade: StrategyDefinition = {
  name: 'pair-trade',
  summary: 'long asset `long`, short β × as much of asset `short` (β fixed or EWMA-estimated), gross leverage × equity, optional z-score entry/exit on the log spread',
  minAssets: 2,
  params: {
    long: { default: 0, min: 0, integer: true, unit: 'asset', doc: 'asset number of the long leg' },
    short: { default: 1, min: 0, integer: true, unit: 'asset', doc: 'asset number of the short leg' },
    beta: { default: 1, min: 0, unit: 'ratio', doc: 'hedge ratio (short notional / long notional) when betaHalfLife is 0, and before an estimate exists' },
    betaHalfLife: { default: 0, min: 0, unit: 'ticks', doc: 'half-life of the EWMA estimate of β = cov(r_long, r_short) / var(r_short); 0 = fixed `beta`' },
    zHalfLife: { default: 100, min: 1, unit: 'ticks', doc: 'half-life of the EWMA mean and variance of the log spread' },
    entryZ: { default: 0, min: 0, unit: 'z', doc: 'enter when z ≤ −entryZ (0 = enter at once and hold)' },
    exitZ: { default: 0, unit: 'z', doc: 'exit when z ≥ −exitZ (only with entryZ > 0)' },
    band: { default: 0.1, min: 0, unit: 'fraction of gross', doc: 'rebalance when a leg is off its target by more than this' },
  },
  init(pop) {
    needMarkets(pop);
    const st = new PairState(pop);
    states.set(pop, st);
    const lo = pop.param('long'), sh = pop.param('short'), beta = pop.param('beta');
    const w = new Float64Array(pop.venue.markets.length);
    for (let k = 0; k < pop.count; k++) {
      w.fill(0);
      w[lo[k]!] = 1;
      w[sh[k]!] = beta[k]!;
      fundMarkets(pop, k, w);
    }
  },
  decide(pop, tick, _market, ex) {
    const st = states.get(pop)!;
    st.update();
    const v = pop.venue;
    const lo = pop.param('long'), sh = pop.param('short'), beta = pop.param('beta'), bhl = pop.param('betaHalfLife');
    const entryZ = pop.param('entryZ'), exitZ = pop.param('exitZ'), band = pop.param('band');
    const slot = st.slot;
    // A managed account's state is one over every market (acts() reads it); an isolated one has a wallet per leg.
    const xs = v.exchanges, isolated = !pop.managed;
    for (let k = 0; k < pop.count; k++) {
      const i = pop.first + k, s = slot[k]!, mL = lo[k]!, mS = sh[k]!;
      if (isolated && (xs[mL]!.accounts.state[i] !== AccountState.Active || xs[mS]!.accounts.state[i] !== AccountState.Active)) {
        // An isolated leg's wallet was liquidated: the pair is broken, and the other leg is closed, not held alone.
        orderToNotional(pop, i, mL, 0);
        orderToNotional(pop, i, mS, 0);
        continue;
      }
      if (!pop.acts(k, tick, ex)) continue;
      const xL = v.notional(i, mL), xS = v.notional(i, mS);
      const open = xL !== 0 || xS !== 0;
      const z = st.z[s]!;
      if (entryZ[k]! > 0) {
        if (open && z >= -exitZ[k]!) {
          orderToNotional(pop, i, mL, 0);
          orderToNotional(pop, i, mS, 0);
          continue;
        }
        if (!open && !(z <= -entryZ[k]!)) continue;
      }
      const e = accountEquity(pop, i);
      if (!(e > 0)) continue;
      const b = bhl[k]! > 0 && st.seen[s]! >= bhl[k]! && st.beta[s]! >= 0 ? st.beta[s]! : beta[k]!;
      const g = pop.leverage[k]! * e;
      const tL = g / (1 + b), tS = -b * tL;
      if (open && Math.abs(xL - tL) <= band[k]! * g && Math.abs(xS - tS) <= band[k]! * g) continue;
      orderToNotional(pop, i, mL, tL);
      orderToNotional(pop, i, mS, tS);
    }
  },
};

const states = new WeakMap<AgentPopulation, PairState>();

/** The pairs' statistics, one slot per distinct (long, short, betaHalfLife, zHalfLife). */
class PairState {
  /** Each agent's slot. */
  readonly slot: Int32Array;
  private readonly legL: Int32Array;
  private readonly legS: Int32Array;
  private readonly lamB: Float64Array;
  private readonly lamZ: Float64Array;
  /** Ticks before z is used (zHalfLife). */
  private readonly warmZ: Float64Array;
  private readonly lastL: Float64Array;
  private readonly lastS: Float64Array;
  private readonly cov: Float64Array;
  private readonly varS: Float64Array;
  private readonly mean: Float64Array;
  private readonly varSpread: Float64Array;
  /** Returns seen, estimated β (NaN until the short leg has moved) and the current z-score, per slot. */
  readonly seen: Float64Array;
  readonly beta: Float64Array;
  readonly z: Float64Array;

  constructor(private readonly pop: AgentPopulation) {
    const lo = pop.param('long'), sh = pop.param('short'), bhl = pop.param('betaHalfLife'), zhl = pop.param('zHalfLife');
    const keys = new Map<string, number>();
    const rows: number[][] = [];
    this.slot = new Int32Array(pop.count);
    for (let k = 0; k < pop.count; k++) {
      checkAsset(pop, 'long', lo[k]!);
      checkAsset(pop, 'short', sh[k]!);
      if (lo[k] === sh[k]) throw new RangeError(`population ${pop.name} (pair-trade): long and short are the same asset (${lo[k]})`);
      const key = `${lo[k]}/${sh[k]}/${bhl[k]}/${zhl[k]}`;
      let s = keys.get(key);
      if (s === undefined) {
        s = rows.length;
        keys.set(key, s);
        rows.push([lo[k]!, sh[k]!, bhl[k]!, zhl[k]!]);
      }
      this.slot[k] = s;
    }
    const n = rows.length;
    this.legL = Int32Array.from(rows, (r) => r[0]!);
    this.legS = Int32Array.from(rows, (r) => r[1]!);
    this.lamB = Float64Array.from(rows, (r) => (r[2]! > 0 ? ewmaDecay(r[2]!) : 0));
    this.lamZ = Float64Array.from(rows, (r) => ewmaDecay(r[3]!));
    this.warmZ = Float64Array.from(rows, (r) => r[3]!);
    this.lastL = new Float64Array(n);
    this.lastS = new Float64Array(n);
    this.cov = new Float64Array(n);
    this.varS = new Float64Array(n);
    this.mean = new Float64Array(n);
    this.varSpread = new Float64Array(n);
    this.seen = new Float64Array(n);
    this.beta = new Float64Array(n).fill(NaN);
    this.z = new Float64Array(n);
    const mk = pop.venue.markets;
    for (let s = 0; s < n; s++) {
      this.lastL[s] = Math.log(mk[this.legL[s]!]!.mark);
      this.lastS[s] = Math.log(mk[this.legS[s]!]!.mark);
      this.mean[s] = this.lastL[s]! - this.lastS[s]!;
    }
  }

  /** Takes this tick's marks into every slot's statistics (z from the EWMAs before this tick's spread). */
  update(): void {
    const mk = this.pop.venue.markets;
    for (let s = 0; s < this.lastL.length; s++) {
      const lL = Math.log(mk[this.legL[s]!]!.mark), lS = Math.log(mk[this.legS[s]!]!.mark);
      const rL = lL - this.lastL[s]!, rS = lS - this.lastS[s]!;
      this.lastL[s] = lL;
      this.lastS[s] = lS;
      const lb = this.lamB[s]!, lz = this.lamZ[s]!;
      this.seen[s]++;
      if (lb > 0) {
        this.cov[s] = lb * this.cov[s]! + (1 - lb) * rL * rS;
        this.varS[s] = lb * this.varS[s]! + (1 - lb) * rS * rS;
        if (this.varS[s]! > 0) this.beta[s] = Math.max(0, this.cov[s]! / this.varS[s]!);
      }
      const spread = lL - lS, mu = this.mean[s]!, sd = Math.sqrt(this.varSpread[s]!);
      this.z[s] = sd > 0 && this.seen[s]! > this.warmZ[s]! ? (spread - mu) / sd : 0;
      this.mean[s] = lz * mu + (1 - lz) * spread;
      this.varSpread[s] = lz * this.varSpread[s]! + (1 - lz) * (spread - mu) * (spread - mu);
    }
  }
}
