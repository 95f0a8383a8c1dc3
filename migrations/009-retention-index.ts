import type { Kysely } from 'kysely';

/**
 * Retention (RETENTION_DAYS) deletes old events that no delivery still points at: this index answers "does a
 * delivery point at it" per event, and PostgreSQL's foreign-key check on deleting an event needs it too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('deliveries_flag_event').on('deliveries').column('flag_event_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_flag_event').execute();
}
