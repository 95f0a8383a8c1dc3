/**
 * How many admin-token guesses the settings sign-in takes (issue 17): from one address 30 a minute, then a
 * lockout of 1 minute that doubles with each further lockout (up to 15 minutes); from everyone together 300 a
 * minute, then 1 minute for all. While locked, the right token waits too: a lockout that let the right guess
 * through would tell a guesser when they were right.
 */
export const LOGIN_LIMITS = {
  perAddress: 30,
  overall: 300,
  windowMs: 60_000,
  firstLockoutMs: 60_000,
  longestLockoutMs: 15 * 60_000,
  /** an address's lockout history is forgotten after this long without a wrong guess */
  forgetMs: 60 * 60_000,
  /** addresses tracked at once; beyond that the quietest are forgotten first (the overall limit still holds) */
  trackedAddresses: 10_000,
} as const;

export type LoginLimits = Record<keyof typeof LOGIN_LIMITS, number>;

interface Tally {
  windowStart: number;
  attempts: number;
  lockedUntil: number;
  lockouts: number;
  lastAttemptAt: number;
}

/** `attempt`: this address's count in its window; `lockoutMs`: set when this attempt, if wrong, starts a lockout. */
export type LoginAdmission = { ok: true; attempt: number; lockoutMs: number | undefined } | { ok: false; retryAfterMs: number };

/** Sign-in attempts by client address and overall, for one running app; the composition root owns it. */
export interface LoginThrottle {
  /**
   * Before checking a token: refused while the address or everyone is locked out; otherwise the attempt is
   * counted at once, as if wrong, so a burst of parallel guesses cannot all slip in before the first fails.
   */
  admit(address: string, now: number): LoginAdmission;
  /** The token was right: the address starts afresh and its attempt no longer counts against everyone. */
  succeeded(address: string): void;
}

export function createLoginThrottle(limits: LoginLimits = LOGIN_LIMITS): LoginThrottle {
  const byAddress = new Map<string, Tally>();
  const overall = freshTally(0);

  /** Counts one attempt; returns how long the lockout it started lasts, if it started one. */
  function count(tally: Tally, limit: number, now: number, lockoutMs: (lockouts: number) => number): { attempt: number; lockoutMs: number | undefined } {
    if (now - tally.windowStart >= limits.windowMs) {
      tally.windowStart = now;
      tally.attempts = 0;
    }
    tally.attempts += 1;
    tally.lastAttemptAt = now;
    const attempt = tally.attempts;
    if (attempt < limit) return { attempt, lockoutMs: undefined };
    const ms = lockoutMs(tally.lockouts);
    tally.lockedUntil = now + ms;
    tally.lockouts += 1;
    // Counting starts again after the lockout: the next full window of wrong guesses locks for twice as long.
    tally.windowStart = tally.lockedUntil;
    tally.attempts = 0;
    return { attempt, lockoutMs: ms };
  }

  function tallyOf(address: string, now: number): Tally {
    let tally = byAddress.get(address);
    if (tally && now - tally.lastAttemptAt >= limits.forgetMs && tally.lockedUntil <= now) tally = undefined;
    if (!tally) {
      tally = freshTally(now);
      forgetQuietest(now);
    }
    // Re-inserted, so the map's order is least recently tried first.
    byAddress.delete(address);
    byAddress.set(address, tally);
    return tally;
  }

  function forgetQuietest(now: number): void {
    for (const [address, tally] of byAddress) {
      if (byAddress.size < limits.trackedAddresses) return;
      if (tally.lockedUntil <= now) byAddress.delete(address);
    }
  }

  return {
    admit(address, now) {
      const lockedUntil = Math.max(overall.lockedUntil, byAddress.get(address)?.lockedUntil ?? 0);
      if (lockedUntil > now) return { ok: false, retryAfterMs: lockedUntil - now };
      const everyone = count(overall, limits.overall, now, () => limits.firstLockoutMs);
      const mine = count(tallyOf(address, now), limits.perAddress, now, (lockouts) => Math.min(limits.longestLockoutMs, limits.firstLockoutMs * 2 ** lockouts));
      return { ok: true, attempt: mine.attempt, lockoutMs: mine.lockoutMs ?? everyone.lockoutMs };
    },
    succeeded(address) {
      byAddress.delete(address);
      overall.attempts = Math.max(0, overall.attempts - 1);
    },
  };
}

function freshTally(now: number): Tally {
  return { windowStart: now, attempts: 0, lockedUntil: 0, lockouts: 0, lastAttemptAt: now };
}
