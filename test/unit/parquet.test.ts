import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { LiquidationBatch } from '../../sim/engine/events';
import { ROW_GROUP_ROWS, writeParquet } from '../../reports/parquet';
import { LiquidationsParquet, outputFormats } from '../../reports/parquet-tables';
import { query } from '../helpers/duckdb';

/** A round of `n` liquidations whose values encode the round and position, to find them in the file. */
function batch(round: number, n: number): LiquidationBatch {
  const accounts = Int32Array.from({ length: n }, (_, k) => k);
  const closed = Float64Array.from({ length: n }, (_, k) => (k % 2 ? 1 : -1) * (round + k / n));
  const equity = Float64Array.from({ length: n }, (_, k) => k * 0.1);
  return {
    tick: 7, round, accounts, closed, equity, maintenance: equity.map((e) => e + 1), price: 100 + round,
    markBefore: 0, markAfter: 0, longNotional: 0, shortNotional: 0, bankrupt: 0, backstopTakeovers: 0,
  };
}

describe('liquidations.parquet streaming', () => {
  it('writes full row groups of ROW_GROUP_ROWS as rounds arrive, and the rest at commit, every row in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-liq-'));
    const w = new LiquidationsParquet(dir);
    const per = 60_000, rounds = 3;
    for (let r = 1; r <= rounds; r++) w.add(batch(r, per));
    w.commit();
    const file = join(dir, 'liquidations.parquet');
    const groups = await query(`select row_group_id, any_value(row_group_num_rows) as n from parquet_metadata('${file}') group by 1 order by 1`);
    expect(groups.columns.n).toEqual([BigInt(ROW_GROUP_ROWS), BigInt(rounds * per - ROW_GROUP_ROWS)]);
    // rows on both sides of the row-group boundary, and the last
    for (const row of [0, ROW_GROUP_ROWS - 1, ROW_GROUP_ROWS, rounds * per - 1]) {
      const round = Math.floor(row / per) + 1, k = row % per;
      const got = await query(`select * from (select *, row_number() over () - 1 as i from read_parquet('${file}')) where i = ${row}`);
      expect(got.columns.round).toEqual([round]);
      expect(got.columns.account).toEqual([k]);
      expect(got.columns.side).toEqual([k % 2 ? 'short' : 'long']);
      expect(got.columns.closed).toEqual([round + k / per]);
      expect(got.columns.price).toEqual([100 + round]);
    }
  });

  it('abort leaves no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-liq-'));
    const w = new LiquidationsParquet(dir);
    w.add(batch(1, 10));
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'liquidations.parquet'))).toBe(false);
  });
});

describe('writeParquet', () => {
  it('keeps nulls in nullable integer columns (not zeros) and reads back the values and types written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'levsim-pq-')), 't.parquet');
    writeParquet(file, [
      { name: 'i32', type: 'INT32', nullable: true, data: [1, null, -3] },
      { name: 'i64', type: 'INT64', nullable: true, data: [2 ** 40, null, 0] },
      { name: 'x', type: 'DOUBLE', data: [0.1, -0, Infinity] },
    ]);
    const r = await query(`select * from read_parquet('${file}')`);
    expect(r.columns.i32).toEqual([1, null, -3]);
    expect(r.columns.i64).toEqual([2n ** 40n, null, 0n]);
    expect(r.columns.x).toEqual([0.1, -0, Infinity]);
  });
});

describe('outputs.format', () => {
  it('reads one format or a list', () => {
    expect(outputFormats('csv')).toEqual({ csv: true, parquet: false });
    expect(outputFormats('parquet')).toEqual({ csv: false, parquet: true });
    expect(outputFormats(['csv', 'parquet'])).toEqual({ csv: true, parquet: true });
  });
});
