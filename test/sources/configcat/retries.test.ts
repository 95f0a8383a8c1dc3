import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSource, listSources } from '../../../src/sources/sources.repository.js';
import { deliveryRows, organizationWithKey, SIGNING_KEY, webhookAlert } from '../../helpers/delivery-fixtures.js';
import { createTestClock } from '../../helpers/test-clock.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { DOCS_KEY, fixture, NOW, signatureHeader } from './configcat-fixtures.js';

const CONFIG_ID = '38400000-8cf0-11bd-b23e-10b96e4ef00d';

/**
 * ConfigCat's docs: X-ConfigCat-Webhook-ID "is different for every request", and a request that may not have
 * been delivered is retried "up to 5 times" (https://configcat.com/docs/advanced/notifications-webhooks/, Retries).
 * Nothing promises a retry keeps the id, so a retry with a new id and timestamp must still be a duplicate.
 */
describe('ConfigCat retries through the source route', () => {
  const clock = createTestClock(NOW);
  let app: TestApp;
  let receiver: WebhookReceiver;
  let sourceId: string;

  beforeAll(async () => {
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ now: clock.now, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await organizationWithKey(app);
    await webhookAlert(app, receiver.url, 'T1', { projectId: CONFIG_ID });
    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'configcat', name: 'ConfigCat', secret: DOCS_KEY }, NOW)).id;
  });
  afterAll(async () => {
    await app.stop();
    await receiver.stop();
  });

  /** What ConfigCat sends at the clock's time: the same template body, a fresh id, timestamp and signature. */
  const send = (body: unknown, id: string) => {
    const rawBody = Buffer.from(JSON.stringify(body), 'utf8');
    const timestamp = String(Math.floor(clock.now() / 1000));
    return fetch(`${app.url}/api/v1/sources/${sourceId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-configcat-webhook-id': id,
        'x-configcat-webhook-timestamp': timestamp,
        'x-configcat-webhook-signature-v1': signatureHeader([DOCS_KEY], id, timestamp, rawBody),
      },
      body: rawBody,
    });
  };

  it('takes a retry with another webhook id and timestamp for a duplicate, and notifies once', async () => {
    const body = fixture('toggled-on').body;
    expect(await (await send(body, 'b616ca659d154a5fb907dd8475792eeb')).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    clock.advance(40_000);
    const retry = await send(body, 'c727db76ae265b6ac018e9586803ffc0');
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });

    await receiver.waitFor(1);
    expect(await deliveryRows(app)).toHaveLength(1);
    expect(await listSources(app.deps.db, 'T1')).toMatchObject([{ accepted: 1, rejected: 0 }]);
  });

  it('still takes another change of the same config and environment', async () => {
    clock.advance(60_000);
    const res = await send(fixture('toggled-off').body, 'd838ec87bf376c7bd129fa6a7914aad1');
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
  });
});
