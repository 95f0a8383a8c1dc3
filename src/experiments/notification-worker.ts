import type { AppDeps } from '../app-deps.js';
import { MAX_ATTEMPTS, nextAttemptDelayMs } from '../delivery/retry-policy.js';
import type { NotificationChannel } from './experiments.repository.js';
import { notificationMessage } from './notification-message.js';
import { PermanentSendError, type NotificationSenders } from './notification-senders.js';
import type { NotificationPayload } from './plan-notifications.js';
import { preferenceLink } from './preference-link.js';
import { claimNotifications, finishNotification, type NotificationEnd, type ClaimedNotification } from './notifications.repository.js';
import { defaultPreference, isSlackUserId, preferencesOf, type Preference } from './preferences.repository.js';

/** Rows one pass claims and sends one after another. */
export const PASS_LIMIT = 10;
/** The longest one send may take: Slack's client times out at 10 s, the SMTP transport is set to 30 s. */
export const SEND_TIMEOUT_MS = 30_000;
/** A batch ends well inside its lease even when every send times out, so no other worker takes a row still being sent. */
export const LEASE_MS = PASS_LIMIT * SEND_TIMEOUT_MS + 60_000;

export interface PassInput {
  workerId: string;
  limit?: number;
  urlTemplate?: string | undefined;
}

export interface PassResult {
  /** rows this pass took (a full batch means more may be waiting) */
  claimed: number;
  delivered: number;
}

/** What sending experiment notifications needs: storage, the clock, the log, and the keys and URL of preference links. */
export type NotificationDeps = Pick<AppDeps, 'db' | 'dialect' | 'now' | 'logger' | 'box' | 'config'>;

/**
 * One pass of the experiment-notification outbox: claims due rows (claimLeased: leases, SKIP LOCKED on
 * PostgreSQL), and sends each as its recipient wants it now: a reminder planned days ago follows a preference
 * changed since. Each row ends delivered, retried later (the flag deliveries' retry policy), dead, or cancelled.
 */
export async function notificationPass(deps: NotificationDeps, senders: NotificationSenders, input: PassInput): Promise<PassResult> {
  const claimed = await claimNotifications(deps.db, deps.dialect, {
    now: deps.now(),
    limit: input.limit ?? PASS_LIMIT,
    leaseMs: LEASE_MS,
    workerId: input.workerId,
  });
  const preferences = await currentPreferences(deps, claimed);
  let delivered = 0;
  for (const row of claimed) {
    const preference = preferences.get(row.organization_id)?.get(row.recipient) ?? defaultPreference(row.recipient);
    if (await sendOne(deps, senders, row, preference, input)) delivered += 1;
  }
  return { claimed: claimed.length, delivered };
}

/** Sends one claimed row by the recipient's current choice; true when it was delivered. */
async function sendOne(
  deps: NotificationDeps,
  senders: NotificationSenders,
  row: ClaimedNotification,
  preference: Preference,
  input: PassInput,
): Promise<boolean> {
  const finish = (set: NotificationEnd) => finishNotification(deps.db, row.id, set, deps.now());
  // Turned off since it was planned: cancelled, like a flag delivery whose alert was paused (and revived
  // by enqueueNotifications if a reschedule plans it again after the person turns the kind back on).
  if (!(preference.kinds as string[]).includes(row.kind)) {
    await finish({ status: 'cancelled', last_error: `not sent: ${row.recipient} turned off ${row.kind} notifications` });
    return false;
  }
  const channel = channelFor(row.recipient, preference);
  const send = channel === 'email' ? senders.email : senders.slack;
  const attempts = row.attempts + 1;
  if (!send) {
    await finish({ status: 'dead', attempts, channel, last_error: channel === 'email' ? 'email is not configured: set SMTP_URL' : 'Slack is not configured' });
    return false;
  }
  try {
    const message = notificationMessage(
      JSON.parse(row.payload) as NotificationPayload,
      input.urlTemplate,
      preferenceLink(deps, row.organization_id, row.recipient),
    );
    await send(row.organization_id, row.recipient, message);
    await finish({ status: 'delivered', attempts, channel, last_error: null, delivered_at: deps.now() });
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentSendError || attempts >= MAX_ATTEMPTS;
    deps.logger.warn({ notificationId: row.id, channel, attempts, err: reason }, 'experiment notification failed');
    await finish(
      permanent
        ? { status: 'dead', attempts, channel, last_error: reason }
        : { status: 'pending', attempts, channel, last_error: reason, next_attempt_at: deps.now() + nextAttemptDelayMs(attempts, undefined) },
    );
    return false;
  }
}

/** Each claimed recipient's preference as saved now (defaults when they never chose), per organization. */
async function currentPreferences(deps: NotificationDeps, rows: ClaimedNotification[]): Promise<Map<string, Map<string, Preference>>> {
  const people = new Map<string, Set<string>>();
  for (const row of rows) people.set(row.organization_id, (people.get(row.organization_id) ?? new Set()).add(row.recipient));
  const result = new Map<string, Map<string, Preference>>();
  for (const [organizationId, set] of people) result.set(organizationId, await preferencesOf(deps.db, organizationId, [...set]));
  return result;
}

/** An email address has no Slack account to DM: it is always mailed, whatever was saved for it. */
function channelFor(recipient: string, preference: Preference): NotificationChannel {
  return isSlackUserId(recipient) ? preference.channel : 'email';
}
