import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, webhookAlert } from '../helpers/delivery-fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, testDialects } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const readyz = async (app: TestApp) => {
  const res = await fetch(`${app.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe.each(testDialects())('readiness and drain on %s', (dialect) => {
  it('is ready once started; a shutdown answers 503 at once, finishes the request and the send in flight, then closes', async () => {
    const receiver = await new WebhookReceiver(SIGNING_KEY).start();
    const app = await startTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      expect(await readyz(app)).toEqual({ status: 200, body: { status: 'ready' } });
      const key = await organizationWithKey(app);
      await webhookAlert(app, receiver.url);
      receiver.answers.push({ hangMs: 400 });
      expect((await postEvents(app, key, change('in-flight'))).status).toBe(202);
      await receiver.waitFor(1);

      const shutdown = app.shutdown(5_000);
      expect(await readyz(app)).toEqual({ status: 503, body: { status: 'draining', reason: 'shutting down' } });
      const refused = await postEvents(app, key, change('too-late'));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await shutdown).toEqual({ timedOut: false, released: 0 });

      // The send in flight finished and was recorded before the database closed.
      const own = app.database.open();
      try {
        const rows = await own.db.selectFrom('deliveries').select(['status']).execute();
        expect(rows).toEqual([{ status: 'delivered' }]);
      } finally {
        await own.close();
      }
      expect(receiver.received).toHaveLength(1);
      await expect(fetch(`${app.url}/readyz`)).rejects.toThrow();
    } finally {
      await receiver.stop();
      await app.database.drop();
    }
  });

  it('gives a send that outlasts the timeout back, so another instance takes it at once', async () => {
    const receiver = await new WebhookReceiver(SIGNING_KEY).start();
    const database = await createTestDatabase(dialect);
    const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const first = await startTestApp({ database, env });
    const key = await organizationWithKey(first);
    await webhookAlert(first, receiver.url);
    receiver.answers.push({ hangMs: 5_000 });
    expect((await postEvents(first, key, change('slow'))).status).toBe(202);
    await receiver.waitFor(1);

    expect(await first.shutdown(100)).toEqual({ timedOut: true, released: 1 });
    const second = await startTestApp({ database, env });
    try {
      await receiver.waitFor(2);
      await second.deliveriesSettled();
      expect((await deliveryRows(second)).map((d) => d.status)).toEqual(['delivered']);
    } finally {
      await second.stop();
      await receiver.stop();
    }
  });
});
