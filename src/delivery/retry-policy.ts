/** How many tries a delivery gets before it is dead (and visible in the log with its last error). */
export const MAX_ATTEMPTS = 10;
const BASE_MS = 1000;
const CAP_MS = 5 * 60 * 1000;

/**
 * When to try again after the `attempt`-th failed try: exponential with ±20% jitter, capped; a
 * Retry-After from the receiver wins when it asks for longer.
 */
export function nextAttemptDelayMs(attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  const exponential = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (0.8 + 0.4 * random());
  return retryAfterMs === undefined ? Math.round(jittered) : Math.max(retryAfterMs, Math.round(jittered * 0.25));
}

/** A Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
