/**
 * What a run records of one market as it goes, and the market's data files: its tick columns,
 * cascade records and episodes, liquidations (streamed to disk), book snapshots and the exogenous
 * path. A one-asset run has one recorder whose files are the run's own (`ticks.csv`, ...); a run of
 * several assets has one per market, each file named with the asset (`ticks-BTC.csv`, ...).
 */
import { join } from 'path';
import type { CascadeRecord, TickField } from '../engine/events';
import { cascadeEpisodes, type CascadeEpisode } from '../metrics/episodes';
import { BookSnapshots, FOR_REPORT, SUMMARY_ONLY } from '../metrics/book-snapshots';
import { TickColumns } from '../metrics/tick-columns';
import { AtomicWriter, writeFileAtomic } from '../../reports/atomic';
import { cascadesCsv, LIQUIDATION_HEADER, liquidationRows, ticksCsv } from '../../reports/csv';
import { LiquidationsParquet, writeRunParquet, type OutputFormats } from '../../reports/parquet-tables';
import type { MarketHandle } from './world';

/** What a recorder writes. */
export interface RecorderOptions {
  ticks: number;
  outDir: string;
  /** Appended to every file name: '' for the only market, `-<asset>` for one of several. */
  suffix: string;
  formats: OutputFormats;
  /** Write liquidations.csv / .parquet. */
  liquidations: boolean;
  /** Write ticks, book and liqmap (`outputs.ticks`). */
  withTicks: boolean;
  /** The ticks columns this market's file carries. */
  fields?: readonly TickField[];
}

/** Records one market of a run. */
export class MarketRecorder {
  readonly cols: TickColumns;
  readonly cascades: CascadeRecord[] = [];
  readonly episodes: CascadeEpisode[] = [];
  /** 1 for each account liquidated at least once in this market. */
  readonly liquidated: Uint8Array;
  /** Liquidation events (an account liquidated in a round counts once per round). */
  events = 0;
  /** Orders executed (fills$ counts). */
  executedOrders = 0;
  readonly book: BookSnapshots;
  /** The exogenous index path (start × exp(cumulative exogenous log-return)) at each tick's end. */
  readonly exoPath: Float64Array;
  private readonly liqFile: AtomicWriter | null;
  private readonly liqParquet: LiquidationsParquet | null;

  constructor(readonly handle: MarketHandle, private readonly o: RecorderOptions) {
    const { bus, exchange, market } = handle;
    this.cols = new TickColumns(o.ticks);
    this.cols.collect(bus.tick$);
    bus.cascade$.subscribe((r) => this.cascades.push(r));
    bus.cascade$.pipe(cascadeEpisodes()).subscribe((e) => this.episodes.push(e));
    bus.fills$.subscribe((f) => { this.executedOrders += f.count; });
    this.liquidated = new Uint8Array(exchange.accounts.capacity);
    this.liqFile = o.liquidations && o.formats.csv ? new AtomicWriter(join(o.outDir, `liquidations${o.suffix}.csv`)) : null;
    this.liqParquet = o.liquidations && o.formats.parquet ? new LiquidationsParquet(o.outDir, o.suffix) : null;
    this.liqFile?.write(LIQUIDATION_HEADER);
    bus.liquidations$.subscribe((b) => {
      this.events += b.accounts.length;
      for (let n = 0; n < b.accounts.length; n++) this.liquidated[b.accounts[n]!] = 1;
      this.liqFile?.write(liquidationRows(b));
      this.liqParquet?.add(b);
    });
    this.exoPath = new Float64Array(o.ticks);
    const start = market.p.startPrice; // the replay path's first price when replaying
    // Sampled whether or not the book files are written (summary.json's leverage percentiles use it),
    // but under a small budget when they are not.
    this.book = new BookSnapshots(o.ticks, exchange.accounts.count, start, exchange.backstop, o.withTicks ? FOR_REPORT : SUMMARY_ONLY);
    bus.tick$.subscribe((t) => {
      this.book.sample(t.tick, t.tick === o.ticks - 1, exchange.accounts, t.markPrice);
      this.exoPath[t.tick] = start * Math.exp(market.exogenousLogLevel);
    });
  }

  /** Number of accounts liquidated at least once. */
  liquidatedAccounts(): number {
    let n = 0;
    for (let i = 0; i < this.liquidated.length; i++) n += this.liquidated[i]!;
    return n;
  }

  /** Leverage percentiles averaged over the book snapshots. */
  leverage(): { p50: number; p90: number; p99: number } {
    return { p50: this.book.meanLeverage(50), p90: this.book.meanLeverage(90), p99: this.book.meanLeverage(99) };
  }

  /** The run failed: removes the streamed files. */
  abort(): void {
    this.liqFile?.abort();
    this.liqParquet?.abort();
  }

  /** The run finished: puts the streamed files in place and writes the market's tables. */
  commit(report: boolean): void {
    const o = this.o;
    this.liqFile?.commit();
    this.liqParquet?.commit();
    const tablesCsv = o.formats.csv || report;
    if (o.withTicks && tablesCsv) {
      writeFileAtomic(join(o.outDir, `ticks${o.suffix}.csv`), ticksCsv(this.cols, o.fields));
      writeFileAtomic(join(o.outDir, `book${o.suffix}.csv`), this.book.leverageCsv());
      writeFileAtomic(join(o.outDir, `liqmap${o.suffix}.csv`), this.book.liqmapCsv());
    }
    if (tablesCsv) writeFileAtomic(join(o.outDir, `cascades${o.suffix}.csv`), cascadesCsv(this.cascades));
    if (o.formats.parquet) writeRunParquet(o.outDir, { cols: this.cols, cascades: this.cascades, book: this.book, withTicks: o.withTicks, fields: o.fields, suffix: o.suffix });
  }
}
