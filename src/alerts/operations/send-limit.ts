/** How many sends (test notifications) one person may ask for in a window, whichever surface they use. */
export const SENDS_PER_PERSON = 10;
export const SEND_WINDOW_MS = 60_000;
/** People remembered at once; past it the one who sent longest ago is forgotten first. */
const MAX_PEOPLE = 10_000;

/** A person's recent sends; `take` counts one more, or says how long until the oldest leaves the window. */
export interface SendLimiter {
  take(person: string, now: number): { ok: true } | { ok: false; retryAfterMs: number };
}

/** In memory, one per app (the composition root builds it): a limit against floods, not a quota to share exactly. */
export function createSendLimiter(limit = SENDS_PER_PERSON, windowMs = SEND_WINDOW_MS, maxPeople = MAX_PEOPLE): SendLimiter {
  const sentAt = new Map<string, number[]>();
  return {
    take(person, now) {
      const recent = (sentAt.get(person) ?? []).filter((t) => t > now - windowMs);
      sentAt.delete(person);
      if (recent.length >= limit) {
        sentAt.set(person, recent);
        return { ok: false, retryAfterMs: (recent[0] ?? now) + windowMs - now };
      }
      sentAt.set(person, [...recent, now]);
      for (const oldest of sentAt.keys()) {
        if (sentAt.size <= maxPeople) break;
        sentAt.delete(oldest);
      }
      return { ok: true };
    },
  };
}
