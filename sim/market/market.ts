/**
 * Index and mark. The index follows the exogenous process and shocks; mark = index × (1 + premium).
 * Net order flow moves the mark through the liquidity model; a `spillover` fraction of each impact
 * also moves the index (liquidation selling on one venue drags the spot index). The premium decays
 * toward 0 with an arbitrage half-life.
 */
import type { IndexProcess } from './processes';
import { IndexAnchoredMark, type MarkParams } from './mark';
import { ShockSchedule } from './shocks';
import { AssetIndex } from './asset-index';
import { averageFillFactor, effectiveDepth, flowForMove, impactLog, type LiquidityParams } from './liquidity';
import { ewmaDecay } from '../engine/clock';

/** A local flow shock: signed quote flow through one market's book from `tick`, over `overTicks` ticks. */
export interface LocalFlow {
  tick: number;
  flow: number;
  overTicks?: number;
}

/** Market parameters other than the index process. */
export interface MarketParams {
  startPrice: number;
  liquidity: LiquidityParams;
  /** Fraction of each log impact passed into the index (0..1). */
  spillover: number;
  /** Premium half-life in ticks (≤ 0: no decay). */
  premiumHalfLife: number;
  /** Half-life in ticks of the EWMA of squared mark returns behind realized volatility. */
  volHalfLife: number;
  /**
   * Burn-in: for the first `warmupTicks` ticks flow has no price impact, so populations reach
   * their steady positions at the exogenous price instead of all entering into the book at once.
   */
  warmupTicks?: number;
  /** Which price margin and liquidations use (default: the last price). */
  markPrice?: MarkParams;
}

/** Read-only view of the market that policies and agents see. */
export interface MarketView {
  readonly tick: number;
  readonly index: number;
  /** The last traded price (the impact model's price: the bid/ask mid). */
  readonly mark: number;
  /** The mark price margin uses: `mark` itself, or the index-anchored rule (mark.ts). */
  readonly markPrice: number;
  readonly realizedVol: number;
  readonly depth: number;
  /** Last completed ticks' mark log-returns are summarised by realizedVol; this is the last one. */
  readonly lastReturn: number;
  readonly exogenousReturn: number;
  /** Per-tick volatility at and below which the market counts as calm (liquidity referenceVol). */
  readonly referenceVol: number;
  /** Signed quote flow that would move the mark by log-return `k` in a fresh book now. */
  flowForMove(k: number): number;
  /** Log move of the mark since the previous tick's close (the shock as it happens). */
  readonly tickMove: number;
}

/** The price state of one market. */
export class Market implements MarketView {
  tick = -1;
  /** The asset's index, shared with every other market of the asset. */
  readonly source: AssetIndex;
  mark: number;
  /** Per-tick realized volatility of the mark (EWMA). */
  realizedVol: number;
  depth: number;
  lastReturn = 0;
  /** Signed quote flow that has hit the book so far this tick. */
  private tickFlow = 0;
  /** Depth multiplier provided by market-making agents, set each tick (1 = normal). */
  providedDepthFactor = 1;
  /** Mark at the end of the previous tick. */
  prevClose: number;
  private variance: number;
  private readonly decay: number;
  private readonly volLambda: number;
  /** A local log move of this market's price alone at a tick (a venue's own mark shock), on top of the index. */
  readonly local = new ShockSchedule();
  /** The local part of this tick's move. */
  lastLocal = 0;
  /** Local flows by tick (quote, signed): pushed through this market's book at the start of their tick. */
  private readonly localFlows = new Map<number, number>();
  /** The index-anchored mark rule, or null when margin uses the last price. */
  private readonly anchored: IndexAnchoredMark | null;
  /** Last funding rate, and the time to the next funding as a fraction of the interval (for P1). */
  private fundingRate = 0;
  private toFunding = 0;

