import { describe, expect, it } from 'vitest';
import { ACCELERATE_FROM, MAX_RESIZE_PASSES, planRound, ResizeSteps, resizeSettled } from '../../sim/exchange/cascade';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';

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

describe('a round that closes longs and shorts together (planRound)', () => {
  it('is re-sized by plain passes: no step leaps past the fixed point they approach to close a long whole (review finding)', () => {
    // Two longs and a 45x short under water in a 548k book, at mark 19,436: the round's map has
    // fixed points at −2.53 (plain passes approach it), −3.87 and −12.73. The first version's step
    // at the eighth pass went from −0.36 to −10.96 and the round settled at −12.73, closing the
    // first long whole (10.57) where plain passes close 2.87 of it.
    const w = buildWorld({
      policy: new FixedPolicy(50, 0.005),
      populations: [scripted('book', [1, 2, 3].map(() => ({ side: 1 as const, leverage: 2, collateral: 1_000 })))],
      ticks: 2,
      market: {
        process: { kind: 'replay', prices: Float64Array.from([20_000]) }, shocks: [],
        liquidity: { depth: 548_351.6398022952, impact: 'linear', elasticity: 0, referenceVol: 0.001, minDepthFraction: 0.1 },
        premiumHalfLife: 0, funding: { intervalTicks: 0, interest: 0, band: 0, cap: 0 },
      },
      exchange: { takerFee: 0, makerFee: 0, liquidation: { mode: 'partial', partialTarget: 'maintenance', feeRate: 0.001 } as never },
    });
    w.simulation.run().subscribe();
    const ex = w.exchange, a = ex.accounts;
    const q = 4.614190991428046;
    const accounts = [
      { size: 10.574559953529388, entry: 20_000, collateral: 6822.23062200115 },
      { size: 3.5251381847877576, entry: 20_000, collateral: 2046.1308364237193 },
      { size: -q, entry: (-2691.9975471280895 + q * 20_000 - 1922) / q, collateral: 1922 },
    ];
    accounts.forEach((x, n) => { a.size[n + 1] = x.size; a.entry[n + 1] = x.entry; a.collateral[n + 1] = x.collateral; a.lastLiqTick[n + 1] = -1; });
    // The book at the mark of the round, with no flow yet this tick.
    Object.assign(ex.market as unknown as { mark: number; tickFlow: number }, { mark: 19_436.121149715174, tickFlow: 0 });
    const r = planRound(ex, [1, 2, 3], ex.market.markPrice);
    expect(-r.closed[0]!).toBeLessThan(5);
    expect(r.flow).toBeGreaterThan(-3);
  });
});
