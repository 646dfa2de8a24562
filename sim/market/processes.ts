/**
 * Exogenous index price processes. Each yields the index log-return of a tick; drift and volatility
 * are annualised (365-day year) and scaled by the tick length `dt` (years).
 */
import { readFileSync } from 'fs';
import type { RandomStream } from '../engine/rng';

/** A source of per-tick index log-returns. */
export interface IndexProcess {
  /** Log-return of tick `tick` (tick 0 is the first step away from the start price). */
  logReturn(tick: number): number;
  /** Jump component of the last return, for `shock$` (0 when none). */
  readonly lastJump: number;
}

/** The law of a process's unit-variance shocks Z: standard normal, or Student-t(ν), ν > 2. */
export type Innovations = { dist: 'normal' } | { dist: 't'; nu: number };

/**
 * A process's unit-variance shock Z_t for tick t, supplied from outside: how the processes of a
 * multi-asset world read their component of one joint (correlated) draw (sim/market/assets.ts).
 * Called once per tick, ticks in increasing order.
 */
export type ShockSource = (tick: number) => number;

/** `source` itself when it is a {@link ShockSource}, else {@link innovations} of law `law` drawn from it. */
function shockSource(source: RandomStream | ShockSource, law?: Innovations): ShockSource {
  return typeof source === 'function' ? source : innovations(source, law);
}

/**
 * A source of unit-variance shocks drawn from `rng`: standard normal (the default), or Student-t(ν)
 * scaled to unit variance, Z = T·√((ν − 2)/ν) (fat tails: excess kurtosis 6/(ν − 4) for ν > 4).
 */
export function innovations(rng: RandomStream, spec?: Innovations): () => number {
  if (!spec || spec.dist === 'normal') return () => rng.normal();
  const nu = spec.nu;
  if (!(nu > 2)) throw new RangeError(`Student-t innovations need nu > 2 (finite variance), got ${nu}`);
  const k = Math.sqrt((nu - 2) / nu);
  return () => k * rng.studentT(nu);
}

/**
 * Geometric Brownian motion: r = (μ − σ²/2)·dt + σ·√dt·Z, Z from {@link innovations}. With
 * Student-t shocks E[e^{σ√dt·Z}] is infinite, so the −σ²/2 compensation of the drift is approximate.
 * @param mu annual drift, @param sigma annual volatility, @param dt tick length in years.
 * @param rng the stream Z is drawn from with law `shocks`, or a {@link ShockSource} giving Z_t
 * (then `shocks` is not used: the source carries the law).
 */
export class GbmProcess implements IndexProcess {
  lastJump = 0;
  private readonly drift: number;
  private readonly scale: number;
  private readonly z: ShockSource;
  constructor(mu: number, sigma: number, dt: number, rng: RandomStream | ShockSource, shocks?: Innovations) {
    this.drift = (mu - 0.5 * sigma * sigma) * dt;
    this.scale = sigma * Math.sqrt(dt);
    this.z = shockSource(rng, shocks);
  }
  logReturn(tick: number): number {
    return this.drift + this.scale * this.z(tick);
  }
}

/**
 * Merton jump-diffusion: GBM plus N ~ Poisson(λ·dt) jumps, each log-normal with mean `jumpMean` and
 * standard deviation `jumpStd` (log terms). The drift is compensated so E[S_t] grows at μ:
 * r = (μ − σ²/2 − λκ)·dt + σ·√dt·Z + Σ_{k≤N} J_k, κ = e^{jumpMean + jumpStd²/2} − 1.
 * @param lambda jumps per year.
 * @param rng the stream of the jumps (N and J_k), and of Z unless `diffusion` is given.
 * @param diffusion where Z_t comes from (default: `rng.normal()`, drawn before the jumps).
 */
