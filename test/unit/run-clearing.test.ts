import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadScenario } from '../../sim/scenario/loader';
import { runClearingScenario } from '../../sim/run/run-clearing';

describe('a walrasian run\'s ticks.csv', () => {
  it('counts funds past 255: 300 funds are 300 active funds in every row, as in the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-run-clearing-'));
    const file = join(dir, 'many.yaml');
    const beta = Array.from({ length: 300 }, (_, k) => 5 + 0.1 * k).join(', ');
    writeFileSync(file, `name: many\nticks: 20\nmarket: { clearing: walrasian, walrasian: { burnIn: 5, funds: { beta: [${beta}] } } }\n`
      + 'exchange: { policy: { type: fixed, maxLeverage: 5, mmr: 0.01 } }\noutputs: { ticks: true }\n');
    const s = await loadScenario(file);
    const { summary } = runClearingScenario(s, { outDir: join(dir, 'out') });
    expect(summary.leverage.meanActiveFunds).toBe(300);
    const rows = readFileSync(join(dir, 'out', 'ticks.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(Number(r[4])).toBe(300); // activeFunds (no fund defaults at λ_max = 5 in 20 ticks)
  });
});
