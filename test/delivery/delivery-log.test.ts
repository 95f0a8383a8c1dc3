import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueTestDelivery, listDeliveriesForAlert, retryDelivery } from '../../src/delivery/deliveries.repository.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { organizationWithKey, SIGNING_KEY, webhookAlert } from '../helpers/delivery-fixtures.js';

describe.each(testDialects())('test sends, delivery log and retry on %s', (dialect) => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await organizationWithKey(app, 'T1');
    await organizationWithKey(app, 'T2');
  });
  afterEach(async () => {
    await app.stop();
    await receiver.stop();
  });

  it('sends a signed sample through the outbox, logs a dead try, and retries it on request', async () => {
    const alert = await webhookAlert(app, receiver.url);
    expect(await enqueueTestDelivery(app.deps, { organizationId: 'T2', alertId: alert.id, requestedBy: 'U2' })).toBeUndefined();

    receiver.answers.push({ status: 404 });
    const queued = await enqueueTestDelivery(app.deps, { organizationId: 'T1', alertId: alert.id, requestedBy: 'U1' });
    expect(queued?.deliveryId).toEqual(expect.any(Number));
    const [first] = await receiver.waitFor(1);
    expect(first?.standardValid).toBe(true);
    expect(first?.body).toMatchObject({ flagName: 'flag-alerts-sample', modifiedBy: 'U1' });

    await expect.poll(async () => (await listDeliveriesForAlert(app.deps.db, 'T1', alert.id))[0]?.status).toBe('dead');
    const [entry] = await listDeliveriesForAlert(app.deps.db, 'T1', alert.id);
    expect(entry).toMatchObject({ id: queued?.deliveryId, kind: 'test', attempts: 1, lastStatusCode: 404 });
    expect(await listDeliveriesForAlert(app.deps.db, 'T2', alert.id)).toEqual([]);

    // Another organization cannot retry it; its own can, and the same webhook-id arrives again.
    expect(await retryDelivery(app.deps, 'T2', queued?.deliveryId ?? 0)).toBe(false);
    expect(await retryDelivery(app.deps, 'T1', queued?.deliveryId ?? 0)).toBe(true);
    const [, second] = await receiver.waitFor(2);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    await expect.poll(async () => (await listDeliveriesForAlert(app.deps.db, 'T1', alert.id))[0]?.status).toBe('delivered');
    // Only dead deliveries are retried.
    expect(await retryDelivery(app.deps, 'T1', queued?.deliveryId ?? 0)).toBe(false);
  });
});
