/**
 * How deep a request body may nest. Real flag exports stay under ten levels; without a bound a body of
 * a few kilobytes of `[[[[…]]]]` parses fine but overflows the stack later when it is serialized for
 * storage or delivery, turning bad input into a 500.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when a parsed JSON value nests arrays/objects deeper than `max`. Recursive but safe: it never
 * descends past `max` levels, and it allocates nothing (it runs on every ingested body).
 */
export function nestsDeeperThan(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, max, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], max, depth + 1)) return true;
  return false;
}
