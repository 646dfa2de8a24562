import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_INITIAL_FACTOR, marginUnder, portfolioInitialMargin, portfolioMargin, scanModel, scenarioLoss,
} from '../../sim/exchange/margin/portfolio';
import { correlationFactor, EIGEN_TOLERANCE, principalComponents } from '../../sim/market/correlation';
import { correlationArb } from '../helpers/correlation';

describe('portfolio margin: worked examples', () => {
  it('SPAN: one long future with a $10,000 scan range (20 points × $500) requires $10,000, the full adverse move', () => {
    // Notional 200,000 with a 5% scan range: the scan loss is $10,000. SPAN's extreme move would
    // count 35% × 2 × 10,000 = 7,000, which does not bind.
    const r = portfolioMargin({ positions: [200_000], scanRanges: [0.05], correlation: [[1]], minimumRates: [0.004] });
    expect(r.requirement).toBeCloseTo(10_000, 9);
    expect(r.worstLoss).toBeCloseTo(10_000, 9);
    expect(r.closedForm).toBeCloseTo(10_000, 9);
    expect(r.minimumCharge).toBeCloseTo(800, 9);
    expect(r.worstScenario).toMatchObject({ kind: 'component', component: 0, step: -3 });
    expect(r.worstScenario.moves[0]).toBeCloseTo(-0.05, 15);
    // The grid is SPAN's: ±1/3, ±2/3, ±3/3 of the scan range.
    expect(scanModel([0.05], [[1]]).scenarios.map((s) => s.moves[0]! * 60)).toEqual([-3, -2, -1, 1, 2, 3].map((k) => expect.closeTo(k, 12)));
  });

  it('a perfect two-asset hedge costs only the minimum charge under correlation 1, and √(a² + b²) of its scan losses under 0', () => {
    // Long 1,000,000 of BTC (scan 8%) against short 1,600,000 of ETH (scan 5%): scan losses a = b = 80,000.
    const hedge = { positions: [1_000_000, -1_600_000], scanRanges: [0.08, 0.05], minimumRates: [0.004, 0.005] };
    const minimum = 1_000_000 * 0.004 + 1_600_000 * 0.005;
    const one = portfolioMargin({ ...hedge, correlation: [[1, 1], [1, 1]] });
    expect(one.worstLoss).toBeLessThan(1e-9 * 80_000);
    expect(one.minimumCharge).toBeCloseTo(minimum, 9);
    expect(one.requirement).toBe(one.minimumCharge);
    const zero = portfolioMargin({ ...hedge, correlation: [[1, 0], [0, 1]] });
    expect(zero.requirement).toBeCloseTo(Math.SQRT2 * 80_000, 8);
    // Unequal legs a = 80,000, b = 60,000: √(a² + b²) = 100,000 under 0, |a − b| = 20,000 under 1.
    const unequal = { ...hedge, positions: [1_000_000, -1_200_000] };
    const z = portfolioMargin({ ...unequal, correlation: [[1, 0], [0, 1]] });
    expect(z.requirement).toBeCloseTo(100_000, 8);
    expect(scenarioLoss(unequal.positions, z.worstScenario.moves)).toBeCloseTo(100_000, 8);
    expect(portfolioMargin({ ...unequal, correlation: [[1, 1], [1, 1]] }).worstLoss).toBeCloseTo(20_000, 8);
  });

  it('reports the grid\'s scenario where it binds, and the worst direction where the grid falls short', () => {
    // Along the first component of a 2-asset matrix (equal scans, equal long legs) the grid binds.
    const along = portfolioMargin({ positions: [1, 1], scanRanges: [0.1, 0.1], correlation: [[1, 0.5], [0.5, 1]], minimumRates: [0, 0] });
    expect(along.worstScenario).toMatchObject({ kind: 'component', component: 0, step: -3 });
    expect(along.worstLoss).toBeCloseTo(0.1 * Math.sqrt(3), 14); // √(xᵀSCSx) = 0.1·√(1 + 1 + 2·0.5)
    // Off the axes the worst direction loses more than any grid point.
    const off = portfolioMargin({ positions: [3, 1], scanRanges: [0.1, 0.1], correlation: [[1, 0.5], [0.5, 1]], minimumRates: [0, 0] });
    expect(off.worstScenario.kind).toBe('worst-direction');
    expect(off.worstLoss).toBeCloseTo(0.1 * Math.sqrt(9 + 1 + 3), 14);
    const gridWorst = Math.max(...scanModel([0.1, 0.1], [[1, 0.5], [0.5, 1]]).scenarios.map((s) => scenarioLoss([3, 1], s.moves)));
    expect(gridWorst).toBeLessThan(off.worstLoss);
  });

  it('prices many books against one model built once, as the one-call form does', () => {
    const scan = [0.08, 0.05, 0.12];
    const corr = [[1, 0.8, 0.6], [0.8, 1, 0.7], [0.6, 0.7, 1]];
    const model = scanModel(scan, corr);
    expect(model.scenarios).toHaveLength(18); // 3 components × 6 steps
    scan[0] = 1; // the model keeps its own copy
    for (const positions of [[1e6, -5e5, 0], [0, 2e5, 2e5], [-3e5, -3e5, 9e5]]) {
      expect(marginUnder(model, positions, [0.004, 0.005, 0.01])).toEqual(
        portfolioMargin({ positions, scanRanges: [0.08, 0.05, 0.12], correlation: corr, minimumRates: [0.004, 0.005, 0.01] }),
      );
    }
  });

  it('IM = MM × initialFactor, 1.5 by default', () => {
    expect(DEFAULT_INITIAL_FACTOR).toBe(1.5);
    expect(portfolioInitialMargin(10_000)).toBe(15_000);
    expect(portfolioInitialMargin(10_000, 2)).toBe(20_000);
    expect(() => portfolioInitialMargin(10_000, 0.5)).toThrow('initialFactor must be a finite number ≥ 1, got 0.5');
  });

  it('rejects inputs that do not fit the correlation matrix', () => {
    const base = { positions: [1, 2], scanRanges: [0.1, 0.1], correlation: [[1, 0], [0, 1]], minimumRates: [0.01, 0.01] };
    expect(() => portfolioMargin({ ...base, positions: [1] })).toThrow('positions has 1 entries but the correlation matrix has 2 assets');
    expect(() => portfolioMargin({ ...base, scanRanges: [0.1, -0.1] })).toThrow('scanRanges[1] must be a finite number ≥ 0, got -0.1');
    expect(() => portfolioMargin({ ...base, minimumRates: [0.01] })).toThrow('minimumRates has 1 entries');
    expect(() => portfolioMargin({ ...base, positions: [1, Infinity] })).toThrow('positions[1] must be a finite notional');
    expect(() => portfolioMargin({ ...base, correlation: [[1, 2], [2, 1]] })).toThrow('a correlation lies in [-1, 1]');
  });
});

