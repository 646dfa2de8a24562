/**
 * Statistics across the seeds of a Monte Carlo run, generic over summary fields: numeric fields get
 * nearest-rank percentiles (beside the mean and interval of `sim/metrics/stats`), true/false fields
 * the share of seeds where they hold. Whatever fields the summary has, these work on them.
 */

/** A summary field's value in one run (as `summaryValue` reads it): a number, a true/false flag, null, or absent. */
export type FieldValue = number | boolean | null | undefined;

/** Every dotted path of a summary that holds a number, null or a boolean, split by kind; identity fields excluded. */
export function summaryFields(sample: unknown, exclude: readonly string[] = ['seed', 'ticks', 'agents']): { numeric: string[]; boolean: string[] } {
  const numeric: string[] = [], boolean: string[] = [];
  const walk = (o: unknown, prefix: string) => {
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (exclude.includes(path)) continue;
      if (typeof v === 'boolean') boolean.push(path);
      else if (typeof v === 'number' || v === null) numeric.push(path);
      else if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v, path);
    }
  };
  walk(sample, '');
  return { numeric, boolean };
}

/**
 * The nearest-rank p-quantile of `xs` (sorted ascending, non-empty): the ⌈p·n⌉-th smallest value,
 * the smallest for p = 0. @example nearestRank([1, 2, 3, 4], 0.5) // 2
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

/** p5, p50 and p95 (nearest rank) of the finite values of a sample; null when there are none. */
export interface Percentiles {
  p5: number | null;
  p50: number | null;
  p95: number | null;
}

/** {@link Percentiles} of the finite values of `xs`. */
export function percentiles(xs: readonly FieldValue[]): Percentiles {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { p5: null, p50: null, p95: null };
  return { p5: nearestRank(v, 0.05), p50: nearestRank(v, 0.5), p95: nearestRank(v, 0.95) };
}

/** How often a true/false field holds across seeds. */
export interface Share {
  /** Runs with a true or false value. */
  n: number;
  /** Fraction of them where it is true; null when n = 0. */
  share: number | null;
}

/** {@link Share} of the true/false values of `xs`. */
export function share(xs: readonly FieldValue[]): Share {
  const b = xs.filter((x): x is boolean => typeof x === 'boolean');
  return { n: b.length, share: b.length === 0 ? null : b.filter(Boolean).length / b.length };
}
