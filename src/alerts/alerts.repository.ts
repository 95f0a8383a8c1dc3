import type { Kysely, Selectable, Transaction } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.js';
import type { AlertsTable, Database } from '../storage/schema.js';
import type { FlagAction, FlagId } from '../flag-change/model.js';
import { idColumn, idFromColumn } from '../storage/id-column.js';
import { alertFromRow, type Alert, type AlertScope, type AlertStatus, type NewAlert } from './alert.js';

/** Every query takes the organization: an alert id alone never reaches another tenant's alert. */

function columnsOf(input: NewAlert, box: SecretBox) {
  const d = input.destination;
  return {
    name: input.name,
    project_id: idColumn(input.projectId),
    scope_type: input.scope.type,
    scope_deployment_id: input.scope.type === 'deployment' ? idColumn(input.scope.deploymentId) : null,
    scope_deployment_label: input.scope.type === 'deployment' ? input.scope.deploymentLabel : null,
    scope_tags: input.scope.type === 'tag' ? JSON.stringify(input.scope.tags) : null,
    actions: JSON.stringify(input.actions),
    destination_type: d.type,
    channel_id: d.type === 'slack' ? d.channelId : null,
    channel_name: d.type === 'slack' ? d.channelName : null,
    webhook_url: d.type === 'webhook' ? d.url : null,
    signing_key_sealed: d.type === 'webhook' ? box.seal(d.signingKey) : null,
  } satisfies Partial<AlertsTable>;
}

