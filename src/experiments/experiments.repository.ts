import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/schema.js';
import { DEFAULT_SRM_THRESHOLD, isSrmThreshold } from './srm.js';

type Db = Kysely<Database> | Transaction<Database>;

export const NOTIFICATION_KINDS = ['starts_soon', 'ends_soon', 'srm', 'significance'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationChannel = 'slack' | 'email';

export const DEFAULT_REMINDER_OFFSETS_MS = [24 * 3_600_000, 3_600_000];

export interface Experiment {
  organizationId: string;
  experimentId: string;
  key: string;
  name: string;
  projectId: number;
  startAt: number | null;
  endAt: number | null;
  owners: string[];
  subscribers: string[];
  srmFailing: boolean;
  significanceNotifiedAt: number | null;
}

export async function findExperiment(db: Db, organizationId: string, experimentId: string): Promise<Experiment | undefined> {
  const row = await db
    .selectFrom('experiments')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    organizationId: row.organization_id,
    experimentId: row.experiment_id,
    key: row.key,
    name: row.name,
    projectId: Number(row.project_id),
    startAt: row.start_at === null ? null : Number(row.start_at),
    endAt: row.end_at === null ? null : Number(row.end_at),
    owners: JSON.parse(row.owners) as string[],
    subscribers: JSON.parse(row.subscribers) as string[],
    srmFailing: row.srm_failing === 1,
    significanceNotifiedAt: row.significance_notified_at === null ? null : Number(row.significance_notified_at),
  };
}

export type ExperimentPlan = Pick<
  Experiment,
  'organizationId' | 'experimentId' | 'key' | 'name' | 'projectId' | 'startAt' | 'endAt' | 'owners' | 'subscribers'
>;

/** Creates or replaces the plan of an experiment; its SRM and significance state are kept. */
export async function upsertExperiment(db: Db, plan: ExperimentPlan, now: number): Promise<void> {
  const values = {
    key: plan.key,
    name: plan.name,
    project_id: plan.projectId,
    start_at: plan.startAt,
    end_at: plan.endAt,
    owners: JSON.stringify(plan.owners),
    subscribers: JSON.stringify(plan.subscribers),
    updated_at: now,
  };
  await db
    .insertInto('experiments')
    .values({ organization_id: plan.organizationId, experiment_id: plan.experimentId, ...values })
    .onConflict((oc) => oc.columns(['organization_id', 'experiment_id']).doUpdateSet(values))
    .execute();
}

export async function setSrmFailing(db: Db, organizationId: string, experimentId: string, failing: boolean, now: number): Promise<void> {
  await db
    .updateTable('experiments')
    .set({ srm_failing: failing ? 1 : 0, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .execute();
}

export async function markSignificanceNotified(db: Db, organizationId: string, experimentId: string, now: number): Promise<void> {
  await db
    .updateTable('experiments')
    .set({ significance_notified_at: now, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('experiment_id', '=', experimentId)
    .execute();
}

/** Reminder offsets (ms before start/end) of an organization; the defaults when it set none. */
export async function reminderOffsets(db: Db, organizationId: string): Promise<number[]> {
  const row = await db
    .selectFrom('organization_settings')
    .select('experiment_reminder_offsets')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  if (!row) return DEFAULT_REMINDER_OFFSETS_MS;
  const parsed = JSON.parse(row.experiment_reminder_offsets) as unknown;
  return isOffsetList(parsed) ? parsed : DEFAULT_REMINDER_OFFSETS_MS;
}

function isOffsetList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && v >= 0);
}

export async function setReminderOffsets(db: Db, organizationId: string, offsetsMs: number[], now: number): Promise<void> {
  const value = JSON.stringify(offsetsMs);
  await db
    .insertInto('organization_settings')
    .values({ organization_id: organizationId, experiment_reminder_offsets: value, updated_at: now })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ experiment_reminder_offsets: value, updated_at: now }))
    .execute();
}

/** The p below which an organization's exposures count as a sample-ratio mismatch; the default when it set none. */
export async function srmThreshold(db: Db, organizationId: string): Promise<number> {
  const row = await db.selectFrom('organization_settings').select('srm_threshold').where('organization_id', '=', organizationId).executeTakeFirst();
  const value = row === undefined ? undefined : Number(row.srm_threshold);
  return value !== undefined && isSrmThreshold(value) ? value : DEFAULT_SRM_THRESHOLD;
}

/** Sets the threshold alone: an organization's reminder offsets stay as they were (or their default). */
export async function setSrmThreshold(db: Db, organizationId: string, threshold: number, now: number): Promise<void> {
  await db
    .insertInto('organization_settings')
    .values({ organization_id: organizationId, srm_threshold: threshold, updated_at: now })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ srm_threshold: threshold, updated_at: now }))
    .execute();
}

/** Stores an event's idempotency row; false when the organization already has this eventId. */
export async function recordExperimentEvent(
  db: Db,
  organizationId: string,
  eventKey: string | null,
  experimentId: string,
  type: string,
  payload: string,
  now: number,
): Promise<boolean> {
  const rows = await db
    .insertInto('experiment_events')
    .values({ organization_id: organizationId, event_key: eventKey, experiment_id: experimentId, type, payload, received_at: now })
    .onConflict((oc) => oc.columns(['organization_id', 'event_key']).doNothing())
    .returning('id')
    .execute();
  return rows.length > 0;
}
