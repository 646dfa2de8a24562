import { describe, expect, it } from 'vitest';
import { Accounts } from '../../sim/exchange/accounts';
import { scanBelowMaintenance } from '../../sim/exchange/kernels';
import { compileTiers, maintenanceMargin } from '../../sim/exchange/margin';
import { PRESETS } from '../../sim/exchange/policies/presets';
import { RandomStream } from '../../sim/engine/rng';

describe('maintenance scan kernel', () => {
  it('finds exactly the positions below maintenance margin, for every preset, across all brackets', () => {
    const rng = new RandomStream(3, 'kernel');
    const n = 20_001; // odd: the kernel's padding account is exercised
    const a = new Accounts(n);
    a.allocate(n);
    const size = a.size, entry = a.entry, coll = a.collateral;
    for (let i = 0; i < n; i++) {
      const notional = Math.exp(6 + 14 * rng.next()); // 400 … 500M, every bracket
      entry[i] = 20_000;
      size[i] = (rng.next() < 0.7 ? 1 : -1) * (i % 97 === 0 ? 0 : notional / 20_000);
      coll[i] = notional / (1 + 60 * rng.next());
    }
    for (const [name, p] of Object.entries(PRESETS)) {
      const t = compileTiers(p.tiers);
      for (const mark of [18_000, 19_500, 20_000, 21_000]) {
        const out = new Int32Array(n);
        const k = scanBelowMaintenance(a, mark, t, out);
        const want: number[] = [];
        for (let i = 0; i < n; i++) {
          if (size[i] === 0) continue;
          const eq = coll[i]! + size[i]! * (mark - entry[i]!);
          if (eq < maintenanceMargin(Math.abs(size[i]!) * mark, t)) want.push(i);
        }
        expect(Array.from(out.subarray(0, k)), `${name} at ${mark}`).toEqual(want);
      }
    }
  });
});

describe('unbook kernel', () => {
  it('takes the leverage terms of a range out one account at a time in id order, the same bits as the JavaScript loop', () => {
    const rng = new RandomStream(5, 'unbook');
    const n = 5_001;
    const a = new Accounts(n);
    a.allocate(n);
    for (let i = 0; i < n; i++) {
      a.entry[i] = 3_000;
      a.size[i] = i % 7 === 0 ? 0 : (rng.next() < 0.6 ? 1 : -1) * 10 * rng.next();
      a.collateral[i] = 300 * rng.next() - 20; // some equities ≤ 0
    }
    const count = new Float64Array(a.heap, 56, 1);
    for (const mark of [2_700, 3_000, 3_400]) {
      let sum = 12_345.678, k = 0, wantSum = 12_345.678, wantK = 0;
      for (const [lo, hi] of [[0, 1_000], [1_003, 1_400], [1_501, 1_502], [2_000, 5_001]] as const) {
        sum = a.kernels.unbook(a.ptr.size, a.ptr.entry, a.ptr.collateral, lo, hi, mark, sum);
        k += count[0]!;
        for (let i = lo; i < hi; i++) {
          const q = a.size[i]!;
          if (q === 0) continue;
          const e = a.equity(i, mark);
          if (e > 0) {
            wantK++;
            wantSum -= Math.abs(q) / e;
          }
        }
      }
      expect(Object.is(sum, wantSum), `at ${mark}`).toBe(true);
      expect(k).toBe(wantK);
    }
  });
});
