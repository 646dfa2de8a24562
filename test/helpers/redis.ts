/** A throwaway Redis server for the queue tests: 127.0.0.1, a free port, no persistence. */
import { spawn, type ChildProcess } from 'child_process';
import { createServer } from 'net';
import { Redis } from 'ioredis';

/** A running test Redis. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    }).on('error', rej);
  });
}

/**
 * Starts `redis-server` on 127.0.0.1 at a free port without persistence, and waits until it answers.
 * The port is free when chosen but may be taken before redis binds it (the check cannot hold it):
 * a server that exits before answering is started again on another port.
 */
export async function startRedis(): Promise<TestRedis> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc: ChildProcess = spawn('/usr/bin/redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let exited = false;
    proc.once('exit', () => (exited = true));
    const url = `redis://127.0.0.1:${port}/0`;
    if (await answers(url, () => exited)) {
      return {
        url,
        stop: () => new Promise((res) => {
          if (exited) return res();
          proc.once('exit', () => res());
          proc.kill('SIGTERM');
        }),
      };
    }
    if (!exited) proc.kill('SIGTERM');
    if (attempt === 3) throw new Error(`redis-server did not answer on 3 ports (last ${port})`);
  }
}

/** Polls `url` until it answers PING (true) or `gone()` says the server exited (false); ~5 s at most. */
async function answers(url: string, gone: () => boolean): Promise<boolean> {
  for (let k = 0; k <= 100; k++) {
    if (gone()) return false;
    const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      return !gone();
    } catch {
      r.disconnect();
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  return false;
}
