/**
 * What every section checker gets: the raw (unvalidated) scenario, the scenario's folder, and a
 * safe getter. Checkers parse their own section, so each runs whatever else in the file is wrong.
 */
import type { FlatIssue } from '../zod-issues';

/** The input of a section checker. */
export interface CheckContext {
  raw: Record<string, unknown>;
  /** Folder of the scenario file (module and replay paths are relative to it). */
  dir: string;
  /** `ticks` when it is valid, else undefined. */
  ticks?: number;
}

/** A checker's finding list. */
export type Issues = FlatIssue[];

/** `o[k]` when `o` is a map, else undefined. */
export function get(o: unknown, k: string): unknown {
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined;
}

/** Path-safe names: output folders are named after the scenario and the policies. */
export function unsafeName(name: string): string | null {
  return name === '.' || name === '..' || /^\.+$/.test(name) ? `found ${JSON.stringify(name)}; allowed: a name that is not only dots (it names an output folder)` : null;
}

/** The string `name`s of the entries of list `list` (a malformed entry or list: left out; the schema reports it). */
export function namesIn(list: unknown, keep: (entry: unknown) => boolean = () => true): string[] {
  return Array.isArray(list) ? list.filter(keep).map((a) => get(a, 'name')).filter((n): n is string => typeof n === 'string') : [];
}
