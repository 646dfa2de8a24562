/**
 * Report benchmark: the size of a 10,000-tick run's report.html and its render time in headless
 * Chromium (navigation to every chart drawn), median of 3 loads. Needs /usr/bin/chromium.
 *
 *   npm run bench -- --only report
 */
import { statSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { performance } from 'perf_hooks';
import { main } from '../sim/cli';
import { launch, offlinePage, renderedCharts } from '../test/helpers/browser';
import { inTempDir, median } from './timing';

/** Figures of the report benchmark. */
export interface ReportFigure { ticks: number; bytes: number; renderMs: number }

/** Runs a 10,000-tick scenario, then times its report in Chromium. */
export async function benchReport(): Promise<ReportFigure> {
  return inTempDir('levsim-bench-report-', async (dir) => {
    const quiet = { out: () => {}, err: (s: string) => process.stderr.write(s), tty: false };
    const code = await main(['run', 'scenarios/custom-strategy.yaml', '--out', dir, '--quiet', '--ticks', '10000', '--set', 'market.shocks[0].tick=7000'], quiet);
    if (code !== 0) throw new Error(`bench run failed with exit code ${code}`);
    const file = join(dir, 'report.html');
    const browser = await launch();
    const times: number[] = [];
    try {
      for (let k = 0; k < 3; k++) {
        const { page } = await offlinePage(browser);
        const t0 = performance.now();
        await page.goto(pathToFileURL(file).href);
        await renderedCharts(page);
        times.push(performance.now() - t0);
        await page.context().close();
      }
    } finally {
      await browser.close();
    }
    return { ticks: 10_000, bytes: statSync(file).size, renderMs: median(times) };
  });
}
