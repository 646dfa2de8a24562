import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chiSquare, correlatedShocks, correlationFactor, oneFactorCorrelation, principalComponents, scaleToStudentT, validateCorrelation,
} from '../../sim/market/correlation';
import { RandomStream } from '../../sim/engine/rng';
import { correlationArb, factorError } from '../helpers/correlation';

const C3 = [
  [1, 0.8, 0.3],
  [0.8, 1, 0.5],
  [0.3, 0.5, 1],
];

/** Sample means, variances and correlations of draws `rows` (each of length n). */
function moments(rows: Float64Array[]): { mean: number[]; variance: number[]; corr: number[][] } {
  const n = rows[0]!.length;
  const N = rows.length;
  const mean = Array.from({ length: n }, (_, i) => rows.reduce((s, r) => s + r[i]!, 0) / N);
  const cov = mean.map((mi, i) => mean.map((mj, j) => rows.reduce((s, r) => s + (r[i]! - mi) * (r[j]! - mj), 0) / (N - 1)));
  return { mean, variance: cov.map((r, i) => r[i]!), corr: cov.map((r, i) => r.map((v, j) => v / Math.sqrt(cov[i]![i]! * cov[j]![j]!))) };
}

describe('validating a correlation matrix', () => {
  it('accepts correlation matrices, singular ones included', () => {
    expect(() => validateCorrelation(C3)).not.toThrow();
    expect(() => validateCorrelation([[1, 1], [1, 1]])).not.toThrow();
    expect(() => validateCorrelation([[1, -1], [-1, 1]])).not.toThrow();
    fc.assert(fc.property(correlationArb(), (c) => validateCorrelation(c)), { numRuns: 200, seed: 1201 });
  });

  it('says what is wrong: shape, entries, symmetry, diagonal, range, and which eigenvalue is negative', () => {
    const msg = (c: number[][]): string => {
      try {
        validateCorrelation(c);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(msg([])).toMatchInlineSnapshot(`"a correlation matrix needs at least one asset"`);
    expect(msg([[1, 0.5], [0.5]])).toMatchInlineSnapshot(`"correlation row 1 has 1 entries, expected 2 (the matrix must be square)"`);
    expect(msg([[1, NaN], [NaN, 1]])).toMatchInlineSnapshot(`"correlation[0][1] is NaN, not a finite number"`);
    expect(msg([[1, 0.5], [0.4, 1]])).toMatchInlineSnapshot(`"correlation[0][1] is 0.5 but correlation[1][0] is 0.4: the matrix must be symmetric"`);
    expect(msg([[1, 0.5], [0.5, 0.9]])).toMatchInlineSnapshot(`"correlation[1][1] is 0.9: an asset's correlation with itself is 1"`);
    expect(msg([[1, 1.2], [1.2, 1]])).toMatchInlineSnapshot(`"correlation[0][1] is 1.2: a correlation lies in [-1, 1]"`);
    // A ≈ B and B ≈ C, yet A opposite C: along (1, −1, 1)/√3 the variance would be 1 − 1.8 = −0.8.
    expect(msg([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])).toMatchInlineSnapshot(`"correlation matrix is not positive semi-definite: eigenvalue 3 of 3 is -0.8 < 0 (eigenvalues: 1.9, 1.9, -0.8); some pairwise correlations contradict each other"`);
  });
});

describe('the one-factor form', () => {
  it('gives C_ij = β_i β_j σ_m² / (σ_i σ_j) with σ_i² = β_i² σ_m² + s_i²', () => {
    const half = oneFactorCorrelation({ marketVol: 1, assets: [{ beta: 1, idiosyncraticVol: 1 }, { beta: 1, idiosyncraticVol: 1 }] });
    expect(half[0]![1]).toBeCloseTo(0.5, 15);
    expect(half[1]![0]).toBe(half[0]![1]);
    const c = oneFactorCorrelation({ marketVol: 0.6, assets: [{ beta: 1, idiosyncraticVol: 0 }, { beta: 1.5, idiosyncraticVol: 0.5 }, { beta: -0.5, idiosyncraticVol: 0.3 }] });
    const sigma = [0.6, Math.hypot(0.9, 0.5), Math.hypot(0.3, 0.3)];
    expect(c[0]![1]).toBeCloseTo((1 * 1.5 * 0.36) / (sigma[0]! * sigma[1]!), 14);
    expect(c[1]![2]).toBeCloseTo((1.5 * -0.5 * 0.36) / (sigma[1]! * sigma[2]!), 14);
    expect(c[0]![0]).toBe(1);
  });

  it('is always a valid correlation matrix', () => {
    // Each asset's total vol above 1e-6 at the smallest marketVol (0.01), so at every marketVol.
    // Filtered per asset: a precondition on the whole world rejected ~85 worlds for each one kept,
    // near fast-check's limit.
    const asset = fc.record({ beta: fc.double({ min: -3, max: 3, noNaN: true }), idiosyncraticVol: fc.double({ min: 0, max: 2, noNaN: true }) })
      .filter((a) => Math.hypot(a.beta * 0.01, a.idiosyncraticVol) > 1e-6);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 2, noNaN: true }), fc.array(asset, { minLength: 1, maxLength: 6 }), (marketVol, assets) => {
        validateCorrelation(oneFactorCorrelation({ marketVol, assets }));
      }),
      { numRuns: 200, seed: 1202 },
    );
  });

  it('rejects an asset with no volatility at all', () => {
    expect(() => oneFactorCorrelation({ marketVol: 0, assets: [{ beta: 1, idiosyncraticVol: 0 }] })).toThrowErrorMatchingInlineSnapshot(`[RangeError: asset 0 has no volatility at all (beta × marketVol = 0 and idiosyncraticVol = 0): its correlation is undefined]`);
  });
});

