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

/** Starts `redis-server` on 127.0.0.1 at a free port without persistence, and waits until it answers. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const proc: ChildProcess = spawn('/usr/bin/redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  for (let k = 0; ; k++) {
    const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      break;
    } catch (e) {
      r.disconnect();
      if (k > 100) throw e;
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  return {
    url,
    stop: () => new Promise((res) => {
      proc.once('exit', () => res());
      proc.kill('SIGTERM');
    }),
  };
}
