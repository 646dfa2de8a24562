/**
 * Reads Parquet files back with DuckDB (its C++ reader, another team's code than hyparquet-writer's),
 * so the tests check the files as pandas, polars and DuckDB users will see them.
 */
import { DuckDBInstance, type DuckDBConnection, type JS } from '@duckdb/node-api';

let connection: Promise<DuckDBConnection> | undefined;

/** One in-memory DuckDB connection for the whole test file. */
function db(): Promise<DuckDBConnection> {
  connection ??= DuckDBInstance.create(':memory:').then((i) => i.connect());
  return connection;
}

/** A query's result as columns by name, and the column names in order. */
export async function query(sql: string): Promise<{ names: string[]; columns: Record<string, JS[]> }> {
  const r = await (await db()).runAndReadAll(sql);
  return { names: r.columnNames(), columns: r.getColumnsObjectJS() };
}

/** A file's leaf columns with their Parquet physical type, converted type and repetition. */
export async function parquetSchema(file: string): Promise<{ name: string; type: string; converted: string | null; required: boolean }[]> {
  const { columns: c } = await query(`select name, type, converted_type, repetition_type from parquet_schema('${file}') where type is not null`);
  return c.name!.map((name, k) => ({ name: String(name), type: String(c.type![k]), converted: c.converted_type![k] === null ? null : String(c.converted_type![k]), required: c.repetition_type![k] === 'REQUIRED' }));
}

/** Every row of a Parquet file, columns by name, in file order. */
export function readParquet(file: string): Promise<{ names: string[]; columns: Record<string, JS[]> }> {
  return query(`select * from read_parquet('${file}')`);
}
