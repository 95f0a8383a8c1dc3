import type { FlagEvent, FlagSnapshot } from './model.js';

/**
 * A platform that sends part of a flag's state (one environment's on/off, one rule, one setting's value) says
 * nothing of the rest: a field missing from what it sent is unmentioned, not gone. This lays what it said over the
 * last full state known. A field present in `partial` wins, null included (null says "none now", e.g. a deleted
 * rule); an absent or undefined one keeps the stored value. Fields are replaced whole, never merged inside: each is
 * the unit a platform sends (a list of variants, a strategy).
 */
export function overlaySnapshot(stored: FlagSnapshot, partial: FlagSnapshot): FlagSnapshot {
  const overlaid: FlagSnapshot = { ...stored };
  for (const [field, value] of Object.entries(partial)) if (value !== undefined) overlaid[field] = value;
  return overlaid;
}

/**
 * A partial change made whole with the flag's last known state: both snapshots are laid over it, and an update or a
 * deletion the platform sent no earlier side of takes that state as the earlier side. A creation is left alone: a
 * new flag has no earlier state, and one stored under its key is of a flag deleted before.
 */
export function overlayChange<E extends Pick<FlagEvent, 'action' | 'flag' | 'oldFlag'>>(last: FlagSnapshot, event: E): E {
  if (event.action === 'created') return event;
  return {
    ...event,
    oldFlag: event.oldFlag ? overlaySnapshot(last, event.oldFlag) : last,
    ...(event.flag ? { flag: overlaySnapshot(last, event.flag) } : {}),
  };
}
