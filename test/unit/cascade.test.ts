import { describe, expect, it } from 'vitest';
import { ACCELERATE_FROM, MAX_RESIZE_PASSES, ResizeSteps, resizeSettled } from '../../sim/exchange/cascade';

/** Runs a re-sizing's loop on the map `g` from `x0` (with or without steps): the last point and the passes it took. */
function drive(g: (x: Float64Array) => Float64Array, x0: ArrayLike<number>, bound: number | number[], withSteps: boolean): { x: Float64Array; passes: number } {
  const steps = new ResizeSteps(typeof bound === 'number' ? new Float64Array(x0.length).fill(bound) : Float64Array.from(bound));
  const at = Float64Array.from(x0);
  for (let pass = 0; pass < MAX_RESIZE_PASSES; pass++) {
    const image = g(at);
    if (Array.from(at).every((f, m) => resizeSettled(pass, f, image[m]!))) return { x: image, passes: pass + 1 };
    if (withSteps) steps.next(pass, at, image);
    else at.set(image);
  }
  return { x: at, passes: MAX_RESIZE_PASSES };
}

describe('the re-sizing\'s Aitken steps (sim/exchange/cascade.ts, ResizeSteps)', () => {
  it('reach the fixed point of a map of slope 0.98 that 40 plain passes leave 4 short', () => {
    const g = (x: Float64Array) => x.map((v) => 10 + 0.98 * (v - 10));
    const fast = drive(g, [0], 1e6, true), plain = drive(g, [0], 1e6, false);
    expect(fast.x[0]).toBeCloseTo(10, 9);
    expect(fast.passes).toBeLessThan(ACCELERATE_FROM + 4);
    expect(10 - plain.x[0]!).toBeGreaterThan(4);
  });

  it('undo a step that raises the residual, and go on from the plain iterate to the fixed point plain passes reach', () => {
    // Slope 0.98 towards 20 below 5, a stable fixed point at 6, an unstable one at 8.5, then away:
    // the step from below 5 aims at 20, where the map drives flows out to the bound.
    const r = (x: number) => (x <= 5 ? 0.02 * (20 - x) : x <= 7 ? 0.3 - 0.3 * (x - 5) : -0.3 + 0.2 * (x - 7));
    const g = (x: Float64Array) => x.map((v) => v + r(v));
    const fast = drive(g, [0], 100, true);
    expect(Math.abs(fast.x[0]! - 6)).toBeLessThan(0.01);
    // Without the residual test, the step's point is where the iteration goes on from: the bound.
    let x = 20;
    for (let k = 0; k < 30; k++) x = Math.min(100, x + r(x));
    expect(x).toBe(100);
  });

  it('over coupled markets, one shared ratio: never farther from the fixed point than plain passes (a map whose markets pull against each other)', () => {
    // The Jacobian of hedged long/short accounts across two markets (a review's example, spectral
    // radius 0.82): per-market ratios swung the second market's flow to ±13 and ended 7.9 off.
    const j = [0.5484064277261496, -0.050086870696395634, -0.07069713212549686, 0.8069710761774331], c = [-2.8946642205119133, -0.6497739953920245];
    const fx = [-6.29213373718563, -1.06169677147087];
    const g = (x: Float64Array) => Float64Array.from([c[0]! + j[0]! * x[0]! + j[1]! * x[1]!, c[1]! + j[2]! * x[0]! + j[3]! * x[1]!]);
    const off = (x: Float64Array) => Math.hypot(x[0]! - fx[0]!, x[1]! - fx[1]!);
    const x0 = g(new Float64Array(2)), bound = fx.map((f) => 3 * Math.abs(f) + 10);
    const fast = drive(g, x0, bound, true), plain = drive(g, x0, bound, false);
    expect(off(fast.x)).toBeLessThanOrEqual(off(plain.x));
    expect(off(fast.x)).toBeLessThan(1e-6);
  });

  it('take no step before ACCELERATE_FROM, so a flow that settles sooner is plain iteration\'s to the bit', () => {
    const g = (x: Float64Array) => x.map((v) => 3 + 0.01 * (v - 3));
    const fast = drive(g, [0], 1e6, true), plain = drive(g, [0], 1e6, false);
    expect(fast.passes).toBeLessThan(ACCELERATE_FROM);
    expect(Object.is(fast.x[0], plain.x[0])).toBe(true);
  });
});
