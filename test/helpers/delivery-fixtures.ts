import { createAlert } from '../../src/alerts/alerts.repository.js';
import type { NewAlert } from '../../src/alerts/alert.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import type { TestApp } from './test-app.js';

export const SIGNING_KEY = `whsec_${Buffer.from('a-test-signing-key-of-32-bytes!!').toString('base64')}`;

/** An organization with an ingest key, ready to take changes over HTTP. */
export async function organizationWithKey(app: TestApp, organizationId = 'T1'): Promise<string> {
  const existing = await app.deps.db.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!existing) await upsertOrganization(app.deps.db, { id: organizationId, name: organizationId, enterpriseId: null });
  return (await createIngestKey(app.deps.db, { organizationId, name: 'test', createdBy: 'test' })).key;
}

export async function webhookAlert(app: TestApp, url: string, organizationId = 'T1', overrides: Partial<NewAlert> = {}) {
  return createAlert(app.deps.db, app.deps.box, {
    organizationId,
    createdBy: 'U1',
    alert: {
      name: 'hook',
      projectId: 311,
      scope: { type: 'project' },
      actions: ['created', 'updated', 'deleted'],
      destination: { type: 'webhook', url, signingKey: SIGNING_KEY },
      ...overrides,
    },
  });
}

export async function slackAlert(app: TestApp, channelId: string, organizationId = 'T1', createdBy = 'U1') {
  return createAlert(app.deps.db, app.deps.box, {
    organizationId,
    createdBy,
    alert: {
      name: `to ${channelId}`,
      projectId: 311,
      scope: { type: 'project' },
      actions: ['created', 'updated', 'deleted'],
      destination: { type: 'slack', channelId, channelName: 'alerts' },
    },
  });
}

let n = 0;
/** An update on an active flag that really changed: it notifies. */
export function change(key = `flag-${++n}`, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = { id: 4100 + n, key, name: `Flag ${key}`, enabled: true, deployments: [{ id: 71, label: 'production' }], tags: ['payments'] };
  return {
    projectId: 311,
    projectName: 'Storefront',
    action: 'updated',
    modifiedBy: 'ana@example.com',
    flag: { ...base, rolloutPercentage: 50 },
    oldFlag: { ...base, rolloutPercentage: 10 },
    ...extra,
  };
}

export async function postEvents(app: TestApp, key: string, body: unknown): Promise<Response> {
  return fetch(`${app.url}/api/v1/flag-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

export async function deliveryRows(app: TestApp) {
  return app.deps.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
}
