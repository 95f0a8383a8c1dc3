import type { Kysely } from 'kysely';

/**
 * Sample-ratio mismatch threshold per organization (issue 8: "p < 0.001 by default"). `double precision` is
 * float8 on PostgreSQL and has REAL affinity on SQLite, so both read it back as a JS number; existing rows
 * take the default.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organization_settings')
    .addColumn('srm_threshold', 'double precision', (c) => c.notNull().defaultTo(0.001))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('organization_settings').dropColumn('srm_threshold').execute();
}
