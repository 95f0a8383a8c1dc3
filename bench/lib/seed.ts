import type { Kysely } from 'kysely';
import type { SecretBox } from '../../src/crypto/secret-box.js';
import type { FlagId } from '../../src/flag-change/model.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { idColumn } from '../../src/storage/id-column.js';
import type { AlertsTable, Database } from '../../src/storage/schema.js';

export async function seedOrganization(db: Kysely<Database>, organizationId: string): Promise<string> {
  await upsertOrganization(db, { id: organizationId, name: organizationId, enterpriseId: null });
  const { key } = await createIngestKey(db, { organizationId, name: 'bench', createdBy: 'bench' });
  return key;
}

export type AlertSeed =
  { projectId: FlagId; kind: 'webhook'; url: string; deploymentId?: FlagId } | { projectId: FlagId; kind: 'slack'; channelId: string; deploymentId?: FlagId };

/** Inserts many alerts fast (chunked multi-row inserts), as the repository would store them. */
export async function seedAlerts(db: Kysely<Database>, box: SecretBox, organizationId: string, seeds: AlertSeed[]): Promise<void> {
  const sealedKey = box.seal('whsec_' + Buffer.from('bench-signing-key-0123456789').toString('base64'));
  const rows = seeds.map(
    (s, i) =>
      ({
        organization_id: organizationId,
        name: `alert ${i}`,
        project_id: idColumn(s.projectId),
        scope_type: s.deploymentId === undefined ? 'project' : 'deployment',
        scope_deployment_id: s.deploymentId === undefined ? null : idColumn(s.deploymentId),
        scope_deployment_label: null,
        scope_tags: null,
        actions: JSON.stringify(['created', 'updated', 'deleted']),
        destination_type: s.kind,
        channel_id: s.kind === 'slack' ? s.channelId : null,
        channel_name: s.kind === 'slack' ? s.channelId : null,
        webhook_url: s.kind === 'webhook' ? s.url : null,
        signing_key_sealed: s.kind === 'webhook' ? sealedKey : null,
        status: 'active',
        status_reason: null,
        created_by: 'UBENCH',
        created_at: Date.now(),
        updated_at: Date.now(),
        last_delivery_at: null,
        last_delivery_outcome: null,
      }) satisfies Omit<AlertsTable, 'id'>,
  );
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('alerts')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** The signing key every seeded webhook alert has (receivers verify with it). */
export const BENCH_SIGNING_KEY = 'whsec_' + Buffer.from('bench-signing-key-0123456789').toString('base64');

let counter = 0;
/** An `updated` change on an active flag that really changed: it notifies. */
export function flagChange(projectId: number, key: string, deploymentIds: number[] = [1]): Record<string, unknown> {
  counter += 1;
  const base = {
    id: 1000 + (counter % 5000),
    key,
    name: key,
    enabled: true,
    deployments: deploymentIds.map((id) => ({ id, label: `d${id}` })),
    tags: ['bench'],
  };
  return {
    projectId,
    projectName: `Project ${projectId}`,
    action: 'updated',
    modifiedBy: 'bench@example.com',
    flag: { ...base, rolloutPercentage: 50 },
    oldFlag: { ...base, rolloutPercentage: 10 },
  };
}
