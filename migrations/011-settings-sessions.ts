import type { Kysely } from 'kysely';
import { notNull, time } from './dialect.js';

/**
 * Settings-page sessions on the server (issue 17): the signed cookie alone could not be taken back, so
 * signing out ended nothing and a changed ADMIN_TOKEN left every operator signed in for 12 hours. A session
 * is live while its row is; the row holds a hash of the session id, never the id the cookie carries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings_sessions')
    .addColumn('sid_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', notNull)
    // Operator sessions only: a stamp of the admin token they signed in with.
    .addColumn('admin_stamp', 'text')
    .addColumn('created_at', time, notNull)
    .addColumn('expires_at', time, notNull)
    .execute();
  // Pruning deletes what has expired from the index alone.
  await db.schema.createIndex('settings_sessions_expiry').on('settings_sessions').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settings_sessions').ifExists().execute();
}
