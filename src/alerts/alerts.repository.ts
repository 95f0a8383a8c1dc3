import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/secret-box.js';
import type { AlertsTable, Database } from '../storage/schema.js';
import { alertFromRow, type Alert, type AlertStatus, type NewAlert } from './alert.js';

/** Every query takes the organization: an alert id alone never reaches another tenant's alert. */

function columnsOf(input: NewAlert, box: SecretBox) {
  const d = input.destination;
  return {
    name: input.name,
    project_id: input.projectId,
    scope_type: input.scope.type,
    scope_deployment_id: input.scope.type === 'deployment' ? input.scope.deploymentId : null,
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
  const row = await db
    .selectFrom('alerts')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
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
