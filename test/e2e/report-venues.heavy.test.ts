import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, openReport, runAndLaunch, SHOTS } from '../helpers/browser';
import { cli } from '../helpers/cli';

/** The rendered width (px) of each marker of the network's node trace (the last trace), in node order. */
const nodeWidths = (page: Page) => page.$$eval('#chart-network .scatterlayer .trace:last-child path.point', (ps) => ps.map((p) => (p as SVGGraphicsElement).getBBox().width));

(browserAvailable() ? describe : describe.skip)('the report of a run of several venues in headless Chromium, network blocked', () => {
  let run: { dir: string; browser: Browser };
  beforeAll(async () => { run = await runAndLaunch('levsim-report-venues-', 'test/fixtures/venues/two-venues.yaml', '--set', 'outputs.report=true'); }, 300_000);
  afterAll(async () => run?.browser.close());

  it('renders the network (a node per venue, sized as its losses), a timeline trace per node and every price panel, with no console error and no network request', async () => {
    const { page, log, charts } = await openReport(run.browser, run.dir);
    expect(charts).toEqual([
      'chart-network', 'chart-node-liquidations', 'chart-node-funds',
      'chart-price-alpha-BTC', 'chart-price-alpha-ETH', 'chart-price-beta-BTC', 'chart-price-beta-ETH',
    ]);
    expect(log.consoleErrors).toEqual([]);
    expect(log.blocked).toEqual([]);
    const summary = JSON.parse(readFileSync(join(run.dir, 'summary.json'), 'utf8'));
    const venues: string[] = summary.venues;
    // one rendered node per venue (no protocol in this run), no edge without the matrix
    const widths = await nodeWidths(page);
    expect(widths).toHaveLength(venues.length);
    expect(await page.$$eval('#chart-network .scatterlayer .trace', (ts) => ts.length)).toBe(1);
    const losses = venues.map((v) => summary.nodes[v].liquidatedNotional + summary.nodes[v].badDebt);
    for (let i = 0; i < venues.length; i++) for (let j = 0; j < venues.length; j++) if (losses[i]! > losses[j]!) expect(widths[i]).toBeGreaterThan(widths[j]!);
    // the timeline: one drawn line per node
    expect(await page.$$eval('#chart-node-liquidations .scatterlayer .trace', (ts) => ts.length)).toBe(summary.systemic.nodes.length);
    expect(await page.$eval('#chart-node-liquidations', (el: any) => el.data.map((t: { name: string }) => t.name))).toEqual(summary.systemic.nodes);
    await page.screenshot({ path: join(SHOTS, 'report-venues.png'), fullPage: true });
  }, 120_000);

  it('with a contagion matrix in summary.json (hand-added), the edges are drawn with widths ordered as the matrix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levsim-report-venues-matrix-'));
    cpSync(run.dir, dir, { recursive: true });
    rmSync(join(dir, 'report.html'));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const liquidated = [[50_000, 200_000], [800_000, 0]];
    summary.contagionMatrix = { nodes: ['alpha', 'beta'], liquidated, badDebt: [[0, 0], [0, 0]] };
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
    expect((await cli('report', dir)).code).toBe(0);
    const { page, log } = await openReport(run.browser, dir);
    expect(log.consoleErrors).toEqual([]);
    expect(log.blocked).toEqual([]);
    // the edge traces come first, in matrix order (alpha→beta, beta→alpha): their drawn stroke widths
    const drawn = await page.$$eval('#chart-network .scatterlayer .trace path.js-line', (ls) => ls.map((l) => parseFloat(getComputedStyle(l).strokeWidth)));
    expect(drawn).toHaveLength(2);
    expect(drawn[1]).toBeGreaterThan(drawn[0]!); // 800,000 against 200,000
    expect(drawn[1]! / drawn[0]!).toBeCloseTo(liquidated[1]![0]! / liquidated[0]![1]!, 6);
    // an arrowhead per edge, and still one node per venue
    expect(await page.$$eval('#chart-network .annotation', (as) => as.length)).toBe(2);
    expect(await nodeWidths(page)).toHaveLength(2);
    await page.locator('#chart-network').screenshot({ path: join(SHOTS, 'report-venues-network.png') });
  }, 120_000);
});
