import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';
import { dustOf, money } from '../../reports/format';
import type { RunSummary } from '../../sim/metrics/summary';
import { summaryField, summaryFields } from '../../reports/html/data';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-reports-'));

describe('reports a reader trusts', () => {
  it('money: to the unit with separators, two decimals under 1,000, rounding dust as 0', () => {
    expect([money(2_807_970.6), money(12.345), money(1.7e-11), money(-1e-9), money(999.994), money(-1234.5), money(null)]).toEqual(['2,807,971', '12.35', '0', '0', '999.99', '-1,235', 'n/a']);
    // below 1e-9 of the traders' deposits (46M: 0.046) is dust; the house's collateral (equity − pnl) and the fund's seed do not count
    const s = { ledger: { deposits: 46e6 + 1e10 + 2e6, houseEquity: 1e10 + 5e5 }, house: { pnl: 5e5 }, insuranceFund: { start: 2e6 } } as unknown as RunSummary;
    expect(dustOf(s)).toBeCloseTo(0.046, 12);
    expect([money(0.04, dustOf(s)), money(0.05, dustOf(s)), money(-0.04, dustOf(s))]).toEqual(['0', '0.05', '0']);
  });

  it('a comparison with outputs.ticks: false finishes (exit 0) with its report; levsim report on such a run writes what the data allows', () => {
    const out = tmp();
    const r = levsim('run', 'test/fixtures/compare/mc-assert.yaml', '--out', out, '--quiet', '--workers', '1', '--set', 'outputs.ticks=false', '--set', 'assert={}');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'compare.json'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('chart-price-overlay');
    const run = join(out, 'runs', 'tight', '11');
    expect(existsSync(join(run, 'ticks.csv'))).toBe(false);
    const again = levsim('report', run);
    expect(again.code).toBe(0);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toContain('id="no-ticks"');
    expect(html).toContain('id="no-liquidations"'); // the tight policy liquidates nobody: no axes from −1 to 6
    expect(html).not.toContain('"chart-liquidations"');
  });

  it('the terminal and the report show the same money figure', () => {
    const out = tmp();
    const r = levsim('run', 'scenarios/flash-crash.yaml', '--out', out, '--ticks', '200', '--set', 'market.warmupTicks=10', '--set', 'market.shocks[0].tick=100');
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const shown = money(s.cascades.largestNotional);
    expect(s.cascades.largestNotional).toBeGreaterThan(1000);
    expect(r.out).toMatch(new RegExp(`largest cascade \\(notional\\) +${shown}\\n`));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`largest cascade<b>${shown}</b>`);
    // The summary table lists the fields this run has: a one-venue run's showed a row
    // unitsMaxRelativeResidual = undefined (a field of runs of several venues).
    expect(html).not.toContain('data-value="undefined"');
    expect(html).not.toContain('data-field="unitsMaxRelativeResidual"');
    expect(html).toContain('data-field="ledger.maxRelativeResidual"');
  });

  it('the summary table: a field under a section that is null is null (n/a), never undefined', () => {
    // A margin mode with no usage samples has `usage: null`: its usage rows read undefined.
    const s = { populations: {}, assets: ['BTC'], modes: { cross: { usage: null } } } as unknown as RunSummary;
    expect(summaryField(s, 'modes.cross.usage.usageP50')).toBeNull();
    expect(summaryField(s, 'modes.isolated.usage.usageP50')).toBeUndefined();
    const fields = summaryFields({ populations: { a: {} } } as unknown as RunSummary).map(([p]) => p);
    expect(fields).toContain('populations.a.pnl');
    expect(fields.filter((p) => /^(assets|markets|modes|contagion|nodes|systemic|protocols|unitsMaxRelativeResidual)\b/.test(p))).toEqual([]);
  });
});
