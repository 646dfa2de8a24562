import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-integrity-'));
const F = 'test/fixtures/faulty';

describe('a run that fails is never written as complete (the real CLI, as a process)', () => {
  it('a strategy module that throws at tick 20 of 60: exit 1 naming module, population and tick; no manifest, no outputs', () => {
    const out = tmp();
    const r = levsim('run', `${F}/throws.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "levsim: run failed at tick 20: strategy module ./throws-at-20.ts (population custom) threw: boom at tick 20
      "
    `);
    expect(r.out).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it('a strategy module that orders NaN: refused where it enters, exit 1 naming module, population and tick', () => {
    const out = tmp();
    const r = levsim('run', `${F}/nan.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "levsim: run failed at tick 10: strategy module ./nan-orders.ts (population custom) threw: order for account 51 is NaN; allowed: a finite signed size
      "
    `);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a strategy module whose decide() is async: refused at its first decision, exit 1, nothing written', () => {
    const out = tmp();
    const r = levsim('run', `${F}/async.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "levsim: run failed at tick 0: strategy module ./async-throws.ts (population custom): decide() returned a Promise; allowed: a synchronous decide() (levsim does not await it: what it does later, or throws, would be lost)
      "
    `);
    expect(r.out).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it('the same in a sweep on two workers: the error reaches the command, exit 1, no compare.json', () => {
    const out = tmp();
    const r = levsim('run', `${F}/async.yaml`, '--out', out, '--set', 'runs.seeds=2', '--workers', '2');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^levsim: run \(policy [^,]+, seed [34]\) failed at tick 0: strategy module \.\/async-throws\.ts \(population custom\): decide\(\) returned a Promise; allowed: a synchronous decide\(\)/);
    expect(existsSync(join(out, 'compare.json'))).toBe(false);
  });

  it('a strategy module that makes money from nowhere: the ledger check stops the run at that tick, exit 1, nothing written', () => {
    const out = tmp();
    const r = levsim('run', `${F}/mints.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^levsim: run failed at tick 12: LedgerBroken: the book: ledger broken at tick 12: residual 1000 quote, 0\.000947\d+ relative \(allowed: at most 1e-9\); money was made or lost outside fills, transfers, deposits and withdrawals \(a module writing account columns directly\?\)\n$/);
    expect(r.out).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it('the same in a world of venues: the venue whose ledger broke is named', () => {
    const out = tmp();
    const r = levsim('run', `${F}/mints-venues.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^levsim: run failed at tick 12: LedgerBroken: venue beta: ledger broken at tick 12: residual 1000 quote, 0\.000956\d+ relative/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a custom policy module that throws: exit 1 naming the policy module and tick', () => {
    const out = tmp();
    const r = levsim('run', `${F}/policy-throws.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "levsim: run failed at tick 15: policy module ./policy-throws.ts threw: policy state corrupt
      "
    `);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a custom policy module whose onTick is async: refused at its first tick, exit 1, nothing written', () => {
    const out = tmp();
    const r = levsim('run', `${F}/policy-async.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^levsim: run failed at tick \d+: policy module \.\/policy-async\.ts: onTick\(\) returned a Promise; allowed: a synchronous onTick\(\)/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a custom policy module whose factory returns no LeveragePolicy: an error of that module, naming what is missing, not an internal error of levsim', () => {
    const out = tmp();
    const r = levsim('run', `${F}/policy-shapeless.yaml`, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/policy module \.\/policy-shapeless\.ts: its factory returned no LeveragePolicy: found no onTighten, graceTicks, onTick, initialMargin, maintenanceMargin, table, headline; allowed: /);
    expect(r.err).not.toMatch(/internal error/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a comparison stops at the first failed run: exit 1 naming policy and seed, no compare.json, no manifest anywhere', () => {
    const out = tmp();
    const r = levsim('run', `${F}/throws-compare.yaml`, '--out', out, '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "levsim: run (policy a, seed 3) failed at tick 20: strategy module ./throws-at-20.ts (population custom) threw: boom at tick 20
      "
    `);
    expect(existsSync(join(out, 'compare.json'))).toBe(false);
    expect(existsSync(join(out, 'runs', 'a', '3', 'manifest.json'))).toBe(false);
    // fail fast: the later runs never started
    expect(existsSync(join(out, 'runs', 'b'))).toBe(false);
  });
});
