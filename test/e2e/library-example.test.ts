import { describe, expect, it } from 'vitest';
import { execFileSync } from 'child_process';

describe('the README library example', () => {
  it('runs, prints multi-round cascades and a ledger residual below 1e-9', () => {
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'examples/library-cascade.ts'], { encoding: 'utf8' });
    const cascades = [...out.matchAll(/tick (\d+): (\d+) rounds, (\d+) accounts/g)];
    expect(cascades.length).toBeGreaterThan(0);
    expect(Math.max(...cascades.map((m) => Number(m[2])))).toBeGreaterThan(1);
    const residual = Number(/largest relative ledger residual: (\S+)/.exec(out)![1]);
    expect(residual).toBeLessThanOrEqual(1e-9);
  });
});
