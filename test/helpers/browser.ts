/**
 * Debian's Chromium driven by playwright-core, with the network blocked: every request that is not
 * file:// is aborted and recorded. Under CI=true a missing browser is a failure, not a skip.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { pathToFileURL } from 'url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cli } from './cli';

/** Where browser tests put their screenshots. */
export const SHOTS = resolve('test-output');

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM = process.env.LEVSIM_CHROMIUM ?? '/usr/bin/chromium';

/** True when the browser can be used; throws under CI when it is missing. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs it with apt-get (apt-get install -y chromium)`);
  return false;
}

/** Launches headless Chromium with the flags this machine needs. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** What a page did while loading. */
export interface PageLog {
  consoleErrors: string[];
  blocked: string[];
}

/** A page whose network is blocked (only file:// passes), logging console errors and blocked requests. */
export async function offlinePage(browser: Browser): Promise<{ page: Page; log: PageLog }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const log: PageLog = { consoleErrors: [], blocked: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    log.blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => log.consoleErrors.push(String(e)));
  return { page, log };
}

/** Waits until every `.chart` container holds a rendered plot (SVG or canvas); returns the ids that did. */
export async function renderedCharts(page: Page): Promise<string[]> {
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.chart')).every((d) => d.querySelector('svg.main-svg, canvas')), undefined, { timeout: 30_000 });
  return page.$$eval('.chart', (els) => els.filter((d) => d.querySelector('svg.main-svg, canvas')).map((d) => d.id));
}

/** Opens the report of the run folder `dir` in an offline page and waits for its charts: the page, its log and the ids rendered. */
export async function openReport(browser: Browser, dir: string): Promise<{ page: Page; log: PageLog; charts: string[] }> {
  const { page, log } = await offlinePage(browser);
  await page.goto(pathToFileURL(join(dir, 'report.html')).href);
  return { page, log, charts: await renderedCharts(page) };
}

/** The set-up of a report's browser test: `levsim run ARGS --out <a new temporary folder> --quiet` (it must succeed), then the browser. */
export async function runAndLaunch(prefix: string, ...args: string[]): Promise<{ dir: string; browser: Browser }> {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const r = await cli('run', ...args, '--out', dir, '--quiet');
  if (r.code !== 0) throw new Error(`levsim run ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return { dir, browser: await launch() };
}
