import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endToEnd, fixtureBody, webhookScope, withFlagKey, type Platform } from '../source-end-to-end.js';

/** The docs' example signing key (https://configcat.com/docs/advanced/notifications-webhooks/). */
const KEY = 'configcat_whsk_VN3juirnVh5pNvCKd81RYRYchxUX4j3NykbZG2fAy88=';
const CONFIG = '38400000-8cf0-11bd-b23e-10b96e4ef00d';

const platform: Platform = {
  kind: 'configcat',
  secret: KEY,
  // The fixtures' config "Main Config" and its environments Production and (other-environment.json) Staging.
  watched: { projectId: CONFIG, environment: { id: '38400000-8cf0-11bd-b23e-10b96e4ef00e', label: 'Production' } },
  other: { projectId: CONFIG, environment: { id: '38400000-8cf0-11bd-b23e-10b96e4ef0aa', label: 'Staging' } },
  /**
   * ConfigCat's scheme written out: a webhook id of its own per request, unix seconds, and
   * X-ConfigCat-Webhook-Signature-V1 = base64 HMAC-SHA256 of id + timestamp + raw body (no separators), keyed by the key's UTF-8.
   */
  sign: (raw, secret, nowMs) => {
    const id = randomBytes(16).toString('hex');
    const timestamp = String(Math.floor(nowMs / 1000));
    return {
      'x-configcat-webhook-id': id,
      'x-configcat-webhook-timestamp': timestamp,
      'x-configcat-webhook-signature-v1': createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}${timestamp}`).update(raw).digest('base64'),
    };
  },
};

/** A fixture's body (the template of the setup steps, filled in) about a setting of the test's own. */
function body(name: string, fixtureKey: string, flagKey: string): Record<string, unknown> {
  return withFlagKey(fixtureBody('configcat', name), fixtureKey, flagKey);
}

describe('ConfigCat webhooks end to end', () => {
  const e2e = endToEnd(platform);

  it('a flag turned on in one environment: Slack shows off → on; the webhook names the flag, the environment and the update', async () => {
    const res = await e2e.post(body('toggled-on', 'myAwesomeFeature1', 'ccTurnedOn'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });

    const [message] = await e2e.waitForSlack('ccTurnedOn');
    expect(message).toContain('Flag activated: ccTurnedOn');
    expect(message).toContain('*Enabled*: off → *on*');
    expect(message).toContain(`Main Config (${CONFIG})`);
    const [hook] = await e2e.waitForWebhooks('ccTurnedOn');
    expect(hook).toMatchObject({
      flagId: 'ccTurnedOn',
      flagName: 'ccTurnedOn',
      ...webhookScope(platform.watched),
      action: 'updated',
      modifiedBy: 'john.doe@example.com',
      oldFlag: { enabled: false },
      flag: { enabled: true },
    });
    expect(await e2e.deliveriesOf('ccTurnedOn')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a percentage rollout changed while on: Slack shows ConfigCat’s own words for the change', async () => {
    await e2e.post(body('toggled-on', 'myAwesomeFeature1', 'ccRollout'));
    await e2e.waitForSlack('ccRollout');
    await e2e.post(body('rules-changed', 'myAwesomeFeature2', 'ccRollout'));
    const [, message] = await e2e.waitForSlack('ccRollout', 2);
    expect(message).toContain('Flag updated: ccRollout');
    expect(message).toContain('Rollout percentage items changed:');
    expect(message).toContain('+ 20% true');
    expect(message).toContain('+ 80% false');
    // ConfigCat says nothing of on/off here: the flag stays on as last stored (laid over it), no "on → none".
    expect(message).not.toContain('*Enabled*');
    const [, hook] = await e2e.waitForWebhooks('ccRollout', 'watched', 2);
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.watched), flag: { changeDetails: expect.stringContaining('+ 20% true') } });
  });

  it('a rollout change of a flag seen for the first time: the message shows the change, and says the previous state is unknown', async () => {
    await e2e.post(body('rules-changed', 'myAwesomeFeature2', 'ccFirstSight'));
    const [message] = await e2e.waitForSlack('ccFirstSight');
    expect(message).toContain('Previous state unknown');
    expect(message).toContain('Rollout percentage items changed:');
    expect(message).toContain('+ 80% false');
  });

  it('a setting created, and one deleted: the alerts of that webhook’s environment hear of them', async () => {
    // A ConfigCat webhook belongs to one environment, so even created and deleted are tied to it (translate.ts).
    await e2e.post(body('created', 'myAwesomeFeature1', 'ccCreated'));
    expect(await e2e.waitForSlack('ccCreated')).toEqual([expect.stringContaining('Flag created: ccCreated')]);
    expect(await e2e.waitForWebhooks('ccCreated')).toMatchObject([{ action: 'created', ...webhookScope(platform.watched) }]);
    await e2e.post(body('deleted', 'myAwesomeFeature1', 'ccDeleted'));
    expect(await e2e.waitForSlack('ccDeleted')).toEqual([expect.stringContaining('Flag deleted: ccDeleted')]);
    expect(await e2e.waitForWebhooks('ccDeleted')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.watched) }]);
    await e2e.settled();
    expect(await e2e.deliveriesOf('ccCreated')).toEqual(['watched-hook', 'watched-slack']);
    expect(await e2e.deliveriesOf('ccDeleted')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a change posted by another environment’s webhook reaches that environment’s alert only', async () => {
    await e2e.post(body('other-environment', 'myAwesomeFeature1', 'ccElsewhere'));
    const [hook] = await e2e.waitForWebhooks('ccElsewhere', 'other');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.other), oldFlag: { enabled: false }, flag: { enabled: true } });
    await e2e.settled();
    expect(await e2e.deliveriesOf('ccElsewhere')).toEqual(['other-hook']);
    expect(e2e.slackMessages('ccElsewhere')).toEqual([]);
    expect(e2e.webhooks('ccElsewhere')).toEqual([]);
  });

  it('refuses a tampered body, a wrong key and a timestamp over 5 minutes old with 401, stores nothing and keeps the reason on the source', async () => {
    const raw = JSON.stringify(body('toggled-on', 'myAwesomeFeature1', 'ccForged'));
    const tampered = raw.replace('false ➔ true', 'true ➔ false');
    expect(tampered).not.toBe(raw);
    const before = { counts: await e2e.counts(), rejected: (await e2e.source()).rejected };

    const stale = e2e.sign(raw, KEY, e2e.clock.now() - 6 * 60_000);
    const answers = [await e2e.send(tampered, e2e.sign(raw)), await e2e.send(raw, e2e.sign(raw, 'configcat_whsk_not-the-key')), await e2e.send(raw, stale)];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await answers[0]?.json()).toMatchObject({ error: 'signature mismatch' });
    expect(await answers[1]?.json()).toMatchObject({ error: 'signature mismatch' });
    expect(await answers[2]?.json()).toMatchObject({ error: expect.stringMatching(/^timestamp outside the 5-minute window \(\d+ s old\)$/) });

    expect(await e2e.counts()).toEqual(before.counts);
    const source = await e2e.source();
    expect(source.rejected).toBe(before.rejected + 3);
    expect(source.lastError).toMatch(/^timestamp outside the 5-minute window/);
    await e2e.settled();
    expect(e2e.slackMessages('ccForged')).toEqual([]);
    expect(e2e.webhooks('ccForged')).toEqual([]);
  });

  it('takes ConfigCat’s retry (the same webhook id) as a duplicate: 202, duplicates 1, one notification', async () => {
    const raw = JSON.stringify(body('toggled-off', 'myAwesomeFeature1', 'ccRetried'));
    const headers = e2e.sign(raw);
    expect(await (await e2e.send(raw, headers)).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    await e2e.waitForSlack('ccRetried');
    await e2e.waitForWebhooks('ccRetried');

    const again = await e2e.send(raw, headers);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    await e2e.settled();
    expect(e2e.slackMessages('ccRetried')).toHaveLength(1);
    expect(e2e.webhooks('ccRetried')).toHaveLength(1);
    expect(await e2e.deliveriesOf('ccRetried')).toEqual(['watched-hook', 'watched-slack']);
  });
});
