/**
 * Who lost: the run's money and liquidations by population, from the exchange's group ledger and
 * one pass over the accounts at the end of the run.
 */
import type { Exchange } from '../exchange/exchange';

/** One population's line of summary.json's `populations`. */
export interface PopulationOutcome {
  accounts: number;
  /** Accounts liquidated at least once. */
  liquidatedAccounts: number;
  /** Liquidation closes (an account liquidated in a round counts once per round). */
  liquidations: number;
  liquidatedNotional: number;
  /** Liquidation closes that left the account bankrupt. */
  bankrupt: number;
  /** Σ (final equity + withdrawals − deposits) over the population's accounts (quote). */
  pnl: number;
  /** What auto-deleveraging cost its accounts against closing at the market (quote). */
  adlLoss: number;
  /** Profit taken from its accounts by socialised loss (quote). */
  socializedLoss: number;
}

/**
 * The outcome of each population, by name (`names[k]` is group k + 1), valued at `markPrice`.
 * `liquidated` flags the accounts liquidated at least once. In a world of several markets, `others`
 * are the other markets (the venue's, sharing `ex`'s account numbering and group ledger): an
 * account's equity is summed over every market; `held(i)` adds what else the venue holds for it
 * (its collateral tokens at full price).
 */
export function populationOutcomes(
  ex: Exchange, names: readonly string[], liquidated: Uint8Array, markPrice: number,
  others: readonly { exchange: Exchange; markPrice: number }[] = [], held?: (i: number) => number,
): Record<string, PopulationOutcome> {
  const a = ex.accounts, g = ex.groups;
  const n = names.length + 1;
  const equity = new Float64Array(n), accounts = new Float64Array(n), liq = new Float64Array(n);
  for (let i = 0; i < a.count; i++) {
    const k = a.group[i]!;
    equity[k] += a.equity(i, markPrice);
    for (const o of others) equity[k] += o.exchange.accounts.equity(i, o.markPrice);
    if (held) equity[k] += held(i);
    accounts[k]++;
    liq[k] += liquidated[i]!;
  }
  const out: Record<string, PopulationOutcome> = {};
  names.forEach((name, j) => {
    const k = j + 1;
    out[name] = {
      accounts: accounts[k]!, liquidatedAccounts: liq[k]!, liquidations: g.liquidations[k]!, liquidatedNotional: g.liquidatedNotional[k]!,
      bankrupt: g.bankrupt[k]!, pnl: equity[k]! + g.withdrawals[k]! - g.deposits[k]!, adlLoss: g.adlLoss[k]!, socializedLoss: g.socializedLoss[k]!,
    };
  });
  return out;
}

/**
 * The outcome of each population over several venues (each venue's outcome from
 * {@link populationOutcomes}, in venue order; every venue numbers the same accounts): money and
 * liquidations summed over the venues, accounts counted once, and an account liquidated on any
 * venue counted once (`liquidatedAnywhere`, over every venue's account ids).
 */
export function combineVenueOutcomes(perVenue: readonly Record<string, PopulationOutcome>[], names: readonly string[], liquidatedAnywhere: readonly number[]): Record<string, PopulationOutcome> {
  const out: Record<string, PopulationOutcome> = {};
  names.forEach((name, j) => {
    const o = { ...perVenue[0]![name]!, liquidatedAccounts: liquidatedAnywhere[j]! };
    for (const v of perVenue.slice(1)) {
      const x = v[name]!;
      o.liquidations += x.liquidations;
      o.liquidatedNotional += x.liquidatedNotional;
      o.bankrupt += x.bankrupt;
      o.pnl += x.pnl;
      o.adlLoss += x.adlLoss;
      o.socializedLoss += x.socializedLoss;
    }
    out[name] = o;
  });
  return out;
}
