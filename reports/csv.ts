/** CSV rendering of finished results. Numbers use JavaScript's shortest round-trip form: deterministic bytes. */
import { closePrice, TICK_SUMMARY_FIELDS, type CascadeRecord, type LiquidationBatch, type TickField } from '../sim/engine/events';
import type { TickColumns } from '../sim/metrics/tick-columns';

/** ticks.csv: one row per tick, the TickSummary `fields` (default every one, starting with tick, index, mark). */
export function ticksCsv(cols: TickColumns, fields: readonly TickField[] = TICK_SUMMARY_FIELDS): string {
  const arrays = fields.map((f) => cols.get(f));
  const rows: string[] = [fields.join(',')];
  for (let k = 0; k < cols.length; k++) {
    let line = '';
    for (let j = 0; j < arrays.length; j++) line += (j ? ',' : '') + String(arrays[j]![k]);
    rows.push(line);
  }
  return rows.join('\n') + '\n';
}

/** Columns of cascades.csv. */
export const CASCADE_FIELDS = ['tick', 'rounds', 'accounts', 'longNotional', 'shortNotional', 'markOpen', 'markBefore', 'markAfter', 'exogenousReturn', 'roundCapHit'] as const;

/** cascades.csv: one row per tick with liquidations. */
export function cascadesCsv(records: readonly CascadeRecord[]): string {
  const rows = [CASCADE_FIELDS.join(',')];
  for (const r of records) rows.push(CASCADE_FIELDS.map((f) => (f === 'roundCapHit' ? (r.roundCapHit ? 1 : 0) : String(r[f]))).join(','));
  return rows.join('\n') + '\n';
}

/** Header of liquidations.csv. */
export const LIQUIDATION_HEADER = 'tick,round,account,side,closed,price,equity,maintenance\n';

/** The rows of one liquidation round; price: the round's fill price, or for a backstop takeover the mark it closed at. */
export function liquidationRows(b: LiquidationBatch): string {
  let s = '';
  for (let n = 0; n < b.accounts.length; n++) {
    const q = b.closed[n]!;
    s += `${b.tick},${b.round},${b.accounts[n]},${q < 0 ? 'long' : 'short'},${Math.abs(q)},${closePrice(b, n)},${b.equity[n]},${b.maintenance[n]}\n`;
  }
  return s;
}
