import type { Kysely } from 'kysely';
import { notNull, time } from './dialect.js';

/**
 * The last state seen of each flag, per environment: platforms that send no previous state (Unleash environment
 * toggles, Flipt) get it from here (contract section 7). Ids are text as in migration 006; environment_id is ''
 * for changes tied to no environment (native events, flag-level changes).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('catalog_flags')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('project_id', 'text', notNull)
    .addColumn('flag_id', 'text', notNull)
    .addColumn('environment_id', 'text', notNull)
    .addColumn('snapshot', 'text', notNull)
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('catalog_flags_pk', ['organization_id', 'project_id', 'flag_id', 'environment_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('catalog_flags').ifExists().execute();
}
