/**
 * Sampled pictures of the book for the report: where open positions' liquidation prices sit
 * (notional per price band, longs and shorts) and the distribution of effective leverage
 * (percentiles). Sampled every `every` ticks under a budget (see the constructor); each sample is
 * one O(N) pass with histograms (no sort).
 */
import type { Accounts } from '../exchange/accounts';

/** Log-spaced price bands around the start price, start/3 to start×3. */
export const LIQ_BANDS = 120;
/** Leverage histogram: log-spaced bins from 0.1x to 1000x. */
const LEV_BINS = 400;
const LEV_LO = Math.log(0.1), LEV_HI = Math.log(1000);
/** Leverage percentiles reported. */
export const LEVERAGE_PERCENTILES = [10, 25, 50, 75, 90, 99] as const;

/**
 * Sampling budgets: the most snapshots and account visits over a run, the fewest ticks between two
 * snapshots, and whether the liquidation map is drawn.
 */
export interface SnapshotBudget { samples: number; visits: number; minEvery: number; liqMap: boolean }
/** For the report's book and liquidation-map files. */
export const FOR_REPORT: SnapshotBudget = { samples: 400, visits: 2e7, minEvery: 1, liqMap: true };
/**
 * For summary.json's leverage percentiles alone: a snapshot at most every 50 ticks, so the pass
 * costs about 1% of a run whatever its size (each visit costs about half a tick's work per account).
 */
export const SUMMARY_ONLY: SnapshotBudget = { samples: 50, visits: Infinity, minEvery: 50, liqMap: false };

/** The sampled book of one run. */
export class BookSnapshots {
  readonly every: number;
  /** Sampled ticks. */
  readonly ticks: number[] = [];
  /** Per sample: leverage at each of LEVERAGE_PERCENTILES. */
  readonly leverage: number[][] = [];
  /** Per sample: notional of longs / shorts whose liquidation price falls in each band. */
  readonly longs: Float64Array[] = [];
  readonly shorts: Float64Array[] = [];
  /** Band edges (LIQ_BANDS + 1 prices). */
  readonly edges: Float64Array;
  private readonly lo: number;
  private readonly step: number;
  private readonly hist = new Float64Array(LEV_BINS);
  private readonly liqMap: boolean;
  /**
   * Accounts left out of the leverage histogram (1 = out): in a market of several, the cross and
   * portfolio accounts, whose collateral in one market is only a share of one wallet.
   */
  excluded: Uint8Array | null = null;

  /**
   * @param ticks length of the run; @param accounts number of accounts; @param startPrice centre of
   * the price bands; @param budget the most samples and account visits in all. The default (~400
   * samples, ~20 million visits) draws the report's book: a million-account run samples every 50
   * ticks instead of paying for the picture every 3. {@link SUMMARY_ONLY} is enough for
   * summary.json's leverage percentiles when no book file is written.
   */
  constructor(ticks: number, accounts: number, startPrice: number, private readonly house: number, budget = FOR_REPORT) {
    this.every = Math.max(budget.minEvery, Math.ceil(ticks / budget.samples), Math.ceil((ticks * accounts) / budget.visits));
    this.liqMap = budget.liqMap;
    this.lo = Math.log(startPrice / 3);
    this.step = (Math.log(startPrice * 3) - this.lo) / LIQ_BANDS;
    this.edges = Float64Array.from({ length: LIQ_BANDS + 1 }, (_, k) => Math.exp(this.lo + k * this.step));
  }

  /** Samples the book at the end of `tick` (only every `every` ticks, and always at the last). */
  sample(tick: number, last: boolean, a: Accounts, mark: number): void {
    if (tick % this.every !== 0 && !last) return;
    const L = new Float64Array(LIQ_BANDS), S = new Float64Array(LIQ_BANDS);
    const hist = this.hist.fill(0);
    const scale = LEV_BINS / (LEV_HI - LEV_LO);
    let n = 0;
    for (let i = 0; i < a.count; i++) {
      const q = a.size[i]!;
      if (q === 0 || i === this.house) continue;
      const notional = Math.abs(q) * mark;
      const eq = a.equity(i, mark);
      if (eq > 0 && this.excluded?.[i] !== 1) {
        const b = Math.floor((Math.log(notional / eq) - LEV_LO) * scale);
        hist[Math.min(LEV_BINS - 1, Math.max(0, b))]++;
        n++;
      }
      const lp = a.liqPrice[i]!;
      if (this.liqMap && lp > 0) {
        const band = Math.floor((Math.log(lp) - this.lo) / this.step);
        if (band >= 0 && band < LIQ_BANDS) (q > 0 ? L : S)[band] += notional;
      }
    }
    const pct: number[] = [];
    for (const p of LEVERAGE_PERCENTILES) {
      let cum = 0, b = 0;
      const target = (p / 100) * n;
      while (b < LEV_BINS - 1 && cum + hist[b]! < target) cum += hist[b++]!;
      pct.push(n > 0 ? Math.exp(LEV_LO + (b + 0.5) / scale) : 0);
    }
    this.ticks.push(tick);
    this.leverage.push(pct);
    this.longs.push(L);
    this.shorts.push(S);
  }

  /**
   * Leverage percentile `p` (one of LEVERAGE_PERCENTILES) averaged over the samples with open
   * positions; 0 when there were none. Resolved to the histogram's bins (±1.2%).
   */
  meanLeverage(p: (typeof LEVERAGE_PERCENTILES)[number]): number {
    const k = LEVERAGE_PERCENTILES.indexOf(p);
    let sum = 0, n = 0;
    for (const row of this.leverage) {
      if (row[k]! > 0) {
        sum += row[k]!;
        n++;
      }
    }
    return n > 0 ? sum / n : 0;
  }

  /** book.csv: tick and the leverage percentiles. */
  leverageCsv(): string {
    const rows = [['tick', ...LEVERAGE_PERCENTILES.map((p) => `leverageP${p}`)].join(',')];
    this.ticks.forEach((t, k) => rows.push([t, ...this.leverage[k]!].join(',')));
    return rows.join('\n') + '\n';
  }

  /**
   * Visits the non-empty (tick, band) cells of the liquidation map, in tick then band order: the
   * rows of liqmap.csv and liqmap.parquet, so both files hold the same cells.
   */
  forEachLiqCell(visit: (tick: number, bandLow: number, bandHigh: number, longNotional: number, shortNotional: number) => void): void {
    this.ticks.forEach((t, k) => {
      const L = this.longs[k]!, S = this.shorts[k]!;
      for (let b = 0; b < LIQ_BANDS; b++) if (L[b]! > 0 || S[b]! > 0) visit(t, this.edges[b]!, this.edges[b + 1]!, L[b]!, S[b]!);
    });
  }

  /** liqmap.csv: the non-empty (tick, band) cells. */
  liqmapCsv(): string {
    const rows = ['tick,bandLow,bandHigh,longNotional,shortNotional'];
    this.forEachLiqCell((t, lo, hi, l, s) => rows.push(`${t},${lo},${hi},${l},${s}`));
    return rows.join('\n') + '\n';
  }
}
