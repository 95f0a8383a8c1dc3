import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../app-deps.js';
import { findAlert } from '../alerts/alerts.repository.js';
import type { Database } from '../storage/schema.js';
import { sampleChange } from './sample-change.js';

/** One line of an alert's delivery log, for the Home tab and the settings page. */
export interface DeliveryLogEntry {
  id: number;
  /** change | test | sample */
  kind: string;
  /** pending | in_flight | delivered | dead | cancelled */
  status: string;
  attempts: number;
  createdAt: number;
  deliveredAt: number | null;
  nextAttemptAt: number;
  /** the Slack error code or the webhook failure */
  lastError: string | null;
  lastStatusCode: number | null;
}

/** What queueing a delivery needs: the database, the clock and the outbox to nudge. */
type QueueDeps = Pick<AppDeps, 'db' | 'now' | 'outbox'>;

/** A stable id for one delivery: the Standard Webhooks webhook-id, the same on every retry. */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** Queues a sample notification to the alert's destination through the real delivery path. */
export async function enqueueTestDelivery(
  deps: QueueDeps,
  input: { organizationId: string; alertId: number; requestedBy: string },
): Promise<{ deliveryId: number } | undefined> {
  const alert = await findAlert(deps.db, input.organizationId, input.alertId);
  if (!alert) return undefined;
  const now = deps.now();
  const row = await deps.db
    .insertInto('deliveries')
    .values({
      organization_id: input.organizationId,
      alert_id: alert.id,
      flag_event_id: null,
      kind: 'test',
      destination_type: alert.destination.type,
      channel_id: alert.destination.type === 'slack' ? alert.destination.channelId : null,
      payload: JSON.stringify(sampleChange(alert, input.requestedBy)),
      message_id: newMessageId(),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  deps.outbox.wake();
  return { deliveryId: Number(row.id) };
}

export async function listDeliveriesForAlert(db: Kysely<Database>, organizationId: string, alertId: number, limit = 50): Promise<DeliveryLogEntry[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['id', 'kind', 'status', 'attempts', 'created_at', 'delivered_at', 'next_attempt_at', 'last_error', 'last_status_code'])
    .where('organization_id', '=', organizationId)
    .where('alert_id', '=', alertId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    lastStatusCode: r.last_status_code,
  }));
}

/** A dead delivery goes back to the queue with a fresh set of tries; false when the org has no such dead delivery. */
export async function retryDelivery(deps: QueueDeps, organizationId: string, deliveryId: number): Promise<boolean> {
  const now = deps.now();
  const r = await deps.db
    .updateTable('deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: null, leased_by: null, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', deliveryId)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  const ok = Number(r.numUpdatedRows) === 1;
  if (ok) deps.outbox.wake();
  return ok;
}
