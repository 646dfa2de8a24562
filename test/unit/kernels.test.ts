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
