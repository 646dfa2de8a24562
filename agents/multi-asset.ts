/**
 * Helpers of the strategies that trade several markets of the venue (pair-trade, portfolio,
 * cross-momentum, margin-utilisation): account-level equity and maintenance requirement in every
 * margin mode, funding isolated wallets, and orders to a target notional.
 *
 * The venue gives the figures in every margin mode (`venue.equity`, `venue.requirement`). An isolated
 * multi-asset agent holds one wallet per market; its figures are the sums over its wallets:
 * E = Σ_m equity_m at the mark, MM = Σ_m tierMM_m(|x_m|). Its collateral is deposited in
 * its population's own market; {@link fundMarkets} moves shares of it into the other markets'
 * wallets once, at init, in proportion to the agent's target notionals (`venue.moveCollateral`).
 * Later rebalancing does not move collateral between wallets.
 */
import type { AgentPopulation } from './population';

/**
 * Account `i`'s equity over every market, at the marks (quote): the venue's figure, which sums the
 * wallets of an isolated account as it sums the one wallet's shares of a cross or portfolio one.
 */
export function accountEquity(pop: AgentPopulation, i: number): number {
  return pop.venue.equity(i);
}

/** Account `i`'s maintenance requirement under its margin mode (isolated: Σ of its positions' tier MM), the venue's (quote). */
export function accountMaintenance(pop: AgentPopulation, i: number): number {
  return pop.venue.requirement(i, 'maintenance');
}

/** Σ_m |x_m|, account `i`'s gross notional at the marks (quote). */
export function grossNotional(pop: AgentPopulation, i: number): number {
  const v = pop.venue;
  let g = 0;
  for (let m = 0; m < v.exchanges.length; m++) g += Math.abs(v.notional(i, m));
  return g;
}

/**
 * Isolated agents only (a managed account has one wallet): moves agent k's collateral from its
 * population's market into each other market m, the share |w_m| / Σ|w| of it (`w` one weight per
 * market). The free collateral of a flat wallet is all of it.
 */
export function fundMarkets(pop: AgentPopulation, k: number, w: ArrayLike<number>): void {
  if (pop.managed) return;
  const v = pop.venue, from = pop.market, i = pop.first + k;
  let sum = 0;
  for (let m = 0; m < w.length; m++) sum += Math.abs(w[m]!);
  if (!(sum > 0)) return;
  const total = v.exchanges[from]!.accounts.collateral[i]!;
  for (let m = 0; m < w.length; m++) {
    if (m !== from && w[m] !== 0) v.moveCollateral(i, from, m, (total * Math.abs(w[m]!)) / sum);
  }
}

/** Orders account `i`'s position in market `m` to `notional` (signed quote at the mark). */
export function orderToNotional(pop: AgentPopulation, i: number, m: number, notional: number): void {
  const v = pop.venue;
  const dq = notional / v.markets[m]!.mark - v.exchanges[m]!.accounts.size[i]!;
  if (dq !== 0) v.placeOrder(i, m, dq);
}

/** Throws unless asset number `m` (a parameter `name` of population `pop`) is one of the venue's markets. */
export function checkAsset(pop: AgentPopulation, name: string, m: number): void {
  const n = pop.venue.markets.length;
  if (!(Number.isInteger(m) && m >= 0 && m < n)) {
    throw new RangeError(`population ${pop.name} (${pop.strategy.name}): ${name} = ${m} is not an asset of the venue (0..${n - 1})`);
  }
}

/** Throws when the venue has fewer markets than the strategy's `minAssets`. */
export function needMarkets(pop: AgentPopulation): void {
  const n = pop.strategy.minAssets ?? 1;
  if (pop.venue.markets.length < n) {
    throw new RangeError(`population ${pop.name}: strategy ${pop.strategy.name} needs at least ${n} assets; the world has ${pop.venue.markets.length}`);
  }
}
