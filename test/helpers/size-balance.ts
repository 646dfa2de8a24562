/** Σ size over a market's accounts (the backstop, account 0, included), for "every fill has a counterparty" checks. */
import type { Accounts } from '../../sim/exchange/accounts';

/** Net Σ size and gross Σ |size| over accounts 0..count−1 (net ≈ 0 when every fill had a counterparty). */
export function sizeBalance(a: Accounts): { net: number; gross: number } {
  let net = 0, gross = 0;
  for (let i = 0; i < a.count; i++) {
    net += a.size[i]!;
    gross += Math.abs(a.size[i]!);
  }
  return { net, gross };
}
