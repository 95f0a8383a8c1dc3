import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endToEnd, fixtureBody, webhookScope, withFlagKey, type Platform } from '../source-end-to-end.js';

/** LaunchDarkly's "Sign this webhook" written out: X-LD-Signature = lowercase hex HMAC-SHA256 of the raw body, keyed by the secret's UTF-8. */
const platform: Platform = {
  kind: 'launchdarkly',
  secret: 'ld-end-to-end-secret',
  // Sentry's LaunchDarkly samples (the fixtures) change flags in environment "test" of project "default".
  watched: { projectId: 'default', environment: { id: 'test', label: 'Test' } },
  other: { projectId: 'default', environment: { id: 'production', label: 'Production' } },
  sign: (raw, secret) => ({ 'x-ld-signature': createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex') }),
};

let entries = 0;
/** A fixture's audit-log entry about a flag of the test's own, with an `_id` (LaunchDarkly's delivery id) of its own. */
function entry(name: string, flagKey: string): Record<string, unknown> {
  return { ...withFlagKey(fixtureBody('launchdarkly', name), 'test-flag', flagKey), _id: `ld-e2e-${++entries}` };
}

describe('LaunchDarkly webhooks end to end', () => {
  const e2e = endToEnd(platform);

  it('a flag turned on in one environment: Slack shows off → on; the webhook names the flag, the environment and the update', async () => {
    const res = await e2e.post(entry('toggled-on', 'ld-turned-on'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });

    const [message] = await e2e.waitForSlack('ld-turned-on');
    expect(message).toContain('Flag activated: ld-turned-on');
    expect(message).toContain('*Enabled*: off → *on*');
    const [hook] = await e2e.waitForWebhooks('ld-turned-on');
    expect(hook).toMatchObject({
      flagId: 'ld-turned-on',
      flagName: 'ld-turned-on',
      ...webhookScope(platform.watched),
      action: 'updated',
      modifiedBy: 'michelle@example.io',
      oldFlag: { enabled: false },
      flag: { enabled: true },
    });
    expect(await e2e.deliveriesOf('ld-turned-on')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a percentage rollout set while on: Slack shows the rollout weights before → after', async () => {
    await e2e.post(entry('rollout-change', 'ld-rollout'));
    const [message] = await e2e.waitForSlack('ld-rollout');
    expect(message).toContain('Flag updated: ld-rollout');
    expect(message).toContain('*Rollout weights*: _none_ → true: 25, false: 75');
    const [hook] = await e2e.waitForWebhooks('ld-rollout');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.watched), flag: { enabled: true, rolloutWeights: { true: 25, false: 75 } } });
  });

  it('a flag created reaches every deployment-scoped alert of the project', async () => {
    expect(await (await e2e.post(entry('created', 'ld-created'))).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    const [message] = await e2e.waitForSlack('ld-created');
    expect(message).toContain('Flag created: ld-created');
    expect(await e2e.waitForWebhooks('ld-created')).toMatchObject([{ action: 'created', ...webhookScope(platform.watched) }]);
    expect(await e2e.waitForWebhooks('ld-created', 'other')).toMatchObject([{ action: 'created', ...webhookScope(platform.other) }]);
  });

  it('a flag archived, and a flag deleted, reach every deployment-scoped alert as deleted', async () => {
    for (const [fixture, key] of [
      ['archived', 'ld-archived'],
      ['deleted', 'ld-deleted'],
    ] as const) {
      await e2e.post(entry(fixture, key));
      const [message] = await e2e.waitForSlack(key);
      expect(message).toContain(`Flag deleted: ${key}`);
      expect(await e2e.waitForWebhooks(key)).toMatchObject([{ flagName: key, action: 'deleted', flag: null, ...webhookScope(platform.watched) }]);
      expect(await e2e.waitForWebhooks(key, 'other')).toMatchObject([{ flagName: key, action: 'deleted', ...webhookScope(platform.other) }]);
    }
  });

  it('a change in another environment reaches that environment’s alert only', async () => {
    await e2e.post(entry('production-toggled-off', 'ld-elsewhere'));
    const [hook] = await e2e.waitForWebhooks('ld-elsewhere', 'other');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.other), oldFlag: { enabled: true }, flag: { enabled: false } });
    await e2e.settled();
    expect(await e2e.deliveriesOf('ld-elsewhere')).toEqual(['other-hook']);
    expect(e2e.slackMessages('ld-elsewhere')).toEqual([]);
    expect(e2e.webhooks('ld-elsewhere')).toEqual([]);
  });

  it('refuses a tampered body, a wrong secret and a missing signature with 401, stores nothing and keeps the reason on the source', async () => {
    const raw = JSON.stringify(entry('toggled-on', 'ld-forged'));
    const tampered = raw.replace('"on":true', '"on":false');
    expect(tampered).not.toBe(raw);
    const before = { counts: await e2e.counts(), rejected: (await e2e.source()).rejected };

    const answers = [await e2e.send(tampered, e2e.sign(raw)), await e2e.send(raw, e2e.sign(raw, 'not-the-secret')), await e2e.send(raw, {})];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await answers[0]?.json()).toMatchObject({ error: 'signature mismatch' });
    expect(await answers[2]?.json()).toMatchObject({ error: 'missing X-LD-Signature header' });

    expect(await e2e.counts()).toEqual(before.counts);
    const source = await e2e.source();
    expect(source.rejected).toBe(before.rejected + 3);
    expect(source.lastError).toMatch(/^missing X-LD-Signature header: /);
    await e2e.settled();
    expect(e2e.slackMessages('ld-forged')).toEqual([]);
    expect(e2e.webhooks('ld-forged')).toEqual([]);
  });

  it('takes LaunchDarkly’s retry of an entry (same _id) as a duplicate: 202, duplicates 1, one notification', async () => {
    const raw = JSON.stringify(entry('toggled-off', 'ld-retried'));
    expect(await (await e2e.post(raw)).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    await e2e.waitForSlack('ld-retried');
    await e2e.waitForWebhooks('ld-retried');

    const again = await e2e.post(raw);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    await e2e.settled();
    expect(e2e.slackMessages('ld-retried')).toHaveLength(1);
    expect(e2e.webhooks('ld-retried')).toHaveLength(1);
    expect(await e2e.deliveriesOf('ld-retried')).toEqual(['watched-hook', 'watched-slack']);
  });
});
