/**
 * How deep a request body may nest. Real flag exports stay under ten levels; without a bound a body of
 * a few kilobytes of `[[[[…]]]]` parses fine but overflows the stack later when it is serialized for
 * storage or delivery, turning bad input into a 500.
 */
export const MAX_JSON_DEPTH = 64;

/** True when a parsed JSON value nests arrays/objects deeper than `max` (checked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth });
  }
  return false;
}