  /**
   * @param process the index process; @param shocks scheduled shocks (more can be added later);
   * @param source the asset's shared index when other markets list the asset too (then `process`
   * and `shocks` are the index's, not read here); absent: the market's own.
   */
  constructor(readonly p: MarketParams, process: IndexProcess, shocks: ShockSchedule, source?: AssetIndex) {
    this.source = source ?? new AssetIndex(p.startPrice, process, shocks);
    this.mark = p.startPrice;
    this.prevClose = p.startPrice;
    this.decay = p.premiumHalfLife > 0 ? ewmaDecay(p.premiumHalfLife) : 1;
    this.volLambda = ewmaDecay(Math.max(1, p.volHalfLife));
    this.variance = p.liquidity.referenceVol ** 2;
    this.realizedVol = p.liquidity.referenceVol;
    this.depth = p.liquidity.depth;
    this.anchored = p.markPrice?.rule === 'index-anchored' ? new IndexAnchoredMark(p.markPrice.basisWindowTicks) : null;
  }

  /** The mark price margin uses (see mark.ts); the last price unless the rule is index-anchored. */
  get markPrice(): number {
    return this.anchored ? this.anchored.value(this.index, this.mark, this.fundingRate, this.toFunding) : this.mark;
  }

  /**
   * The funding terms of the index-anchored mark's P1: the last settled rate, and the time until
   * the next funding as a fraction of the interval.
   */
  setFundingBasis(rate: number, toFunding: number): void {
    this.fundingRate = rate;
    this.toFunding = toFunding;
  }

  /** The liquidity model's calm per-tick volatility. */
  get referenceVol(): number {
    return this.p.liquidity.referenceVol;
  }

  /** Log move of the mark since the previous tick's close. */
  get tickMove(): number {
    return Math.log(this.mark / this.prevClose);
  }

  /**
   * Sets the market makers' depth multiplier for this tick and re-evaluates depth, so makers who
   * pull quotes as a shock hits thin the book that the shock's own liquidations meet.
   */
  setProvidedDepth(factor: number): void {
    this.providedDepthFactor = factor;
    this.depth = effectiveDepth(this.p.liquidity, this.realizedVol, factor);
  }

  /** Signed quote flow that would move the mark by log-return `k` in a fresh book now. */
  flowForMove(k: number): number {
    return flowForMove(k, this.depth, this.p.liquidity.impact);
  }

  /** The asset's index level now. */
  get index(): number {
    return this.source.value;
  }

  /** This tick's exogenous index log-return. */
  get exogenousReturn(): number {
    return this.source.exogenousReturn;
  }

  /** Cumulative exogenous log-return since the start (the counterfactual index with no impact). */
  get exogenousLogLevel(): number {
    return this.source.exogenousLogLevel;
  }

  /** Shocks injected by the user during the run (the asset's: every market of the asset sees them). */
  get external(): ShockSchedule {
    return this.source.external;
  }

  /** Scheduled shocks of the asset. */
  get shocks(): ShockSchedule {
    return this.source.shocks;
  }

  /** Jump part of the tick's exogenous return, reported on shock$. */
  get lastJump(): number {
    return this.source.lastJump;
  }

  /** Scheduled part of the tick's exogenous return. */
  get lastScheduled(): number {
    return this.source.lastScheduled;
  }

  /** User-injected part of the tick's exogenous return. */
  get lastExternal(): number {
    return this.source.lastExternal;
  }

  /** mark / index − 1. */
  get premium(): number {
    return this.mark / this.index - 1;
  }

  /** Step 1 of a tick: premium decays, the index moves exogenously, depth is re-evaluated. */
  beginTick(tick: number): void {
    this.tick = tick;
    const src = this.source;
    src.advance(tick);
    // The premium is measured against the index before its exogenous move (and after every market's spillover).
    const premium = (this.mark / src.before - 1) * this.decay;
    this.mark = src.value * (1 + premium);
    this.lastLocal = this.local.at(tick);
    if (this.lastLocal !== 0) this.mark *= Math.exp(this.lastLocal);
    this.depth = effectiveDepth(this.p.liquidity, this.realizedVol, this.providedDepthFactor);
    this.tickFlow = 0;
    if (this.localFlows.size > 0) {
      const f = this.localFlows.get(tick);
      if (f !== undefined) this.applyFlow(f);
    }
  }

