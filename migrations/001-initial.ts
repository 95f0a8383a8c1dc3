import type { Kysely } from 'kysely';
import { notNull, time, withId } from './dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', notNull)
    .addColumn('enterprise_id', 'text')
    .addColumn('default_role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('created_at', time, notNull)
    .execute();

  await withId(db, db.schema.createTable('installations'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('install_key', 'text', (c) => c.notNull().unique())
    .addColumn('team_id', 'text')
    .addColumn('enterprise_id', 'text')
    .addColumn('is_enterprise_install', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('app_id', 'text')
    .addColumn('bot_user_id', 'text')
    .addColumn('bot_id', 'text')
    .addColumn('bot_token_sealed', 'text')
    .addColumn('bot_refresh_token_sealed', 'text')
    .addColumn('bot_token_expires_at', time)
    .addColumn('bot_scopes', 'text')
    .addColumn('installer_user_id', 'text')
    .addColumn('user_token_sealed', 'text')
    .addColumn('user_refresh_token_sealed', 'text')
    .addColumn('user_token_expires_at', time)
    .addColumn('user_scopes', 'text')
    .addColumn('token_type', 'text')
    .addColumn('installed_at', time, notNull)
    .addColumn('updated_at', time, notNull)
    .addColumn('revoked_at', time)
    .execute();
  await db.schema.createIndex('installations_org').on('installations').column('organization_id').execute();

  await db.schema
    .createTable('oauth_states')
    .addColumn('state_id', 'text', (c) => c.primaryKey())
    .addColumn('install_options', 'text', notNull)
    .addColumn('created_at', time, notNull)
    .addColumn('consumed_at', time)
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', notNull)
    .addColumn('role', 'text', notNull)
    .addColumn('display_name', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('members_pk', ['organization_id', 'user_id'])
    .execute();

  await withId(db, db.schema.createTable('alerts'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('scope_type', 'text', notNull)
    .addColumn('scope_deployment_id', 'bigint')
    .addColumn('scope_deployment_label', 'text')
    .addColumn('scope_tags', 'text')
    .addColumn('actions', 'text', notNull)
    .addColumn('destination_type', 'text', notNull)
    .addColumn('channel_id', 'text')
    .addColumn('channel_name', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('signing_key_sealed', 'text')
    .addColumn('status', 'text', notNull)
    .addColumn('status_reason', 'text')
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', time, notNull)
    .addColumn('updated_at', time, notNull)
    .addColumn('last_delivery_at', time)
    .addColumn('last_delivery_outcome', 'text')
    .execute();
  // Matching reads alerts of one organization and project only.
  await db.schema.createIndex('alerts_org_project').on('alerts').columns(['organization_id', 'project_id']).execute();

  await db.schema
    .createTable('catalog_projects')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('name', 'text')
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('catalog_projects_pk', ['organization_id', 'project_id'])
    .execute();
  await db.schema
    .createTable('catalog_deployments')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('deployment_id', 'bigint', notNull)
    .addColumn('label', 'text')
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('catalog_deployments_pk', ['organization_id', 'project_id', 'deployment_id'])
    .execute();
  await db.schema
    .createTable('catalog_tags')
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('tag', 'text', notNull)
    .addColumn('updated_at', time, notNull)
    .addPrimaryKeyConstraint('catalog_tags_pk', ['organization_id', 'project_id', 'tag'])
    .execute();

  await withId(db, db.schema.createTable('ingest_keys'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', notNull)
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', notNull)
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, notNull)
    .addColumn('last_used_at', time)
    .addColumn('revoked_at', time)
    .execute();

  await withId(db, db.schema.createTable('flag_events'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('event_key', 'text')
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('action', 'text', notNull)
    .addColumn('payload', 'text', notNull)
    .addColumn('received_at', time, notNull)
    .execute();
  await db.schema.createIndex('flag_events_idempotency').on('flag_events').columns(['organization_id', 'event_key']).unique().execute();

  await withId(db, db.schema.createTable('deliveries'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('alert_id', 'bigint', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('flag_event_id', 'bigint', (c) => c.references('flag_events.id'))
    .addColumn('kind', 'text', notNull)
    .addColumn('destination_type', 'text', notNull)
    .addColumn('channel_id', 'text')
    .addColumn('payload', 'text')
    .addColumn('message_id', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, notNull)
    .addColumn('lease_until', time)
    .addColumn('leased_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('digest_of', 'bigint')
    .addColumn('created_at', time, notNull)
    .addColumn('updated_at', time, notNull)
    .addColumn('delivered_at', time)
    .execute();
  // Workers claim due rows by status and time; the log reads by alert.
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('deliveries_alert').on('deliveries').columns(['alert_id', 'created_at']).execute();

  await db.schema
    .createTable('channel_pacing')
    .addColumn('organization_id', 'text', notNull)
    .addColumn('channel_id', 'text', notNull)
    .addColumn('next_post_at', time, notNull)
    .addPrimaryKeyConstraint('channel_pacing_pk', ['organization_id', 'channel_id'])
    .execute();

  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', notNull)
    .addColumn('created_at', time, notNull)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'app_secrets',
    'channel_pacing',
    'deliveries',
    'flag_events',
    'ingest_keys',
    'catalog_tags',
    'catalog_deployments',
    'catalog_projects',
    'alerts',
    'members',
    'oauth_states',
    'installations',
    'organizations',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
