import { sql, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../storage/database.js';
import { claimLeased } from '../storage/leased-claim.js';
import type { Database, DeliveriesTable } from '../storage/schema.js';

export type DeliveryRow = Selectable<DeliveriesTable>;

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

export async function markDelivered(db: Kysely<Database>, ids: number[], input: { now: number; statusCode: number | null; digestOf: number | null }): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({ status: 'delivered', delivered_at: input.now, last_status_code: input.statusCode, last_error: null, lease_until: null, digest_of: input.digestOf, updated_at: input.now })
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
