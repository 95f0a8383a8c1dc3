import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAlert } from '../../../src/alerts/alerts.repository.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialects } from '../../helpers/test-database.js';
import { verifyKnockSignature, verifyStandardWebhook, WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, webhookAlert } from '../../helpers/delivery-fixtures.js';
import { advanceOutbox, createTestClock, type TestClock } from '../../helpers/test-clock.js';

describe.each(testDialects())('webhook delivery on %s', (dialect) => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let key: string;
  let clock: TestClock;

  beforeEach(async () => {
    clock = createTestClock();
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    receiver.now = clock.now;
    app = await startTestApp({ dialect, now: clock.now, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    key = await organizationWithKey(app);
  });

  /** The only delivery, once its first try failed and its retry is planned. */
  const failedOnce = async () => {
    await expect.poll(async () => (await deliveryRows(app))[0]?.attempts).toBe(1);
    const [row] = await deliveryRows(app);
    expect(row?.status).toBe('pending');
    return { nextAttemptAt: Number(row?.next_attempt_at) };
  };
  afterEach(async () => {
    await app.stop();
    await receiver.stop();
  });

  it('posts the Amplitude body with both signatures, which an independent receiver verifies', async () => {
    const alert = await webhookAlert(app, receiver.url);
    const res = await postEvents(app, key, change('new-checkout', { eventId: 'e-1' }));
    expect(res.status).toBe(202);
    const [got] = await receiver.waitFor(1);
    expect(got?.knockValid).toBe(true);
    expect(got?.standardValid).toBe(true);
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['user-agent']).toMatch(/^flag-alerts\/\d+\.\d+\.\d+$/);
    expect(got?.body).toMatchObject({
      flagId: expect.any(Number),
      flagName: 'new-checkout',
      scope: 'project',
      scopeParam: 311,
      scopeParamName: 'Storefront',
      action: 'updated',
      modifiedBy: 'ana@example.com',
    });
    expect((got?.body.flag as { rolloutPercentage: number }).rolloutPercentage).toBe(50);
    expect((got?.body.oldFlag as { rolloutPercentage: number }).rolloutPercentage).toBe(10);
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
    // The alert's outcome is written after the delivery's status, so it is awaited too, not read at once.
    await expect.poll(async () => (await findAlert(app.deps.db, 'T1', alert.id))?.lastDeliveryOutcome).toBe('delivered');

    // The receiver's checks are real: a changed body or an old timestamp fails both schemes.
    const tampered = (got?.rawBody ?? '').replace('new-checkout', 'old-checkout');
    expect(verifyKnockSignature(got?.headers['x-knock-signature'] as string, tampered, SIGNING_KEY)).toBe(false);
    expect(verifyStandardWebhook(got?.headers ?? {}, tampered, SIGNING_KEY)).toBe(false);
    const later = Date.now() + 6 * 60_000;
    expect(verifyKnockSignature(got?.headers['x-knock-signature'] as string, got?.rawBody ?? '', SIGNING_KEY, later)).toBe(false);
    expect(verifyStandardWebhook(got?.headers ?? {}, got?.rawBody ?? '', SIGNING_KEY, later)).toBe(false);
  });

  it('carries a platform\'s string keys as stored: the key "311" is not the project 311', async () => {
    await webhookAlert(app, receiver.url, 'T1', { name: 'keyed project', projectId: '311' });
    await webhookAlert(app, receiver.url, 'T1', {
      name: 'keyed deployment',
      projectId: '311',
      scope: { type: 'deployment', deploymentId: 'production', deploymentLabel: null },
    });
    await webhookAlert(app, receiver.url, 'T1', { name: 'numeric project' });
    const keyed = { id: 'new-checkout', key: 'new-checkout', enabled: true, deployments: [{ id: 'production', label: 'Production' }] };
    const res = await postEvents(app, key, {
      projectId: '311',
      projectName: 'Storefront',
      action: 'updated',
      modifiedBy: 'ana@example.com',
      flag: { ...keyed, rolloutPercentage: 50 },
      oldFlag: { ...keyed, rolloutPercentage: 10 },
    });
    expect(res.status).toBe(202);
    const got = await receiver.waitFor(2);
    const bodies = got.map((g) => g.body).sort((a, b) => String(a.scope).localeCompare(String(b.scope)));
    expect(bodies).toMatchObject([
      { flagId: 'new-checkout', scope: 'exp_deployment', scopeParam: 'production', scopeParamName: 'Production' },
      { flagId: 'new-checkout', scope: 'project', scopeParam: '311', scopeParamName: 'Storefront' },
    ]);
    await expect.poll(async () => (await deliveryRows(app)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
    expect(receiver.received).toHaveLength(2);
  });

  it('retries a 500 with the same webhook-id and then delivers', async () => {
    await webhookAlert(app, receiver.url);
    receiver.answers.push({ status: 500 });
    await postEvents(app, key, change());
    const { nextAttemptAt } = await failedOnce();
    advanceOutbox(app, clock, nextAttemptAt - clock.now());
    const [first, second] = await receiver.waitFor(2);
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
    expect((await deliveryRows(app))[0]?.attempts).toBe(1);
  });

  it('waits as long as Retry-After asks before the next try', async () => {
    await webhookAlert(app, receiver.url);
    receiver.answers.push({ status: 429, headers: { 'Retry-After': '2' } });
    await postEvents(app, key, change());
    const { nextAttemptAt } = await failedOnce();
    const firstAt = receiver.received[0]?.at ?? 0;
    // Not due before Retry-After on the app's clock, which stands still until the test moves it.
    expect(nextAttemptAt).toBeGreaterThanOrEqual(firstAt + 2000);
    expect(receiver.received).toHaveLength(1);
    advanceOutbox(app, clock, 2000);
    const [first, second] = await receiver.waitFor(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000);
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
  });

  it('disables the alert on 410 Gone and stops trying', async () => {
    const alert = await webhookAlert(app, receiver.url);
    receiver.answers.push({ status: 410 });
    await postEvents(app, key, change());
    await expect.poll(async () => (await findAlert(app.deps.db, 'T1', alert.id))?.status).toBe('disabled');
    const [row] = await deliveryRows(app);
    expect(row?.status).toBe('dead');
    expect(row?.last_status_code).toBe(410);
    // A disabled alert takes no new deliveries at all.
    expect((await postEvents(app, key, change())).status).toBe(202);
    expect(await deliveryRows(app)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await new WebhookReceiver(SIGNING_KEY).start();
    try {
      await webhookAlert(app, receiver.url);
      receiver.answers.push({ status: 302, headers: { Location: elsewhere.url } });
      await postEvents(app, key, change());
      await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('dead');
      expect((await deliveryRows(app))[0]?.last_error).toContain('redirects are not followed');
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('webhook address guard at send time', () => {
  it('refuses a private address when private networks are not allowed', async () => {
    const receiver = await new WebhookReceiver(SIGNING_KEY).start();
    const app = await startTestApp({});
    try {
      const key = await organizationWithKey(app);
      // Stored directly: the form would refuse this URL; the send-time check must refuse it too.
      await webhookAlert(app, receiver.url.replace('127.0.0.1', 'localhost'));
      await postEvents(app, key, change());
      await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('dead');
      expect((await deliveryRows(app))[0]?.last_error).toMatch(/private or reserved/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await app.stop();
      await receiver.stop();
    }
  });
});
