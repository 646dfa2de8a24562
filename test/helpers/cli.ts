/** Runs the levsim CLI in-process and captures its output and exit code. */
import { main, type Io } from '../../sim/cli';

/** Output and exit code of one CLI call. */
export interface CliResult { code: number; out: string; err: string }

/** Calls `levsim ...args` in this process. */
export async function cli(...args: string[]): Promise<CliResult> {
  let out = '', err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), tty: false };
  const code = await main(args, io);
  return { code, out, err };
}
