import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { STRATEGIES } from '../../agents/registry';
import { SUMMARY_DEFINITIONS } from '../../sim/metrics/summary';
import { CLEARING_SUMMARY_DEFINITIONS } from '../../sim/metrics/clearing-summary';
import { ScenarioSchema } from '../../sim/scenario/schema';
import { PRESET_NAMES } from '../../sim/exchange/policies/presets';
import { TICK_SUMMARY_FIELDS } from '../../sim/engine/events';
import { TICKS_HEAD, tickColumnRows } from '../../scripts/readme-tables';

const readme = readFileSync('README.md', 'utf8');

describe('the README stays true', () => {
  it('starts with the install-and-run command and the test command', () => {
    const head = readme.slice(0, 1200);
    expect(head).toContain('npm ci && npm start');
    expect(head).toContain('npm test');
  });
  it('documents every strategy and every strategy parameter', () => {
    for (const [name, s] of Object.entries(STRATEGIES)) {
      expect(readme, name).toContain(`\`${name}\``);
      for (const p of Object.keys(s.params)) expect(readme, `${name}.${p}`).toContain(`\`${p}\``);
    }
  });
  it('defines every summary.json field, and names every preset and top-level scenario field', () => {
    for (const [k, def] of Object.entries(SUMMARY_DEFINITIONS)) expect(readme, k).toContain(`| \`${k}\` | ${def} |`);
    for (const [k, def] of Object.entries(CLEARING_SUMMARY_DEFINITIONS)) expect(readme, k).toContain(`| \`${k}\` | ${def} |`);
    for (const p of PRESET_NAMES) expect(readme, p).toContain(p);
    for (const k of Object.keys(ScenarioSchema.shape)) if (k !== '$schema' && k !== 'description') expect(readme, k).toContain(`${k}:`);
  });
  it('has the ticks.csv header and column table of the declaration (scripts/readme-summary-table.ts writes them)', () => {
    expect(readme).toContain(`| \`ticks.csv\` | one row per tick: \`${TICK_SUMMARY_FIELDS.join(',')}\` |`);
    expect(readme).toContain(TICKS_HEAD + tickColumnRows().map((r) => r + '\n').join('') + '\n');
  });
});
