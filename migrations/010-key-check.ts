import type { Kysely } from 'kysely';
import { notNull, time } from './dialect.js';

/**
 * One known text sealed with the encryption key at the first start: a later start with another ENCRYPTION_KEY
 * cannot open it and stops at once, instead of failing later one decrypt at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_check')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('sealed', 'text', notNull)
    .addColumn('created_at', time, notNull)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('key_check').ifExists().execute();
}
