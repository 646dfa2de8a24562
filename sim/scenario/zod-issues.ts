/**
 * Turns zod issues into levsim's plain messages: what was found, what is allowed, and for unknown
 * keys a "did you mean". Unions are resolved to the branch that fits the value's shape.
 */
import type { z } from 'zod';
import { didYouMean, show } from './errors';

/** A flattened issue: its absolute path and message. */
export interface FlatIssue {
  path: (string | number)[];
  message: string;
  /** For unknown keys: the key, so the location can point at it. */
  key?: string;
}

type Issue = z.core.$ZodIssue;

function describeType(expected: string): string {
  switch (expected) {
    case 'number': return 'a number';
    case 'string': return 'a string';
    case 'boolean': return 'true or false';
    case 'object': return 'a map';
    case 'array': return 'a list';
    case 'int': return 'a whole number';
    default: return expected;
  }
}

function bound(i: Issue & { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string }, small: boolean): string {
  const n = small ? i.minimum : i.maximum;
  if (i.origin === 'array') return small ? `a list of at least ${String(n)} item(s)` : `a list of at most ${String(n)} item(s)`;
  if (i.origin === 'string') return small ? `a string of at least ${String(n)} character(s)` : `at most ${String(n)} characters`;
  return `a number ${small ? (i.inclusive ? '≥' : '>') : (i.inclusive ? '≤' : '<')} ${String(n)}`;
}

/**
 * Keys an object schema at `path` allows (for suggestions), following optional/default wrappers,
 * arrays, records and unions (the option whose discriminator matches the value, when there is one).
 */
export function allowedKeys(schema: z.ZodType, path: readonly (string | number)[], value: unknown): string[] {
  let s: z.ZodType | undefined = schema;
  let v: unknown = value;
  const unwrap = (x: z.ZodType): z.ZodType => {
    let cur = x as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
    while (['optional', 'default', 'nullable', 'prefault', 'pipe'].includes(cur.def.type)) {
      cur = (cur.def.innerType ?? cur.def.in) as unknown as typeof cur;
    }
    return cur as unknown as z.ZodType;
  };
  const pick = (x: z.ZodType, val: unknown): z.ZodType => {
    const u = unwrap(x) as unknown as { def: { type: string; options?: z.ZodType[]; discriminator?: string } };
    if (u.def.type !== 'union') return u as unknown as z.ZodType;
    const objects = u.def.options!.map((o) => pick(o, val)).filter((o) => (o as unknown as { def: { type: string } }).def.type === 'object');
    const disc = u.def.discriminator;
    if (disc && val && typeof val === 'object') {
      const match = objects.find((o) => {
        const lit = (o as unknown as { shape: Record<string, { def: { values?: unknown[] } }> }).shape[disc]?.def.values;
        return lit?.includes((val as Record<string, unknown>)[disc]);
      });
      if (match) return match;
    }
    // Several object options: the one sharing the most keys with the value.
    const keys = val && typeof val === 'object' ? Object.keys(val) : [];
    return objects.sort((a, b) => overlap(b, keys) - overlap(a, keys))[0] ?? (u as unknown as z.ZodType);
  };
  for (const p of path) {
    if (!s) return [];
    s = pick(s, v);
    const def = (s as unknown as { def: { type: string; element?: z.ZodType; valueType?: z.ZodType } }).def;
    if (def.type === 'object') s = (s as unknown as { shape: Record<string, z.ZodType> }).shape[String(p)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return [];
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p as string] : undefined;
  }
  if (!s) return [];
  s = pick(s, v);
  const shape = (s as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function overlap(o: z.ZodType, keys: string[]): number {
  const shape = (o as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  return keys.filter((k) => k in shape).length;
}

/** Flattens zod issues into plain ones with absolute paths. */
export function flattenIssues(issues: readonly Issue[], schema: z.ZodType, root: unknown, base: (string | number)[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const i of issues) {
    const path = [...base, ...(i.path as (string | number)[])];
    const found = (i as { input?: unknown }).input;
    switch (i.code) {
      case 'invalid_type':
        out.push({ path, message: found === undefined ? `is required: expected ${describeType(i.expected)}` : `expected ${describeType(i.expected)}, found ${show(found)}` });
        break;
      case 'too_small':
        out.push({ path, message: `found ${show(found)}; allowed: ${bound(i, true)}` });
        break;
      case 'too_big':
        out.push({ path, message: `found ${show(found)}; allowed: ${bound(i, false)}` });
        break;
      case 'invalid_value':
        out.push({ path, message: `found ${show(found)}; allowed: ${i.values.map((x) => JSON.stringify(x)).join(', ')}${typeof found === 'string' ? didYouMean(found, i.values.map(String)) : ''}` });
        break;
      case 'unrecognized_keys': {
        const allowed = allowedKeys(schema, path, root);
        for (const key of i.keys) {
          out.push({ path: [...path, key], key, message: `unknown key${didYouMean(key, allowed)}; allowed here: ${allowed.join(', ')}` });
        }
        break;
      }
      case 'invalid_union': {
        const u = i as Issue & { note?: string; discriminator?: string; options?: unknown[]; errors: Issue[][] };
        if (u.note === 'No matching discriminator') {
          const opts = (u.options ?? []).map(String);
          const v = found && typeof found === 'object' ? (found as Record<string, unknown>)[u.discriminator!] : undefined;
          out.push({ path, message: v === undefined ? `is required: one of ${opts.join(', ')}` : `found ${show(v)}; allowed: ${opts.join(', ')}${typeof v === 'string' ? didYouMean(v, opts) : ''}` });
          break;
        }
        // A branch whose only complaint is the value's own type does not fit its shape: drop it.
        const fitting = u.errors.filter((b) => !(b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0));
        if (fitting.length === 0) {
          const expected = [...new Set(u.errors.map((b) => describeType((b[0] as { expected?: string }).expected ?? '?')))];
          out.push({ path, message: `expected ${expected.join(' or ')}, found ${show(found)}` });
        } else {
          const best = fitting.sort((a, b) => a.length - b.length)[0]!;
          out.push(...flattenIssues(best, schema, root, path));
        }
        break;
      }
      default:
        // A check's own message says what it found; a whole map or list after it says nothing.
        out.push({ path, message: found === undefined || i.message.includes('found') || (typeof found === 'object' && found !== null) ? i.message : `${i.message}; found ${show(found)}` });
    }
  }
  return out;
}
