/** `levsim worker` processes for the queue tests, each in its own process group so that a test can SIGKILL it with its sandboxed children. */
import { spawn, type ChildProcess } from 'child_process';
import { join } from 'path';

const BIN = join(__dirname, '..', '..', 'bin', 'levsim.js');

/** A running `levsim worker`. */
export interface WorkerProcess {
  proc: ChildProcess;
  /** Its output so far. */
  log(): string;
  /** Runs it has finished so far. */
  done(): number;
  /** SIGKILLs its process group (the worker and its sandboxed processes), as a lost machine. */
  kill(): void;
  /** SIGTERM, then waits for its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `levsim worker ...args`. */
export function startWorker(...args: string[]): WorkerProcess {
  const proc = spawn(process.execPath, [BIN, 'worker', ...args], { cwd: join(__dirname, '..', '..'), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    proc,
    log: () => out,
    done: () => out.split('\n').filter((l) => / done$/.test(l)).length,
    kill: () => process.kill(-proc.pid!, 'SIGKILL'),
    stop: () => new Promise((res) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return res(proc.exitCode);
      proc.once('exit', (code) => res(code));
      process.kill(-proc.pid!, 'SIGTERM');
    }),
  };
}
