import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAlert } from '../../src/alerts/alert.js';
import { createSource, listSources } from '../../src/sources/sources.repository.js';
import { deliveryRows, organizationWithKey, SIGNING_KEY, webhookAlert } from '../helpers/delivery-fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { signature, testPushSource } from './test-push-sources.js';

const SECRET = 'whsec-test-secret';

/** A verified delivery through the route into the real ingest: what alerts receive, once, and what the source counts. */
describe('a source’s delivery through ingest', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let sourceId: string;

  beforeEach(async () => {
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ sources: [testPushSource()], env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await organizationWithKey(app);
    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'flipt', name: 'Testflags', secret: SECRET }, 1000)).id;
  });
  afterEach(async () => {
    await app.stop();
    await receiver.stop();
  });

  const hook = (name: string, scope: NewAlert['scope']) => webhookAlert(app, receiver.url, 'T1', { name, projectId: 'default', scope });
  const signed = (body: string) =>
    fetch(`${app.url}/api/v1/sources/${sourceId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-signature': signature(SECRET, body) },
      body,
    });

  it('delivers a change to the alerts of its environment, once however often the platform retries it', async () => {
    await hook('prod', { type: 'deployment', deploymentId: 'production', deploymentLabel: 'Production' });
    await hook('staging', { type: 'deployment', deploymentId: 'staging', deploymentLabel: 'Staging' });
    const body = '{"id":"evt-42","changes":[{"flag":"new-checkout","on":true}],"ignored":1}';

    const first = await signed(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 1, ignored: 1, duplicates: 0 });
    const [received] = await receiver.waitFor(1);
    expect(received?.body).toMatchObject({
      flagName: 'new-checkout',
      scope: 'exp_deployment',
      scopeParam: 'production',
      action: 'updated',
      modifiedBy: 'ana@example.com',
    });

    const again = await signed(body);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    // Deliveries are queued in ingest's transaction: one row is all that will ever be sent.
    expect(await deliveryRows(app)).toHaveLength(1);
    expect(await listSources(app.deps.db, 'T1')).toMatchObject([{ accepted: 1, ignored: 1, rejected: 0 }]);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/flag_alerts_source_events_total\{kind="flipt",outcome="accepted"\} 1/);
  });

  it('takes two copies of a delivery arriving at once (one commit) once', async () => {
    await hook('prod', { type: 'deployment', deploymentId: 'production', deploymentLabel: 'Production' });
    const body = '{"id":"evt-43","changes":[{"flag":"new-checkout","on":false}],"ignored":1}';
    const answers = await Promise.all([signed(body), signed(body)].map(async (res) => (await (await res).json()) as unknown));
    expect(answers).toContainEqual({ accepted: 1, ignored: 1, duplicates: 0 });
    expect(answers).toContainEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    expect(await deliveryRows(app)).toHaveLength(1);
    expect(await listSources(app.deps.db, 'T1')).toMatchObject([{ accepted: 1, ignored: 1 }]);
  });

  it('takes nothing of a delivery whose commit failed, so the platform’s retry is stored and not a duplicate', async () => {
    await hook('prod', { type: 'deployment', deploymentId: 'production', deploymentLabel: 'Production' });
    // The database refuses the commit (as a full disk or a lost connection would).
    await sql`create trigger refuse_events before insert on flag_events begin select raise(abort, 'disk full'); end`.execute(app.deps.db);
    const body = '{"id":"evt-44","changes":[{"flag":"new-checkout","on":true}],"ignored":1}';
    expect((await signed(body)).status).toBe(500);
    expect(await app.deps.db.selectFrom('source_receipts').selectAll().execute()).toEqual([]);
    expect(await listSources(app.deps.db, 'T1')).toMatchObject([{ accepted: 0, ignored: 0, lastEventAt: null }]);

    await sql`drop trigger refuse_events`.execute(app.deps.db);
    const retried = await signed(body);
    expect(await retried.json()).toEqual({ accepted: 1, ignored: 1, duplicates: 0 });
    expect(await deliveryRows(app)).toHaveLength(1);
    expect(await listSources(app.deps.db, 'T1')).toMatchObject([{ accepted: 1, ignored: 1 }]);
  });
});
