import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../src/crypto/secret-box.js';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import type { Alert, AlertScope, AlertStatus } from '../../src/alerts/alert.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { Database } from '../../src/storage/schema.js';

export async function postEvents(appUrl: string, key: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${appUrl}/api/v1/flag-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([new Uint8Array(body)]) : JSON.stringify(body),
  });
}

/** An organization with an ingest key; returns the clear key. */
export async function orgWithKey(db: Kysely<Database>, organizationId: string): Promise<string> {
  await upsertOrganization(db, { id: organizationId, name: `Org ${organizationId}`, enterpriseId: null });
  return (await createIngestKey(db, { organizationId, name: 'test', createdBy: 'U1' })).key;
}

/** An alert on all three actions, to a Slack channel (`channelId`) or a webhook (`url`) the caller serves. */
export function addAlert(
  db: Kysely<Database>,
  box: SecretBox,
  organizationId: string,
  input: { name: string; projectId: number; scope: AlertScope; status?: AlertStatus } & ({ channelId: string } | { url: string }),
): Promise<Alert> {
  return createAlert(db, box, {
    organizationId,
    createdBy: 'U1',
    ...(input.status ? { status: input.status } : {}),
    alert: {
      name: input.name,
      projectId: input.projectId,
      scope: input.scope,
      actions: ['created', 'updated', 'deleted'],
      destination:
        'url' in input
          ? { type: 'webhook', url: input.url, signingKey: 'whsec_dGVzdC1zaWduaW5nLWtleQ==' }
          : { type: 'slack', channelId: input.channelId, channelName: 'alerts' },
    },
  });
}

/** A real local receiver that accepts every webhook, so a running outbox worker finds nothing wrong. */
export async function startReceiver(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A change that always notifies a project-scoped alert. */
export function change(projectId: number | string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    projectId,
    projectName: `Project ${projectId}`,
    action: 'created',
    modifiedBy: 'ana@example.com',
    flag: { id: 1, key: 'new-checkout', enabled: true, deployments: [{ id: 71, label: 'production' }], tags: ['payments'] },
    ...extra,
  };
}

export async function count(
  db: Kysely<Database>,
  table: 'flag_events' | 'deliveries' | 'catalog_projects' | 'catalog_deployments' | 'catalog_tags',
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
