const HOUR_MS = 3_600_000;
export const MAX_REMINDERS = 5;
export const MAX_REMINDER_HOURS = 720;

export type ReminderHoursParse = { ok: true; offsetsMs: number[] } | { ok: false; reason: string };

/**
 * "24, 1" → reminder offsets in ms, largest first: 1 to 5 positive numbers of hours, at most 720 (30 days)
 * each, decimals allowed (0.5 is half an hour). A repeated number counts once.
 */
export function parseReminderHours(text: string): ReminderHoursParse {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, reason: 'give 1 to 5 numbers of hours, separated by commas (e.g. 24, 1)' };
  const bad = parts.find((p) => !/^\d{1,4}(\.\d{1,3})?$/.test(p));
  if (bad !== undefined) return { ok: false, reason: `"${bad}" is not a number of hours` };
  const hours = [...new Set(parts.map(Number))];
  if (hours.some((h) => h <= 0 || h > MAX_REMINDER_HOURS))
    return { ok: false, reason: `each number must be more than 0 and at most ${MAX_REMINDER_HOURS} hours` };
  if (hours.length > MAX_REMINDERS) return { ok: false, reason: `at most ${MAX_REMINDERS} reminders` };
  return { ok: true, offsetsMs: hours.sort((a, b) => b - a).map((h) => Math.round(h * HOUR_MS)) };
}

/** Stored offsets back as the text the form shows: "24, 1". */
export function formatReminderHours(offsetsMs: number[]): string {
  return offsetsMs.map((ms) => String(Math.round((ms / HOUR_MS) * 1000) / 1000)).join(', ');
}