const bookArb = correlationArb({ maxN: 5 }).chain((correlation) => {
  const n = correlation.length;
  const vec = (min: number, max: number) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n });
  return fc.record({ correlation: fc.constant(correlation), positions: vec(-1e6, 1e6), scanRanges: vec(0, 0.5), minimumRates: vec(0, 0.05) });
});

describe('portfolio margin (property)', () => {
  it('min charge ≤ requirement ≤ Σ standalone requirements; grid ≤ closed form = worst loss; sign flips change nothing', () => {
    fc.assert(
      fc.property(bookArb, (book) => {
        const r = portfolioMargin(book);
        const scale = book.positions.reduce((s, x, i) => s + Math.abs(x) * (book.scanRanges[i]! + book.minimumRates[i]!), 1);
        const eps = 1e-12 * scale;
        expect(r.requirement).toBeGreaterThanOrEqual(r.minimumCharge);
        const standalone = book.positions.reduce(
          (s, x, i) => s + portfolioMargin({ positions: [x], scanRanges: [book.scanRanges[i]!], correlation: [[1]], minimumRates: [book.minimumRates[i]!] }).requirement,
          0,
        );
        expect(r.requirement).toBeLessThanOrEqual(standalone + eps);
        const grid = scanModel(book.scanRanges, book.correlation).scenarios;
        for (const sc of grid) expect(scenarioLoss(book.positions, sc.moves)).toBeLessThanOrEqual(r.closedForm + eps);
        expect(Math.abs(r.worstLoss - r.closedForm)).toBeLessThanOrEqual(eps);
        expect(Math.abs(scenarioLoss(book.positions, r.worstScenario.moves) - r.worstLoss)).toBeLessThanOrEqual(eps);
        const flipped = portfolioMargin({ ...book, positions: book.positions.map((x) => -x) });
        expect(Math.abs(flipped.requirement - r.requirement)).toBeLessThanOrEqual(eps);
        expect(Math.abs(flipped.closedForm - r.closedForm)).toBeLessThanOrEqual(eps);
      }),
      { numRuns: 300, seed: 1221 },
    );
  });

  it('no point of the scan ellipsoid loses more than the closed form', () => {
    // Points Δ = S·L·w with |w| = 1 cover the ellipsoid's surface (L·Lᵀ = C).
    fc.assert(
      fc.property(bookArb, fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }), (book, w) => {
        const n = book.correlation.length;
        const norm = Math.hypot(...w.slice(0, n));
        fc.pre(norm > 1e-6);
        const { l } = correlationFactor(book.correlation);
        const moves = Array.from({ length: n }, (_, i) => book.scanRanges[i]! * w.slice(0, n).reduce((s, wj, j) => s + (l[i * n + j]! * wj) / norm, 0));
        const { closedForm } = portfolioMargin(book);
        expect(scenarioLoss(book.positions, moves)).toBeLessThanOrEqual(closedForm * (1 + 1e-9) + 1e-9);
      }),
      { numRuns: 300, seed: 1222 },
    );
  });

  it('binds on the grid along each principal component: x = S⁻¹·V_j loses √λ_j at step ∓3 of component j', () => {
    fc.assert(
      fc.property(bookArb, (book) => {
        const scanRanges = book.scanRanges.map((r) => r + 0.01);
        const { values, vectors } = principalComponents(book.correlation);
        values.forEach((lambda, j) => {
          if (!(lambda > EIGEN_TOLERANCE)) return;
          const positions = vectors[j]!.map((v, i) => v / scanRanges[i]!);
          const r = portfolioMargin({ ...book, scanRanges, positions: [...positions] });
          // A repeated eigenvalue leaves the component ambiguous; the loss is not.
          expect(r.worstLoss).toBeCloseTo(Math.sqrt(lambda), 10);
          expect(r.worstScenario.kind).toBe('component');
        });
      }),
      { numRuns: 200, seed: 1223, examples: [[{ correlation: [[1, 0.9999999452], [0.9999999452, 1]], positions: [0, 0], scanRanges: [0, 0], minimumRates: [0, 0] }]] },
    );
  });
});
