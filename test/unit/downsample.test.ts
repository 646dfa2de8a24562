import { describe, expect, it } from 'vitest';
import { binSums, lineTrace, minMaxIndices } from '../../reports/html/downsample';

describe('min–max downsampling', () => {
  it('keeps every bucket\'s minimum and maximum, so a one-tick crash survives', () => {
    const y = Array.from({ length: 10_000 }, (_, k) => 100 + Math.sin(k / 50));
    y[7_321] = 40;
    const idx = minMaxIndices(y, 200);
    expect(idx.length).toBeLessThanOrEqual(201);
    expect(idx).toContain(7_321);
    expect(Math.max(...idx.map((i) => y[i]!))).toBe(Math.max(...y));
    expect([...idx].sort((a, b) => a - b)).toEqual(idx); // time order
  });

  it('each series of a chart keeps its own extremes', () => {
    const x = Array.from({ length: 5_000 }, (_, k) => k);
    const a = x.map((k) => Math.sin(k / 30));
    const b = x.map((k) => Math.cos(k / 70));
    b[1_234] = -9; // an extreme of b that a's buckets would not pick
    const tb = lineTrace('b', x, b, 100) as { y: number[]; x: number[] };
    expect(Math.min(...tb.y)).toBe(-9);
    expect(tb.x[tb.y.indexOf(-9)]).toBe(1_234);
    const ta = lineTrace('a', x, a, 100) as { y: number[] };
    expect(Math.min(...ta.y)).toBe(Math.min(...a));
  });

  it('bins sparse bars by summing them', () => {
    expect(binSums([1, 2, 250], [5, 6, 7], 300, 3)).toEqual({ x: [0, 200], y: [11, 7] });
    expect(binSums([1, 2], [5, 6], 10, 100)).toEqual({ x: [1, 2], y: [5, 6] });
  });
});
