import type { Kysely } from 'kysely';
import { notNull, time } from './dialect.js';

/**
 * Sources (issue 14, contract section 7): a flag platform posting its own webhooks to
 * `/api/v1/sources/<id>`. The id is random and unguessable (it is the URL); the secret is sealed by SecretBox.
 * Receipts remember deliveries already taken, so a platform's retry notifies once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('secret_sealed', 'text', notNull)
    .addColumn('created_at', time, notNull)
    .addColumn('updated_at', time, notNull)
    .addColumn('deleted_at', time)
    .addColumn('last_event_at', time)
    .addColumn('accepted_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ignored_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', time)
    .execute();
  await db.schema.createIndex('sources_organization').on('sources').columns(['organization_id', 'created_at']).execute();

  await db.schema
    .createTable('source_receipts')
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id'))
    .addColumn('receipt_key', 'text', notNull)
    .addColumn('received_at', time, notNull)
    .addColumn('expires_at', time, notNull)
    .addPrimaryKeyConstraint('source_receipts_pk', ['source_id', 'receipt_key'])
    .execute();
  // Pruning deletes what has expired, oldest first, from the index alone.
  await db.schema.createIndex('source_receipts_expiry').on('source_receipts').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('source_receipts').ifExists().execute();
  await db.schema.dropTable('sources').ifExists().execute();
}
