import { describe, expect, it } from 'vitest';
import { bases, fuzzCase } from '../helpers/fuzz';

// 50 seeded mutations of each base (test/helpers/fuzz.ts: flash-crash, baseline, multi-asset, venues) in the quick suite; the heavy suite runs more.
const CASES = 50;

describe('fuzzed scenario files: no stack trace, no exit 1, no NaN/Infinity/undocumented null, ledger ≤ 1e-9', () => {
  for (const [name, base] of Object.entries(bases())) {
    it(`${name}: ${CASES} seeded mutations`, async () => {
      const codes: Record<number, number> = {};
      for (let seed = 0; seed < CASES; seed++) {
        const v = await fuzzCase(name, base, seed);
        codes[v.code] = (codes[v.code] ?? 0) + 1;
        expect(v.problems, `seed ${seed}: ${v.what.join('; ')}`).toEqual([]);
      }
      // both kinds of case happen: some mutations are refused, some still run
      expect(codes[2]).toBeGreaterThan(0);
      expect((codes[0] ?? 0) + (codes[3] ?? 0)).toBeGreaterThan(0);
    }, 300_000);
  }
});
