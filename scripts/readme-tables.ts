/** The README's generated tables, shared by scripts/readme-summary-table.ts and test/unit/readme.test.ts. */
import { TICK_COLUMNS, TICK_SUMMARY_FIELDS } from '../sim/engine/events';

/** The heading, header and rule above the summary.json table. */
export const SUMMARY_HEAD = '### summary.json\n\n| field | definition |\n|---|---|\n';

/** The header and rule of the ticks.csv column table (under "### ticks.csv", after its introduction). */
export const TICKS_HEAD = '| column | unit | scope | definition |\n|---|---|---|---|\n';

/** The rows of the ticks.csv column table, in column order, from TICK_COLUMNS. */
export function tickColumnRows(): string[] {
  return TICK_SUMMARY_FIELDS.map((f) => {
    const c = TICK_COLUMNS[f];
    return `| \`${f}\` | ${c.unit} | ${c.scope} | ${c.doc.replace(/\|/g, '\\|')} |`;
  });
}
