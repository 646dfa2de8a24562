import fc from 'fast-check';

/**
 * Random correlation matrices: C = A·Aᵀ with A's n rows normalised, A being n × k. Every such C is
 * positive semi-definite with a unit diagonal, and its rank is at most k: k < n gives the singular
 * (rank-deficient) matrices that Cholesky cannot factor.
 */
export function correlationArb(opts: { minN?: number; maxN?: number } = {}): fc.Arbitrary<number[][]> {
  return fc
    .record({ n: fc.integer({ min: opts.minN ?? 1, max: opts.maxN ?? 6 }), k: fc.integer({ min: 1, max: 7 }) })
    .chain(({ n, k }) =>
      fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: k, maxLength: k }), { minLength: n, maxLength: n }),
    )
    .filter((a) => a.every((row) => Math.hypot(...row) > 1e-3))
    .map((a) => {
      const rows = a.map((row) => {
        const norm = Math.hypot(...row);
        return row.map((v) => v / norm);
      });
      return rows.map((ri, i) => rows.map((rj, j) => (i === j ? 1 : ri.reduce((s, v, m) => s + v * rj[m]!, 0))));
    });
}

/** max |(L·Lᵀ)_ij − C_ij| for a row-major n × n factor. */
export function factorError(l: Float64Array, c: readonly (readonly number[])[]): number {
  const n = c.length;
  let err = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
      err = Math.max(err, Math.abs(s - c[i]![j]!));
    }
  }
  return err;
}
