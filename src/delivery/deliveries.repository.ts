import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AppDeps } from '../app-deps.js';
import { lockAlert, type MatchableAlert } from '../alerts/alerts.repository.js';
import type { Dialect } from '../storage/database.js';
import { claimLeased } from '../storage/leased-claim.js';
import type { Database, DeliveriesTable } from '../storage/schema.js';
import { sampleChange } from './sample-change.js';

/** The outbox: every query on the deliveries table lives in this file. */

export type DeliveryRow = Selectable<DeliveriesTable>;

// Well under SQLite's 32766 and PostgreSQL's 65535 bound parameters per statement.
const DELIVERY_ROWS_PER_INSERT = 1000;

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

/** What asking for a test gave: a new delivery, or the one still on its way (at most one per alert). */
export type QueuedTest = { kind: 'queued'; deliveryId: number } | { kind: 'already-pending'; deliveryId: number };

/**
 * Queues a sample notification to the alert's destination through the real delivery path, unless a test of
 * that alert is still pending or being sent: then nothing is queued, so a flood of clicks sends one message.
 * undefined when the alert is gone.
 */
export async function enqueueTestDelivery(
  deps: QueueDeps,
  input: { organizationId: string; alertId: number; requestedBy: string },
): Promise<QueuedTest | undefined> {
  const queued = await deps.db.transaction().execute(async (trx): Promise<QueuedTest | undefined> => {
    // The alert's row lock makes concurrent requests for it (on any instance) take turns, so only the first finds no pending test.
    const alert = await lockAlert(trx, input.organizationId, input.alertId);
    if (!alert) return undefined;
    const pending = await trx
      .selectFrom('deliveries')
      .select('id')
      .where('organization_id', '=', input.organizationId)
      .where('alert_id', '=', alert.id)
      .where('kind', '=', 'test')
      .where('status', 'in', ['pending', 'in_flight'])
      .executeTakeFirst();
    if (pending) return { kind: 'already-pending', deliveryId: Number(pending.id) };
    const now = deps.now();
    const row = await trx
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
    return { kind: 'queued', deliveryId: Number(row.id) };
  });
  if (queued?.kind === 'queued') deps.outbox.wake();
  return queued;
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

/** Claims up to `limit` due deliveries for this worker (see claimLeased: leases, SKIP LOCKED on PostgreSQL). */
export function claimDue(
  db: Kysely<Database>,
  dialect: Dialect,
  input: { now: number; limit: number; leaseMs: number; workerId: string },
): Promise<DeliveryRow[]> {
  return claimLeased(db, dialect, 'deliveries', input);
}

/**
 * After a worker won a channel's posting slot: also claims that channel's other waiting deliveries due
 * before `before`, so one digest carries the channel's backlog instead of whatever one batch held.
 */
export async function claimChannelBacklog(
  db: Kysely<Database>,
  dialect: Dialect,
  input: { organizationId: string; channelId: string; before: number; limit: number; now: number; leaseMs: number; workerId: string },
): Promise<DeliveryRow[]> {
  if (input.limit <= 0) return [];
  let waiting = db
    .selectFrom('deliveries')
    .select('id')
    .where('organization_id', '=', input.organizationId)
    .where('channel_id', '=', input.channelId)
    .where('destination_type', '=', 'slack')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', input.before)
    .orderBy('id')
    .limit(input.limit);
  if (dialect === 'postgres') waiting = waiting.forUpdate().skipLocked();
  return db
    .updateTable('deliveries')
    .set({ status: 'in_flight', lease_until: input.now + input.leaseMs, leased_by: input.workerId, updated_at: input.now })
    .where('id', 'in', waiting)
    .returningAll()
    .execute();
}

export async function markDelivered(
  db: Kysely<Database>,
  ids: number[],
  input: { now: number; statusCode: number | null; digestOf: number | null },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({
      status: 'delivered',
      delivered_at: input.now,
      last_status_code: input.statusCode,
      last_error: null,
      lease_until: null,
      digest_of: input.digestOf,
      updated_at: input.now,
    })
    .where('id', 'in', ids)
    .execute();
}

/** A failed try: back to pending at `nextAttemptAt`, or dead when the tries are used up. */
export async function markFailed(
  db: Kysely<Database>,
  ids: number[],
  input: { now: number; dead: boolean; nextAttemptAt: number; error: string; statusCode: number | null },
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({
      status: input.dead ? 'dead' : 'pending',
      attempts: sql`attempts + 1`,
      next_attempt_at: input.nextAttemptAt,
      last_error: input.error.slice(0, 500),
      last_status_code: input.statusCode,
      lease_until: null,
      updated_at: input.now,
    })
    .where('id', 'in', ids)
    .execute();
}

/** Not tried this time (channel pacing): back to pending at `at`, no try used. */
export async function release(db: Kysely<Database>, ids: number[], at: number, now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('deliveries').set({ status: 'pending', next_attempt_at: at, lease_until: null, updated_at: now }).where('id', 'in', ids).execute();
}

/** The alert was paused, broken or disabled before its change went out. */
export async function cancel(db: Kysely<Database>, ids: number[], reason: string, now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('deliveries').set({ status: 'cancelled', last_error: reason, lease_until: null, updated_at: now }).where('id', 'in', ids).execute();
}

export async function countBacklog(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['pending', 'in_flight'])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * One outbox row for a change to send to an alert; message_id is minted once so retries keep it.
 * Columns that start out null are left out: fewer bound values per row keeps big batches cheap.
 */
export function changeDelivery(organizationId: string, alert: MatchableAlert, flagEventId: number, now: number): Insertable<DeliveriesTable> {
  return {
    organization_id: organizationId,
    alert_id: alert.id,
    flag_event_id: flagEventId,
    kind: 'change',
    destination_type: alert.destinationType,
    channel_id: alert.destinationType === 'slack' ? alert.channelId : null,
    message_id: newMessageId(),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
  };
}

/** Queues change deliveries inside the ingest transaction, in chunks that stay under the bound-parameter limits. */
export async function insertDeliveries(trx: Transaction<Database>, rows: Insertable<DeliveriesTable>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += DELIVERY_ROWS_PER_INSERT) {
    await trx
      .insertInto('deliveries')
      .values(rows.slice(start, start + DELIVERY_ROWS_PER_INSERT))
      .execute();
  }
}

