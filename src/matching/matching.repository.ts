import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Alert, AlertScope, AlertStatus } from '../alerts/alert.js';
import type { FlagAction } from '../flag-change/model.js';
import type { AlertsTable, Database } from '../storage/schema.js';

/** What matching and queuing a delivery read of an alert; the rest of the row stays in the database. */
export interface MatchableAlert extends Pick<Alert, 'id' | 'projectId' | 'actions' | 'scope' | 'status'> {
  destinationType: Alert['destination']['type'];
  channelId: string | null;
}

// Only these columns: reading whole rows (names, URLs, sealed keys) cost several times more on big projects.
const COLUMNS = ['id', 'project_id', 'scope_type', 'scope_deployment_id', 'scope_tags', 'actions', 'destination_type', 'channel_id', 'status'] as const;
type MatchRow = Pick<Selectable<AlertsTable>, (typeof COLUMNS)[number]>;

function matchableFromRow(row: MatchRow): MatchableAlert {
  const scope: AlertScope =
    row.scope_type === 'deployment'
      ? { type: 'deployment', deploymentId: Number(row.scope_deployment_id), deploymentLabel: null }
      : row.scope_type === 'tag'
        ? { type: 'tag', tags: JSON.parse(row.scope_tags ?? '[]') as string[] }
        : { type: 'project' };
  return {
    id: Number(row.id),
    projectId: Number(row.project_id),
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
  projectIds: readonly number[],
  touchedDeployments?: readonly number[],
): Promise<Map<number, MatchableAlert[]>> {
  const byProject = new Map<number, MatchableAlert[]>(projectIds.map((id) => [id, []]));
  if (projectIds.length === 0) return byProject;
  let query = db
    .selectFrom('alerts')
    .select(COLUMNS)
    .where('organization_id', '=', organizationId)
    .where('project_id', 'in', [...projectIds]);
  if (touchedDeployments) {
    const deployments = [...touchedDeployments];
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
export async function alertsOfProject(db: Kysely<Database> | Transaction<Database>, organizationId: string, projectId: number): Promise<MatchableAlert[]> {
  return (await alertsOfProjects(db, organizationId, [projectId])).get(projectId) ?? [];
}
