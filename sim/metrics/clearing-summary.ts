/**
 * The summary of a walrasian-mode run (`summary.json` when `market.clearing: walrasian`): the
 * statistics of Thurner, Farmer & Geanakoplos (2012) and Poledna et al. (2014) over the ticks after
 * the burn-in, and the clearing ledger.
 */
import type { ReturnStatsSummary } from './return-stats';

/** summary.json of a walrasian run. */
export interface ClearingSummary {
  scenario: string;
  policy: string;
  seed: number;
  ticks: number;
  clearing: 'walrasian';
  burnIn: number;
  measuredTicks: number;
  leverage: { nominalCap: number; meanCap: number; atCapShare: number; meanActiveFunds: number };
  returns: { mean: number; sd: number; excessKurtosis: number | null; hillAlpha: number | null; acfAbs: Record<string, number | null> };
  defaults: { count: number; per10kTicks: number };
  price: { mean: number; min: number; max: number; end: number };
  ledger: { initialCash: number; noiseCash: number; investorFlows: number; reentryDeposits: number; payouts: number; badDebt: number; maxShareResidual: number; maxCashResidual: number };
}

/** Definition of every field, by dotted path (README and reports show these). */
export const CLEARING_SUMMARY_DEFINITIONS: Readonly<Record<string, string>> = {
  burnIn: 'ticks run before the statistics start',
  measuredTicks: 'ticks the statistics cover (ticks − burnIn)',
  'leverage.nominalCap': "the policy's cap before the first tick: λ_max for fixed, κ·λ_max for basel-ii",
  'leverage.meanCap': 'time-average of the cap the policy set (λ_eff for basel-ii)',
  'leverage.atCapShare': 'share of measured ticks with at least one fund at its cap at the clearing price',
  'leverage.meanActiveFunds': 'time-average number of funds in business',
  'returns.mean': 'mean log return per tick',
  'returns.sd': 'standard deviation of log returns per tick',
  'returns.excessKurtosis': 'excess kurtosis of log returns (0 for a normal law)',
  'returns.hillAlpha': 'Hill tail exponent of |r| over its largest tailFraction share',
  'returns.acfAbs.lag<L>': 'autocorrelation of |r| at lag L ticks (volatility clustering)',
  'defaults.count': 'fund defaults in the measured ticks',
  'defaults.per10kTicks': 'defaults per 10⁴ measured ticks',
  'price.mean': 'time-average clearing price',
  'price.min': 'lowest clearing price',
  'price.max': 'highest clearing price',
  'price.end': 'last clearing price',
  'ledger.initialCash': "the funds' starting cash, Σ W_0",
  'ledger.noiseCash': "cash the noise traders paid in for shares, net (their exogenous money)",
  'ledger.investorFlows': 'net investor flows into the funds',
  'ledger.reentryDeposits': 'new money of re-entering funds',
  'ledger.payouts': "defaulted funds' positive remainders paid to their investors",
  'ledger.badDebt': "defaulted funds' negative remainders written off by the bank",
  'ledger.maxShareResidual': 'largest |Σ holdings − N| / N over all ticks',
  'ledger.maxCashResidual': 'largest relative residual of the cash identity over all ticks',
};

/** Every dotted path of a numeric field, `returns.acfAbs.lag<L>` standing for each lag (for `assert:` validation). */
export const CLEARING_SUMMARY_PATHS = Object.keys(CLEARING_SUMMARY_DEFINITIONS);

/** True when `path` names a numeric field of a walrasian summary (any lag for the |r| autocorrelation). */
export function isClearingSummaryPath(path: string): boolean {
  return CLEARING_SUMMARY_PATHS.includes(path) || /^returns\.acfAbs\.lag[1-9]\d*$/.test(path);
}

/** Builds the summary from the run's accumulators. */
export function clearingSummary(x: {
  scenario: string; policy: string; seed: number; ticks: number; burnIn: number; lags: readonly number[];
  stats: ReturnStatsSummary; nominalCap: number; capSum: number; atCapTicks: number; activeSum: number; defaults: number;
  priceSum: number; priceMin: number; priceMax: number; priceEnd: number; ledger: ClearingSummary['ledger'];
}): ClearingSummary {
  const n = x.ticks - x.burnIn;
  return {
    scenario: x.scenario, policy: x.policy, seed: x.seed, ticks: x.ticks, clearing: 'walrasian', burnIn: x.burnIn, measuredTicks: n,
    leverage: { nominalCap: x.nominalCap, meanCap: x.capSum / n, atCapShare: x.atCapTicks / n, meanActiveFunds: x.activeSum / n },
    returns: {
      mean: x.stats.mean, sd: x.stats.sd, excessKurtosis: x.stats.excessKurtosis, hillAlpha: x.stats.hillAlpha,
      acfAbs: Object.fromEntries(x.lags.map((l, j) => [`lag${l}`, x.stats.acfAbs[j]!])),
    },
    defaults: { count: x.defaults, per10kTicks: (x.defaults * 1e4) / n },
    price: { mean: x.priceSum / n, min: x.priceMin, max: x.priceMax, end: x.priceEnd },
    ledger: { ...x.ledger },
  };
}
