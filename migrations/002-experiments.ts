import type { Kysely } from 'kysely';
import { notNull, time, withId } from './dialect.js';

/** Experiment notifications (issue 8): experiments, their events, a person-addressed outbox, preferences. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('experiments')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('experiment_id', 'text', notNull)
    .addColumn('key', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('start_at', time)
    .addColumn('end_at', time)
    .addColumn('owners', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('subscribers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('srm_failing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('significance_notified_at', time)
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('experiments_pk', ['organization_id', 'experiment_id'])
    .execute();

  // Idempotency of POST /api/v1/experiment-events, like flag_events.
  await withId(db, db.schema.createTable('experiment_events'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('event_key', 'text')
    .addColumn('experiment_id', 'text', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('payload', 'text', notNull)
    .addColumn('received_at', time, notNull)
    .execute();
  await db.schema.createIndex('experiment_events_idempotency').on('experiment_events').columns(['organization_id', 'event_key']).unique().execute();

  // Our own outbox: flag deliveries need an alert, these go to a person.
  await withId(db, db.schema.createTable('experiment_notifications'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('experiment_id', 'text', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('recipient', 'text', notNull)
    .addColumn('channel', 'text', notNull)
    .addColumn('payload', 'text', notNull)
    .addColumn('dedupe_key', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, notNull)
    .addColumn('lease_until', time)
    .addColumn('leased_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', time, notNull)
    .addColumn('updated_at', time, notNull)
    .addColumn('delivered_at', time)
    .execute();
  await db.schema.createIndex('experiment_notifications_dedupe').on('experiment_notifications').columns(['organization_id', 'dedupe_key']).unique().execute();
  await db.schema.createIndex('experiment_notifications_due').on('experiment_notifications').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('person', 'text', notNull)
    .addColumn('kinds', 'text', notNull)
    .addColumn('channel', 'text', notNull)
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('notification_preferences_pk', ['organization_id', 'person'])
    .execute();

  // Per-organization experiment settings; a missing row means the defaults (24 h and 1 h before).
  await db.schema
    .createTable('organization_settings')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('experiment_reminder_offsets', 'text', (c) => c.notNull().defaultTo('[86400000,3600000]'))
    .addColumn('updated_at', time, notNull)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['organization_settings', 'notification_preferences', 'experiment_notifications', 'experiment_events', 'experiments']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
