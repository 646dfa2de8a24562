/** Checks of `market` (and `ticks` against it): shocks inside the run, a stationary GARCH, a replay path that covers the run, warm-up shorter than the run. */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { loadPriceCsv, PriceCsvError } from '../../market/processes';
import { ProcessSchema, ShockSchema } from '../schema';
import { get, type CheckContext, type Issues } from './context';

/** The largest scheduled shock, as a simple return: +1,000%. */
/** The largest simple return of a shock (+1,000%): shared by market, venue and oracle shocks. */
export const MAX_SHOCK = 10;

/** What the market check finds, and the replay path it loads. */
export interface MarketCheck {
  issues: Issues;
  replayPrices?: Float64Array;
}

/** Checks the market section. */
export function checkMarket(c: CheckContext): MarketCheck {
  const out: Issues = [];
  const market = get(c.raw, 'market');
  const { ticks } = c;
  const shocks = get(market, 'shocks');
  if (Array.isArray(shocks)) {
    shocks.forEach((sh, k) => {
      const p = ShockSchema.safeParse(sh);
      if (!p.success) return;
      if (ticks !== undefined && p.data.tick >= ticks) out.push({ path: ['market', 'shocks', k, 'tick'], message: `found ${p.data.tick}; allowed: a tick before the end of the run (ticks = ${ticks}, so 0..${ticks - 1})` });
      const big = (r: number | undefined, path: (string | number)[]) => {
        if (r !== undefined && r > MAX_SHOCK) out.push({ path, message: `found ${r}; allowed: a simple return from −1 (excluded) to ${MAX_SHOCK} (+1,000%)` });
      };
      big(p.data.return, ['market', 'shocks', k, 'return']);
      for (const [name, r] of Object.entries(p.data.returns ?? {})) big(r, ['market', 'shocks', k, 'returns', name]);
    });
  }
  const warmup = get(market, 'warmupTicks');
  if (ticks !== undefined && typeof warmup === 'number' && warmup >= ticks) {
    out.push({ path: ['market', 'warmupTicks'], message: `found ${warmup}; allowed: fewer than ticks (${ticks}), so that some ticks run after the warm-up` });
  }
  const process = processIssues(c, get(market, 'process'), ['market', 'process']);
  out.push(...process.issues);
  return { issues: out, replayPrices: process.replayPrices };
}

/**
 * Checks an index process entry at `at` (`market.process`, `assets[k].process`): a stationary
 * GARCH, a replay path that loads and covers the run. Returns the replay path's prices.
 */
export function processIssues(c: CheckContext, raw: unknown, at: (string | number)[]): MarketCheck {
  const out: Issues = [];
  const { ticks } = c;
  const process = ProcessSchema.safeParse(raw);
  let replayPrices: Float64Array | undefined;
  if (process.success && process.data.type === 'garch' && !(process.data.alpha + process.data.beta < 1)) {
    out.push({ path: [...at, 'beta'], message: `alpha + beta = ${process.data.alpha + process.data.beta}; allowed: alpha + beta < 1 (a stationary GARCH)` });
  }
  if (process.success && process.data.type === 'replay') {
    const file = resolve(c.dir, process.data.file);
    const fileAt = [...at, 'file'];
    try {
      replayPrices = loadPriceCsv(file);
      const badTick = tickColumnIssue(readFileSync(file, 'utf8'), process.data.file);
      if (badTick) out.push({ path: fileAt, message: badTick });
      else if (ticks !== undefined && replayPrices.length < ticks + 1) {
        out.push({ path: fileAt, message: `${process.data.file} has ${replayPrices.length} price row(s); allowed: at least ticks + 1 = ${ticks + 1} (the start price and one per tick)` });
      }
    } catch (e) {
      if (!(e instanceof PriceCsvError)) throw e;
      out.push({ path: fileAt, message: e.message });
    }
  }
  return { issues: out, replayPrices };
}

/** A replay CSV's first column must be a tick number (`tick`) or a time (`time`: a number or a date). */
function tickColumnIssue(text: string, file: string): string | null {
  const lines = text.split(/\r?\n/);
  const isTime = lines[0]!.trim().toLowerCase().startsWith('time');
  for (let n = 1; n < lines.length; n++) {
    const cell = lines[n]!.split(',')[0]!.trim();
    if (lines[n]!.trim() === '') continue;
    const ok = cell !== '' && (Number.isFinite(Number(cell)) || (isTime && !Number.isNaN(Date.parse(cell))));
    if (!ok) return `${file}:${n + 1}: found ${JSON.stringify(cell)} in the ${isTime ? 'time' : 'tick'} column; allowed: ${isTime ? 'a number or a date' : 'a tick number'}`;
  }
  return null;
}
