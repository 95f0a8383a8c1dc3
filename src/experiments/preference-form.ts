import { NOTIFICATION_KINDS, type NotificationChannel, type NotificationKind } from './experiments.repository.js';
import { isSlackUserId, type Preference } from './preferences.repository.js';

/** What each kind is called on every surface (App Home, settings page). */
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  starts_soon: 'Experiment starts soon',
  ends_soon: 'Experiment ends soon',
  srm: 'Sample-ratio mismatch',
  significance: 'Recommendation metric reached significance',
};

export const NOTIFICATION_CHANNEL_LABELS: Record<NotificationChannel, string> = {
  slack: 'Slack direct message',
  email: 'Email',
};

export type PreferenceParse = { ok: true; preference: Preference } | { ok: false; field: 'kinds' | 'channel'; reason: string };

/**
 * One person's choice as submitted by a surface: the kinds they want (possibly none) and the channel.
 * An email-only person (an address, not a Slack user) can only be reached by email.
 */
export function parsePreference(person: string, kinds: unknown, channel: unknown): PreferenceParse {
  const list: unknown[] = kinds === undefined || kinds === null ? [] : Array.isArray(kinds) ? (kinds as unknown[]) : [kinds];
  const known = NOTIFICATION_KINDS as readonly unknown[];
  const unknown = list.find((k) => !known.includes(k));
  if (unknown !== undefined)
    return { ok: false, field: 'kinds', reason: `unknown notification kind "${typeof unknown === 'string' ? unknown : JSON.stringify(unknown)}"` };
  const chosen = NOTIFICATION_KINDS.filter((k) => list.includes(k));
  if (channel !== 'slack' && channel !== 'email') return { ok: false, field: 'channel', reason: 'choose Slack direct message or Email' };
  if (channel === 'slack' && !isSlackUserId(person)) return { ok: false, field: 'channel', reason: 'an email address can only be reached by email' };
  return { ok: true, preference: { kinds: chosen, channel } };
}
