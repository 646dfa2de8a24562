/** Exchange parameters (units beside each). */

import type { CrossOrder } from '../world/types';

/** How a position below maintenance margin is liquidated (`module`: a {@link LiquidationSizer} decides). */
export type LiquidationMode = 'full' | 'partial' | 'fraction' | 'module';

/** What a liquidation-sizing module sees of one liquidatable position. */
export interface LiquidationView {
  account: number;
  tick: number;
  /** Signed position (base units), entry price and collateral (the isolated wallet). */
  size: number;
  entry: number;
  collateral: number;
  /** Mark price margin uses, the position's notional and equity at it, and its maintenance margin. */
  markPrice: number;
  notional: number;
  equity: number;
  maintenance: number;
}

/**
 * A pluggable liquidation-sizing rule (`liquidation: { mode: module, module: ./x.ts, params }`):
 * how much of a liquidatable position one cascade round closes. Closes fill at market like a
 * partial close; the cooldown of `cooldownTicks` applies between two closes of one account.
 */
export interface LiquidationSizer {
  /** Base units to close, 0 < x ≤ |size|. */
  closeQty(p: LiquidationView): number;
}

/** Who covers a bankrupt remainder once the insurance fund is empty. */
export type DeficitMode = 'adl' | 'socialized' | 'none';

/** Liquidation-engine parameters. */
export interface LiquidationParams {
  /** full: close everything; partial: close down to the size that restores the target margin;
   *  fraction: close `fraction` of the position per round, then wait `cooldownTicks` (Hyperliquid). */
  mode: LiquidationMode;
  /** partial mode: restore maintenance or initial margin. */
  partialTarget: 'maintenance' | 'initial';
  /** fraction mode: share of the position closed per liquidation (Hyperliquid: 0.2). */
  fraction: number;
  /** fraction mode: ticks before the same account may be partially liquidated again. */
  cooldownTicks: number;
  /** fraction mode: positions at or below this notional (quote) are closed whole (Hyperliquid: 100,000). */
  fractionMinNotional: number;
  /** fraction mode: when equity < backstopRatio × MM the backstop takes the position over at mark (Hyperliquid: 2/3; 0 = never). */
  backstopRatio: number;
  /**
   * Liquidation fee rate on closed notional, paid to the insurance fund from remaining equity only
   * (for a partial or fraction close, only from equity above the target margin after the close).
   */
  feeRate: number;
  /**
   * Who keeps what is left of a fully liquidated account's equity: `trader` (less the fee) or
   * `insurance-fund` (Binance, Bybit: the trader is settled at the bankruptcy price, and the fill at
   * market is the fund's gain or loss).
   */
  surplus: 'trader' | 'insurance-fund';
  /** Most cascade rounds within one tick; hitting it is reported. */
  roundCap: number;
  /**
   * Which positions of a cross or portfolio account a liquidation closes: the largest requirement
   * first, every position pro rata, or all of them (default largest-requirement-first).
   */
  crossOrder?: CrossOrder;
  /** The sizing rule of mode `module`, and the module's name for errors. */
  sizer?: LiquidationSizer;
  sizerName?: string;
}

/**
 * A liquidation-sizing module's default export: builds the rule from the scenario's `params`.
 * `ctx.rng(stream)` is the run's seeded stream `${seed}/liquidation/${stream}`, keyed by the name the
 * module asks for.
 * @example export default (params, ctx) => ({ closeQty: (p) => ... })
 */
export type LiquidationSizerFactory = (params: Record<string, unknown>, ctx: { tickSeconds: number; rng(stream: string): { next(): number } }) => LiquidationSizer;

/** All exchange parameters. */
export interface ExchangeParams {
  /** Taker fee rate paid by agents on voluntary fills (fraction of notional). */
  takerFee: number;
  /** Maker fee rate paid by the backstop counterparty (negative = rebate). */
  makerFee: number;
  liquidation: LiquidationParams;
  /** Initial insurance fund (quote), counted as a deposit. */
  insuranceFund: number;
  deficit: DeficitMode;
  /** Collateral (quote) of the market-maker/backstop account that absorbs net flow. */
  backstopCollateral: number;
}

/** Defaults for every exchange parameter. */
export const DEFAULT_EXCHANGE_PARAMS: ExchangeParams = {
  takerFee: 0.0005,
  makerFee: 0.0002,
  liquidation: {
    mode: 'full',
    partialTarget: 'maintenance',
    fraction: 0.2,
    cooldownTicks: 1,
    fractionMinNotional: 100_000,
    backstopRatio: 2 / 3,
    feeRate: 0.005,
    surplus: 'trader',
    roundCap: 50,
  },
  insuranceFund: 1_000_000,
  deficit: 'adl',
  backstopCollateral: 1e10,
};
