import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { levsim } from '../helpers/cli-process';
import { loadScenario } from '../../sim/scenario/loader';
import { buildWorld } from '../../sim/run/build';

const tmp = () => mkdtempSync(join(tmpdir(), 'levsim-sizer-'));

describe('liquidation mode module (the real CLI, as a process)', () => {
  it('runs the example nibble module: one nibble per account per tick, the same accounts nibbled tick after tick', () => {
    const out = tmp();
    const r = levsim('run', 'test/fixtures/liquidation/nibble.yaml', '--out', out, '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = readFileSync(join(out, 'liquidations.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(50);
    // Columns: tick, round, account, side, qty, price, equity, maintenance.
    // One nibble per account per tick (cooldown 1); a second close in the same tick only for an
    // account the nibble left bankrupt, which goes whole at once.
    const perTick = new Map<string, string[][]>();
    for (const row of rows) perTick.set(`${row[0]}/${row[2]}`, [...(perTick.get(`${row[0]}/${row[2]}`) ?? []), row]);
    for (const closes of perTick.values()) {
      expect(closes.length).toBeLessThanOrEqual(2);
      if (closes.length === 2) expect(Number(closes[1]![6])).toBeLessThanOrEqual(0); // equity at the second
    }
    const nibbled = new Map<string, number>();
    for (const [, , account] of rows) nibbled.set(account!, (nibbled.get(account!) ?? 0) + 1);
    expect(Math.max(...nibbled.values())).toBeGreaterThan(3); // the same account, tick after tick
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).ledger.maxRelativeResidual).toBeLessThan(1e-9);
  });

  it('a sizing module that throws: exit 1 naming the module and tick, nothing written', () => {
    const out = tmp();
    const r = levsim('run', 'test/fixtures/faulty/sizer-throws.yaml', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "levsim: run failed at tick 30: liquidation module ./sizer-throws.ts threw: sizer state corrupt
      "
    `);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a sizing module whose closeQty is async: exit 1 naming the module and the Promise, nothing written, no stack trace', () => {
    const out = tmp();
    const r = levsim('run', 'test/fixtures/faulty/sizer-async.yaml', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^levsim: run failed at tick 30: liquidation module \.\/sizer-async\.ts: closeQty\(\) returned a Promise; allowed: a synchronous closeQty\(\)/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  });

  it('mode module without a module, a missing module, or a module with another mode: exit 2, the field named', () => {
    const dir = tmp();
    const write = (name: string, liquidation: string) => {
      const f = join(dir, `${name}.yaml`);
      writeFileSync(f, `name: ${name}\nticks: 10\nexchange:\n  liquidation: ${liquidation}\nagents: [{ name: a, count: 2, strategy: noise }]\n`);
      return f;
    };
    const none = levsim('validate', write('none', '{ mode: module }'));
    expect(none.code).toBe(2);
    expect(none.err).toContain(':4:16: exchange.liquidation.module: found nothing; allowed: with mode module, a path to a liquidation-sizing module (e.g. ./liquidation/nibble.ts)');
    const missing = levsim('validate', write('missing', '{ mode: module, module: ./nope.ts }'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('exchange.liquidation.module: found "./nope.ts": no such module');
    const other = levsim('validate', write('other', '{ mode: partial, module: ./nope.ts }'));
    expect(other.code).toBe(2);
    expect(other.err).toContain('exchange.liquidation.module: found "./nope.ts" with mode "partial"; allowed: a module only with mode: module');
  });
});

describe('a sizing module\'s ctx.rng', () => {
  it('is the run\'s seeded stream: the same seed closes the same quantities, another seed others', async () => {
    const closes = async (seed: number) => {
      const s = await loadScenario('test/fixtures/liquidation/random-fraction.yaml', { seed });
      const w = buildWorld(s, { seed });
      const out: number[] = [];
      w.bus.liquidations$.subscribe((b) => out.push(...b.closed));
      w.simulation.run().subscribe();
      return out;
    };
    const a = await closes(4), b = await closes(4), c = await closes(5);
    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});
