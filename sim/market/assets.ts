/**
 * The exogenous index processes of a world's assets, drawn jointly: one correlated shock vector a
 * tick (DESIGN.md "Many assets, margin modes, venues and protocols": assets move correlated, through
 * one factor L·Lᵀ = C), read by each asset's process as its own component.
 *
 * Streams: one asset without a correlation is the single-market process exactly (stream
 * `market/index`). Several assets draw the independent normal vector z from `market/joint`, the
 * multivariate t's common χ² from `market/joint/chi2`, and whatever is the asset's own (Merton's
 * jump counts and sizes) from `market/index/<name>`.
 */
import type { RandomStream, RandomStreams } from '../engine/rng';
import { chiSquare, correlatedShocks, correlationFactor, scaleToStudentT, type CorrelationFactor, type CorrelationMatrix } from './correlation';
import { GarchProcess, GbmProcess, MertonProcess, ReplayProcess, type IndexProcess, type Innovations, type ShockSource } from './processes';

/** The exogenous index process and its parameters (annualised unless noted). */
export type ProcessSpec =
  | { kind: 'gbm'; mu: number; sigma: number; innovations?: Innovations }
  | { kind: 'merton'; mu: number; sigma: number; lambda: number; jumpMean: number; jumpStd: number }
  | { kind: 'garch'; omega: number; alpha: number; beta: number; innovations?: Innovations }
  | { kind: 'replay'; prices: Float64Array };

/** One asset's index: its name (stream names, errors) and process. */
export interface IndexSpec {
  name: string;
  process: ProcessSpec;
}

/**
 * The process of `spec`, its own draws from `rng`; the unit-variance shock Z_t from `z` when given
 * (GBM, GARCH, Merton's diffusion), else from `rng` with the spec's innovations. Replay draws nothing.
 */
function buildProcess(spec: ProcessSpec, dt: number, rng: RandomStream, z?: ShockSource): IndexProcess {
  switch (spec.kind) {
    case 'gbm': return new GbmProcess(spec.mu, spec.sigma, dt, z ?? rng, spec.innovations);
    case 'merton': return new MertonProcess(spec.mu, spec.sigma, spec.lambda, spec.jumpMean, spec.jumpStd, dt, rng, z);
    case 'garch': return new GarchProcess(spec.omega, spec.alpha, spec.beta, z ?? rng, spec.innovations);
    case 'replay': return new ReplayProcess(spec.prices);
  }
}

/**
 * The single-market index process: every draw (shocks, jumps) from the stream `market/index`,
 * Student-t shocks by the univariate draw of processes.ts' `innovations`, T·√((ν − 2)/ν).
 * @param dt tick length in years.
 */
export function makeProcess(spec: ProcessSpec, dt: number, streams: RandomStreams): IndexProcess {
  return buildProcess(spec, dt, streams.stream('market/index'));
}

/**
 * One correlated shock vector a tick, shared by the processes of a world's n assets. On the first
 * request for a tick t it draws z ~ N(0, I_n) from `joint` and forms
 *
 *     x = L·z   (normal, covariance L·Lᵀ = C; x = z when there is no factor: independent assets),
 *
 * and, when the world has Student-t assets, one common χ²_ν from `mixing` and
 *
 *     y = x · √((ν − 2) / χ²_ν)   (multivariate t_ν, unit variance, correlation C).
 *
 * Every asset reads its component i: {@link normal} gives x_i, {@link studentT} gives y_i. Further
 * requests for the same tick read the same vector; ticks are requested in increasing order (a tick
 * other than the last drawn one draws a new vector). Why one χ² for all: a small χ² scales every
 * asset's shock up at once, so crashes are joint (tail dependence), which independent t draws per
 * asset, or a t copula with different ν per asset without a common mixing, would not give.
 */
export class JointShocks {
  private drawn = Number.NaN;
  private readonly z: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;

  /**
   * @param n number of assets; @param factor L (n × n), or undefined for independent assets.
   * @param nu the t assets' common ν > 2, or undefined when no asset uses Student-t shocks.
   * @param mixing the stream of the χ² draws (needed with `nu`).
   */
  constructor(
    readonly n: number, private readonly factor: CorrelationFactor | undefined,
    private readonly joint: RandomStream, readonly nu?: number, private readonly mixing?: RandomStream,
  ) {
    if (factor && factor.n !== n) throw new RangeError(`correlation factor is ${factor.n}×${factor.n} but there are ${n} assets`);
    if (nu !== undefined && !(nu > 2)) throw new RangeError(`Student-t shocks need ν > 2 (finite variance), got ${nu}`);
    if (nu !== undefined && !mixing) throw new RangeError('Student-t shocks need a stream for the χ² mixing draw');
    this.z = new Float64Array(n);
    this.x = factor ? new Float64Array(n) : this.z;
    this.y = nu !== undefined ? new Float64Array(n) : this.x;
  }

  /** Component i of tick t's normal vector x = L·z. */
  normal(i: number, tick: number): number {
    this.draw(tick);
    return this.x[i]!;
  }

