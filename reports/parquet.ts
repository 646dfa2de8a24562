/**
 * Parquet files with typed columns, written with hyparquet-writer (pure JavaScript, no native code
 * or WebAssembly; the README's "Parquet outputs" says why). Files are atomic like the CSVs (a
 * temporary name, then rename) and deterministic: the metadata holds no time and no path, so the
 * same run gives the same bytes.
 */
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { AtomicWriter } from './atomic';
import { levsimVersion } from './manifest';

/** Column types levsim writes: counts and ids as integers, measures as doubles, flags, labels. */
export type ParquetType = 'INT32' | 'INT64' | 'DOUBLE' | 'BOOLEAN' | 'STRING';

/** A column's name and type; `nullable` columns may hold null (a summary field a run lacks). */
export interface ParquetField {
  name: string;
  type: ParquetType;
  nullable?: boolean;
}

/** A column with its values. */
export interface ParquetColumn extends ParquetField {
  data: ArrayLike<number | boolean | string | null>;
}

/**
 * Rows per row group. One group per call for the run's tables (≤ 131 072 rows: a long run's
 * ticks); the streamed liquidations flush one group each time this many rows are buffered. Fixed,
 * not sized by bytes, so the layout (and the bytes) depend only on the data.
 */
export const ROW_GROUP_ROWS = 1 << 17;

const INT_RANGE: Partial<Record<ParquetType, [number, number]>> = {
  INT32: [-(2 ** 31), 2 ** 31 - 1],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * The column's values as the writer wants them. Integer columns are checked value by value: the
 * engine keeps counts in Float64Array columns, and a count that is not a whole number (a bug, or
 * a field wrongly declared as a count) must fail loudly instead of being truncated into the file.
 */
function columnData(c: ParquetColumn): ColumnSource['data'] {
  const range = INT_RANGE[c.type];
  if (!range) return c.data as ColumnSource['data'];
  // A typed array cannot hold null: nullable columns go as plain arrays.
  const out: (number | bigint | null)[] | Int32Array = c.type === 'INT32' && !c.nullable ? new Int32Array(c.data.length) : new Array<number | bigint | null>(c.data.length);
  for (let k = 0; k < c.data.length; k++) {
    const v = c.data[k];
    if (v === null && c.nullable) {
      out[k] = null;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < range[0] || v > range[1]) {
      throw new Error(`parquet column ${c.name}: row ${k} holds ${String(v)}, not an ${c.type} integer`);
    }
    out[k] = c.type === 'INT32' ? v : BigInt(v);
  }
  return out as ColumnSource['data'];
}

function schemaOf(fields: readonly ParquetField[]): SchemaElement[] {
  return schemaFromColumnData({ columnData: fields.map((f) => ({ name: f.name, data: [], type: f.type, nullable: f.nullable ?? false })) });
}

/**
 * Sends each finished row group straight to the temporary file, so a streamed table never holds
 * more than one row group's bytes.
 */
class FileSink extends ByteWriter {
  constructor(private readonly out: AtomicWriter) {
    super(1 << 16);
  }

  flush(): void {
    this.out.write(this.getBytes());
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

/** A Parquet file being written row group by row group, committed by rename or aborted. */
export class ParquetFile {
  private readonly out: AtomicWriter;
  private readonly pq: ParquetWriter;

  /** Opens `<file>.tmp-<pid>` and writes the header; every row group must hold `fields`, in order. */
  constructor(readonly file: string, readonly fields: readonly ParquetField[]) {
    this.out = new AtomicWriter(file);
    // created_by names levsim's version, never a time: the same run must give the same bytes.
    this.pq = new ParquetWriter({ writer: new FileSink(this.out), schema: schemaOf(fields), createdBy: `levsim ${levsimVersion()}` });
  }

  /** Writes the columns (same fields, same order, equal lengths) as row groups of ROW_GROUP_ROWS. */
  write(columns: readonly ParquetColumn[]): void {
    if (columns.length !== this.fields.length) throw new Error(`parquet ${this.file}: ${columns.length} columns, expected ${this.fields.length}`);
    columns.forEach((c, j) => {
      const f = this.fields[j];
      if (f?.name !== c.name || f.type !== c.type) throw new Error(`parquet ${this.file}: column ${j} is ${c.name} ${c.type}, expected ${f?.name} ${f?.type}`);
    });
    if ((columns[0]?.data.length ?? 0) === 0) return;
    // Synchronous: FileSink's flush never returns a promise.
    void this.pq.write({ columnData: columns.map((c) => ({ name: c.name, data: columnData(c) })), rowGroupSize: ROW_GROUP_ROWS });
  }

  /** Writes the footer, closes and renames into place. */
  commit(): void {
    void this.pq.finish();
    this.out.commit();
  }

  /** Closes and deletes the temporary file. */
  abort(): void {
    this.out.abort();
  }
}

/** Writes a whole table to `file` atomically. */
export function writeParquet(file: string, columns: readonly ParquetColumn[]): void {
  const f = new ParquetFile(file, columns);
  try {
    f.write(columns);
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}
