/**
 * Engine defects found by the venues property test (reported to the lead; marked `it.fails` until
 * fixed, so that the fix turns them red and they are flipped to `it`).
 */
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';

describe('known defects of worlds of venues', () => {
  // The venues' margin options are built without the world's correlation (sim/run/build.ts
  // marginOptions; world.ts defaults it only in the one-venue multi-asset world), so the portfolio
  // engine's ScanMatrix reads an undefined matrix: exit 1, internal error in account-margin.ts.
  // The property test writes margin.correlation out to get past it.
  it.fails('portfolio margin on a venue without margin.correlation runs', async () => {
    const r = await cli('run', 'test/fixtures/venues/portfolio-no-correlation.yaml', '--out', join(tmpdir(), `prop-defect-pm-${process.pid}`), '--quiet', '--force');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
