/**
 * Rewrites the summary.json table, the ticks.csv header and the ticks.csv column table in README.md
 * from SUMMARY_DEFINITIONS and TICK_COLUMNS, the one source of each (test/unit/readme.test.ts
 * checks that they agree).
 * Run: node bin/run-ts.js scripts/readme-summary-table.ts
 */
import { readFileSync, writeFileSync } from 'fs';
import { TICK_SUMMARY_FIELDS } from '../sim/engine/events';
import { SUMMARY_DEFINITIONS } from '../sim/metrics/summary';
import { SUMMARY_HEAD, TICKS_HEAD, tickColumnRows } from './readme-tables';

/** `text` with the rows of the one table under `head` (a heading or header, then the rule) replaced by `rows`. */
function replaceTable(text: string, head: string, rows: string[]): string {
  const start = text.indexOf(head);
  if (start < 0 || text.indexOf(head, start + 1) >= 0) throw new Error(`README.md: not one table under ${JSON.stringify(head.split('\n')[0])}`);
  const from = start + head.length;
  // The table's rows run to the first line that is not a row (or to the end).
  let end = from;
  while (text.startsWith('|', end)) end = text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end) + 1;
  return text.slice(0, from) + rows.map((r) => r + '\n').join('') + text.slice(end);
}

const file = 'README.md';
let withTable = readFileSync(file, 'utf8');
withTable = replaceTable(withTable, SUMMARY_HEAD, Object.entries(SUMMARY_DEFINITIONS).map(([k, d]) => `| \`${k}\` | ${d} |`));
withTable = replaceTable(withTable, TICKS_HEAD, tickColumnRows());
const ticksRow = /^\| `ticks\.csv` \| one row per tick: `[^`]*` \|$/m;
if (!ticksRow.test(withTable)) throw new Error('README.md: no ticks.csv row');
writeFileSync(file, withTable.replace(ticksRow, `| \`ticks.csv\` | one row per tick: \`${TICK_SUMMARY_FIELDS.join(',')}\` |`));
