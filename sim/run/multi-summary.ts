/**
 * summary.json of a run of several assets: the world's summary (the venue's ledger, totals over the
 * markets) with one section per market, one per margin mode, and the contagion matrix.
 */
import { from } from 'rxjs';
import type { CascadeRecord } from '../engine/events';
import { cascadeEpisodes, type CascadeEpisode } from '../metrics/episodes';
import type { ContagionRecorder, ContagionSummary } from '../metrics/contagion';
import type { PopulationOutcome } from '../metrics/populations';
import { computeSummary, type RunSummary } from '../metrics/summary';
import type { UsageSnapshots } from '../metrics/usage';
import { MARGIN_MODES, type MarginMode } from '../world/types';
import type { MarketRecorder } from './market-recorder';
import type { World } from './world';

/** One market's section of summary.json: its price path, liquidations and cascades, and the bad debt attributed to it. */
export type MarketSummary = Pick<RunSummary, 'price' | 'amplification' | 'liquidations' | 'cascades' | 'adl' | 'efficiency' | 'leverage'> & {
  traders: { liquidated: number };
  /** Bad debt of cross and portfolio accounts attributed to this market, pro rata to the loss it realized (quote). */
  managedBadDebt: number;
};

/** One margin mode's section: its populations' outcomes summed, and its sampled usage. */
export interface ModeSummary extends PopulationOutcome {
  populations: string[];
  usage: ReturnType<UsageSnapshots['means']>[string] | null;
}

/** The sections a run of several assets adds to summary.json. */
export interface MultiAssetSections {
  assets: string[];
  markets: Record<string, MarketSummary>;
  modes: Record<MarginMode, ModeSummary>;
  contagion: ContagionSummary;
}

/**
 * The world's cascades: per tick with liquidations in any market, rounds (the most of any market),
 * accounts and notionals summed; the marks are NaN (they belong to a market).
 */
export function mergeCascades(lists: readonly (readonly CascadeRecord[])[]): CascadeRecord[] {
  const byTick = new Map<number, CascadeRecord>();
  for (const list of lists) {
    for (const r of list) {
      const w = byTick.get(r.tick);
      if (!w) byTick.set(r.tick, { ...r, markOpen: NaN, markBefore: NaN, markAfter: NaN, exogenousReturn: NaN });
      else {
        w.rounds = Math.max(w.rounds, r.rounds);
        w.accounts += r.accounts;
        w.longNotional += r.longNotional;
        w.shortNotional += r.shortNotional;
        w.roundCapHit ||= r.roundCapHit;
      }
    }
  }
  return [...byTick.values()].sort((a, b) => a.tick - b.tick);
}

/** The cascade episodes of a list of cascade records. */
export function episodesOf(cascades: readonly CascadeRecord[]): CascadeEpisode[] {
  const out: CascadeEpisode[] = [];
  from(cascades).pipe(cascadeEpisodes()).subscribe((e) => out.push(e));
  return out;
}

/** 1 where any of the flags is 1. */
export function anyOf(flags: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(flags[0]!.length);
  for (const f of flags) for (let i = 0; i < f.length; i++) out[i] |= f[i]!;
  return out;
}

/** The per-market, per-mode and contagion sections of a finished run of several assets. */
export function multiAssetSummary(
  world: World, recorders: readonly MarketRecorder[], names: readonly string[], outcomes: Record<string, PopulationOutcome>,
  usage: UsageSnapshots, contagion: ContagionRecorder, insuranceFundStart: number,
): MultiAssetSections {
  const markets: Record<string, MarketSummary> = {};
  world.markets.forEach((h, m) => {
    const r = recorders[m]!;
    const s = computeSummary({
      scenario: '', policy: h.exchange.policy.name, seed: 0, agents: 0, cols: r.cols, cascades: r.cascades, episodes: r.episodes,
      liquidatedAccounts: r.liquidatedAccounts(), liquidationEvents: r.events, insuranceFundStart, exogenousPath: r.exoPath,
      leverage: r.leverage(), populations: {}, bankrupt: 0, warnings: [],
    });
    markets[h.name] = {
      price: s.price, amplification: s.amplification, liquidations: s.liquidations, cascades: s.cascades, adl: s.adl,
      efficiency: s.efficiency, leverage: s.leverage, traders: { liquidated: s.traders.liquidated },
      managedBadDebt: world.venue.badDebtByMarket[m]!,
    };
  });
  const means = usage.means();
  // Every mode, so that compared arms of different modes have the same fields.
  const modes = Object.fromEntries(MARGIN_MODES.map((md) => [md, {
    accounts: 0, liquidatedAccounts: 0, liquidations: 0, liquidatedNotional: 0, bankrupt: 0, pnl: 0, adlLoss: 0, socializedLoss: 0,
    populations: [] as string[], usage: means[md] ?? null,
  }])) as Record<MarginMode, ModeSummary>;
  world.populations.forEach((p, k) => {
    const md = MARGIN_MODES[world.venue.modes[p.first]!]!;
    const o = outcomes[names[k]!]!;
    const cur = modes[md];
    for (const f of ['accounts', 'liquidatedAccounts', 'liquidations', 'liquidatedNotional', 'bankrupt', 'pnl', 'adlLoss', 'socializedLoss'] as const) cur[f] += o[f];
    cur.populations.push(names[k]!);
  });
  return { assets: world.markets.map((h) => h.name), markets, modes, contagion: contagion.summary() };
}
