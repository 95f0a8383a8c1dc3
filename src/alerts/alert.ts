import type { Selectable } from 'kysely';
import type { FlagAction, FlagId } from '../flag-change/model.js';
import { idFromColumn } from '../storage/id-column.js';
import type { AlertsTable } from '../storage/schema.js';

export type AlertScope = { type: 'project' } | { type: 'deployment'; deploymentId: FlagId; deploymentLabel: string | null } | { type: 'tag'; tags: string[] };

export type AlertDestination =
  | { type: 'slack'; channelId: string; channelName: string | null }
  /** the signing key stays sealed until a notifier opens it */
  | { type: 'webhook'; url: string; signingKeySealed: string };

export const ALERT_STATUSES = ['active', 'paused', 'waiting', 'failing', 'broken', 'disabled'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Alert {
  id: number;
  organizationId: string;
  name: string;
  projectId: FlagId;
  scope: AlertScope;
  actions: FlagAction[];
  destination: AlertDestination;
  status: AlertStatus;
  statusReason: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  lastDeliveryAt: number | null;
  lastDeliveryOutcome: string | null;
}

/** An alert as a person entered it, already validated (see alert-input). The signing key is still in clear. */
export interface NewAlert {
  name: string;
  projectId: FlagId;
  scope: AlertScope;
  actions: FlagAction[];
  destination: { type: 'slack'; channelId: string; channelName: string | null } | { type: 'webhook'; url: string; signingKey: string };
}

export function alertFromRow(row: Selectable<AlertsTable>): Alert {
  const scope: AlertScope =
    row.scope_type === 'deployment'
      ? { type: 'deployment', deploymentId: idFromColumn(row.scope_deployment_id ?? '0'), deploymentLabel: row.scope_deployment_label }
      : row.scope_type === 'tag'
        ? { type: 'tag', tags: JSON.parse(row.scope_tags ?? '[]') as string[] }
        : { type: 'project' };
  const destination: AlertDestination =
    row.destination_type === 'webhook'
      ? { type: 'webhook', url: row.webhook_url ?? '', signingKeySealed: row.signing_key_sealed ?? '' }
      : { type: 'slack', channelId: row.channel_id ?? '', channelName: row.channel_name };
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    projectId: idFromColumn(row.project_id),
    scope,
    actions: JSON.parse(row.actions) as FlagAction[],
    destination,
    status: row.status as AlertStatus,
    statusReason: row.status_reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastDeliveryAt: row.last_delivery_at,
    lastDeliveryOutcome: row.last_delivery_outcome,
  };
}
