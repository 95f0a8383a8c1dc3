import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endToEnd, fixtureBody, webhookScope, withFlagKey, type Platform } from '../source-end-to-end.js';

/**
 * Flipt v1 has no environments: every change is tied to none, so the alerts watch a namespace (a project) and the
 * "other" alert another namespace.
 */
const platform: Platform = {
  kind: 'flipt',
  secret: 'flipt-end-to-end-secret',
  watched: { projectId: 'default', environment: null },
  other: { projectId: 'payments', environment: null },
  // internal/server/audit/webhook/client.go written out: x-flipt-webhook-signature = hex HMAC-SHA256 of the raw body.
  sign: (raw, secret) => ({ 'x-flipt-webhook-signature': createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex') }),
};

/** A fixture's audit event about a flag of the test's own (Go's json.Marshal is compact, as JSON.stringify). */
function audit(name: string, fixtureKey: string, flagKey: string): Record<string, unknown> {
  return withFlagKey(fixtureBody('flipt', name), fixtureKey, flagKey);
}

describe('Flipt audit webhooks end to end', () => {
  const e2e = endToEnd(platform);

  it('a flag turned on: the first update says the previous state is unknown, the next one shows off → on', async () => {
    // Flipt sends no previous state: the last one stored stands in, and on first sight there is none.
    await e2e.post(audit('toggled-off', 'maintenance-mode', 'fl-turned-on'));
    const [first] = await e2e.waitForSlack('fl-turned-on');
    expect(first).toContain('Previous state unknown');

    const res = await e2e.post(audit('toggled-on', 'maintenance-mode', 'fl-turned-on'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    const [, message] = await e2e.waitForSlack('fl-turned-on', 2);
    expect(message).toContain('Flag activated: fl-turned-on');
    expect(message).toContain('*Enabled*: off → *on*');
    expect(message).toContain('*Project*\n`default`');
    const [, hook] = await e2e.waitForWebhooks('fl-turned-on', 'watched', 2);
    expect(hook).toMatchObject({
      flagId: 'fl-turned-on',
      flagName: 'fl-turned-on',
      ...webhookScope(platform.watched),
      action: 'updated',
      modifiedBy: 'anonymous (127.0.0.1)',
      oldFlag: { enabled: false },
      flag: { enabled: true },
    });
  });

  it('a rollout updated while on: Slack shows the rollout', async () => {
    await e2e.post(audit('toggled-on', 'maintenance-mode', 'fl-rollout'));
    await e2e.waitForSlack('fl-rollout');
    await e2e.post(audit('rollout-updated', 'maintenance-mode', 'fl-rollout'));
    const [, message] = await e2e.waitForSlack('fl-rollout', 2);
    expect(message).toContain('Flag updated: fl-rollout');
    expect(message).toContain('*`rollout ro1`*: _none_ → {');
    expect(message).toContain('"percentage":50');
    // The event carries the rollout alone: the flag's name, description and on/off stay as last stored.
    expect(message).not.toMatch(/\*(Enabled|Name|Description)\*/);
    const [, hook] = await e2e.waitForWebhooks('fl-rollout', 'watched', 2);
    expect(hook).toMatchObject({ action: 'updated', flag: { 'rollout ro1': { threshold: { percentage: 50, value: true } } } });
  });

  it('a flag created, and one deleted, reach the alerts of its namespace', async () => {
    await e2e.post(audit('created', '"flipt"', '"fl-created"'));
    expect(await e2e.waitForSlack('fl-created')).toEqual([expect.stringContaining('Flag created: fl-created')]);
    expect(await e2e.waitForWebhooks('fl-created')).toMatchObject([{ action: 'created', ...webhookScope(platform.watched), flag: { enabled: true } }]);
    await e2e.post(audit('deleted', 'maintenance-mode', 'fl-deleted'));
    expect(await e2e.waitForSlack('fl-deleted')).toEqual([expect.stringContaining('Flag deleted: fl-deleted')]);
    expect(await e2e.waitForWebhooks('fl-deleted')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.watched) }]);
    await e2e.settled();
    expect(await e2e.deliveriesOf('fl-created')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a change in another namespace reaches that namespace’s alert only', async () => {
    await e2e.post(audit('variant-created', 'checkout-flow', 'fl-elsewhere'));
    const [hook] = await e2e.waitForWebhooks('fl-elsewhere', 'other');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.other), flag: { 'variant v3': { key: 'blue' } } });
    await e2e.settled();
    expect(await e2e.deliveriesOf('fl-elsewhere')).toEqual(['other-hook']);
    expect(e2e.slackMessages('fl-elsewhere')).toEqual([]);
    expect(e2e.webhooks('fl-elsewhere')).toEqual([]);
  });

  it('refuses a tampered body, a wrong secret and a missing signature with 401, stores nothing and keeps the reason on the source', async () => {
    const raw = JSON.stringify(audit('toggled-on', 'maintenance-mode', 'fl-forged'));
    const tampered = raw.replace('"enabled":true', '"enabled":false');
    expect(tampered).not.toBe(raw);
    const before = { counts: await e2e.counts(), rejected: (await e2e.source()).rejected };

    const answers = [await e2e.send(tampered, e2e.sign(raw)), await e2e.send(raw, e2e.sign(raw, 'not-the-secret')), await e2e.send(raw, {})];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await answers[0]?.json()).toMatchObject({ error: 'signature mismatch' });
    expect(await answers[2]?.json()).toMatchObject({ error: 'missing X-Flipt-Webhook-Signature header' });

    expect(await e2e.counts()).toEqual(before.counts);
    const source = await e2e.source();
    expect(source.rejected).toBe(before.rejected + 3);
    expect(source.lastError).toMatch(/^missing X-Flipt-Webhook-Signature header: /);
    await e2e.settled();
    expect(e2e.slackMessages('fl-forged')).toEqual([]);
    expect(e2e.webhooks('fl-forged')).toEqual([]);
  });

  it('takes the same body again (Flipt sends no id) as a duplicate: 202, duplicates 1, one notification', async () => {
    const raw = JSON.stringify(audit('toggled-on', 'maintenance-mode', 'fl-retried'));
    expect(await (await e2e.post(raw)).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    await e2e.waitForSlack('fl-retried');
    await e2e.waitForWebhooks('fl-retried');

    const again = await e2e.post(raw);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    await e2e.settled();
    expect(e2e.slackMessages('fl-retried')).toHaveLength(1);
    expect(e2e.webhooks('fl-retried')).toHaveLength(1);
    expect(await e2e.deliveriesOf('fl-retried')).toEqual(['watched-hook', 'watched-slack']);
  });
});
