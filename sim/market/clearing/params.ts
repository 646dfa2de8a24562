/**
 * Parameters of the walrasian (market-clearing) mode and the baseline of Thurner, Farmer &
 * Geanakoplos (2012, "Leverage causes fat tails and clustered volatility", Quantitative Finance
 * 12(5)). Units: prices and money in quote (the fundamental value V is the unit of price), shares in
 * base units, time in ticks.
 */

/** Everything the clearing loop needs besides the leverage cap (which the policy gives each tick). */
export interface WalrasianParams {
  /** Fundamental value V (quote per share); the starting price. */
  value: number;
  /** Fixed supply N of shares. */
  shares: number;
  /** Ticks run before the statistics start. */
  burnIn: number;
  /** Noise traders' AR(1) in log cash: persistence ρ and innovation σ. */
  noise: { rho: number; sigma: number };
  /** Value funds: one per aggression β_h; starting wealth W_0, default threshold W_min, re-entry delay T_r (ticks). */
  funds: { beta: number[]; wealth: number; minWealth: number; reentryTicks: number };
  /** Investor flows F = max(−1, b·(r_perf − r_b))·W with r_perf = (1 − a)·r_perf + a·r. */
  investors: { a: number; b: number; benchmark: number };
  /** Share of the largest |r| the Hill estimator uses. */
  tailFraction: number;
  /** Lags (ticks) of the autocorrelation of |r|. */
  acfLags: number[];
}

/** The paper's baseline (TFG 2012, section 3): V = 1, N = 1000, ρ = 0.99, σ = 0.035, β = 5…50. */
export const TFG_BASELINE: WalrasianParams = {
  value: 1,
  shares: 1000,
  burnIn: 20_000,
  noise: { rho: 0.99, sigma: 0.035 },
  funds: { beta: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50], wealth: 2, minWealth: 0.2, reentryTicks: 100 },
  investors: { a: 0.1, b: 0.15, benchmark: 0.005 },
  tailFraction: 0.01,
  acfLags: [1, 10],
};
