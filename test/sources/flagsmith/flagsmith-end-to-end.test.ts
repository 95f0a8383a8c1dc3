import { describe, expect, it } from 'vitest';
import { endToEnd, fixtureBody, webhookScope, withFlagKey, type Platform } from '../source-end-to-end.js';
import { flagsmithSignature, pythonJsonDumps } from './flagsmith-wire.js';

const platform: Platform = {
  kind: 'flagsmith',
  secret: 'flagsmith-end-to-end-secret',
  // The docs' sample is project 12 "Flagsmith Website", environment 23 "Development"; other-environment.json is 24.
  watched: { projectId: '12', environment: { id: '23', label: 'Development' } },
  other: { projectId: '12', environment: { id: '24', label: 'Production' } },
  sign: (raw, secret) => ({ 'x-flagsmith-signature': flagsmithSignature(secret, raw) }),
};

/** A fixture about a flag of the test's own, as the bytes Flagsmith sends (sorted-keys Python JSON). */
function delivery(name: string, flagKey: string): string {
  return pythonJsonDumps(withFlagKey(fixtureBody('flagsmith', name), 'butter_bar', flagKey));
}

describe('Flagsmith webhooks end to end', () => {
  const e2e = endToEnd(platform);

  it('a flag turned on in one environment: Slack shows off → on; the webhook names the flag, the environment and the update', async () => {
    const res = await e2e.post(delivery('toggled-on', 'fs_turned_on'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });

    const [message] = await e2e.waitForSlack('fs_turned_on');
    expect(message).toContain('Flag activated: fs_turned_on');
    expect(message).toContain('*Enabled*: off → *on*');
    expect(message).toContain('Flagsmith Website (12)');
    // Only the on/off changed: the docs' previous_state leaves the split out, which is not a split added.
    expect(message).toContain('*Changes*\n• *Enabled*: off → *on*\n');
    expect(message).not.toContain('Rollout weights');
    const [hook] = await e2e.waitForWebhooks('fs_turned_on');
    expect(hook).toMatchObject({
      flagId: 'fs_turned_on',
      flagName: 'fs_turned_on',
      ...webhookScope(platform.watched),
      action: 'updated',
      modifiedBy: 'user@domain.com',
      oldFlag: { enabled: false },
      flag: { enabled: true },
    });
    expect(await e2e.deliveriesOf('fs_turned_on')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a multivariate split changed while on: Slack shows the weights before → after', async () => {
    await e2e.post(delivery('rollout-change', 'fs_rollout'));
    const [message] = await e2e.waitForSlack('fs_rollout');
    expect(message).toContain('Flag updated: fs_rollout');
    expect(message).toContain('*Rollout weights*: variant_a: 50 → variant_a: 75');
    const [hook] = await e2e.waitForWebhooks('fs_rollout');
    expect(hook).toMatchObject({ action: 'updated', oldFlag: { rolloutWeights: { variant_a: 50 } }, flag: { rolloutWeights: { variant_a: 75 } } });
  });

  it('a flag created (Flagsmith sends an update without previous state, per environment): the environment’s alerts hear of it', async () => {
    await e2e.post(delivery('created', 'fs_created'));
    const [message] = await e2e.waitForSlack('fs_created');
    expect(message).toContain('Previous state unknown');
    expect(message).toContain('*Enabled*: off');
    expect(await e2e.waitForWebhooks('fs_created')).toMatchObject([{ action: 'updated', oldFlag: null, flag: { enabled: false } }]);
    await e2e.settled();
    // Flagsmith posts the new flag once per environment's webhook; each post is tied to its environment.
    expect(await e2e.deliveriesOf('fs_created')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a flag deleted (one FLAG_DELETED per environment): that environment’s alerts hear of it', async () => {
    await e2e.post(delivery('deleted', 'fs_deleted'));
    const [message] = await e2e.waitForSlack('fs_deleted');
    expect(message).toContain('Flag deleted: fs_deleted');
    expect(await e2e.waitForWebhooks('fs_deleted')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.watched), oldFlag: { enabled: true } }]);
    await e2e.settled();
    expect(await e2e.deliveriesOf('fs_deleted')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a change in another environment reaches that environment’s alert only', async () => {
    await e2e.post(delivery('other-environment', 'fs_elsewhere'));
    const [hook] = await e2e.waitForWebhooks('fs_elsewhere', 'other');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.other), flag: { enabled: true } });
    await e2e.settled();
    expect(await e2e.deliveriesOf('fs_elsewhere')).toEqual(['other-hook']);
    expect(e2e.slackMessages('fs_elsewhere')).toEqual([]);
    expect(e2e.webhooks('fs_elsewhere')).toEqual([]);
  });

  it('refuses a tampered body, a wrong secret and a missing signature with 401, stores nothing and keeps the reason on the source', async () => {
    const raw = delivery('toggled-on', 'fs_forged');
    const tampered = raw.replace('"enabled": true', '"enabled": false');
    expect(tampered).not.toBe(raw);
    const before = { counts: await e2e.counts(), rejected: (await e2e.source()).rejected };

    const answers = [await e2e.send(tampered, e2e.sign(raw)), await e2e.send(raw, e2e.sign(raw, 'not-the-secret')), await e2e.send(raw, {})];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await answers[1]?.json()).toMatchObject({ error: 'signature mismatch' });
    expect(await answers[2]?.json()).toMatchObject({ error: 'missing X-Flagsmith-Signature header' });

    expect(await e2e.counts()).toEqual(before.counts);
    const source = await e2e.source();
    expect(source.rejected).toBe(before.rejected + 3);
    expect(source.lastError).toMatch(/^missing X-Flagsmith-Signature header: /);
    await e2e.settled();
    expect(e2e.slackMessages('fs_forged')).toEqual([]);
    expect(e2e.webhooks('fs_forged')).toEqual([]);
  });

  it('takes the same body again (Flagsmith sends no id) as a duplicate: 202, duplicates 1, one notification', async () => {
    const raw = delivery('toggled-off', 'fs_retried');
    expect(await (await e2e.post(raw)).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    await e2e.waitForSlack('fs_retried');
    await e2e.waitForWebhooks('fs_retried');

    const again = await e2e.post(raw);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    await e2e.settled();
    expect(e2e.slackMessages('fs_retried')).toHaveLength(1);
    expect(e2e.webhooks('fs_retried')).toHaveLength(1);
    expect(await e2e.deliveriesOf('fs_retried')).toEqual(['watched-hook', 'watched-slack']);
  });
});
