import type { AppDeps } from '../app-deps.js';
import { MAX_ATTEMPTS, nextAttemptDelayMs } from '../delivery/retry-policy.js';
import { notificationMessage } from './notification-message.js';
import { PermanentSendError, type NotificationSenders } from './notification-senders.js';
import type { NotificationPayload } from './plan-notifications.js';

const LEASE_MS = 60_000;

/**
 * One pass of the experiment-notification outbox: claims due rows (FOR UPDATE SKIP LOCKED on PostgreSQL),
 * sends each by its channel, and marks it delivered, retried later (retry policy of flag deliveries) or dead.
 * Returns how many were delivered. Callers run it on a timer; tests call it with a moved clock.
 */
export async function sendDueNotifications(deps: AppDeps, senders: NotificationSenders, input: { workerId: string; limit?: number; urlTemplate?: string | undefined }): Promise<number> {
  const now = deps.now();
  let due = deps.db
    .selectFrom('experiment_notifications')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'in_flight'), eb('lease_until', '<', now)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .limit(input.limit ?? 50);
  if (deps.dialect === 'postgres') due = due.forUpdate().skipLocked();
  const claimed = await deps.db
    .updateTable('experiment_notifications')
    .set({ status: 'in_flight', lease_until: now + LEASE_MS, leased_by: input.workerId, updated_at: now })
    .where('id', 'in', due)
    .returningAll()
    .execute();

  let delivered = 0;
  for (const row of claimed) {
    const send = row.channel === 'email' ? senders.email : senders.slack;
    const attempts = row.attempts + 1;
    const finish = (set: { status: string; next_attempt_at?: number; last_error?: string | null; delivered_at?: number }) =>
      deps.db.updateTable('experiment_notifications').set({ ...set, attempts, lease_until: null, updated_at: deps.now() }).where('id', '=', row.id).execute();
    if (!send) {
      await finish({ status: 'dead', last_error: row.channel === 'email' ? 'email is not configured: set SMTP_URL' : 'Slack is not configured' });
      continue;
    }
    try {
      const message = notificationMessage(JSON.parse(row.payload) as NotificationPayload, input.urlTemplate);
      await send(row.organization_id, row.recipient, message);
      await finish({ status: 'delivered', last_error: null, delivered_at: deps.now() });
      delivered += 1;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentSendError || attempts >= MAX_ATTEMPTS;
      deps.logger.warn({ notificationId: row.id, channel: row.channel, attempts, err: reason }, 'experiment notification failed');
      await finish(permanent ? { status: 'dead', last_error: reason } : { status: 'pending', last_error: reason, next_attempt_at: deps.now() + nextAttemptDelayMs(attempts, undefined) });
    }
  }
  return delivered;
}
