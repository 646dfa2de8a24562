/**
 * Reading and locating: a scenario file's bytes, its YAML document with positions, the `--set`
 * overrides applied to it, and the file:line:col of any field path. Nothing here knows the schema.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, parse as parseYaml, type Document, type Node } from 'yaml';
import { BadInputError, pathString, show, type ScenarioIssue } from './errors';
import type { FlatIssue } from './zod-issues';

/** A scenario file read and parsed: bytes for the hash, the document and its line counter. */
export interface ScenarioText {
  /** Absolute path. */
  file: string;
  /** The path as the user gave it (messages use it). */
  fileArg: string;
  bytes: Buffer;
  doc: Document;
  lc: LineCounter;
}

/** Fields written on the command line: path → the option that wrote it (`--set`, `--ticks`, `--seed`). */
export type SetPaths = ReadonlyMap<string, string>;

/** One command-line override: `path=value`, and the option it came from. */
export interface Override {
  text: string;
  flag: string;
}

/** Parses `agents[0].count` into ['agents', 0, 'count']; null when malformed. */
export function parsePath(s: string): (string | number)[] | null {
  const out: (string | number)[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|(\.)/gy;
  let m: RegExpExecArray | null;
  let expectKey = true;
  while (re.lastIndex < s.length && (m = re.exec(s))) {
    if (m[1] !== undefined) { if (!expectKey) return null; out.push(m[1]); expectKey = false; }
    else if (m[2] !== undefined) { out.push(Number(m[2])); expectKey = false; }
    else { if (expectKey) return null; expectKey = true; }
  }
  return re.lastIndex === s.length && out.length > 0 && !expectKey ? out : null;
}

/** Reads and parses the file; throws {@link BadInputError} for a missing file, bad YAML or a non-map. */
export function readScenarioText(fileArg: string): ScenarioText {
  const file = resolve(fileArg);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw BadInputError.of(fileArg, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a scenario file' : `cannot read the file (${code ?? 'error'})`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new BadInputError(doc.errors.map((e) => {
      const p = lc.linePos(e.pos[0]);
      return { file: fileArg, line: p.line, col: p.col, path: '', message: `invalid YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw BadInputError.of(fileArg, 'the file is empty: expected a map with at least name, ticks and agents');
  }
  if (!isMap(doc.contents)) {
    const p = lc.linePos(doc.contents.range?.[0] ?? 0);
    throw new BadInputError([{ file: fileArg, line: p.line, col: p.col, path: '', message: `expected a map of scenario settings, found ${isSeq(doc.contents) ? 'a list' : 'a single value'}` }]);
  }
  return { file, fileArg, bytes, doc, lc };
}

/** An override's problem: the file is the option (`--set`), never a line of the scenario file. */
const setIssue = (o: Override, message: string): ScenarioIssue => ({ file: o.flag, line: 0, col: 0, path: '', message: `'${o.text}': ${message}` });

/**
 * Applies `path=value` overrides to the document. The value is YAML; the path must be well formed,
 * and each step of it must exist in the file or be a new key of an existing map (a list index past
 * the end is refused). Returns the paths written, so that later problems there name `--set`.
 */
export function applyOverrides(doc: Document, overrides: readonly Override[]): Map<string, string> {
  const issues: ScenarioIssue[] = [];
  const written = new Map<string, string>();
  for (const o of overrides) {
    const s = o.text;
    const eq = s.indexOf('=');
    const path = eq > 0 ? parsePath(s.slice(0, eq)) : null;
    if (!path) {
      issues.push(setIssue(o, 'not path=value (e.g. agents[0].count=100)'));
      continue;
    }
    const valueDoc = parseDocument(s.slice(eq + 1), { prettyErrors: false });
    if (valueDoc.errors.length > 0) {
      issues.push(setIssue(o, `the value is not valid YAML (${valueDoc.errors[0]!.message.split('\n')[0]})`));
      continue;
    }
    const bad = missingStep(doc, path);
    if (bad) {
      issues.push(setIssue(o, bad));
      continue;
    }
    // The path itself and every step of it the file did not have come from --set.
    for (let n = path.length; n > 0 && (n === path.length || !doc.hasIn(path.slice(0, n))); n--) written.set(pathString(path.slice(0, n)), o.flag);
    doc.setIn(path, doc.createNode(parseYaml(s.slice(eq + 1))));
  }
  if (issues.length > 0) throw new BadInputError(issues);
  return written;
}

/** Why `path` cannot be set in `doc` (a list index past its end, a step into a value), or null. */
function missingStep(doc: Document, path: (string | number)[]): string | null {
  for (let n = 0; n < path.length; n++) {
    const parent = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (parent === undefined) return null; // a new map: the schema judges its keys
    const key = path[n]!;
    if (isSeq(parent)) {
      if (typeof key !== 'number') return `${pathString(path.slice(0, n))} is a list: expected [index], found .${String(key)}`;
      if (key >= parent.items.length) return `${pathString(path.slice(0, n))} has ${parent.items.length} item(s); allowed: an index 0..${parent.items.length - 1}`;
    } else if (isMap(parent)) {
      if (typeof key === 'number') return `${pathString(path.slice(0, n))} is a map: expected .key, found [${key}]`;
    } else {
      const value = isScalar(parent) ? parent.value : parent;
      return `${pathString(path.slice(0, n))} is ${show(value)}, not a map or list`;
    }
  }
  return null;
}

/** Finds the line and column of an issue's node (the key itself for unknown keys); `--set` fields name `--set`. */
export function locate(f: FlatIssue, t: ScenarioText, setPaths: SetPaths): ScenarioIssue {
  const path = f.path;
  const { doc, lc } = t;
  for (let n = path.length; n > 0; n--) {
    const flag = setPaths.get(pathString(path.slice(0, n)));
    if (flag) return { file: flag, line: 0, col: 0, path: pathString(path), message: f.message };
  }
  let offset: number | undefined;
  if (f.key !== undefined) {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === f.key);
      offset = (pair?.key as Node | undefined)?.range?.[0];
    }
  }
  // Walk up to the nearest node that exists in the file (a missing key points at its parent).
  for (let n = path.length; offset === undefined && n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) offset = node.range[0];
    else if (n === 0) offset = doc.contents?.range?.[0];
  }
  const p = lc.linePos(offset ?? 0);
  return { file: t.fileArg, line: p.line, col: p.col, path: pathString(path), message: f.message };
}
