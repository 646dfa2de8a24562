/**
 * Atomic output files: written under a temporary name and renamed into place, so a crash never
 * leaves a half-written result. Appends are buffered and written synchronously (deterministic, and
 * nothing is held in memory beyond one buffer).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'fs';
import { dirname } from 'path';

/** Writes `data` (text or bytes) to `file` atomically (temporary file, then rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const w = new AtomicWriter(file);
  w.write(data);
  w.commit();
}

/** A file being written: appended to in chunks, committed by rename, or aborted. */
export class AtomicWriter {
  private readonly tmp: string;
  private fd: number;
  private buf: string[] = [];
  private size = 0;

  /** Opens `<file>.tmp-<pid>` beside the target. */
  constructor(readonly file: string, private readonly flushAt = 1 << 16) {
    mkdirSync(dirname(file), { recursive: true });
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
  }

  /**
   * Appends text, or bytes. Bytes go to disk at once, after any buffered text: the caller may
   * reuse their buffer as soon as this returns (the Parquet writer does).
   */
  write(s: string | Uint8Array): void {
    if (typeof s !== 'string') {
      this.flush();
      writeSync(this.fd, s);
      return;
    }
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= this.flushAt) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }

  /** Flushes, closes and renames into place; a rename that fails leaves no temporary file behind. */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    try {
      renameSync(this.tmp, this.file);
    } catch (e) {
      rmSync(this.tmp, { force: true });
      throw e;
    }
  }

  /** Closes and deletes the temporary file. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}
