import { describe, expect, it } from 'vitest';
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from '../helpers/cli';

const bad = (name: string) => `test/fixtures/bad/${name}.yaml`;

/** Runs `levsim run …args --out <a new folder>`, requires exit 2 and nothing written there, and returns stderr. */
async function refusedRun(...args: string[]): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'levsim-refused-'));
  const r = await cli('run', ...args, '--out', out);
  expect(r.code).toBe(2);
  expect(readdirSync(out)).toEqual([]);
  return r.err;
}

describe('bad scenario files: exit 2, every problem with file:line:col, field, found and allowed', () => {
  it('bad YAML syntax', async () => {
    const r = await cli('validate', bad('syntax'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^test\/fixtures\/bad\/syntax\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('an empty file', async () => {
    const r = await cli('run', bad('empty'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/empty.yaml: the file is empty: expected a map with at least name, ticks and agents
      "
    `);
  });

  it('wrong types', async () => {
    const r = await cli('validate', bad('wrong-types'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/wrong-types.yaml:2:8: ticks: expected a number, found "many"
      test/fixtures/bad/wrong-types.yaml:5:12: agents[0].count: expected a number, found "ten"
      test/fixtures/bad/wrong-types.yaml:8:42: agents[0].leverage.median: expected a number, found "high"
      "
    `);
  });

  it('a negative count', async () => {
    const r = await cli('validate', bad('negative-count'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/negative-count.yaml:5:12: agents[0].count: found -5; allowed: a number > 0
      "
    `);
  });

  it('non-finite numbers (.nan, .inf, -.inf) are shown as found, not as null', async () => {
    const r = await cli('validate', bad('non-finite'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/non-finite.yaml:3:23: market.startPrice: expected a number, found NaN
      test/fixtures/bad/non-finite.yaml:4:28: exchange.insuranceFund: expected a number, found Infinity
      test/fixtures/bad/non-finite.yaml:9:17: agents[0].collateral: expected a number or a map, found -Infinity
      "
    `);
  });

  it('unknown keys, with a did-you-mean', async () => {
    const r = await cli('validate', bad('unknown-key'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('test/fixtures/bad/unknown-key.yaml:8:5: agents[0].levrage: unknown key (did you mean "leverage"?); allowed here: name, count, strategy, collateral, leverage,');
    expect(r.err).toContain('test/fixtures/bad/unknown-key.yaml:10:3: market.liquidty: unknown key (did you mean "liquidity"?); allowed here: startPrice, warmupTicks, process, markPrice, basisWindowTicks, shocks, liquidity, funding');
  });

  it('an unknown strategy', async () => {
    const r = await cli('validate', bad('unknown-strategy'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/unknown-strategy.yaml:6:15: agents[0].strategy: unknown strategy "nosie" (did you mean "noise"?); allowed: noise, trend, contrarian, vol-target, value, market-maker, basis-arb, pairs, pair-trade, portfolio, cross-momentum, margin-utilisation, or a path like ./my-strategy.ts
      "
    `);
  });

  it('an unknown preset', async () => {
    const r = await cli('validate', bad('unknown-preset'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/unknown-preset.yaml:4:21: exchange.policy.preset: unknown preset "binance-btcusd" (did you mean "binance-btcusdt"?); allowed: binance-btcusdt, binance-ethusdt, bybit-btcusdt, hyperliquid-btc, hyperliquid-eth, dydx-large-cap
      "
    `);
  });

  it('a shock beyond ticks', async () => {
    const r = await cli('validate', bad('shock-beyond-ticks'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/shock-beyond-ticks.yaml:6:15: market.shocks[1].tick: found 500; allowed: a tick before the end of the run (ticks = 100, so 0..99)
      "
    `);
  });

  it('a list where a map belongs', async () => {
    const r = await cli('validate', bad('list-for-map'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/list-for-map.yaml:4:3: market: expected a map, found a list
      "
    `);
  });

  it('a population too large for memory', async () => {
    const r = await cli('validate', bad('too-large'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/too-large\.yaml:5:12: agents\[0\]\.count: found 200000000: the populations up to here need about \d+\.\d GiB; allowed: at most 12 GiB/);
  });

  it('reports every error at once', async () => {
    const r = await cli('validate', bad('many-errors'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "test/fixtures/bad/many-errors.yaml:2:8: ticks: found 0; allowed: a number > 0
      test/fixtures/bad/many-errors.yaml:4:24: exchange.liquidation.mode: found "halfway"; allowed: "full", "partial", "fraction", "module"
      test/fixtures/bad/many-errors.yaml:9:48: agents[0].collateral.max: found 5; allowed: a number ≥ min (10)
      test/fixtures/bad/many-errors.yaml:10:15: agents[0].params.fats: unknown parameter of strategy trend (did you mean "fast"?); allowed: fast, slow, rule, threshold
      "
    `);
  });

  it('a missing file, and a bad option value', async () => {
    const r = await cli('run', 'no/such.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toBe('no/such.yaml: no such file\n');
    const s = await cli('run', 'scenarios/baseline.yaml', '--seed', 'abc');
    expect(s.code).toBe(2);
    expect(s.err).toContain('--seed: expected a whole number, found "abc"');
    const u = await cli('run', 'scenarios/baseline.yaml', '--bogus');
    expect(u.code).toBe(2);
    expect(u.err).toContain("unknown option '--bogus'");
  });

  it('a --set override that breaks validation is named as coming from --set', async () => {
    const r = await cli('validate', 'scenarios/baseline.yaml');
    expect(r.code).toBe(0);
    const s = await cli('run', 'scenarios/baseline.yaml', '--set', 'agents[0].count=-3', '--out', 'test-output/never');
    expect(s.code).toBe(2);
    expect(s.err).toContain('agents[0].count: found -3; allowed: a number > 0');
    const t = await cli('run', 'scenarios/baseline.yaml', '--set', 'nonsense');
    expect(t.code).toBe(2);
    expect(t.err).toContain("--set: 'nonsense': not path=value");
  });

  it('as a real process: exit code 2, no stack trace', () => {
    let status = 0, stderr = '';
    try {
      execFileSync(process.execPath, ['bin/levsim.js', 'validate', bad('unknown-preset')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain('unknown-preset.yaml:4:21');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  // Found by the venues fuzz base: venues' policies were not checked, so an unknown preset passed
  // validation and the run died with an internal error (exit 1).
  it('a venue policy with an unknown preset, a venue market policy with MMR above its IMR', async () => {
    const r = await cli('validate', bad('venue-preset'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/venue-preset\.yaml:6:\d+: venues\[0\]\.policy\.preset: unknown preset "garbage"/);
    expect(r.err).toMatch(/venue-preset\.yaml:7:\d+: venues\[1\]\.markets\[0\]\.policy\.mmr: found 0\.5/);
  });

  // Found by the venues fuzz base (seed 519): a venue's local shock of 1e308 ran and wrote every ledger figure as null.
  it('a venue shock and an oracle shock above +1,000%', async () => {
    const r = await cli('validate', bad('venue-shock'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/venue-shock\.yaml:6:\d+: venues\[0\]\.shocks\[0\]\.return: found 1e\+308; allowed: a simple return from −1 \(excluded\) to 10/);
    expect(r.err).toMatch(/venue-shock\.yaml:8:\d+: protocols\[0\]\.shocks\[0\]\.return: found 50; allowed/);
  });

  // Found by the venues fuzz base (seeds 2267, 2965, 3062, 3620, 4428 of 2000–4999): exit 1 or NaN in protocol-pool.csv.
  it('a venue shock spread over more ticks than the run, an oracle lag of the whole run, a dust supply, astronomic borrower units', async () => {
    const r = await cli('validate', bad('venue-bounds'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/venue-bounds\.yaml:6:\d+: venues\[0\]\.shocks\[0\]\.overTicks: found 1000000000000000; allowed: at most ticks \(50\)/);
    expect(r.err).toMatch(/venue-bounds\.yaml:10:\d+: protocols\[0\]\.oracle\.lagTicks: found 1000000000000000; allowed: fewer than ticks \(50\)/);
    expect(r.err).toMatch(/venue-bounds\.yaml:11:\d+: protocols\[0\]\.supply: found 5e-324/);
    expect(r.err).toMatch(/venue-bounds\.yaml:13:\d+: protocols\[0\]\.borrowers\.units: can draw 1e\+308/);
  });
});

// Review findings: a repeated seed was run (1 worker: averaged twice, a false confidence interval)
// or raced on its run folder (2 workers: exit 1); seeds past 2^53 − 1 collided.
describe('the seeds of a sweep are distinct, and a count of them ends within 2^53 − 1', () => {
  it('a seed listed twice: exit 2 at the repeat, nothing written', async () => {
    expect(await refusedRun(bad('repeated-seed'))).toMatchInlineSnapshot(`
      "test/fixtures/bad/repeated-seed.yaml:8:23: runs.seeds[2]: found 3, already runs.seeds[0]; allowed: distinct seeds (each seed is one run of each arm)
      "
    `);
  });

  it('the same from --set', async () => {
    expect(await refusedRun('scenarios/baseline.yaml', '--set', 'runs.seeds=[1,1]')).toMatchInlineSnapshot(`
      "--set: runs.seeds[1]: found 1, already runs.seeds[0]; allowed: distinct seeds (each seed is one run of each arm)
      "
    `);
  });

  it('a count of seeds from a seed whose last would pass 2^53 − 1', async () => {
    expect(await refusedRun('scenarios/baseline.yaml', '--seed', '9007199254740991', '--set', 'runs.seeds=3')).toMatchInlineSnapshot(`
      "--set: runs.seeds: found 3 seeds from seed 9007199254740991, the last 9007199254740993; allowed: at most 1 from this seed (seeds are whole numbers up to 2^53 − 1 = 9007199254740991)
      "
    `);
  });

  it('an optimisation whose seeds could pass 2^53 − 1 (its rounds double their seeds while they fit in the budget)', async () => {
    expect(await refusedRun('test/fixtures/optimize/small.yaml', '--seed', '9007199254740985')).toMatchInlineSnapshot(`
      "test/fixtures/optimize/small.yaml:29:11: optimize.budget: found 20: from seed 9007199254740985 an optimisation can run up to 32 seeds (doubling from 2 while a round fits in the budget), the last 9007199254741016; allowed: a budget or a seed that keeps them within 2^53 − 1 = 9007199254740991
      "
    `);
  });
});

// Review finding: a grid value was never checked: maxLeverage -5 ran the runs before it, then
// failed with an internal error in sim/exchange/policies/fixed.ts (exit 1).
describe('each value of compare.grid makes a valid policy', () => {
  it('a negative cap, and a cap whose IMR is below the MMR: exit 2 at each value, nothing written', async () => {
    expect(await refusedRun(bad('grid-values'))).toMatchInlineSnapshot(`
      "test/fixtures/bad/grid-values.yaml:9:108: compare.grid.values[1]: with maxLeverage = -5, the policy's maxLeverage: found -5; allowed: a number > 0
      test/fixtures/bad/grid-values.yaml:9:112: compare.grid.values[2]: with maxLeverage = 100, the policy's mmr: found 0.02; allowed: below the initial margin rate 1/maxLeverage = 0.01
      "
    `);
  });
});

describe('tier tables', () => {
  it('name the bracket and field at fault, with what was found and is allowed; a cum that would make maintenance negative is refused', async () => {
    // cum 5,000 at 1%: maintenance margin = notional × 1% − 5,000 is below 0 up to 500,000 of
    // notional, so no position in that bracket could ever be liquidated (review finding: it ran).
    const r = await cli('validate', bad('tiers'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/tiers\.yaml:12:\d+: exchange\.policy\.tiers\[0\]\.cum: found 5000; allowed: 0 ± 1, /);
    expect(await refusedRun(bad('tiers'), '--set', 'exchange.policy.tiers[0].cum=0')).toMatch(/exchange\.policy\.tiers\[1\]\.floor: found 200000; allowed: 100000, bracket 1's cap \(brackets are contiguous\)/);
  });
});

// basis-arb caps the population's combined order by `speed`: one value for the population, of which
// a distribution's draws used only agent 0's.
describe('a parameter the whole population shares takes one number', () => {
  it('a distribution for basis-arb speed: exit 2 at the parameter, nothing written', async () => {
    expect(await refusedRun(bad('population-param'))).toMatchInlineSnapshot(`
      "test/fixtures/bad/population-param.yaml:8:22: agents[0].params.speed: found a uniform distribution; allowed: one number (basis-arb's speed is the whole population's)
      "
    `);
  });
});
