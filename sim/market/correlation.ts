/**
 * Correlation of the assets' exogenous shocks: validation, the one-factor form, principal components
 * and a factor L with L·Lᵀ = C for drawing correlated (normal or multivariate-t) shocks.
 *
 * One eigen routine ({@link principalComponents}) serves the PSD check, the semi-definite factor
 * and the portfolio margin's scenarios, so they can never disagree about a matrix.
 */
import type * as MathJs from 'mathjs';

/** A correlation matrix as scenario files and callers write it: rows of numbers. */
export type CorrelationMatrix = readonly (readonly number[])[];

/** Eigenvalues at or below this are numerically zero: a (nearly) rank-deficient direction. */
export const EIGEN_TOLERANCE = 1e-10;

/**
 * Entries may differ from symmetry or a unit diagonal by this much: values written with 15 digits
 * or computed in floating point are accepted, typos are not.
 */
const ENTRY_TOLERANCE = 1e-12;

/**
 * mathjs, loaded on first use. Not its number-only build (as sim/metrics/stats.ts uses): that
 * build has no `eigs`, so a minimal instance holding `eigs` alone is created from the full one.
 */
let eigsFn: MathJs.MathJsInstance['eigs'] | undefined;
function eigs(): MathJs.MathJsInstance['eigs'] {
  if (!eigsFn) {
    const full = require('mathjs') as typeof MathJs;
    eigsFn = full.create({ eigsDependencies: full.eigsDependencies }, {}).eigs;
  }
  return eigsFn;
}

/** Principal components of a correlation matrix, largest eigenvalue first. */
export interface PrincipalComponents {
  readonly n: number;
  /** Eigenvalues λ_j in decreasing order; roundoff below 0 (within {@link EIGEN_TOLERANCE}) is set to 0. */
  readonly values: Float64Array;
  /** Unit eigenvectors: `vectors[j][i]` = V_ij, the loading of asset i on component j. */
  readonly vectors: readonly Float64Array[];
}

/** A factor L (n × n, row-major: `l[i·n + j]` = L_ij) with L·Lᵀ = C, applied by {@link correlatedShocks}. */
export interface CorrelationFactor {
  readonly n: number;
  readonly l: Float64Array;
  /** `cholesky` when C is positive definite, `eigen` (L = V·√Λ) when it is only semi-definite. */
  readonly method: 'cholesky' | 'eigen';
}

const fmt = (x: number): string => Number(x.toPrecision(6)).toString();

/**
 * Checks what can be checked entry by entry: square, finite, symmetric, unit diagonal, |C_ij| ≤ 1.
 * Positive semi-definiteness needs the eigenvalues ({@link principalComponents}).
 */
function checkEntries(c: CorrelationMatrix): number {
  const n = c.length;
  if (n === 0) throw new RangeError('a correlation matrix needs at least one asset');
  for (let i = 0; i < n; i++) {
    const row = c[i]!;
    if (row.length !== n) throw new RangeError(`correlation row ${i} has ${row.length} entries, expected ${n} (the matrix must be square)`);
    for (let j = 0; j < n; j++) {
      const x = row[j]!;
      if (!Number.isFinite(x)) throw new RangeError(`correlation[${i}][${j}] is ${x}, not a finite number`);
      if (i === j && Math.abs(x - 1) > ENTRY_TOLERANCE) throw new RangeError(`correlation[${i}][${i}] is ${x}: an asset's correlation with itself is 1`);
      if (Math.abs(x) > 1 + ENTRY_TOLERANCE) throw new RangeError(`correlation[${i}][${j}] is ${x}: a correlation lies in [-1, 1]`);
      if (j > i && Math.abs(x - c[j]![i]!) > ENTRY_TOLERANCE) throw new RangeError(`correlation[${i}][${j}] is ${x} but correlation[${j}][${i}] is ${c[j]![i]}: the matrix must be symmetric`);
    }
  }
  return n;
}

/**
 * Validates C and returns its principal components C = V·Λ·Vᵀ (eigenvalues decreasing). Throws a
 * RangeError naming the offending entry, or, when C is not positive semi-definite, the negative
 * eigenvalue (its rank, counted from the largest, and value): pairwise correlations that cannot hold
 * together, e.g. A≈B, B≈C but A opposite C.
 *
 * Eigenvectors are signed so that their largest-magnitude loading is positive, so a scenario named
 * "component 1, +3/3" reads the same on every platform.
 */
export function principalComponents(c: CorrelationMatrix): PrincipalComponents {
  const n = checkEntries(c);
  const { eigenvectors } = eigs()(c.map((row) => [...row]));
  const pairs = eigenvectors
    .map(({ value, vector }) => ({ value: value as number, vector: Float64Array.from(vector as number[]) }))
    .sort((a, b) => b.value - a.value);
  const negative = pairs.findIndex((p) => p.value < -EIGEN_TOLERANCE);
  if (negative >= 0) {
    throw new RangeError(
      `correlation matrix is not positive semi-definite: eigenvalue ${negative + 1} of ${n} is ${fmt(pairs[negative]!.value)} < 0 ` +
        `(eigenvalues: ${pairs.map((p) => fmt(p.value)).join(', ')}); some pairwise correlations contradict each other`,
    );
  }
  const values = new Float64Array(n);
  const vectors = pairs.map((p, j) => {
    values[j] = Math.max(0, p.value);
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(p.vector[i]!) > Math.abs(p.vector[big]!)) big = i;
    if (p.vector[big]! < 0) for (let i = 0; i < n; i++) p.vector[i] = -p.vector[i]!;
    return p.vector;
  });
  return { n, values, vectors };
}

