import type { Kysely } from 'kysely';
import { notNull, time } from './dialect.js';

/**
 * Who opened the App Home tab, and on which page. In the database, not in one process's memory, so the
 * instance that handles a change republishes the tabs of people whose app_home_opened went to another one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('home_viewers')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', notNull)
    .addColumn('page', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('opened_at', time, notNull)
    .addPrimaryKeyConstraint('home_viewers_pk', ['organization_id', 'user_id'])
    .execute();
  // Republishing reads an organization's most recent viewers: newest first, from the index alone.
  await db.schema.createIndex('home_viewers_recent').on('home_viewers').columns(['organization_id', 'opened_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('home_viewers').ifExists().execute();
}
