import { describe, expect, it } from 'vitest';
import { bases, fuzzCase } from '../helpers/fuzz';

// The heavy fuzz: 1,000 more seeded mutations of each small example (seeds past the quick suite's).
const FROM = 1000, CASES = 1000;

describe('fuzzed scenario files, heavy: no stack trace, no exit 1, no NaN/Infinity/undocumented null, ledger ≤ 1e-9', () => {
  for (const [name, base] of Object.entries(bases())) {
    it(`${name}: ${CASES} seeded mutations`, async () => {
      const failures: string[] = [];
      for (let seed = FROM; seed < FROM + CASES; seed++) {
        const v = await fuzzCase(name, base, seed);
        if (v.problems.length > 0) failures.push(`seed ${seed} (${v.what.join('; ')}): ${v.problems.join(' | ')}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
