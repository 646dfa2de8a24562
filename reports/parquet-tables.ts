/**
 * The run's tables as Parquet: ticks, cascades, liquidations, book and liqmap, the same rows and
 * columns as the CSV files, with counts and ids as INT32, flags as BOOLEAN, labels as UTF8 strings
 * and everything else as DOUBLE (the same float64 values the CSV prints in shortest round-trip form).
 */
import { join } from 'path';
import { closePrice, TICK_SUMMARY_FIELDS, type CascadeRecord, type LiquidationBatch, type TickField } from '../sim/engine/events';
import type { BookSnapshots } from '../sim/metrics/book-snapshots';
import { LEVERAGE_PERCENTILES } from '../sim/metrics/book-snapshots';
import type { TickColumns } from '../sim/metrics/tick-columns';
import { CASCADE_FIELDS } from './csv';
import { ParquetFile, ROW_GROUP_ROWS, writeParquet, type ParquetColumn, type ParquetField, type ParquetType } from './parquet';

/** The file formats a scenario's `outputs.format` asks for. */
export interface OutputFormats {
  csv: boolean;
  parquet: boolean;
}

/** Reads `outputs.format` (`csv`, `parquet` or a list of both). */
export function outputFormats(format: string | readonly string[]): OutputFormats {
  const list = typeof format === 'string' ? [format] : format;
  return { csv: list.includes('csv'), parquet: list.includes('parquet') };
}

/** TickSummary fields that are counts (or the tick number): INT32 in ticks.parquet. */
const TICK_INT_FIELDS: ReadonlySet<string> = new Set(['tick', 'liquidations', 'cascadeRounds', 'adlCount', 'positions', 'activeAccounts', 'nearLiq5', 'nearLiq10']);
/** TickSummary fields that are 0/1 flags in ticks.csv: BOOLEAN in ticks.parquet. */
const TICK_BOOL_FIELDS: ReadonlySet<string> = new Set(['roundCapHit']);

/** The Parquet type of a ticks column. */
function tickFieldType(name: string): ParquetType {
  return TICK_INT_FIELDS.has(name) ? 'INT32' : TICK_BOOL_FIELDS.has(name) ? 'BOOLEAN' : 'DOUBLE';
}

/** ticks.parquet's columns: one row per tick, the columns of ticks.csv (`fields`, default every one). */
export function ticksTable(cols: TickColumns, fields: readonly TickField[] = TICK_SUMMARY_FIELDS): ParquetColumn[] {
  return fields.map((name) => {
    const type = tickFieldType(name);
    const data = cols.get(name);
    return { name, type, data: type === 'BOOLEAN' ? Array.from(data, (x) => x !== 0) : data };
  });
}

/** cascades.parquet's columns: one row per tick with liquidations, the columns of cascades.csv. */
export function cascadesTable(records: readonly CascadeRecord[]): ParquetColumn[] {
  const typeOf = (f: (typeof CASCADE_FIELDS)[number]): ParquetType =>
    f === 'roundCapHit' ? 'BOOLEAN' : f === 'tick' || f === 'rounds' || f === 'accounts' ? 'INT32' : 'DOUBLE';
  return CASCADE_FIELDS.map((name) => ({ name, type: typeOf(name), data: records.map((r) => r[name]) }));
}

/** book.parquet's columns: tick and the leverage percentiles of each book snapshot. */
export function bookTable(book: BookSnapshots): ParquetColumn[] {
  return [
    { name: 'tick', type: 'INT32', data: book.ticks },
    ...LEVERAGE_PERCENTILES.map((p, k): ParquetColumn => ({ name: `leverageP${p}`, type: 'DOUBLE', data: book.leverage.map((row) => row[k]!) })),
  ];
}

/** liqmap.parquet's columns: the non-empty (tick, price band) cells of the liquidation map. */
export function liqmapTable(book: BookSnapshots): ParquetColumn[] {
  const tick: number[] = [], lo: number[] = [], hi: number[] = [], L: number[] = [], S: number[] = [];
  book.forEachLiqCell((t, a, b, l, s) => {
    tick.push(t);
    lo.push(a);
    hi.push(b);
    L.push(l);
    S.push(s);
  });
  return [
    { name: 'tick', type: 'INT32', data: tick },
    { name: 'bandLow', type: 'DOUBLE', data: lo },
    { name: 'bandHigh', type: 'DOUBLE', data: hi },
    { name: 'longNotional', type: 'DOUBLE', data: L },
    { name: 'shortNotional', type: 'DOUBLE', data: S },
  ];
}

