import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

/** The outbox tables: rows are pending until due, then in flight under a worker's lease. */
export type LeasedTable = 'deliveries' | 'experiment_notifications';

/** The columns the claim reads and writes; both outbox tables have them. */
interface LeaseColumns {
  id: number;
  status: string;
  next_attempt_at: number;
  lease_until: number | null;
  leased_by: string | null;
  updated_at: number;
}

// Kysely cannot check a column reference against a union of tables: the claim is written once against
// the columns both share, and its rows are typed back as the table's own.
const leased = (db: Kysely<Database>) => db as unknown as Kysely<Record<LeasedTable, LeaseColumns>>;

/**
 * Claims up to `limit` due rows of an outbox table for this worker: pending ones whose time has come, and
 * in-flight ones whose lease ran out (their worker died), oldest due first. On PostgreSQL the claim skips
 * rows another instance is claiming at the same moment (FOR UPDATE SKIP LOCKED), so no row is sent twice;
 * SQLite has one writer, so the select-and-update statement is atomic there as it is.
 */
export async function claimLeased<T extends LeasedTable>(
  db: Kysely<Database>,
  dialect: Dialect,
  table: T,
  input: { now: number; limit: number; leaseMs: number; workerId: string },
): Promise<Selectable<Database[T]>[]> {
  const { now, limit, leaseMs, workerId } = input;
  const source: LeasedTable = table;
  let due = leased(db)
    .selectFrom(source)
    .select('id')
    .where((eb) =>
      eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'in_flight'), eb('lease_until', '<', now)])]),
    )
    .orderBy('next_attempt_at')
    .limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await leased(db)
    .updateTable(source)
    .set({ status: 'in_flight', lease_until: now + leaseMs, leased_by: workerId, updated_at: now })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows as unknown as Selectable<Database[T]>[];
}

/**
 * When `claimLeased` would next find something: the earliest pending row's due time or in-flight row's
 * lease end; undefined when the table holds neither. Lets a worker sleep until then instead of polling.
 */
export async function nextLeasedDueAt(db: Kysely<Database>, table: LeasedTable): Promise<number | undefined> {
  // Two scalar subqueries rather than one filtered aggregate, so each is a seek on the (status, next_attempt_at) index.
  const row = await leased(db)
    .selectNoFrom((eb) => [
      eb
        .selectFrom(table)
        .select((s) => s.fn.min('next_attempt_at').as('t'))
        .where('status', '=', 'pending')
        .as('pending'),
      eb
        .selectFrom(table)
        .select((s) => s.fn.min('lease_until').as('t'))
        .where('status', '=', 'in_flight')
        .as('leased'),
    ])
    .executeTakeFirst();
  const times = [row?.pending, row?.leased].filter((t) => t !== null && t !== undefined).map(Number);
  return times.length > 0 ? Math.min(...times) : undefined;
}
