/**
 * Portfolio margin: the requirement is the worst loss of the whole portfolio over scenarios of
 * correlated price moves, but never less than a minimum charge (../shared/reference/exchange-margin.md,
 * "Portfolio margin": SPAN's scan range in thirds, OKX's MR7 so that a perfect hedge is never free).
 *
 * Notation: x = signed notionals (quote; long > 0), S = diag(scan ranges, as fractions of price),
 * C = the margin model's correlation. A scenario moves asset i by a return Δ_i, and a linear position
 * loses −x_i·Δ_i. Moves u in scan units (Δ = S·u) range over the ellipsoid uᵀ·C⁺·u ≤ 1, whose axes
 * are C's principal components V_j with half-lengths √λ_j.
 */
import { EIGEN_TOLERANCE, principalComponents, type CorrelationMatrix } from '../../market/correlation';

/** IM = MM × this unless a venue says otherwise (Bybit's "IM factor"). */
export const DEFAULT_INITIAL_FACTOR = 1.5;

/** One scenario of joint moves: `moves[i]` is asset i's return (fraction). */
export type ScanScenario =
  | {
      /** `step`/3 of the scan along principal component `component` (0 = largest eigenvalue); step ∈ ±1..±3. */
      kind: 'component';
      component: number;
      step: number;
      moves: Float64Array;
    }
  | {
      /** The portfolio's own worst point of the scan ellipsoid: Δ = −S·C·S·x / √(xᵀ·S·C·S·x). */
      kind: 'worst-direction';
      moves: Float64Array;
    };

/** What {@link portfolioMargin} returns (all in quote). */
export interface PortfolioMarginResult {
  /** max(worstLoss, minimumCharge): the maintenance requirement. */
  requirement: number;
  /** The largest loss over the scenarios (grid and worst direction). */
  worstLoss: number;
  /** The scenario that loses worstLoss; the grid's when the worst direction does not lose more (so a reader sees "component 1, −3/3"). */
  worstScenario: ScanScenario;
  /** √(xᵀ·S·C·S·x): the largest loss anywhere on the scan ellipsoid. */
  closedForm: number;
  /** Σ |x_i| × MMR_i. */
  minimumCharge: number;
}

function checkRates(name: string, v: ArrayLike<number>, n: number): void {
  if (v.length !== n) throw new RangeError(`${name} has ${v.length} entries but the correlation matrix has ${n} assets`);
  for (let i = 0; i < n; i++) {
    if (!(v[i]! >= 0 && Number.isFinite(v[i]!))) throw new RangeError(`${name}[${i}] must be a finite number ≥ 0, got ${v[i]}`);
  }
}

/**
 * A venue's margin model: scan ranges S, correlation C and the scenario grid they give. The grid
 * depends on S and C only, so a venue builds the model once (and again when a policy rescales the
 * scan ranges) and prices every account against it with {@link marginUnder}.
 */
export interface ScanModel {
  readonly n: number;
  readonly scanRanges: Float64Array;
  readonly correlation: CorrelationMatrix;
  /** For each principal component j of C with λ_j > EIGEN_TOLERANCE, and k = ±1, ±2, ±3: Δ_i = (k/3)·S_i·V_ij·√λ_j. */
  readonly scenarios: readonly ScanScenario[];
}

/**
 * Builds the {@link ScanModel} of scan ranges S and correlation C (both validated): for each
 * principal component j of C with a non-negligible eigenvalue (λ_j > EIGEN_TOLERANCE), and k = ±1, ±2, ±3,
 *
 *     Δ_i = (k/3) · S_i · V_ij · √λ_j.
 *
 * At k = ±3 the moves sit on the scan ellipsoid; one asset alone gives SPAN's ±1/3, ±2/3, ±3/3 of its
 * scan range.
 */
export function scanModel(scanRanges: ArrayLike<number>, correlation: CorrelationMatrix): ScanModel {
  const { n, values, vectors } = principalComponents(correlation);
  checkRates('scanRanges', scanRanges, n);
  const scenarios: ScanScenario[] = [];
  for (let j = 0; j < n && values[j]! > EIGEN_TOLERANCE; j++) {
    const axis = Math.sqrt(values[j]!);
    for (const step of [-3, -2, -1, 1, 2, 3]) {
      const moves = new Float64Array(n);
      for (let i = 0; i < n; i++) moves[i] = (step / 3) * scanRanges[i]! * vectors[j]![i]! * axis;
      scenarios.push({ kind: 'component', component: j, step, moves });
    }
  }
  // Copies: the grid must keep matching S and C if the caller's arrays change later.
  return { n, scanRanges: Float64Array.from(scanRanges), correlation: correlation.map((row) => [...row]), scenarios };
}

/** A linear portfolio's loss in a scenario: −Σ x_i·Δ_i. */
export function scenarioLoss(positions: ArrayLike<number>, moves: ArrayLike<number>): number {
  let pnl = 0;
  for (let i = 0; i < moves.length; i++) pnl += positions[i]! * moves[i]!;
  return -pnl;
}

