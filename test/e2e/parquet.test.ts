import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { JS } from '@duckdb/node-api';
import { cli } from '../helpers/cli';
import { parquetSchema, query, readParquet } from '../helpers/duckdb';
import { levsimVersion } from '../../reports/manifest';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-pq-'));

/**
 * The columns that are not DOUBLE, written out here (not taken from the writer's declarations) so
 * that a change of type in the writer fails this test.
 */
const TYPED: Record<string, Record<string, 'INT32' | 'BOOLEAN' | 'UTF8'>> = {
  ticks: {
    tick: 'INT32', liquidations: 'INT32', cascadeRounds: 'INT32', adlCount: 'INT32', positions: 'INT32',
    activeAccounts: 'INT32', nearLiq5: 'INT32', nearLiq10: 'INT32', roundCapHit: 'BOOLEAN',
  },
  cascades: { tick: 'INT32', rounds: 'INT32', accounts: 'INT32', roundCapHit: 'BOOLEAN' },
  liquidations: { tick: 'INT32', round: 'INT32', account: 'INT32', side: 'UTF8' },
  book: { tick: 'INT32' },
  liqmap: { tick: 'INT32' },
};

/** Equal to the last bit, for the numbers a CSV can print: `===` on non-zero finite doubles, NaN equal to NaN. */
const sameDouble = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = text.trimEnd().split('\n');
  return { header: head!.split(','), rows: lines.map((l) => l.split(',')) };
}

/** Checks one cell of the Parquet file against the CSV's text for it; returns a mismatch or null. */
function mismatch(type: string, cell: string, v: JS): string | null {
  switch (type) {
    case 'INT32': return typeof v === 'number' && Number.isInteger(v) && v === Number(cell) ? null : `int ${String(v)} vs ${cell}`;
    case 'BOOLEAN': return (cell === '1' || cell === '0') && v === (cell === '1') ? null : `bool ${String(v)} vs ${cell}`;
    case 'UTF8': return v === cell ? null : `string ${String(v)} vs ${cell}`;
    default: return typeof v === 'number' && sameDouble(v, Number(cell)) ? null : `double ${String(v)} vs ${cell}`;
  }
}

describe('Parquet outputs', () => {
  const both = tmp(), only = tmp();

  it('outputs.format [csv, parquet] writes both; each table has the CSV\'s columns, typed, and its values to the last bit (read by DuckDB)', async () => {
    const r = await cli('run', 'test/fixtures/parquet.yaml', '--out', both, '--set', 'outputs.format=[csv, parquet]', '--set', 'outputs.report=false');
    expect(r.code, r.err).toBe(0);
    for (const table of Object.keys(TYPED)) {
      const file = join(both, `${table}.parquet`);
      const csv = parseCsv(readFileSync(join(both, `${table}.csv`), 'utf8'));
      expect(csv.rows.length, table).toBeGreaterThan(0); // the fixture's crash fills every table
      const schema = await parquetSchema(file);
      expect(schema.map((c) => c.name), table).toEqual(csv.header);
      for (const c of schema) {
        const want = TYPED[table]![c.name] ?? 'DOUBLE';
        expect([c.type, c.converted, c.required], `${table}.${c.name}`).toEqual(
          want === 'UTF8' ? ['BYTE_ARRAY', 'UTF8', true] : [want, null, true]);
      }
      const pq = await readParquet(file);
      const bad: string[] = [];
      csv.header.forEach((name, j) => {
        const type = TYPED[table]![name] ?? 'DOUBLE';
        const col = pq.columns[name]!;
        expect(col.length, `${table}.${name} rows`).toBe(csv.rows.length);
        csv.rows.forEach((row, k) => {
          const m = mismatch(type, row[j]!, col[k]!);
          if (m) bad.push(`${table}.${name}[${k}]: ${m}`);
        });
      });
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });

  it('outputs.format parquet writes no CSV without a report, and the same seed gives byte-identical files with no time in their metadata', async () => {
    const r = await cli('run', 'test/fixtures/parquet.yaml', '--out', only, '--set', 'outputs.format=parquet', '--set', 'outputs.report=false');
    expect(r.code, r.err).toBe(0);
    const files = readdirSync(only);
    expect(files.filter((f) => f.endsWith('.csv'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.parquet')).sort()).toEqual(Object.keys(TYPED).map((t) => `${t}.parquet`).sort());
    expect(files.some((f) => f.includes('.tmp-'))).toBe(false);
    for (const table of Object.keys(TYPED)) {
      const file = `${table}.parquet`;
      expect(readFileSync(join(only, file)).equals(readFileSync(join(both, file))), file).toBe(true);
      const meta = await query(`select created_by from parquet_file_metadata('${join(only, file)}')`);
      expect(meta.columns.created_by).toEqual([`levsim ${levsimVersion()}`]);
      const kv = await query(`select * from parquet_kv_metadata('${join(only, file)}')`);
      expect(kv.columns.key ?? [], file).toEqual([]);
    }
    expect(existsSync(join(only, 'summary.json'))).toBe(true);
  });
});
