import { describe, expect, it } from 'vitest';
import { Accounts } from '../../sim/exchange/accounts';
import { AutoDeleverager } from '../../sim/exchange/adl';
import { GroupLedger } from '../../sim/exchange/group-ledger';
import { RandomStream } from '../../sim/engine/rng';

describe('ADL queue', () => {
  it('takes counterparties in ranking order (PnL% × leverage, ties by id) across selection batches', () => {
    const n = 10_000; // more than one batch of 4,096
    const a = new Accounts(n + 2);
    a.allocate(n + 2);
    const rng = new RandomStream(5, 'adl');
    const price = 100;
    // Account 1: the bankrupt long; 2..n+1: shorts at random entries and collateral, some tied.
    a.size[1] = 1e9;
    a.entry[1] = 120;
    for (let j = 2; j < n + 2; j++) {
      a.size[j] = j % 10 === 0 ? -2 : -(1 + Math.floor(rng.next() * 5));
      a.entry[j] = j % 10 === 0 ? 110 : 80 + 40 * rng.next();
      a.collateral[j] = j % 10 === 0 ? 50 : 10 + 100 * rng.next();
    }
    const score = (j: number) => {
      const q = a.size[j]!, c = a.collateral[j]!;
      const u = q * (price - a.entry[j]!);
      const pnlPct = u / c, lev = c + u > 0 ? (Math.abs(q) * price) / (c + u) : Infinity;
      const s = pnlPct > 0 ? pnlPct * lev : pnlPct / lev;
      return Number.isNaN(s) ? -Infinity : s;
    };
    const want = Array.from({ length: n }, (_, k) => k + 2).sort((x, y) => score(y) - score(x) || x - y);
    const sizes = want.map((j) => -a.size[j]!);
    const adl = new AutoDeleverager(n + 2);
    adl.beginRound();
    const total = sizes.reduce((s, x) => s + x, 0);
    // all but the last unit: every account but the last is taken whole, the last one partly
    const groups = new GroupLedger();
    groups.ensure(0);
    expect(adl.take(a, 1, total - 0.5, price, 95, groups)).toBe(total - 0.5);
    const ev = adl.endRound(0, 0)!;
    expect(Array.from(ev.accounts)).toEqual(want);
    expect(a.size[want.at(-1)!]).toBeCloseTo(-0.5, 12);
    // What ADL cost them against a close at the market (95): |closed| × 5.
    expect(groups.adlLoss[0]).toBeCloseTo((total - 0.5) * 5, 6);
  });
});
