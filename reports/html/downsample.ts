/**
 * Min–max downsampling for long runs: each bucket of consecutive points keeps its minimum and its
 * maximum (in time order), so a crash stays visible however much the series is thinned.
 */

/** Indices to keep from `ys` so at most ~`maxPoints` remain, keeping each bucket's min and max. */
export function minMaxIndices(ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = ys.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = n / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor(b * size), hi = Math.min(n, Math.floor((b + 1) * size));
    let iMin = lo, iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (ys[i]! < ys[iMin]!) iMin = i;
      if (ys[i]! > ys[iMax]!) iMax = i;
    }
    if (iMin === iMax) keep.push(iMin);
    else keep.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  }
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep;
}

/** Picks `idx` from a column. */
export function pick(xs: ArrayLike<number>, idx: number[]): number[] {
  return idx.map((i) => xs[i]!);
}

/** Sums a sparse (x, y) series into at most `maxBars` equal-width bins over [0, span). */
export function binSums(xs: number[], ys: number[], span: number, maxBars: number): { x: number[]; y: number[] } {
  if (span <= maxBars) return { x: xs, y: ys };
  const width = Math.ceil(span / maxBars);
  const sums = new Map<number, number>();
  xs.forEach((x, k) => {
    const b = Math.floor(x / width) * width;
    sums.set(b, (sums.get(b) ?? 0) + ys[k]!);
  });
  return { x: [...sums.keys()], y: [...sums.values()] };
}

/**
 * A line trace of (x, y), min–max downsampled to about `maxPoints` on its own values, so every
 * series of a chart keeps its own extremes (not those of a neighbour), with extra plotly attributes.
 */
export function lineTrace(name: string, x: ArrayLike<number>, y: ArrayLike<number>, maxPoints: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const idx = minMaxIndices(y, maxPoints);
  return { type: 'scatter', mode: 'lines', name, x: pick(x, idx), y: pick(y, idx), ...extra };
}