describe('principal components', () => {
  it('decompose C = V·Λ·Vᵀ with orthonormal V, decreasing λ, and the largest loading positive', () => {
    fc.assert(
      fc.property(correlationArb(), (c) => {
        const { n, values, vectors } = principalComponents(c);
        for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
        for (let j = 0; j < n; j++) {
          const v = vectors[j]!;
          const big = v.reduce((b, x, i) => (Math.abs(x) > Math.abs(v[b]!) ? i : b), 0);
          expect(v[big]!).toBeGreaterThan(0);
          for (let k = 0; k < n; k++) expect(Math.abs(v.reduce((s, x, i) => s + x * vectors[k]![i]!, 0) - (j === k ? 1 : 0))).toBeLessThan(1e-12);
        }
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < n; k++) {
            const s = values.reduce((acc, l, j) => acc + vectors[j]![i]! * l * vectors[j]![k]!, 0);
            expect(Math.abs(s - c[i]![k]!)).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 200, seed: 1203 },
    );
  });
});

describe('the factor L with L·Lᵀ = C', () => {
  it('reproduces C to 1e-12 on random correlation matrices, by Cholesky when definite and by eigenvectors when singular', () => {
    const methods = { cholesky: 0, eigen: 0 };
    fc.assert(
      fc.property(correlationArb(), (c) => {
        const f = correlationFactor(c);
        methods[f.method]++;
        expect(factorError(f.l, c)).toBeLessThan(1e-12);
        if (f.method === 'cholesky') for (let i = 0; i < f.n; i++) for (let j = i + 1; j < f.n; j++) expect(f.l[i * f.n + j]).toBe(0);
      }),
      { numRuns: 300, seed: 1204 },
    );
    // Both routes were exercised (rank k < n makes the singular cases).
    expect(Math.min(methods.cholesky, methods.eigen), JSON.stringify(methods)).toBeGreaterThan(10);
  });

  it('handles rank-deficient matrices: a perfectly (anti-)correlated pair, all ones, a duplicated asset', () => {
    const singular = [
      [[1, 1], [1, 1]],
      [[1, -1], [-1, 1]],
      [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
      [[1, 0.8, 0.8], [0.8, 1, 1], [0.8, 1, 1]],
    ];
    for (const c of singular) {
      const f = correlationFactor(c);
      expect(f.method, JSON.stringify(c)).toBe('eigen');
      expect(factorError(f.l, c)).toBeLessThan(1e-12);
    }
    expect(correlationFactor(C3).method).toBe('cholesky');
    expect(correlationFactor([[1]]).l).toEqual(Float64Array.of(1));
  });

  it('rejects a matrix that is not positive semi-definite with the eigenvalue message', () => {
    expect(() => correlationFactor([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])).toThrow(/eigenvalue 3 of 3 is -0\.8 < 0/);
  });

  it('draws shocks whose sample correlation over 200k draws is within 0.01 of C', () => {
    const rng = new RandomStream(12, 'correlation');
    const f = correlationFactor(C3);
    const z = new Float64Array(3);
    const rows = Array.from({ length: 200_000 }, () => {
      for (let i = 0; i < 3; i++) z[i] = rng.normal();
      return correlatedShocks(f, z, new Float64Array(3));
    });
    const { corr, variance } = moments(rows);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(variance[i]! - 1)).toBeLessThan(0.015);
      for (let j = 0; j < 3; j++) expect(Math.abs(corr[i]![j]! - C3[i]![j]!), `${i},${j}`).toBeLessThan(0.01);
    }
  });
});