export class MertonProcess implements IndexProcess {
  lastJump = 0;
  private readonly drift: number;
  private readonly scale: number;
  private readonly intensity: number;
  private readonly z: ShockSource;
  constructor(
    mu: number, sigma: number, lambda: number,
    private readonly jumpMean: number, private readonly jumpStd: number,
    dt: number, private readonly rng: RandomStream, diffusion?: ShockSource,
  ) {
    const kappa = Math.exp(jumpMean + 0.5 * jumpStd * jumpStd) - 1;
    this.drift = (mu - 0.5 * sigma * sigma - lambda * kappa) * dt;
    this.scale = sigma * Math.sqrt(dt);
    this.intensity = lambda * dt;
    this.z = diffusion ?? (() => rng.normal());
  }
  logReturn(tick: number): number {
    const diffusion = this.drift + this.scale * this.z(tick);
    const n = this.rng.poisson(this.intensity);
    let jump = 0;
    for (let k = 0; k < n; k++) jump += this.jumpMean + this.jumpStd * this.rng.normal();
    this.lastJump = jump;
    return diffusion + jump;
  }
}

/**
 * GARCH(1,1) in per-tick units: r_t = σ_t·Z_t, σ²_t = ω + α·r²_{t−1} + β·σ²_{t−1}, Z from
 * {@link innovations} (unit variance, so the unconditional variance is unchanged by the law).
 * Requires α + β < 1; σ²_0 is the unconditional variance ω / (1 − α − β).
 * @param rng the stream Z is drawn from with law `shocks`, or a {@link ShockSource} giving Z_t
 * (then `shocks` is not used).
 */
export class GarchProcess implements IndexProcess {
  lastJump = 0;
  private variance: number;
  private lastReturn = 0;
  private readonly z: ShockSource;
  constructor(
    private readonly omega: number, private readonly alpha: number, private readonly beta: number,
    rng: RandomStream | ShockSource, shocks?: Innovations,
  ) {
    this.z = shockSource(rng, shocks);
    if (!(alpha >= 0 && beta >= 0 && alpha + beta < 1 && omega > 0)) {
      throw new RangeError('GARCH(1,1) needs omega > 0, alpha, beta >= 0 and alpha + beta < 1');
    }
    this.variance = omega / (1 - alpha - beta);
  }
  /** The conditional variance that the next return will use. */
  get conditionalVariance(): number {
    return this.variance;
  }
  logReturn(tick: number): number {
    if (tick > 0) this.variance = this.omega + this.alpha * this.lastReturn ** 2 + this.beta * this.variance;
    this.lastReturn = Math.sqrt(this.variance) * this.z(tick);
    return this.lastReturn;
  }
}

/** Replays a recorded price path; past its end the price stays flat. */
export class ReplayProcess implements IndexProcess {
  lastJump = 0;
  /** @param prices the path, prices[0] being the start price. */
  constructor(private readonly prices: Float64Array) {
    if (prices.length < 1) throw new RangeError('a replay path needs at least one price');
  }
  /** The start price of the path. */
  get startPrice(): number {
    return this.prices[0]!;
  }
  logReturn(tick: number): number {
    const i = tick + 1;
    if (i >= this.prices.length) return 0;
    return Math.log(this.prices[i]! / this.prices[i - 1]!);
  }
}

/**
 * Parses a CSV price path with a header `tick,price` or `time,price` (rows in order). Errors name the
 * file and line.
 */
export function parsePriceCsv(text: string, file: string): Float64Array {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').trim().toLowerCase().split(',').map((h) => h.trim());
  if (header.length !== 2 || !['tick', 'time'].includes(header[0]!) || header[1] !== 'price') {
    throw new PriceCsvError(`${file}:1: header must be 'tick,price' or 'time,price', found '${lines[0] ?? ''}'`);
  }
  const out: number[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const cells = line.split(',');
    const price = Number(cells[1]);
    if (cells.length !== 2 || !Number.isFinite(price) || price <= 0) {
      throw new PriceCsvError(`${file}:${n + 1}: expected '<${header[0]}>,<price > 0>', found '${line}'`);
    }
    out.push(price);
  }
  if (out.length === 0) throw new PriceCsvError(`${file}: no price rows`);
  return Float64Array.from(out);
}

/** A malformed replay CSV (bad input, not an internal error). */
export class PriceCsvError extends Error {}

/** Reads and parses a replay CSV file. */
export function loadPriceCsv(file: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PriceCsvError(`${file}: cannot read replay path (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsePriceCsv(text, file);
}
