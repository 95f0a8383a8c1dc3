import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, webhookAlert } from '../../helpers/delivery-fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { until } from '../../helpers/reliability-helpers.js';

// Slow suite: the webhook notifier's 10 s timeout is real time, so this case waits it out.
describe('a webhook receiver that hangs', () => {
  let app: TestApp;
  let key: string;
  let r: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    key = await organizationWithKey(app);
    r = await new WebhookReceiver(SIGNING_KEY).start();
  });
  afterAll(async () => {
    await r.stop();
    await app.stop();
  });

  const onlyRow = async () => {
    const rows = await deliveryRows(app);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it('gives up on a receiver that hangs past the 10 s timeout and retries it', { timeout: 45_000 }, async () => {
    r.answers.push({ hangMs: 15_000 });
    await webhookAlert(app, r.url);
    await postEvents(app, key, change('hang'));
    await r.waitFor(2, 30_000);
    const [first, second] = r.received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(10_000);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    await until('the delivery', async () => (await onlyRow())?.status === 'delivered', 5_000);
    expect((await onlyRow())?.last_error).toBeNull();
  });
});