  /** Component i of tick t's multivariate-t vector y = x·√((ν − 2)/χ²_ν) (x_i when there is no ν). */
  studentT(i: number, tick: number): number {
    this.draw(tick);
    return this.y[i]!;
  }

  /** Draws tick t's vectors unless they are drawn already. */
  private draw(tick: number): void {
    if (tick === this.drawn) return;
    this.drawn = tick;
    const { n, z } = this;
    for (let j = 0; j < n; j++) z[j] = this.joint.normal();
    if (this.factor) correlatedShocks(this.factor, z, this.x);
    if (this.nu !== undefined) {
      this.y.set(this.x);
      scaleToStudentT(this.y, this.nu, chiSquare(this.mixing!, this.nu));
    }
  }
}

/** The innovations of a spec (Merton's diffusion and replay: none, i.e. normal or unused). */
function innovationsOf(spec: ProcessSpec): Innovations | undefined {
  return spec.kind === 'gbm' || spec.kind === 'garch' ? spec.innovations : undefined;
}

/**
 * The index processes of a world's assets, one per spec, in order; `market.beginTick` of each asset
 * calls its `logReturn(t)` once per tick, and the first call of a tick draws the joint vector
 * ({@link JointShocks}), which every asset then reads its component of:
 *
 * - GBM: r_i = (μ_i − σ_i²/2)·dt + σ_i·√dt·Z_i;  GARCH: r_i = σ_{i,t}·Z_i with its own σ²_{i,t}
 *   recursion;  Merton: GBM with Z_i plus its own jumps (N ~ Poisson(λ_i·dt), sizes N(m_i, s_i²)) from
 *   `market/index/<name>`, independent across assets;  replay: the recorded path, shocks ignored
 *   (its component is drawn and unused, so the other assets' draws do not depend on it).
 * - Z_i is x_i = (L·z)_i for normal innovations, y_i = x_i·√((ν − 2)/χ²_ν) for Student-t ones (one
 *   χ² a tick for all t assets: a multivariate t, unit variance, correlation C, tail dependence,
 *   also between assets whose correlation is 0). Normal assets in the same world read the unscaled x_i.
 *
 * One asset with no correlation (or [[1]]) is {@link makeProcess} exactly: the stream `market/index`,
 * the same draws, so single-market scenarios give byte-identical outputs.
 *
 * Determinism: the same seed gives the same paths; an asset's jumps depend only on the seed and its
 * name. The joint vector z has one entry per asset, so adding or removing an asset (or reordering
 * them) changes every asset's diffusion shocks; switching an asset between normal and t shocks does
 * not change the normal assets' (the χ² has its own stream).
 *
 * @param correlation C (n × n, in the assets' order), or undefined for independent assets. L with
 * L·Lᵀ = C is computed once ({@link correlationFactor}: Cholesky, or V·√Λ when C is only semi-definite).
 * @param dtYears tick length in years.
 * @throws RangeError when C is not n × n, not a correlation matrix, names repeat, or the Student-t
 * assets do not share one ν (the multivariate t has a single ν: one χ²_ν scales every t component).
 */
export function createIndexProcesses(
  specs: readonly IndexSpec[], correlation: CorrelationMatrix | undefined, dtYears: number, streams: RandomStreams,
): IndexProcess[] {
  const n = specs.length;
  if (n === 0) throw new RangeError('a world needs at least one asset');
  if (correlation && correlation.length !== n) {
    throw new RangeError(`correlation matrix has ${correlation.length} rows but there are ${n} assets (${specs.map((s) => s.name).join(', ')}): it must be ${n}×${n}, in the assets' order`);
  }
  const factor = correlation ? correlationFactor(correlation) : undefined;
  if (n === 1) return [makeProcess(specs[0]!.process, dtYears, streams)];

  const seen = new Set<string>();
  let nu: number | undefined;
  let nuOwner = '';
  for (const { name, process } of specs) {
    if (seen.has(name)) throw new RangeError(`asset name '${name}' is used twice: names key the assets' random streams`);
    seen.add(name);
    const law = innovationsOf(process);
    if (law?.dist !== 't') continue;
    if (nu === undefined) {
      nu = law.nu;
      nuOwner = name;
    } else if (law.nu !== nu) {
      throw new RangeError(`Student-t assets must share one ν (one common χ² draw makes the multivariate t): '${nuOwner}' has ν = ${nu}, '${name}' has ν = ${law.nu}`);
    }
  }
  const shocks = new JointShocks(n, factor, streams.stream('market/joint'), nu, nu === undefined ? undefined : streams.stream('market/joint/chi2'));
  return specs.map(({ name, process }, i) => {
    const z: ShockSource = innovationsOf(process)?.dist === 't' ? (t) => shocks.studentT(i, t) : (t) => shocks.normal(i, t);
    return buildProcess(process, dtYears, streams.stream(`market/index/${name}`), z);
  });
}
