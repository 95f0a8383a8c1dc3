import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { change, organizationWithKey, postEvents, SIGNING_KEY, webhookAlert } from '../helpers/delivery-fixtures.js';

const postgres = testDialects().filter((d) => d === 'postgres');

describe.each(postgres)('two app instances on one %s database', (dialect) => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    a = await startTestApp({ database, env });
    b = await startTestApp({ database, env });
  });
  afterAll(async () => {
    await a.stop();
    await b.close();
    await receiver.stop();
  });

  it('send each of 200 deliveries exactly once between them', async () => {
    const key = await organizationWithKey(a);
    await webhookAlert(a, receiver.url);
    const events = Array.from({ length: 200 }, (_, i) => change(`shared-${i}`));
    const halves = [events.slice(0, 100), events.slice(100)];
    const answers = await Promise.all([postEvents(a, key, { events: halves[0] }), postEvents(b, key, { events: halves[1] })]);
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    await receiver.waitFor(200, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
    expect(receiver.received.every((r) => r.standardValid && r.knockValid)).toBe(true);
  });
});
