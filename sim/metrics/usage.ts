/**
 * Margin usage by margin mode, sampled: for each mode, the accounts holding positions, their total
 * equity and requirement, and percentiles of usage = maintenance requirement / equity (1 is the
 * liquidation line; an account at or below zero equity counts at the top). One O(N × markets) pass
 * per sample, at most {@link USAGE_SAMPLES} samples and {@link USAGE_VISITS} account visits a run.
 */
import type { Venue } from '../world/venue';
import { MARGIN_MODES } from '../world/types';

/** Most samples over a run: enough for the report's bands. */
export const USAGE_SAMPLES = 100;
/** Most account visits over a run: a few percent of a million-account run's time. */
export const USAGE_VISITS = 5e6;

/** Usage percentiles reported. */
export const USAGE_PERCENTILES = [10, 25, 50, 75, 90, 99] as const;
const BINS = 300;
const LO = Math.log(1e-4), HI = Math.log(10);

/** One sample of one mode. */
export interface UsageRow {
  tick: number;
  mode: string;
  accounts: number;
  equity: number;
  requirement: number;
  /** Usage at each of USAGE_PERCENTILES (NaN without accounts). */
  percentiles: number[];
}

/** Sampled usage of a venue's accounts by margin mode. */
export class UsageSnapshots {
  readonly rows: UsageRow[] = [];
  private readonly hist = new Float64Array(BINS * MARGIN_MODES.length);

  /** Samples every this many ticks (and at the last). */
  readonly every: number;

  /** @param ticks the run's length: samples are spread over it within the budgets above. */
  constructor(private readonly venue: Venue, ticks: number) {
    const accounts = venue.exchanges[0]!.accounts.count;
    this.every = Math.max(1, Math.ceil(ticks / USAGE_SAMPLES), Math.ceil((ticks * accounts) / USAGE_VISITS));
  }

  /** Samples at the end of `tick`: one pass over the accounts, each mode's histogram filled at once. */
  sample(tick: number, last: boolean): void {
    if (tick % this.every !== 0 && !last) return;
    const v = this.venue;
    const scale = BINS / (HI - LO);
    const count = v.exchanges[0]!.accounts.count;
    const marks = v.marks();
    const hist = this.hist.fill(0);
    const n = [0, 0, 0], eq = [0, 0, 0], req = [0, 0, 0];
    for (let i = 1; i < count; i++) {
      const md = v.modes[i]!;
      const e = v.margin.assess(i, marks);
      if (v.margin.assessed.exposure === 0) continue;
      const r = v.margin.assessed.requirement;
      n[md]++;
      eq[md] += e;
      req[md] += r;
      const b = e > 0 ? Math.floor((Math.log(Math.max(r / e, 1e-12)) - LO) * scale) : BINS - 1;
      hist[md * BINS + Math.min(BINS - 1, Math.max(0, b))]++;
    }
    for (let md = 0; md < MARGIN_MODES.length; md++) {
      if (n[md] === 0) continue;
      const pct = USAGE_PERCENTILES.map((p) => {
        let cum = 0, b = 0;
        while (b < BINS - 1 && cum + hist[md * BINS + b]! < (p / 100) * n[md]!) cum += hist[md * BINS + b++]!;
        return Math.exp(LO + (b + 0.5) / scale);
      });
      this.rows.push({ tick, mode: MARGIN_MODES[md]!, accounts: n[md]!, equity: eq[md]!, requirement: req[md]!, percentiles: pct });
    }
  }

  /** usage.csv: one row per sample and mode. */
  csv(): string {
    const lines = [['tick', 'mode', 'accounts', 'equity', 'requirement', ...USAGE_PERCENTILES.map((p) => `usageP${p}`)].join(',')];
    for (const r of this.rows) lines.push([r.tick, r.mode, r.accounts, r.equity, r.requirement, ...r.percentiles].join(','));
    return lines.join('\n') + '\n';
  }

  /** Time-averages per mode over the samples: accounts, equity, requirement and the usage percentiles. */
  means(): Record<string, { samples: number; accounts: number; equity: number; requirement: number; usageP50: number; usageP90: number; usageP99: number }> {
    const out: ReturnType<UsageSnapshots['means']> = {};
    for (const md of MARGIN_MODES) {
      const rows = this.rows.filter((r) => r.mode === md);
      if (rows.length === 0) continue;
      const avg = (f: (r: UsageRow) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
      out[md] = {
        samples: rows.length, accounts: avg((r) => r.accounts), equity: avg((r) => r.equity), requirement: avg((r) => r.requirement),
        usageP50: avg((r) => r.percentiles[2]!), usageP90: avg((r) => r.percentiles[4]!), usageP99: avg((r) => r.percentiles[5]!),
      };
    }
    return out;
  }
}