/**
 * Portfolio maintenance margin of signed notionals x (quote) under a {@link ScanModel} (S, C and
 * its grid) and per-position minimum rates MMR_i:
 *
 *     requirement = max( max over scenarios of −xᵀΔ ,  Σ |x_i|·MMR_i ).
 *
 * The scenarios are the model's grid plus the portfolio's own worst direction
 * Δ = −S·C·S·x / √(xᵀ·S·C·S·x), whose loss √(xᵀ·S·C·S·x) is the largest anywhere on the scan
 * ellipsoid (Cauchy–Schwarz in the metric C): for linear positions that direction binds and the grid
 * never loses more. Offsets follow C: a long/short pair with scan losses a and b costs |a − b| under
 * correlation 1 and √(a² + b²) under 0; the minimum charge keeps a perfect hedge from being free.
 * SPAN's extreme moves (±2 scans at 35%) never bind for linear positions (0.7 of a full scan) and are
 * left out.
 */
export function marginUnder(model: ScanModel, positions: ArrayLike<number>, minimumRates: ArrayLike<number>): PortfolioMarginResult {
  const { n, scanRanges, correlation, scenarios } = model;
  if (positions.length !== n) throw new RangeError(`positions has ${positions.length} entries but the correlation matrix has ${n} assets`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(positions[i]!)) throw new RangeError(`positions[${i}] must be a finite notional, got ${positions[i]}`);
  checkRates('minimumRates', minimumRates, n);

  let minimumCharge = 0;
  for (let i = 0; i < n; i++) minimumCharge += Math.abs(positions[i]!) * minimumRates[i]!;

  let worstScenario = scenarios[0]!;
  let worstLoss = scenarioLoss(positions, worstScenario.moves);
  for (const sc of scenarios) {
    const loss = scenarioLoss(positions, sc.moves);
    if (loss > worstLoss) {
      worstLoss = loss;
      worstScenario = sc;
    }
  }

  // y = S·x, then S·C·S·x = S·(C·y) and xᵀ·S·C·S·x = yᵀ·C·y.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = scanRanges[i]! * positions[i]!;
  const scsx = new Float64Array(n);
  // quadAbs = Σ|y_i|·Σ_j|C_ij·y_j|: the size of the terms quad sums, which its roundoff scales with.
  let quad = 0, quadAbs = 0;
  for (let i = 0; i < n; i++) {
    let cy = 0, cyAbs = 0;
    for (let j = 0; j < n; j++) {
      const t = correlation[i]![j]! * y[j]!;
      cy += t;
      cyAbs += Math.abs(t);
    }
    scsx[i] = scanRanges[i]! * cy;
    quad += y[i]! * cy;
    quadAbs += Math.abs(y[i]!) * cyAbs;
  }
  // C is PSD, so quad < 0 only by roundoff.
  const closedForm = Math.sqrt(Math.max(0, quad));
  // The worst direction replaces the grid's scenario only when it loses more than roundoff more:
  // for one asset, or a portfolio along one component, they are the same move. Roundoff is judged
  // on the squares against quadAbs, not relative to the loss: along a component of a nearly
  // singular C, quad is a small difference of large terms (λ = 2.5e-7: ~1e-10 relative).
  if (closedForm > worstLoss && (closedForm - worstLoss) * (closedForm + worstLoss) > 1e-12 * quadAbs) {
    const moves = new Float64Array(n);
    for (let i = 0; i < n; i++) moves[i] = -scsx[i]! / closedForm;
    worstScenario = { kind: 'worst-direction', moves };
    worstLoss = closedForm;
  }
  return { requirement: Math.max(worstLoss, minimumCharge), worstLoss, worstScenario, closedForm, minimumCharge };
}

/**
 * Portfolio maintenance margin in one call: {@link marginUnder} the {@link scanModel} of
 * `scanRanges` and `correlation`. A venue pricing many accounts builds the model once instead.
 * @example portfolioMargin({ positions: [200_000], scanRanges: [0.05], correlation: [[1]], minimumRates: [0.004] }).requirement // 10,000 (SPAN's single future)
 */
export function portfolioMargin(a: {
  positions: ArrayLike<number>;
  scanRanges: ArrayLike<number>;
  correlation: CorrelationMatrix;
  minimumRates: ArrayLike<number>;
}): PortfolioMarginResult {
  return marginUnder(scanModel(a.scanRanges, a.correlation), a.positions, a.minimumRates);
}

/** Initial margin of a portfolio: IM = MM × initialFactor (default {@link DEFAULT_INITIAL_FACTOR}, ≥ 1). */
export function portfolioInitialMargin(maintenance: number, initialFactor = DEFAULT_INITIAL_FACTOR): number {
  if (!(initialFactor >= 1 && Number.isFinite(initialFactor))) throw new RangeError(`initialFactor must be a finite number ≥ 1, got ${initialFactor}`);
  return maintenance * initialFactor;
}
