/**
 * The per-market parts of a tick's steps (DESIGN.md "One tick"), shared by a world of one venue
 * (sim/run/world.ts) and a world of several (sim/run/venue-world.ts): each runs them over its
 * markets in order, and adds what is its own (scan ranges, token prices, protocols).
 */
import type { MarketHandle } from './world';

/** Step 1: every market's premium decays and its index moves; its shocks are announced on its bus. */
export function beginMarkets(t: number, markets: readonly MarketHandle[]): void {
  for (const { market, funding, bus: b } of markets) {
    market.setFundingBasis(funding.lastRate, funding.toNextFraction(t));
    market.beginTick(t);
    if (market.lastScheduled !== 0) b.shock$.next({ tick: t, logReturn: market.lastScheduled, source: 'scheduled' });
    if (market.lastExternal !== 0) b.shock$.next({ tick: t, logReturn: market.lastExternal, source: 'external' });
    if (market.lastJump !== 0) b.shock$.next({ tick: t, logReturn: market.lastJump, source: 'jump' });
    if (market.lastLocal !== 0) b.shock$.next({ tick: t, logReturn: market.lastLocal, source: 'local' });
  }
}

/** Step 2: every market's exchange starts the tick and its policy updates (a change re-margins and is announced). */
export function updatePolicies(t: number, markets: readonly MarketHandle[]): void {
  for (const { market, exchange, bus: b } of markets) {
    exchange.beginTick(t);
    const policy = exchange.policy;
    if (policy.onTick(market, exchange.accounts, exchange)) {
      exchange.onPolicyChange();
      b.policy$.next({ tick: t, policy: policy.name, ...policy.headline() });
    }
  }
}

/** Step 3: each market whose funding clock samples now settles funding at its mark price. */
export function settleFunding(t: number, markets: readonly MarketHandle[]): void {
  for (const { market, exchange, funding, bus: b } of markets) {
    if (funding.sample(t, market.premium)) {
      const transferred = exchange.settleFunding(funding.lastRate, market.markPrice);
      // From here the last funding rate is this one, a whole interval from the next funding (the
      // index-anchored mark's P1: the rest of this tick's margin checks use it).
      market.setFundingBasis(funding.lastRate, funding.toNextFraction(t + 1));
      b.funding$.next({ tick: t, rate: funding.lastRate, premium: funding.lastPremium, transferred });
    }
  }
}

/** Step 5: every market executes its orders. */
export function executeMarkets(t: number, markets: readonly MarketHandle[]): void {
  for (const { exchange } of markets) {
    exchange.tickVolume = 0;
    exchange.execute(t);
  }
}
