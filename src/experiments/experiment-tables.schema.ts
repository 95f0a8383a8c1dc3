import type { Generated } from 'kysely';

/** Tables of migration 002 (experiment notifications); part of `Database` in src/storage/schema.ts. */
export interface ExperimentTables {
  experiments: ExperimentsTable;
  experiment_events: ExperimentEventsTable;
  experiment_notifications: ExperimentNotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  organization_settings: OrganizationSettingsTable;
}

export interface ExperimentsTable {
  organization_id: string;
  experiment_id: string;
  key: string;
  name: string;
  project_id: number;
  start_at: number | null;
  end_at: number | null;
  /** JSON array of people: Slack user ids or email addresses */
  owners: Generated<string>;
  subscribers: Generated<string>;
  /** 1 while the last exposures failed the sample-ratio test */
  srm_failing: Generated<number>;
  significance_notified_at: number | null;
  updated_at: number;
}

export interface ExperimentEventsTable {
  id: Generated<number>;
  organization_id: string;
  /** the sender's idempotency key; unique per organization */
  event_key: string | null;
  experiment_id: string;
  type: string;
  payload: string;
  received_at: number;
}

export interface ExperimentNotificationsTable {
  id: Generated<number>;
  organization_id: string;
  experiment_id: string;
  kind: string;
  recipient: string;
  channel: string;
  payload: string;
  dedupe_key: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  leased_by: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

export interface NotificationPreferencesTable {
  organization_id: string;
  person: string;
  kinds: string;
  channel: string;
  updated_at: number;
}

export interface OrganizationSettingsTable {
  organization_id: string;
  experiment_reminder_offsets: Generated<string>;
  /** p below which exposures count as a sample-ratio mismatch (migration 004) */
  srm_threshold: Generated<number>;
  updated_at: number;
}
