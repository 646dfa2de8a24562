import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_DEFINITIONS } from '../../sim/metrics/summary';
import { dustOf } from '../../reports/format';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { pathToFileURL } from 'url';
import type { Browser } from 'playwright-core';
import { cli } from '../helpers/cli';
import { browserAvailable, launch, offlinePage, renderedCharts } from '../helpers/browser';

const SHOTS = resolve('test-output');
const hasBrowser = browserAvailable();
const describeBrowser = hasBrowser ? describe : describe.skip;

const RUN_CHARTS = ['chart-price', 'chart-liquidations', 'chart-ccdf', 'chart-heatmap', 'chart-leverage', 'chart-near-liquidation', 'chart-insurance', 'chart-funding'];

describeBrowser('HTML reports in headless Chromium, network blocked', () => {
  let browser: Browser;
  let runDir: string, cmpDir: string;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    runDir = mkdtempSync(join(tmpdir(), 'levsim-report-'));
    cmpDir = mkdtempSync(join(tmpdir(), 'levsim-report-cmp-'));
    expect((await cli('run', 'scenarios/flash-crash.yaml', '--out', runDir, '--quiet')).code).toBe(0);
    expect((await cli('run', 'test/fixtures/compare/small.yaml', '--out', cmpDir, '--quiet', '--set', 'compare.policies[2].policy.params.trigger=0.03')).code).toBe(0);
    browser = await launch();
  }, 300_000);
  afterAll(async () => browser?.close());

  it('the run report renders every chart with no console error and no network request; its summary table equals summary.json', async () => {
    const { page, log } = await offlinePage(browser);
    await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
    const charts = await renderedCharts(page);
    expect(charts).toEqual(expect.arrayContaining(RUN_CHARTS));
    expect(log.consoleErrors).toEqual([]);
    expect(log.blocked).toEqual([]);
    // the liquidation chart spans the run like the price chart, and offers a log y-axis
    const axes = await page.evaluate(() => ['chart-price', 'chart-liquidations'].map((id) => (document.getElementById(id) as unknown as { _fullLayout: { xaxis: { range: number[] } } })._fullLayout.xaxis.range.map(Math.round)));
    expect(axes[1]).toEqual(axes[0]);
    expect(await page.$$eval('#chart-liquidations .updatemenu-button', (bs) => bs.map((b) => b.textContent))).toEqual(['linear', 'log']);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const rows = await page.$$eval('#summary-table tr[data-field]', (trs) => trs.map((tr) => ({
      field: tr.getAttribute('data-field')!, exact: tr.querySelector('td[data-value]')!.getAttribute('data-value')!, shown: tr.querySelector('td[data-value]')!.textContent!,
    })));
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) {
      const v = r.field.split('.').reduce((o: any, k: string) => o[k], summary);
      expect(r.exact, r.field).toBe(v === null ? 'null' : String(v));
      if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) >= 1e-3) {
        // money is shown as the terminal shows it: to the unit (two decimals under 1,000); other figures to 6 significant digits
        const shown = Number(r.shown.replace(/,/g, ''));
        if (SUMMARY_DEFINITIONS[r.field.replace(/^populations\.[^.]+\./, 'populations.<name>.')]!.includes('(quote')) expect(Math.abs(shown - v), r.field).toBeLessThanOrEqual(Math.abs(v) < dustOf(summary) ? Math.abs(v) : Math.abs(v) < 1000 ? 0.005 + 1e-9 : 0.5 + 1e-9);
        else expect(Math.abs(shown - v) / Math.max(1, Math.abs(v)), r.field).toBeLessThan(1e-5);
      }
    }
    await page.screenshot({ path: join(SHOTS, 'report-run.png'), fullPage: true });
  }, 120_000);

  it('the comparison report renders every chart offline, and its rows link to run reports', async () => {
    const { page, log } = await offlinePage(browser);
    await page.goto(pathToFileURL(join(cmpDir, 'report.html')).href);
    const charts = await renderedCharts(page);
    expect(charts).toEqual(expect.arrayContaining(['chart-metric-0', 'chart-paired-0', 'chart-frontier-cascade', 'chart-frontier-baddebt', 'chart-price-overlay']));
    expect(log.consoleErrors).toEqual([]);
    expect(log.blocked).toEqual([]);
    const links = await page.$$eval('#compare-table a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['runs/fixed-20x/40/report.html', 'runs/fixed-20x-again/40/report.html', 'runs/brake/40/report.html', 'runs/cap-10/40/report.html', 'runs/cap-50/40/report.html']);
    const compare = JSON.parse(readFileSync(join(cmpDir, 'compare.json'), 'utf8'));
    const shown = await page.$eval('#compare-table td[data-metric="liquidations.notional"]', (td) => td.getAttribute('data-value'));
    expect(Number(shown)).toBe(compare.policies[0].metrics['liquidations.notional'].mean);
    // the table fits its card (it was 1,633 px wide in 1,200)
    const fit = await page.$eval('#compare-table', (t) => ({ table: t.scrollWidth, card: t.parentElement!.clientWidth }));
    expect(fit.table).toBeLessThanOrEqual(fit.card);
    await page.screenshot({ path: join(SHOTS, 'report-compare.png'), fullPage: true });
    // a linked run report opens too
    const { page: p2, log: l2 } = await offlinePage(browser);
    await p2.goto(pathToFileURL(join(cmpDir, links[2]!)).href);
    expect((await renderedCharts(p2)).length).toBeGreaterThanOrEqual(RUN_CHARTS.length);
    expect(l2.consoleErrors).toEqual([]);
  }, 120_000);

  it('levsim report DIR rebuilds the same report from the data files alone', async () => {
    for (const dir of [runDir, cmpDir]) {
      const before = readFileSync(join(dir, 'report.html'));
      const r = await cli('report', dir);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, 'report.html')).equals(before)).toBe(true);
    }
    expect((await cli('report', tmpdir())).code).toBe(2);
  }, 120_000);

  it('a 10,000-tick run\'s report stays under 8 MB, with crashes kept by min–max downsampling', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-report-long-'));
    expect((await cli('run', 'scenarios/custom-strategy.yaml', '--out', dir, '--quiet', '--ticks', '10000', '--set', 'market.shocks[0].tick=7000')).code).toBe(0);
    const size = statSync(join(dir, 'report.html')).size;
    expect(size).toBeLessThan(8 * 1024 * 1024);
    const { page, log } = await offlinePage(browser);
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await renderedCharts(page);
    expect(log.consoleErrors).toEqual([]);
    // the crash's low is still in the downsampled mark series
    const plottedMin = await page.$eval('#chart-price', (el: any) => Math.min(...el.data[1].y));
    const ticks = readFileSync(join(dir, 'ticks.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    expect(plottedMin).toBe(Math.min(...ticks));
    await page.screenshot({ path: join(SHOTS, 'report-10k.png') });
  }, 300_000);
});