/** Throws a RangeError unless C is a correlation matrix (see {@link principalComponents} for the messages). */
export function validateCorrelation(c: CorrelationMatrix): void {
  principalComponents(c);
}

/**
 * A correlation matrix from a one-factor model: each asset's return is r_i = β_i·m + ε_i, with a
 * common market factor m of volatility σ_m and an idiosyncratic ε_i of volatility s_i, independent.
 * Then σ_i² = β_i²σ_m² + s_i² and
 *
 *     C_ij = β_i·β_j·σ_m² / (σ_i·σ_j)   (i ≠ j),   C_ii = 1.
 *
 * It is positive semi-definite by construction (a covariance, rescaled). The vols share one unit
 * (per tick, per year...), which cancels.
 * @example oneFactorCorrelation({ marketVol: 1, assets: [{ beta: 1, idiosyncraticVol: 1 }, { beta: 1, idiosyncraticVol: 1 }] }) // [[1, 0.5], [0.5, 1]] (to roundoff)
 */
export function oneFactorCorrelation(a: {
  marketVol: number;
  assets: readonly { beta: number; idiosyncraticVol: number }[];
}): number[][] {
  if (!(a.marketVol >= 0 && Number.isFinite(a.marketVol))) throw new RangeError(`marketVol must be a finite number ≥ 0, got ${a.marketVol}`);
  const sys = a.assets.map(({ beta, idiosyncraticVol }, i) => {
    if (!Number.isFinite(beta)) throw new RangeError(`asset ${i}: beta must be finite, got ${beta}`);
    if (!(idiosyncraticVol >= 0 && Number.isFinite(idiosyncraticVol))) throw new RangeError(`asset ${i}: idiosyncraticVol must be a finite number ≥ 0, got ${idiosyncraticVol}`);
    const s = beta * a.marketVol;
    const total = Math.sqrt(s * s + idiosyncraticVol * idiosyncraticVol);
    if (total === 0) throw new RangeError(`asset ${i} has no volatility at all (beta × marketVol = 0 and idiosyncraticVol = 0): its correlation is undefined`);
    return s / total;
  });
  return sys.map((si, i) => sys.map((sj, j) => (i === j ? 1 : si * sj)));
}

/**
 * A factor L with L·Lᵀ = C, computed once per matrix. Cholesky first (triangular, exact to roundoff
 * for positive definite C); a pivot at or below {@link EIGEN_TOLERANCE} means C is (nearly) rank
 * deficient, where Cholesky would divide by roundoff, so L = V·√Λ from {@link principalComponents}
 * is used instead (it also carries the PSD check and its message).
 */
export function correlationFactor(c: CorrelationMatrix): CorrelationFactor {
  const n = checkEntries(c);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = c[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > EIGEN_TOLERANCE)) return eigenFactor(c);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = c[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return { n, l, method: 'cholesky' };
}

/** L = V·√Λ: column j is eigenvector j scaled by √λ_j, so L·Lᵀ = V·Λ·Vᵀ = C. */
function eigenFactor(c: CorrelationMatrix): CorrelationFactor {
  const { n, values, vectors } = principalComponents(c);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const r = Math.sqrt(values[j]!);
    for (let i = 0; i < n; i++) l[i * n + j] = vectors[j]![i]! * r;
  }
  return { n, l, method: 'eigen' };
}

/**
 * Correlated shocks from independent ones: out = L·z. With z independent standard normals, out is
 * normal with covariance L·Lᵀ = C. Writes into `out` (length n) and returns it: no allocation per tick.
 */
export function correlatedShocks(f: CorrelationFactor, z: ArrayLike<number>, out: Float64Array): Float64Array {
  const { n, l } = f;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += l[i * n + j]! * z[j]!;
    out[i] = s;
  }
  return out;
}

/** What {@link chiSquare} needs from a random stream (sim/engine/rng's RandomStream has both). */
export interface NormalSource {
  /** A standard normal draw. */
  normal(): number;
  /** A uniform draw on the open interval (0, 1). */
  open(): number;
}

/**
 * A chi-square draw with ν ≥ 2 degrees of freedom (not necessarily whole): χ²_ν = 2·Gamma(ν/2),
 * the gamma drawn by Marsaglia and Tsang's squeeze (ACM TOMS 26(3), 2000), which needs shape ν/2 ≥ 1
 * (the multivariate t needs ν > 2 anyway).
 */
export function chiSquare(rng: NormalSource, nu: number): number {
  if (!(nu >= 2)) throw new RangeError(`chi-square degrees of freedom must be ≥ 2, got ${nu}`);
  const d = nu / 2 - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    if (Math.log(rng.open()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return 2 * d * v;
  }
}

/**
 * Turns a vector of (correlated) normal shocks into a multivariate Student-t with ν > 2 degrees of
 * freedom and unit variance, in place: every entry is multiplied by the same factor
 *
 *     w = √(ν / χ²_ν) · √((ν − 2) / ν) = √((ν − 2) / χ²_ν).
 *
 * √(ν/χ²_ν) makes each entry a t_ν; √((ν−2)/ν) rescales its variance ν/(ν−2) back to 1, since
 * E[1/χ²_ν] = 1/(ν − 2). One χ² per tick for all assets: a small χ² is a crash for every asset at
 * once (tail dependence), which independent t draws per asset would not give. Correlations are kept.
 */
export function scaleToStudentT(shocks: Float64Array, nu: number, chi2: number): Float64Array {
  if (!(nu > 2)) throw new RangeError(`a unit-variance Student-t needs ν > 2 degrees of freedom, got ${nu}`);
  const w = Math.sqrt((nu - 2) / chi2);
  for (let i = 0; i < shocks.length; i++) shocks[i] = shocks[i]! * w;
  return shocks;
}
