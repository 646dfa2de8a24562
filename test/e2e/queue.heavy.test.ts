import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Queue } from 'bullmq';
import { levsim } from '../helpers/cli-process';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startWorker, type WorkerProcess } from '../helpers/worker-process';
import { loadScenario } from '../../sim/scenario/loader';
import { makeBundle } from '../../sim/run/bundle';
import { connection, RUNS_QUEUE } from '../../sim/run/queue-config';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'levsim.js');
const TINY = 'test/fixtures/queue/tiny.yaml';

/** `levsim ...args` as a process, without blocking this one. */
function levsimAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => res({ code, out, err }));
  });
}

const until = async (cond: () => boolean, what: () => string, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('levsim run --queue and levsim worker (BullMQ on a local Redis)', () => {
  let redis: TestRedis;
  const workers: WorkerProcess[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'levsim-queue-'));
  const local = join(tmp, 'local');

  beforeAll(async () => {
    redis = await startRedis();
    expect(levsim('run', TINY, '--out', local, '--quiet', '--workers', '2').code).toBe(0);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await redis?.stop();
  });

  it('400 runs on two workers, one SIGKILLed mid-sweep: the same compare.json and compare.csv as the local pool; a resubmission reuses every run', async () => {
    // Worker b shares the submitter's folder (as machines sharing a disk would) and writes detail files there.
    const out = join(tmp, 'queued');
    const a = startWorker('--queue', redis.url, '--concurrency', '1');
    const b = startWorker('--queue', redis.url, '--concurrency', '1', '--out', out);
    workers.push(a, b);
    const submitted = levsimAsync('run', TINY, '--out', out, '--queue', redis.url);
    await until(() => a.done() >= 40, () => `worker a to finish 40 runs:\n${a.log()}\n${b.log()}`);
    a.kill();
    const r = await submitted;
    expect(r.code, r.err).toBe(0);
    expect(a.done()).toBeLessThan(400);
    expect(b.done()).toBeGreaterThan(0);
    for (const f of ['compare.json', 'compare.csv']) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(local, f), 'utf8'));
    // every run's summary.json came back through Redis, byte for byte
    expect(readFileSync(join(out, 'runs', 'brake', '57', 'summary.json'), 'utf8')).toBe(readFileSync(join(local, 'runs', 'brake', '57', 'summary.json'), 'utf8'));
    // the worker with --out wrote its runs' detail files into the shared folder, and the submitter says where
    expect(r.out).toContain(`detail files (ticks.csv, …) are in the workers' folders: ${out}`);
    const withTicks = readdirSync(join(out, 'runs')).flatMap((p) => readdirSync(join(out, 'runs', p)).filter((s) => existsSync(join(out, 'runs', p, s, 'ticks.csv'))));
    expect(withTicks.length).toBeGreaterThan(0);
    expect(withTicks.length).toBeLessThan(400); // worker a kept none

    // Resubmitted into a new folder with no worker left: every run is reused from Redis.
    await b.stop();
    const again = join(tmp, 'again');
    const r2 = await levsimAsync('run', TINY, '--out', again, '--queue', redis.url, '--quiet');
    expect(r2.code, r2.err).toBe(0);
    expect(readFileSync(join(again, 'compare.json'), 'utf8')).toBe(readFileSync(join(local, 'compare.json'), 'utf8'));
    expect(existsSync(join(again, 'runs', 'cap-50', '100', 'manifest.json'))).toBe(true);
  });

  it('a run that keeps failing fails the sweep with its error (exit 1, no compare.json)', async () => {
    const w = startWorker('--queue', redis.url, '--concurrency', '2');
    workers.push(w);
    const out = join(tmp, 'failing');
    const r = await levsimAsync('run', 'test/fixtures/faulty/throws-compare.yaml', '--out', out, '--queue', redis.url);
    expect(r.code).toBe(1);
    // Every run fails, on two workers at once: which failure reaches the submitter first is a race.
    expect(r.err).toMatch(/levsim: run \(policy [ab], seed \d+\) failed on the queue after 3 attempt\(s\): failed at tick 20: strategy module \.\/throws-at-20\.ts \(population custom\) threw/);
    expect(existsSync(join(out, 'compare.json'))).toBe(false);
    await w.stop();
  });

  it('a worker refuses a job made by another levsim version, or whose files do not hash to its hash, at once and with the reason', async () => {
    const w = startWorker('--queue', redis.url, '--concurrency', '1');
    workers.push(w);
    const s = await loadScenario(TINY, { sets: ['runs.seeds=1'] });
    const bundle = makeBundle(s);
    const runs = new Queue(RUNS_QUEUE, { connection: connection(redis.url) });
    const forged = {
      'forged-version': { bundle: { ...bundle, levsim: '0.0.0-other' }, reason: 'the job was submitted by levsim 0.0.0-other' },
      'forged-hash': { bundle: { ...bundle, hash: 'f'.repeat(64) }, reason: `the job's files hash to ${bundle.hash} on this worker, not to the job's hash ${'f'.repeat(64)}` },
    };
    try {
      for (const [id, f] of Object.entries(forged)) await runs.add('run', { bundle: f.bundle, policy: 'fixed-20x', seed: 1 }, { jobId: id, attempts: 3 });
      for (const [id, f] of Object.entries(forged)) {
        // A deadline, not a count of polls: the worker process starts in this time too (60 s, as
        // `until` allows; 500 polls gave ~10 s, which a slow machine's start-up could take).
        let job = await runs.getJob(id);
        for (const deadline = Date.now() + 60_000; Date.now() < deadline && (await job!.getState()) !== 'failed';) {
          await new Promise((r) => setTimeout(r, 20));
          job = await runs.getJob(id);
        }
        job = await runs.getJob(id); // the state is read from Redis, the fields only when fetched
        expect(await job!.getState(), id).toBe('failed');
        expect(job!.attemptsMade, id).toBe(1);
        expect(job!.failedReason, id).toContain(f.reason);
      }
    } finally {
      await runs.close();
      await w.stop();
    }
  });

  it('refuses an unreachable or malformed --queue (exit 2)', () => {
    const r = levsim('run', TINY, '--out', join(tmp, 'x'), '--queue', 'redis://127.0.0.1:1/0');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--queue: cannot reach Redis at redis://127.0.0.1:1/0');
    expect(levsim('worker', '--queue', 'http://x').err).toContain('--queue: found "http://x"; allowed: redis://host:port/db');
  });

  it('an unreachable --queue leaves the output folder as it was, even with --force', () => {
    // The folder was made ready (emptied, with --force) before Redis was asked: a typo in the URL
    // deleted the last sweep's results.
    const out = join(tmp, 'kept');
    expect(levsim('run', TINY, '--out', out, '--quiet').code).toBe(0);
    const before = readdirSync(out).sort();
    const r = levsim('run', TINY, '--out', out, '--force', '--queue', 'redis://127.0.0.1:1/0');
    expect(r.code).toBe(2);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(levsim('run', TINY, '--out', join(tmp, 'never'), '--queue', 'redis://127.0.0.1:1/0').code).toBe(2);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('a --queue URL that is no URL at all is bad input, not an internal error', () => {
    for (const url of ['redis://127.0.0.1:99999/0', 'redis://a b:1/0']) {
      for (const args of [['run', TINY, '--out', join(tmp, 'bad-url')], ['worker']]) {
        const r = levsim(...args, '--queue', url);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`--queue: found ${JSON.stringify(url)}`);
        expect(r.err).not.toContain('    at ');
      }
    }
    expect(existsSync(join(tmp, 'bad-url'))).toBe(false);
  });
});
