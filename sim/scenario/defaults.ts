import { DEFAULT_EXCHANGE_PARAMS as X } from '../exchange/params';

/**
 * Every scenario default, in one place (units beside each). The schema takes its `.default()`s
 * from here, the JSON Schema shows them, and the README's scenario table copies this file. The
 * exchange mechanics' defaults are the exchange's own, so a simulation built in code and one built
 * from a scenario file agree.
 */
export const DEFAULTS = {
  seed: 1,
  /** Tick length in seconds. */
  tickSeconds: 60,
  market: {
    /** Start price (quote). */
    startPrice: 60_000,
    /** Burn-in ticks without price impact, while populations take their positions. */
    warmupTicks: 0,
    process: { type: 'gbm' as const, mu: 0, sigma: 0.6 },
    /** Which price margin and liquidations use: the last price, or Binance's index-anchored mark. */
    markPrice: 'last' as const,
    /** Seconds of basis samples in the index-anchored mark's moving average (3 ticks of 60 s). */
    basisWindowSeconds: 180,
    liquidity: {
      /** Quote notional that moves the mark 1% in a calm market. */
      depth: 20_000_000,
      impact: 'sqrt' as const,
      /** depth × (σ̂/σ_ref)^(−elasticity) once σ̂ > σ_ref. */
      elasticity: 0.5,
      /** Calm per-tick volatility σ_ref (≈ 60% a year on 1-minute ticks). */
      referenceVol: 0.0008,
      minDepthFraction: 0.1,
      /** Largest |log move| of one batch of flow. */
      maxImpact: 0.25,
      /** Fraction of each impact passed into the index. */
      spillover: 0.3,
      /** Premium half-life, ticks. */
      premiumHalfLife: 15,
      /** Half-life of the realized-volatility EWMA, ticks. */
      volHalfLife: 30,
    },
    funding: {
      /** Ticks between settlements (8 h of 1-minute ticks). */
      intervalTicks: 480,
      /** Interest per interval. */
      interest: 0.0001,
      band: 0.0005,
      cap: 0.0075,
    },
  },
  exchange: {
    policy: { preset: 'binance-btcusdt' },
    onTighten: 'enforce' as const,
    graceTicks: 0,
    /** Liquidation engine defaults: the exchange's own (sim/exchange/params.ts). */
    liquidation: X.liquidation,
    /** Initial insurance fund (quote). */
    insuranceFund: X.insuranceFund,
    deficit: X.deficit,
    fees: { taker: X.takerFee, maker: X.makerFee },
    /** Collateral of the backstop / market-maker account that absorbs net flow (quote). */
    backstopCollateral: X.backstopCollateral,
  },
  /** Margin modes and the portfolio-margin model (`margin:`). */
  margin: {
    mode: 'isolated' as const,
    /** Scan range of an asset `margin.scan` does not name (nor its `default`): 10% of price. */
    scan: 0.1,
    /** IM = MM × initialFactor. */
    initialFactor: 1.5,
  },
  /** Dynamic policies' parameters (see each policy's file for the formula). */
  policies: {
    volScaled: { base: { preset: 'binance-btcusdt' }, k: 10, minLeverage: 2, maxLeverage: 125, halfLife: 60, maxStep: 0.05, hysteresis: 0.05 },
    openInterest: { baseImf: 0.05, maintenanceFraction: 0.6, driver: 'open-interest' as const, lowerCap: 40_000_000, upperCap: 100_000_000, fundFloor: 0.2, step: 0.01 },
    riskScore: {
      base: { preset: 'binance-btcusdt' },
      weights: { leverage: 1, concentration: 1, distance: 1, pnlVol: 1 },
      refs: { leverage: 50, concentration: 0.05, distance: 0.1, pnlVol: 0.05 },
      minFactor: 0.2, buckets: 10, halfLife: 30,
    },
    circuitBreaker: {
      base: { preset: 'binance-btcusdt' }, soft: 3, hard: 6, exitRatio: 0.7, minDwell: 30,
      softMultiplier: 1.5, hardMultiplier: 3, hardReduceOnly: true, halfLife: 5, liqWeight: 1, liqRef: 0.01,
    },
    esMargin: { window: 1440, horizon: 60, q: 0.99, maintenanceFraction: 0.5, minImr: 0.01, initialImr: 0.05, updateEvery: 10, hysteresis: 0.05 },
    /** Poledna et al. (2014): σ_b per tick, τ ticks, κ. */
    baselII: { sigmaB: 0.035, tau: 20, kappa: 1, maintenanceFraction: 0.5 },
  },
  agent: {
    leverage: 5,
    reserve: 0,
    longBias: 0.5,
    activity: 1,
    /** Share of a population already in a position at the start. */
    startOpen: 0,
  },
  outputs: {
    ticks: true,
    liquidations: true,
    report: true,
    /** File format of the tables: csv, parquet, or both as a list. */
    format: 'csv' as 'csv' | 'parquet' | ('csv' | 'parquet')[],
  },
  /** Refuse populations whose columns would exceed this many bytes (about half of a 24 GiB machine). */
  memoryBudgetBytes: 12 * 1024 ** 3,
};