  /**
   * A flow from outside the accounts (a local flow shock): `flow.flow` quote, split evenly over
   * `overTicks` ticks from `flow.tick`, walks this market's book at the start of each of those ticks,
   * so its impact moves the price (and spills into the index) like traders' flow would.
   */
  addLocalFlow(flow: LocalFlow): void {
    const n = Math.max(1, Math.floor(flow.overTicks ?? 1));
    for (let j = 0; j < n; j++) this.localFlows.set(flow.tick + j, (this.localFlows.get(flow.tick + j) ?? 0) + flow.flow / n);
  }

  /**
   * The mark price margin would see after signed quote flow `flowNotional` hit the book now, without
   * moving anything: the same impact (and its spillover into the index) as {@link applyFlow}.
   */
  previewMarkPrice(flowNotional: number): number {
    if (this.inert(flowNotional)) return this.markPrice;
    const k = this.impactOf(flowNotional);
    const last = this.mark * Math.exp(k), index = this.index * Math.exp(this.p.spillover * k);
    return this.anchored ? this.anchored.value(index, last, this.fundingRate, this.toFunding) : last;
  }

  /**
   * The fill price {@link applyFlow} would return for signed quote flow `flowNotional` now, without
   * moving anything: the mark × the average fill factor along the impact curve (the mark itself in
   * warm-up or for no flow). Lets a cascade size auto-deleveraging at the prices its round will fill at.
   */
  previewFillPrice(flowNotional: number): number {
    if (this.inert(flowNotional)) return this.mark;
    const L = this.p.liquidity;
    return this.mark * averageFillFactor(this.tickFlow, flowNotional, this.depth, L.impact, L.maxImpact ?? 0.25);
  }

  /** True when `flowNotional` moves nothing: no flow, or the warm-up (the price follows its path alone). */
  private inert(flowNotional: number): boolean {
    return this.tick < (this.p.warmupTicks ?? 0) || flowNotional === 0;
  }

  /** Log move of the last price that `flowNotional` more of this tick's flow would cause (band included). */
  private impactOf(flowNotional: number): number {
    const L = this.p.liquidity;
    const band = L.maxImpact ?? 0.25;
    return impactLog(this.tickFlow + flowNotional, this.depth, L.impact, band) - impactLog(this.tickFlow, this.depth, L.impact, band);
  }

  /**
   * Moves the mark by the impact of signed quote flow (+ = net buying) and returns the batch's
   * fill price: the average along the impact curve from the mark before to the mark after
   * ({@link averageFillFactor}), since a batch that walks the book fills level by level, not all
   * at the end price. Impact is a function of the tick's cumulative flow: within a tick the book is
   * consumed and not refilled, so cascade rounds walk down one book (for square-root impact, k
   * rounds of flow F move the price like one batch of kF, not k times as much). The book refills
   * between ticks. The `maxImpact` band applies to the tick's cumulative impact.
   */
  applyFlow(flowNotional: number): number {
    const fill = this.previewFillPrice(flowNotional);
    if (this.inert(flowNotional)) return fill;
    const k = this.impactOf(flowNotional);
    this.tickFlow += flowNotional;
    if (k !== 0) {
      this.mark *= Math.exp(k);
      if (this.p.spillover > 0) this.source.value *= Math.exp(this.p.spillover * k);
    }
    return fill;
  }

  /** Step 7: closes the tick and updates realized volatility from the tick's mark return. */
  endTick(): void {
    const r = Math.log(this.mark / this.prevClose);
    this.lastReturn = r;
    this.variance = this.volLambda * this.variance + (1 - this.volLambda) * r * r;
    this.realizedVol = Math.sqrt(this.variance);
    this.prevClose = this.mark;
    this.anchored?.record(this.index, this.mark);
  }
}