describe('multivariate Student t', () => {
  it('draws chi-square with mean ν and variance 2ν', () => {
    const rng = new RandomStream(12, 'chi2');
    for (const nu of [2, 3.5, 8]) {
      const xs = Array.from({ length: 100_000 }, () => chiSquare(rng, nu));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
      expect(Math.abs(mean - nu) / nu, `ν=${nu}`).toBeLessThan(0.01);
      expect(Math.abs(variance - 2 * nu) / (2 * nu), `ν=${nu}`).toBeLessThan(0.03);
    }
    expect(() => chiSquare(rng, 1)).toThrow(/≥ 2/);
  });

  it('scales by one common √((ν − 2)/χ²_ν): unit variance, correlations kept, crashes joint', () => {
    const rng = new RandomStream(12, 'student');
    const nu = 8;
    const f = correlationFactor(C3);
    const indep = correlationFactor([[1, 0], [0, 1]]);
    const z = new Float64Array(3);
    const t: Float64Array[] = [];
    const tIndep: Float64Array[] = [];
    for (let k = 0; k < 200_000; k++) {
      for (let i = 0; i < 3; i++) z[i] = rng.normal();
      t.push(scaleToStudentT(correlatedShocks(f, z, new Float64Array(3)), nu, chiSquare(rng, nu)));
      tIndep.push(scaleToStudentT(correlatedShocks(indep, z, new Float64Array(2)), nu, chiSquare(rng, nu)));
    }
    const m = moments(t);
    for (let i = 0; i < 3; i++) {
      // Var of a sample variance of t_8 (kurtosis 4.5) over 200k draws: sd ≈ 0.004.
      expect(Math.abs(m.variance[i]! - 1)).toBeLessThan(0.02);
      for (let j = 0; j < 3; j++) expect(Math.abs(m.corr[i]![j]! - C3[i]![j]!)).toBeLessThan(0.01);
    }
    // Uncorrelated yet dependent: the common χ² makes large moves coincide. With one mixing draw,
    // E[w⁴] = (ν−2)/(ν−4), so corr(x₁², x₂²) = (2/(ν−4)) / (3(ν−2)/(ν−4) − 1) = 1/(ν − 1) = 1/7;
    // a χ² per asset would give 0.
    const sq = moments(tIndep.map((r) => r.map((x) => x * x)));
    expect(Math.abs(moments(tIndep).corr[0]![1]!)).toBeLessThan(0.01);
    expect(Math.abs(sq.corr[0]![1]! - 1 / 7), `corr of squares ${sq.corr[0]![1]}`).toBeLessThan(0.05);
    expect(() => scaleToStudentT(new Float64Array(1), 2, 1)).toThrow(/ν > 2/);
  });
});
