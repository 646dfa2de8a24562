/**
 * Bad input. Every problem names the file, the line and column, the field path, what was found and
 * what is allowed; all problems are reported at once. The CLI exits 2 on these and prints no stack.
 */

/** One problem in a scenario file. */
export interface ScenarioIssue {
  file: string;
  /** 1-based; 0 when the problem has no place in the file (e.g. a --set override). */
  line: number;
  col: number;
  /** Field path, e.g. `agents[1].leverage.median` ('' for the whole file). */
  path: string;
  message: string;
}

/** Formats one issue as `file:line:col: path: message`. */
export function formatIssue(i: ScenarioIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.col}` : i.file;
  return `${where}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** Any bad input (exit code 2): a missing or unreadable file, invalid YAML, a failed validation. */
export class BadInputError extends Error {
  /** @param issues the problems; the message lists them all. */
  constructor(readonly issues: ScenarioIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'BadInputError';
  }

  /** A bad-input error with a single message about `file`. */
  static of(file: string, message: string, path = ''): BadInputError {
    return new BadInputError([{ file, line: 0, col: 0, path, message }]);
  }
}

/** Renders a path array as `agents[1].leverage.median`. */
export function pathString(path: readonly (string | number | symbol)[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s;
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** ' (did you mean "x"?)' when some candidate is close to `word` or starts with it, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const lower = word.toLowerCase();
  const prefixed = candidates.filter((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length);
  if (prefixed.length > 0) return ` (did you mean "${prefixed[0]}"?)`;
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best && bestD <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** A short rendering of a found value for messages. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a map';
  // JSON has no NaN or Infinity: JSON.stringify writes them as null, which is not what was found.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
