import { escapeAndTruncate } from './mrkdwn.js';

/** Compact JSON-ish text of a value, escaped and cut to `max` visible characters. */
export function shortValue(value: unknown, max: number): string {
  if (value === null || value === undefined) return '_none_';
  if (typeof value === 'string') return value === '' ? '_empty_' : escapeAndTruncate(value, max);
  // Values come from parsed JSON, which always stringifies; the fallback only names what else it could be.
  return escapeAndTruncate(JSON.stringify(value) ?? typeof value, max);
}

/** "a, b, c" of already-escaped items, or a placeholder for none. */
export function list(items: readonly string[]): string {
  return items.length === 0 ? '_none_' : items.join(', ');
}

export function count(n: number, singular: string): string {
  return `${n} ${singular}${n === 1 ? '' : 's'}`;
}
