/**
 * Rewrites the summary.json table and the ticks.csv header in README.md from SUMMARY_DEFINITIONS
 * and TICK_SUMMARY_FIELDS, the one source of each (test/unit/readme.test.ts checks that they agree).
 * Run: node bin/run-ts.js scripts/readme-summary-table.ts
 */
import { readFileSync, writeFileSync } from 'fs';
import { TICK_SUMMARY_FIELDS } from '../sim/engine/events';
import { SUMMARY_DEFINITIONS } from '../sim/metrics/summary';

const file = 'README.md';
const text = readFileSync(file, 'utf8');
const head = '### summary.json\n\n| field | definition |\n|---|---|\n';
const start = text.indexOf(head);
if (start < 0) throw new Error('README.md: no summary.json table');
const from = start + head.length;
const end = text.indexOf('\n\n', from);
const rows = Object.entries(SUMMARY_DEFINITIONS).map(([k, d]) => `| \`${k}\` | ${d} |`).join('\n');
const withTable = text.slice(0, from) + rows + text.slice(end);
const ticksRow = /^\| `ticks\.csv` \| one row per tick: `[^`]*` \|$/m;
if (!ticksRow.test(withTable)) throw new Error('README.md: no ticks.csv row');
writeFileSync(file, withTable.replace(ticksRow, `| \`ticks.csv\` | one row per tick: \`${TICK_SUMMARY_FIELDS.join(',')}\` |`));
