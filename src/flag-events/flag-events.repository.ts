import type { Kysely, Selectable, Transaction } from 'kysely';
import type { FlagEvent } from '../flag-change/model.js';
import { idColumn } from '../storage/id-column.js';
import type { Database, FlagEventsTable } from '../storage/schema.js';

// Well under SQLite's 32766 and PostgreSQL's 65535 bound parameters per statement.
const EVENT_ROWS_PER_INSERT = 500;

export interface StoredEvent {
  id: number;
  event: FlagEvent;
}

/**
 * Inserts the events; one whose eventId the organization already has is skipped (insert … on conflict do nothing).
 * Returns the stored ones with their ids. `events` must not repeat an eventId (the caller drops repeats first).
 */
export async function insertFlagEvents(trx: Transaction<Database>, organizationId: string, events: FlagEvent[], now: number): Promise<StoredEvent[]> {
  const stored: StoredEvent[] = [];
  for (let start = 0; start < events.length; start += EVENT_ROWS_PER_INSERT) {
    const chunk = events.slice(start, start + EVENT_ROWS_PER_INSERT);
    const rows = await trx
      .insertInto('flag_events')
      .values(
        chunk.map((event) => ({
          organization_id: organizationId,
          event_key: event.eventId ?? null,
          project_id: idColumn(event.projectId),
          action: event.action,
          payload: JSON.stringify(event),
          received_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['organization_id', 'event_key']).doNothing())
      .returning(['id', 'event_key'])
      .execute();
    stored.push(...pairWithIds(chunk, rows));
  }
  return stored;
}

/**
 * RETURNING names rows by event key; events without one never conflict, so every one of them came back,
 * and ids are handed out in VALUES order on both dialects: sorted ids pair with them in order.
 */
function pairWithIds(chunk: FlagEvent[], rows: { id: number; event_key: string | null }[]): StoredEvent[] {
  const byKey = new Map<string, number>();
  const keyless: number[] = [];
  for (const row of rows) {
    if (row.event_key === null) keyless.push(Number(row.id));
    else byKey.set(row.event_key, Number(row.id));
  }
  keyless.sort((a, b) => a - b);
  let next = 0;
  const stored: StoredEvent[] = [];
  for (const event of chunk) {
    const id = event.eventId ? byKey.get(event.eventId) : keyless[next++];
    if (id !== undefined) stored.push({ id, event });
  }
  return stored;
}

/** The stored changes with these ids (any organization: the caller checks each against its delivery's). */
export async function findFlagEventsByIds(
  db: Kysely<Database>,
  ids: number[],
): Promise<Pick<Selectable<FlagEventsTable>, 'id' | 'organization_id' | 'payload' | 'received_at'>[]> {
  return db.selectFrom('flag_events').select(['id', 'organization_id', 'payload', 'received_at']).where('id', 'in', ids).execute();
}

/**
 * Frees idempotency keys taken before `before`: a key that only holds for a while (a platform's raw body, 24 hours)
 * names a new change again afterwards. The old rows stay, for the deliveries that point at them.
 */
export async function releaseKeysOlderThan(trx: Transaction<Database>, organizationId: string, keys: string[], before: number): Promise<void> {
  for (let start = 0; start < keys.length; start += EVENT_ROWS_PER_INSERT) {
    await trx
      .updateTable('flag_events')
      .set({ event_key: null })
      .where('organization_id', '=', organizationId)
      .where('event_key', 'in', keys.slice(start, start + EVENT_ROWS_PER_INSERT))
      .where('received_at', '<', before)
      .execute();
  }
}

/** Ids of events received before `before`, after `afterId`, in id order, at most `limit`: retention's candidates. */
export async function eventIdsReceivedBefore(db: Kysely<Database>, before: number, afterId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('flag_events').select('id').where('received_at', '<', before).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => Number(r.id));
}

/** Deletes these events; the catalog's last states are other tables and stay. Returns how many went. */
export async function deleteFlagEvents(db: Kysely<Database>, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('flag_events').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}