export async function createAlert(
  db: Kysely<Database>,
  box: SecretBox,
  input: { organizationId: string; createdBy: string; alert: NewAlert; status?: AlertStatus },
  now = Date.now(),
): Promise<Alert> {
  const row = await db
    .insertInto('alerts')
    .values({
      ...columnsOf(input.alert, box),
      organization_id: input.organizationId,
      status: input.status ?? 'active',
      status_reason: null,
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
      last_delivery_at: null,
      last_delivery_outcome: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return alertFromRow(row);
}

/** Replaces what a person entered; a webhook alert edited without a new key keeps its sealed key. */
export async function updateAlert(
  db: Kysely<Database>,
  box: SecretBox,
  input: { organizationId: string; id: number; alert: NewAlert; keepSigningKey?: boolean; status?: AlertStatus },
  now = Date.now(),
): Promise<Alert | undefined> {
  const columns = columnsOf(input.alert, box);
  const { signing_key_sealed, ...rest } = columns;
  const row = await db
    .updateTable('alerts')
    .set({
      ...rest,
      ...(input.keepSigningKey ? {} : { signing_key_sealed }),
      ...(input.status ? { status: input.status, status_reason: null } : {}),
      updated_at: now,
    })
    .where('organization_id', '=', input.organizationId)
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirst();
  return row ? alertFromRow(row) : undefined;
}

export async function findAlert(db: Kysely<Database>, organizationId: string, id: number): Promise<Alert | undefined> {
  const row = await db.selectFrom('alerts').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return row ? alertFromRow(row) : undefined;
}

/**
 * The alert, with its row locked until the transaction ends, so requests about one alert take turns. A no-op
 * UPDATE … RETURNING locks the row on PostgreSQL and takes SQLite's write lock, with the same SQL on both.
 */
export async function lockAlert(trx: Transaction<Database>, organizationId: string, id: number): Promise<Alert | undefined> {
  const row = await trx
    .updateTable('alerts')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? alertFromRow(row) : undefined;
}

export async function listAlerts(db: Kysely<Database>, organizationId: string): Promise<Alert[]> {
  const rows = await db.selectFrom('alerts').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
  return rows.map(alertFromRow);
}

export async function setAlertStatus(
  db: Kysely<Database>,
  organizationId: string,
  id: number,
  status: AlertStatus,
  reason: string | null,
  now = Date.now(),
): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set({ status, status_reason: reason, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteAlert(db: Kysely<Database>, organizationId: string, id: number): Promise<boolean> {
  const r = await db.deleteFrom('alerts').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Opens a webhook alert's signing key, for the notifier only. */
export function openSigningKey(box: SecretBox, alert: Alert): string | undefined {
  return alert.destination.type === 'webhook' ? box.open(alert.destination.signingKeySealed) : undefined;
}

/** What matching and queuing a delivery read of an alert; the rest of the row stays in the database. */
export interface MatchableAlert extends Pick<Alert, 'id' | 'projectId' | 'actions' | 'scope' | 'status'> {
  destinationType: Alert['destination']['type'];
  channelId: string | null;
}

// Only these columns: reading whole rows (names, URLs, sealed keys) cost several times more on big projects.
const MATCH_COLUMNS = ['id', 'project_id', 'scope_type', 'scope_deployment_id', 'scope_tags', 'actions', 'destination_type', 'channel_id', 'status'] as const;
type MatchRow = Pick<Selectable<AlertsTable>, (typeof MATCH_COLUMNS)[number]>;

function matchableFromRow(row: MatchRow): MatchableAlert {
  const scope: AlertScope =
    row.scope_type === 'deployment'
      ? { type: 'deployment', deploymentId: idFromColumn(row.scope_deployment_id ?? '0'), deploymentLabel: null }
      : row.scope_type === 'tag'
        ? { type: 'tag', tags: JSON.parse(row.scope_tags ?? '[]') as string[] }
        : { type: 'project' };
  return {
    id: Number(row.id),
    projectId: idFromColumn(row.project_id),
    actions: JSON.parse(row.actions) as FlagAction[],
    scope,
    status: row.status as AlertStatus,
    destinationType: row.destination_type === 'webhook' ? 'webhook' : 'slack',
    channelId: row.channel_id,
  };
}

/**
 * The alerts of one organization's projects that changes there could reach: one read on the
 * (organization_id, project_id) index, so its cost does not grow with other projects' alerts.
 * With `touchedDeployments` (every deployment the changes name), deployment-scoped alerts on other
 * deployments are left in the database: they cannot match. Matching itself stays in alertsToNotify.
 */
export async function alertsOfProjects(
  db: Kysely<Database> | Transaction<Database>,
  organizationId: string,
  projectIds: readonly FlagId[],
  touchedDeployments?: readonly FlagId[],
): Promise<Map<FlagId, MatchableAlert[]>> {
  const byProject = new Map<FlagId, MatchableAlert[]>(projectIds.map((id) => [id, []]));
  if (projectIds.length === 0) return byProject;
  let query = db.selectFrom('alerts').select(MATCH_COLUMNS).where('organization_id', '=', organizationId).where('project_id', 'in', projectIds.map(idColumn));
  if (touchedDeployments) {
    const deployments = touchedDeployments.map(idColumn);
    query = query.where((eb) =>
      deployments.length === 0
        ? eb('scope_type', '<>', 'deployment')
        : eb.or([eb('scope_type', '<>', 'deployment'), eb('scope_deployment_id', 'in', deployments)]),
    );
  }
  for (const row of await query.execute()) {
    const alert = matchableFromRow(row);
    byProject.get(alert.projectId)?.push(alert);
  }
  return byProject;
}

/** The alerts of one organization's project (one indexed read). */
export async function alertsOfProject(db: Kysely<Database> | Transaction<Database>, organizationId: string, projectId: FlagId): Promise<MatchableAlert[]> {
  return (await alertsOfProjects(db, organizationId, [projectId])).get(projectId) ?? [];
}

/**
 * The alerts with these ids, of any organization: the outbox loads a batch of deliveries' alerts in one
 * query and checks each alert's organization against its delivery's.
 */
export async function findAlertsByIds(db: Kysely<Database>, ids: number[]): Promise<Alert[]> {
  const rows = await db.selectFrom('alerts').selectAll().where('id', 'in', ids).execute();
  return rows.map(alertFromRow);
}

/** When the alert last had a delivery tried, and how it went: delivered | retrying | dead. */
export async function recordLastDelivery(db: Kysely<Database>, organizationId: string, id: number, outcome: string, now: number): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ last_delivery_at: now, last_delivery_outcome: outcome })
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .execute();
}
