/**
 * Atomic output files: written under a temporary name and renamed into place, so a crash never
 * leaves a half-written result. Appends are buffered and written synchronously (deterministic, and
 * nothing is held in memory beyond one buffer). The files committed into a run's folder can be
 * recorded with their size and sha256, hashed as they are written, for the run's manifest.
 */
import { createHash, type Hash } from 'crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'fs';
import { basename, dirname, resolve } from 'path';

/** A file as it was written: its size in bytes and the sha256 of its bytes (hex). */
export interface FileRecord {
  bytes: number;
  sha256: string;
}

/** The folders whose committed files are being recorded, each with its files so far by name. */
const recording = new Map<string, Map<string, FileRecord>>();

/**
 * Starts recording the files committed into folder `dir` (not its subfolders), forgetting any
 * earlier record of it (a run that failed there). Files opened before this call are not recorded.
 */
export function recordFilesIn(dir: string): void {
  recording.set(resolve(dir), new Map());
}

/**
 * The files committed into `dir` since {@link recordFilesIn}, by name in name order (stable bytes
 * in a manifest), and stops recording: files committed after (a report) are not listed.
 */
export function recordedFiles(dir: string): Record<string, FileRecord> {
  const files = recording.get(resolve(dir)) ?? new Map<string, FileRecord>();
  recording.delete(resolve(dir));
  return Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

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
  /** Where the file's record goes, when its folder is recorded: hashed as written, never read back. */
  private readonly record: { files: Map<string, FileRecord>; hash: Hash; bytes: number } | null;

  /** Opens `<file>.tmp-<pid>` beside the target. */
  constructor(readonly file: string, private readonly flushAt = 1 << 16) {
    mkdirSync(dirname(file), { recursive: true });
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, 'w');
    const files = recording.get(dirname(resolve(file)));
    this.record = files ? { files, hash: createHash('sha256'), bytes: 0 } : null;
  }

  /**
   * Appends text, or bytes. Bytes go to disk at once, after any buffered text: the caller may
   * reuse their buffer as soon as this returns (the Parquet writer does).
   */
  write(s: string | Uint8Array): void {
    if (typeof s !== 'string') {
      this.flush();
      writeSync(this.fd, s);
      this.hash(s);
      return;
    }
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= this.flushAt) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const text = this.buf.join('');
    writeSync(this.fd, text);
    this.hash(text);
    this.buf = [];
    this.size = 0;
  }

  /** Adds bytes written (text as the UTF-8 that writeSync writes) to the file's record. */
  private hash(data: string | Uint8Array): void {
    if (!this.record) return;
    this.record.hash.update(data);
    this.record.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
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
    this.record?.files.set(basename(this.file), { bytes: this.record.bytes, sha256: this.record.hash.digest('hex') });
  }

  /** Closes and deletes the temporary file. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}
