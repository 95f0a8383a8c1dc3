import type { Generated } from 'kysely';
import type { ExperimentTables } from '../experiments/experiment-tables.schema.js';

/**
 * Row types for every table. Conventions, the same on SQLite and PostgreSQL:
 * times are unix milliseconds (bigint, parsed to number), booleans are 0/1 integers,
 * JSON is stored as text, secrets are sealed by SecretBox before they get here.
 */
export interface Database extends ExperimentTables {
  organizations: OrganizationsTable;
  installations: InstallationsTable;
  oauth_states: OauthStatesTable;
  members: MembersTable;
  alerts: AlertsTable;
  catalog_projects: CatalogProjectsTable;
  catalog_deployments: CatalogDeploymentsTable;
  catalog_tags: CatalogTagsTable;
  catalog_flags: CatalogFlagsTable;
  key_check: KeyCheckTable;
  ingest_keys: IngestKeysTable;
  flag_events: FlagEventsTable;
  deliveries: DeliveriesTable;
  channel_pacing: ChannelPacingTable;
  app_secrets: AppSecretsTable;
  home_viewers: HomeViewersTable;
  sources: SourcesTable;
  source_receipts: SourceReceiptsTable;
  settings_sessions: SettingsSessionsTable;
}

/** One tenant: a Slack workspace (id = team ID) or an Enterprise Grid org install (id = enterprise ID). */
export interface OrganizationsTable {
  id: string;
  name: string;
  enterprise_id: string | null;
  /** Role of members without an explicit one: 'member' unless an admin changes it. */
  default_role: string;
  created_at: number;
}

export interface InstallationsTable {
  id: Generated<number>;
  organization_id: string;
  /** "<enterprise or ->:<team or ->", unique: one live row per workspace or org install. */
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: number;
  app_id: string | null;
  bot_user_id: string | null;
  bot_id: string | null;
  bot_token_sealed: string | null;
  bot_refresh_token_sealed: string | null;
  bot_token_expires_at: number | null;
  bot_scopes: string | null;
  installer_user_id: string | null;
  user_token_sealed: string | null;
  user_refresh_token_sealed: string | null;
  user_token_expires_at: number | null;
  user_scopes: string | null;
  token_type: string | null;
  installed_at: number;
  updated_at: number;
  /** Set by app_uninstalled / tokens_revoked: requests and Slack deliveries stop. */
  revoked_at: number | null;
}

export interface OauthStatesTable {
  state_id: string;
  install_options: string;
  created_at: number;
  /** One use only: a replayed state is refused. */
  consumed_at: number | null;
}

export interface MembersTable {
  organization_id: string;
  user_id: string;
  /** admin | member | viewer | none */
  role: string;
  display_name: string | null;
  updated_by: string | null;
  updated_at: number;
}

export interface AlertsTable {
  id: Generated<number>;
  organization_id: string;
  name: string;
  /** ids are text: the canonical JSON of the id (see storage/id-column.ts) */
  project_id: string;
  /** project | deployment | tag */
  scope_type: string;
  scope_deployment_id: string | null;
  scope_deployment_label: string | null;
  /** JSON array of strings when scope_type = tag */
  scope_tags: string | null;
  /** JSON array: created | updated | deleted */
  actions: string;
  /** slack | webhook */
  destination_type: string;
  channel_id: string | null;
  channel_name: string | null;
  webhook_url: string | null;
  signing_key_sealed: string | null;
  /** active | paused | waiting (bot not in channel) | failing | broken | disabled */
  status: string;
  status_reason: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  last_delivery_at: number | null;
  /** delivered | retrying | dead */
  last_delivery_outcome: string | null;
}

export interface CatalogProjectsTable {
  organization_id: string;
  project_id: string;
  name: string | null;
  updated_at: number;
}

export interface CatalogDeploymentsTable {
  organization_id: string;
  project_id: string;
  deployment_id: string;
  label: string | null;
  updated_at: number;
}

export interface CatalogTagsTable {
  organization_id: string;
  project_id: string;
  tag: string;
  updated_at: number;
}

/** The last snapshot ingested of each flag, per environment ('' = none), for platforms that send no previous state. */
export interface CatalogFlagsTable {
  organization_id: string;
  project_id: string;
  flag_id: string;
  environment_id: string;
  /** the FlagSnapshot as JSON */
  snapshot: string;
  updated_at: number;
}

export interface IngestKeysTable {
  id: Generated<number>;
  organization_id: string;
  name: string;
  /** sha256 hex of the whole key */
  key_hash: string;
  /** the first characters, shown in lists */
  key_prefix: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface FlagEventsTable {
  id: Generated<number>;
  organization_id: string;
  /** the sender's idempotency key; unique per organization */
  event_key: string | null;
  project_id: string;
  action: string;
  /** the whole validated event as JSON, unknown fields kept */
  payload: string;
  received_at: number;
}

/** The outbox: one row per (event, alert) to send. */
export interface DeliveriesTable {
  id: Generated<number>;
  organization_id: string;
  alert_id: number;
  /** null for test and sample deliveries that carry their own payload */
  flag_event_id: number | null;
  /** change | test | sample */
  kind: string;
  /** slack | webhook */
  destination_type: string;
  /** slack channel, for per-channel pacing and digests */
  channel_id: string | null;
  /** JSON payload when flag_event_id is null */
  payload: string | null;
  /** stable across retries: the Standard Webhooks webhook-id */
  message_id: string;
  /** pending | in_flight | delivered | dead | cancelled */
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  leased_by: string | null;
  last_error: string | null;
  last_status_code: number | null;
  /** when several changes went out in one digest message, the delivery that carried them */
  digest_of: number | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export interface ChannelPacingTable {
  organization_id: string;
  channel_id: string;
  next_post_at: number;
}

/** Operator-level secrets and settings (the admin token hash). */
export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

/** A live settings-page session; signing out deletes it (issue 17). */
export interface SettingsSessionsTable {
  /** sha256 of the session id in the cookie */
  sid_hash: string;
  kind: string;
  /** operator sessions: a stamp of the admin token at sign-in; another token ends them */
  admin_stamp: string | null;
  created_at: number;
  expires_at: number;
}

/** Who opened the App Home tab and on which page, so any instance can republish it after a change. */
export interface HomeViewersTable {
  organization_id: string;
  user_id: string;
  page: Generated<number>;
  /** the last time they opened it (or paged, or saved a choice on it) */
  opened_at: number;
}

/** A flag platform posting its own webhooks to `/api/v1/sources/<id>` (contract section 7). */
export interface SourcesTable {
  /** random and unguessable: the source's URL is all a platform needs to reach it */
  id: string;
  organization_id: string;
  /** launchdarkly | unleash | flagsmith | growthbook | configcat | flipt */
  kind: string;
  name: string;
  /** the webhook secret or signing key, sealed by SecretBox; never logged */
  secret_sealed: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  last_event_at: number | null;
  accepted_count: Generated<number>;
  ignored_count: Generated<number>;
  rejected_count: Generated<number>;
  /** the last refusal, "reason: hint" (never the secret) */
  last_error: string | null;
  last_error_at: number | null;
}

/** Deliveries a source already took: the platform's delivery id, else a hash of the raw body. */
export interface SourceReceiptsTable {
  source_id: string;
  /** "id:<delivery id>" or "sha256:<hex of the raw body>" */
  receipt_key: string;
  received_at: number;
  /** after this the same key counts as new again */
  expires_at: number;
}

/** One row (id 1): a known text sealed with the encryption key of the first start. */
export interface KeyCheckTable {
  id: number;
  sealed: string;
  created_at: number;
}
