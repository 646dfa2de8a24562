import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Browser } from 'playwright-core';
import { browserAvailable, openReport, runAndLaunch, SHOTS } from '../helpers/browser';

(browserAvailable() ? describe : describe.skip)('the report of a run of several assets in headless Chromium, network blocked', () => {
  let run: { dir: string; browser: Browser };
  beforeAll(async () => { run = await runAndLaunch('levsim-report-multi-', 'test/fixtures/multi-asset.yaml'); }, 300_000);
  afterAll(async () => run?.browser.close());

  it('renders a price panel per asset, the contagion heatmap and a usage panel per mode, with no console error and no network request', async () => {
    const { page, log, charts } = await openReport(run.browser, run.dir);
    expect(charts).toEqual(expect.arrayContaining([
      'chart-price-BTC', 'chart-price-ETH', 'chart-price-SOL', 'chart-liquidations-ETH', 'chart-heatmap-BTC', 'chart-heatmap-ETH',
      'chart-contagion', 'chart-usage-isolated', 'chart-usage-cross', 'chart-usage-portfolio', 'chart-insurance', 'chart-near-liquidation',
    ]));
    expect(log.consoleErrors).toEqual([]);
    expect(log.blocked).toEqual([]);
    // every price panel spans the run; ETH's marks its shock
    const spans = await page.evaluate(() => ['BTC', 'ETH', 'SOL'].map((a) => (document.getElementById(`chart-price-${a}`) as unknown as { _fullLayout: { xaxis: { range: number[] } } })._fullLayout.xaxis.range.map(Math.round)));
    expect(spans).toEqual([[0, 399], [0, 399], [0, 399]]);
    expect(await page.$eval('#chart-price-ETH', (el: any) => el.data.map((t: { name: string }) => t.name))).toContain('shocks to the index');
    // the contagion heatmap: its mode buttons swap the matrix for that mode's
    const summary = JSON.parse(readFileSync(join(run.dir, 'summary.json'), 'utf8'));
    const assets: string[] = summary.assets;
    const matrix = (m: Record<string, Record<string, number>>) => assets.map((a) => assets.map((b) => m[a]![b]!));
    expect(await page.$$eval('#chart-contagion .updatemenu-button', (bs) => bs.map((b) => b.textContent))).toEqual(['all modes', 'isolated', 'cross', 'portfolio']);
    expect(await page.$eval('#chart-contagion', (el: any) => el.data[0].z)).toEqual(matrix(summary.contagion.matrix));
    const cross = matrix(summary.contagion.byMode.cross);
    expect(cross).not.toEqual(matrix(summary.contagion.matrix)); // the button has something to show
    await page.locator('#chart-contagion .updatemenu-button', { hasText: 'cross' }).click();
    await page.waitForFunction((want) => JSON.stringify((document.getElementById('chart-contagion') as any).data[0].z) === want, JSON.stringify(cross), { timeout: 10_000 });
    expect(log.consoleErrors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'report-multi.png'), fullPage: true });
  }, 120_000);
});
