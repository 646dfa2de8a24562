/**
 * The shapes of a lending protocol (reference/exchange-margin.md "Lending protocols (Aave v3)"):
 * collateral assets with loan-to-value and liquidation thresholds, debt in quote, a close factor, a
 * liquidation bonus and an oracle.
 */

/** Where an oracle reads its price: the shared index of the asset, or one venue's spot or perp price. */
export type OracleSource =
  | { kind: 'index' }
  | { kind: 'spot'; venue: number }
  | { kind: 'perp'; venue: number };

/** An oracle: a source and a lag in ticks (the price it reports is the source's `lagTicks` ago). */
export interface OracleParams {
  source: OracleSource;
  lagTicks: number;
}

/** One collateral asset of a lending pool. */
export interface LendingCollateral {
  /** The asset's number in the world's asset order. */
  asset: number;
  /** Borrowing limit: debt ≤ Σ units × price × ltv. */
  ltv: number;
  /** Liquidation threshold LT: HF = Σ units × price × LT / debt. */
  liquidationThreshold: number;
  /** Liquidation bonus: the liquidator seizes collateral worth repaid × (1 + bonus). */
  bonus: number;
  oracle: OracleParams;
}

/** A lending pool's parameters. */
export interface LendingParams {
  name: string;
  collateral: LendingCollateral[];
  /** Share of the debt a liquidator may repay at once (Aave v3: 0.5). */
  closeFactor: number;
  /** At or below this health factor the whole debt may be repaid (Aave v3: 0.95). */
  fullCloseHealth: number;
  /** Below this collateral or debt value (quote) the whole debt may be repaid (Aave v3: 2,000). */
  smallPositionValue: number;
  /** Quote supplied by lenders at the start (the pool's cash). */
  supply: number;
  /** The venue (number) on whose spot market liquidators sell seized collateral. */
  sellVenue: number;
}
