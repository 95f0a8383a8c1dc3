import { escapeAndTruncate } from './mrkdwn.js';

/** Compact JSON-ish text of a value, escaped and cut to `max` visible characters. */
export function shortValue(value: unknown, max: number): string {
  if (value === null || value === undefined) return '_none_';
  if (typeof value === 'string') return value === '' ? '_empty_' : escapeAndTruncate(value, max);
  return escapeAndTruncate(JSON.stringify(value) ?? String(value), max);
}

/** "a, b, c" of already-escaped items, or a placeholder for none. */
export function list(items: readonly string[]): string {
  return items.length === 0 ? '_none_' : items.join(', ');
}

export function count(n: number, singular: string): string {
  return `${n} ${singular}${n === 1 ? '' : 's'}`;
}

/** Items of `after` missing in `before` and the other way round, by identity key. */
export function addedRemoved<T>(before: readonly T[], after: readonly T[], keyOf: (item: T) => string): { added: T[]; removed: T[] } {
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return {
    added: after.filter((item) => !beforeKeys.has(keyOf(item))),
    removed: before.filter((item) => !afterKeys.has(keyOf(item))),
  };
}

/** JSON with sorted keys, so two objects that differ only in key order compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  ) ?? 'null';
}
