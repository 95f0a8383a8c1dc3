import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Dialect } from '../storage/database.js';
import { claimLeased, nextLeasedDueAt } from '../storage/leased-claim.js';
import type { Database } from '../storage/schema.js';
import type { ExperimentNotificationsTable } from './experiment-tables.schema.js';
import type { NotificationChannel, NotificationKind } from './experiments.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewNotification {
  organizationId: string;
  experimentId: string;
  kind: NotificationKind;
  recipient: string;
  channel: NotificationChannel;
  payload: object;
  /** unique per organization: the same notification is never queued twice */
  dedupeKey: string;
  /** when it is due (a reminder's time; now for the others) */
  dueAt: number;
}

/**
 * Queues notifications. A dedupe key already queued is left alone, except a cancelled reminder,
 * which a reschedule back to the same time revives.
 */
export async function enqueueNotifications(db: Db, notifications: NewNotification[], now: number): Promise<void> {
  for (const n of notifications) {
    const payload = JSON.stringify(n.payload);
    await db
      .insertInto('experiment_notifications')
      .values({
        organization_id: n.organizationId,
        experiment_id: n.experimentId,
        kind: n.kind,
        recipient: n.recipient,
        channel: n.channel,
        payload,
        dedupe_key: n.dedupeKey,
        status: 'pending',
        next_attempt_at: n.dueAt,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['organization_id', 'dedupe_key'])
          .doUpdateSet({ status: 'pending', attempts: 0, next_attempt_at: n.dueAt, payload, last_error: null, updated_at: now })
          .where('experiment_notifications.status', '=', 'cancelled'),
      )
      .execute();
  }
}

/** Cancels an experiment's reminders that have not been sent yet (a reschedule recreates them). */
export async function cancelPendingReminders(db: Db, organizationId: string, experimentId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('experiment_notifications')
    .set({ status: 'cancelled', updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .where('status', '=', 'pending')
    .where('kind', 'in', ['starts_soon', 'ends_soon'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface NotificationRow {
  id: number;
  experimentId: string;
  kind: string;
  recipient: string;
  channel: string;
  status: string;
  dueAt: number;
}

/** An organization's notifications, oldest due first (tests and the delivery log). */
export async function listNotifications(db: Db, organizationId: string, experimentId?: string): Promise<NotificationRow[]> {
  let query = db.selectFrom('experiment_notifications').selectAll().where('organization_id', '=', organizationId);
  if (experimentId !== undefined) query = query.where('experiment_id', '=', experimentId);
  const rows = await query.orderBy('next_attempt_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    experimentId: r.experiment_id,
    kind: r.kind,
    recipient: r.recipient,
    channel: r.channel,
    status: r.status,
    dueAt: Number(r.next_attempt_at),
  }));
}

/** A row the worker claimed, whole. */
export type ClaimedNotification = Selectable<ExperimentNotificationsTable>;

/** How a try ended: the columns the worker sets on the row besides releasing its lease. */
export interface NotificationEnd {
  status: string;
  attempts?: number;
  channel?: string;
  next_attempt_at?: number;
  last_error?: string | null;
  delivered_at?: number;
}

/** Claims up to `limit` due notifications for this worker (see claimLeased: leases, SKIP LOCKED on PostgreSQL). */
export function claimNotifications(
  db: Kysely<Database>,
  dialect: Dialect,
  input: { now: number; limit: number; leaseMs: number; workerId: string },
): Promise<ClaimedNotification[]> {
  return claimLeased(db, dialect, 'experiment_notifications', input);
}

/** Writes how a claimed notification's try ended and releases its lease. */
export async function finishNotification(db: Kysely<Database>, id: number, set: NotificationEnd, now: number): Promise<void> {
  await db
    .updateTable('experiment_notifications')
    .set({ ...set, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** When the worker should next look: see nextLeasedDueAt. */
export function nextNotificationDueAt(db: Kysely<Database>): Promise<number | undefined> {
  return nextLeasedDueAt(db, 'experiment_notifications');
}