/** Columns of liquidations.parquet, as in liquidations.csv. */
export const LIQUIDATION_FIELDS: readonly ParquetField[] = [
  { name: 'tick', type: 'INT32' }, { name: 'round', type: 'INT32' }, { name: 'account', type: 'INT32' }, { name: 'side', type: 'STRING' },
  { name: 'closed', type: 'DOUBLE' }, { name: 'price', type: 'DOUBLE' }, { name: 'equity', type: 'DOUBLE' }, { name: 'maintenance', type: 'DOUBLE' },
];

/**
 * liquidations.parquet, streamed like liquidations.csv: rows are buffered columnar (preallocated
 * typed arrays of ROW_GROUP_ROWS rows) and each full buffer goes to disk as one row group. Memory
 * stays at one row group (~6 MB) however many liquidations a run has, where buffering the whole
 * table would grow with them (45 bytes a row: a million-agent crash makes tens of millions).
 */
export class LiquidationsParquet {
  private readonly file: ParquetFile;
  private readonly tick = new Int32Array(ROW_GROUP_ROWS);
  private readonly round = new Int32Array(ROW_GROUP_ROWS);
  private readonly account = new Int32Array(ROW_GROUP_ROWS);
  private readonly long = new Uint8Array(ROW_GROUP_ROWS);
  private readonly closed = new Float64Array(ROW_GROUP_ROWS);
  private readonly price = new Float64Array(ROW_GROUP_ROWS);
  private readonly equity = new Float64Array(ROW_GROUP_ROWS);
  private readonly maintenance = new Float64Array(ROW_GROUP_ROWS);
  private n = 0;

  /** Opens `<dir>/liquidations<suffix>.parquet` (under a temporary name until {@link commit}). */
  constructor(dir: string, suffix = '') {
    this.file = new ParquetFile(join(dir, `liquidations${suffix}.parquet`), LIQUIDATION_FIELDS);
  }

  /** Appends one liquidation round's rows. */
  add(b: LiquidationBatch): void {
    for (let k = 0; k < b.accounts.length; k++) {
      const n = this.n;
      const q = b.closed[k]!;
      this.tick[n] = b.tick;
      this.round[n] = b.round;
      this.account[n] = b.accounts[k]!;
      this.long[n] = q < 0 ? 1 : 0; // a long is closed by selling
      this.closed[n] = Math.abs(q);
      this.price[n] = closePrice(b, k);
      this.equity[n] = b.equity[k]!;
      this.maintenance[n] = b.maintenance[k]!;
      if (++this.n === ROW_GROUP_ROWS) this.flush();
    }
  }

  private flush(): void {
    const n = this.n;
    const cut = <T extends Int32Array | Float64Array>(a: T) => a.subarray(0, n) as T;
    const data = [cut(this.tick), cut(this.round), cut(this.account), Array.from(this.long.subarray(0, n), (l) => (l ? 'long' : 'short')),
      cut(this.closed), cut(this.price), cut(this.equity), cut(this.maintenance)];
    this.file.write(LIQUIDATION_FIELDS.map((f, j) => ({ ...f, data: data[j]! })));
    this.n = 0;
  }

  /** Writes the last row group and the footer, and renames the file into place. */
  commit(): void {
    this.flush();
    this.file.commit();
  }

  /** Deletes the temporary file (the run failed). */
  abort(): void {
    this.file.abort();
  }
}

/**
 * Writes ticks (its `fields`), book and liqmap (when `withTicks`, as for the CSVs) and cascades as
 * Parquet into `dir`, each name ending in `suffix` (`-<asset>` for one market of several).
 */
export function writeRunParquet(dir: string, r: { cols: TickColumns; cascades: readonly CascadeRecord[]; book: BookSnapshots; withTicks: boolean; fields?: readonly TickField[]; suffix?: string }): void {
  const x = r.suffix ?? '';
  if (r.withTicks) {
    writeParquet(join(dir, `ticks${x}.parquet`), ticksTable(r.cols, r.fields));
    writeParquet(join(dir, `book${x}.parquet`), bookTable(r.book));
    writeParquet(join(dir, `liqmap${x}.parquet`), liqmapTable(r.book));
  }
  writeParquet(join(dir, `cascades${x}.parquet`), cascadesTable(r.cascades));
}