/** One delivery of this organization, or undefined: an id from another workspace finds nothing. */
export async function findDelivery(db: Kysely<Database>, organizationId: string, deliveryId: number): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('organization_id', '=', organizationId).where('id', '=', deliveryId).executeTakeFirst();
}

/** How many of the organization's deliveries wait to be sent. */
export async function countPendingDeliveries(db: Kysely<Database>, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Deletes at most `limit` finished deliveries (delivered, dead, cancelled) last changed before `before`; pending
 * and in-flight ones are never touched, and a dead one that is retried is changed anew. Returns how many went.
 */
export async function deleteFinishedDeliveriesBefore(db: Kysely<Database>, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('deliveries')
    .where('id', 'in', (eb) =>
      eb.selectFrom('deliveries').select('id').where('status', 'not in', ['pending', 'in_flight']).where('updated_at', '<', before).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Which of these events a delivery still points at: those events must stay. */
export async function eventsWithDeliveries(db: Kysely<Database>, flagEventIds: number[]): Promise<Set<number>> {
  if (flagEventIds.length === 0) return new Set();
  const rows = await db.selectFrom('deliveries').select('flag_event_id').distinct().where('flag_event_id', 'in', flagEventIds).execute();
  return new Set(rows.map((r) => Number(r.flag_event_id)));
}

/** At shutdown: this worker's claims it could not finish go back at once, for another instance to take (no lease to wait out). */
export async function releaseClaimsOf(db: Kysely<Database>, workerId: string, now: number): Promise<number> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_until: null, leased_by: null, updated_at: now })
    .where('status', '=', 'in_flight')
    .where('leased_by', '=', workerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
