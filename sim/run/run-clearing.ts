/**
 * Runs a `market.clearing: walrasian` scenario under one seed and policy: a dedicated loop over the
 * market's typed arrays (no bus, no per-tick emission), streaming statistics after the burn-in, and
 * the outputs summary.json, scenario.yaml, optionally ticks.csv, and last manifest.json.
 *
 * The policy sets the funds' leverage cap each tick: it sees the last clearing price as the mark
 * (`onTick`) and its `maxLeverage` is the cap λ_max (fixed) or λ_eff (basel-ii). The noise
 * traders' innovations come from the stream `walrasian/noise` alone, so every policy sees the same
 * noise path for a seed (common random numbers).
 */
import { join } from 'path';
import { RandomStreams } from '../engine/rng';
import type { MarketView } from '../market/market';
import { WalrasianMarket, type ClearingTick } from '../market/clearing/walrasian';
import type { AccountsView, ExchangeView, LeveragePolicy } from '../exchange/policies/types';
import { clearingSummary, type ClearingSummary } from '../metrics/clearing-summary';
import { ReturnStats } from '../metrics/return-stats';
import type { LoadedScenario } from '../scenario/loader';
import { recordedFiles, recordFilesIn, writeFileAtomic } from '../../reports/atomic';
import { levsimVersion, now, OUTPUT_FORMAT, type Manifest } from '../../reports/manifest';
import { buildPolicy } from './policy-factory';
import { scenarioEcho, stableJson, type ScenarioRunOptions } from './run-scenario';

/** A finished walrasian run. */
export interface ClearingRunResult {
  summary: ClearingSummary;
  outDir: string;
}

/** The market as a policy sees it in this mode: the clearing price is both index and mark. */
class ClearingView implements MarketView {
  tick = -1;
  index = 0;
  mark = 0;
  markPrice = 0;
  realizedVol = 0;
  depth = 0;
  lastReturn = 0;
  exogenousReturn = 0;
  referenceVol = 0;
  tickMove = 0;
  flowForMove(): number {
    return 0;
  }
}

/** Runs the walrasian scenario and writes its outputs into `o.outDir`. */
export function runClearingScenario(s: LoadedScenario, o: ScenarioRunOptions): ClearingRunResult {
  const c = s.config;
  const wp = c.market.walrasian;
  const seed = o.seed ?? c.seed;
  const policy: LeveragePolicy = !o.policy ? buildPolicy(c.exchange.policy, { tickSeconds: c.tickSeconds, modules: s.policyModules })
    : 'spec' in o.policy ? buildPolicy(o.policy.spec, { tickSeconds: c.tickSeconds, modules: s.policyModules, streams: new RandomStreams(seed) }, o.policy.name) : o.policy;
  const startedAt = now();
  // Every file committed into the folder from here is hashed for the manifest.
  recordFilesIn(o.outDir);
  const market = new WalrasianMarket(wp);
  const noise = new RandomStreams(seed).stream('walrasian/noise');
  const stats = new ReturnStats(c.ticks - wp.burnIn, wp.tailFraction, wp.acfLags);
  const view = new ClearingView();
  const F = market.funds;
  const accounts: AccountsView = { count: F.count, size: F.shares, entry: new Float64Array(F.count), collateral: F.cash, liqPrice: new Float64Array(F.count), state: market.state };
  const exchangeView: ExchangeView = { openInterestNotional: 0, insuranceFund: 0, insuranceFundStart: 0, liquidatedNotional: 0 };
  const perTick = c.outputs.ticks ? { price: new Float64Array(c.ticks), cap: new Float64Array(c.ticks), atCap: new Int32Array(c.ticks), active: new Int32Array(c.ticks), defaults: new Int32Array(c.ticks) } : null;
  const out: ClearingTick = { price: 0, logReturn: 0, defaults: 0, atCap: 0, activeFunds: 0 };
  const nominalCap = policy.maxLeverage(0, 0);
  let capSum = 0, atCapTicks = 0, activeSum = 0, defaults = 0, priceSum = 0, priceMin = Infinity, priceMax = -Infinity;
  for (let t = 0; t < c.ticks; t++) {
    view.tick = t;
    view.lastReturn = view.tickMove = out.logReturn;
    view.index = view.mark = view.markPrice = market.price;
    policy.onTick(view, accounts, exchangeView);
    const cap = policy.maxLeverage(0, 0);
    market.step(t, cap, noise.normal(), out);
    if (perTick) {
      perTick.price[t] = out.price;
      perTick.cap[t] = cap;
      perTick.atCap[t] = out.atCap;
      perTick.active[t] = out.activeFunds;
      perTick.defaults[t] = out.defaults;
    }
    if (t >= wp.burnIn) {
      stats.push(out.logReturn);
      capSum += cap;
      if (out.atCap > 0) atCapTicks++;
      activeSum += out.activeFunds;
      defaults += out.defaults;
      priceSum += out.price;
      if (out.price < priceMin) priceMin = out.price;
      if (out.price > priceMax) priceMax = out.price;
    }
    if (o.onProgress && (t + 1) % 10_000 === 0) o.onProgress(t + 1, c.ticks);
  }
  const summary = clearingSummary({
    scenario: c.name, policy: policy.name, seed, ticks: c.ticks, burnIn: wp.burnIn, lags: wp.acfLags, stats: stats.summary(), nominalCap,
    capSum, atCapTicks, activeSum, defaults, priceSum, priceMin, priceMax, priceEnd: market.price, ledger: market.ledger,
  });
  if (perTick) {
    const rows = ['tick,price,cap,fundsAtCap,activeFunds,defaults'];
    for (let t = 0; t < c.ticks; t++) rows.push(`${t},${perTick.price[t]},${perTick.cap[t]},${perTick.atCap[t]},${perTick.active[t]},${perTick.defaults[t]}`);
    writeFileAtomic(join(o.outDir, 'ticks.csv'), rows.join('\n') + '\n');
  }
  writeFileAtomic(join(o.outDir, 'scenario.yaml'), scenarioEcho(s));
  writeFileAtomic(join(o.outDir, 'summary.json'), stableJson(summary));
  const manifest: Manifest = {
    levsim: levsimVersion(), outputFormat: OUTPUT_FORMAT, scenario: s.file, scenarioSha256: s.sha256, overrides: s.overrides, seed,
    policy: policy.name, startedAt, finishedAt: now(), node: process.version, files: recordedFiles(o.outDir),
  };
  // Written last: a folder with a manifest holds a complete run.
  writeFileAtomic(join(o.outDir, 'manifest.json'), stableJson(manifest));
  return { summary, outDir: o.outDir };
}
