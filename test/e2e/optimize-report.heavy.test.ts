import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { pathToFileURL } from 'url';
import type { Browser } from 'playwright-core';
import { cli } from '../helpers/cli';
import { browserAvailable, launch, offlinePage, renderedCharts } from '../helpers/browser';
import type { OptimizeResult } from '../../sim/run/optimize';

const SHOTS = resolve('test-output');
const describeBrowser = browserAvailable() ? describe : describe.skip;

describeBrowser('the optimisation report in headless Chromium, network blocked', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'levsim-report-opt-'));
    expect((await cli('run', 'test/fixtures/optimize/small.yaml', '--out', dir, '--quiet')).code).toBe(0);
    browser = await launch();
  }, 300_000);
  afterAll(async () => browser?.close());

  it('renders a frontier chart per constrained metric with the chosen point, and a row per candidate', async () => {
    const { page, log } = await offlinePage(browser);
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    expect(await renderedCharts(page)).toEqual(['chart-frontier-0', 'chart-frontier-1']);
    expect(log.consoleErrors).toEqual([]);
    expect(log.blocked).toEqual([]);
    const r = JSON.parse(readFileSync(join(dir, 'optimize.json'), 'utf8')) as OptimizeResult;
    const rows = await page.$$eval('#optimize-table tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')!.textContent));
    expect(rows).toEqual(r.candidates.map((c) => (c.name === r.best!.name ? `${c.name} (best)` : c.name)));
    const traces = await page.$eval('#chart-frontier-1', (el) => (el as unknown as { data: { name: string }[] }).data.map((t) => t.name));
    expect(traces).toEqual(['feasible', 'infeasible', 'Pareto frontier', `chosen: ${r.best!.name}`]);
    await page.screenshot({ path: join(SHOTS, 'report-optimize.png'), fullPage: true });
  }, 120_000);
});
