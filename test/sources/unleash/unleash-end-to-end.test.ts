import { describe, expect, it } from 'vitest';
import { endToEnd, fixtureBody, webhookScope, withFlagKey, type Platform } from '../source-end-to-end.js';

const PROJECT = 'my-other-project';

const platform: Platform = {
  kind: 'unleash',
  secret: 'unleash-end-to-end-secret',
  // The docs' toggle samples are in project "my-other-project", environment "development".
  watched: { projectId: PROJECT, environment: { id: 'development', label: 'development' } },
  other: { projectId: PROJECT, environment: { id: 'production', label: 'production' } },
  // The Webhook integration signs nothing: it sends its "Authorization" field verbatim (src/lib/addons/webhook.ts).
  sign: (_raw, secret) => ({ authorization: secret }),
};

let ids = 0;
/**
 * A docs sample about a flag of the test's own, with an event id (Unleash's delivery id) of its own. The samples
 * spread over several projects and environments; `where` moves one into the project and environment a test needs.
 */
function unleashEvent(name: string, flagKey: string, where: { environment?: string | null } = {}): Record<string, unknown> {
  const event = withFlagKey(fixtureBody('unleash', name), 'new-feature', flagKey);
  return { ...event, id: 70_000 + ++ids, project: PROJECT, ...where };
}

describe('Unleash webhooks end to end', () => {
  const e2e = endToEnd(platform);

  it('a flag turned on: the first toggle says the previous state is unknown, the next one shows off → on', async () => {
    // Unleash sends no previous state: the last one stored stands in, and on first sight there is none.
    await e2e.post(unleashEvent('toggled-off', 'un-turned-on'));
    const [first] = await e2e.waitForSlack('un-turned-on');
    expect(first).toContain('Previous state unknown');

    const res = await e2e.post(unleashEvent('toggled-on', 'un-turned-on'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    const [, message] = await e2e.waitForSlack('un-turned-on', 2);
    expect(message).toContain('Flag activated: un-turned-on');
    expect(message).toContain('*Enabled*: off → *on*');
    const [, hook] = await e2e.waitForWebhooks('un-turned-on', 'watched', 2);
    expect(hook).toMatchObject({
      flagId: 'un-turned-on',
      flagName: 'un-turned-on',
      ...webhookScope(platform.watched),
      action: 'updated',
      modifiedBy: 'user@company.com',
      oldFlag: { enabled: false },
      flag: { enabled: true, tags: ['simple:tag', 'simple:tog'] },
    });
    expect(await e2e.deliveriesOf('un-turned-on')).toEqual(['watched-hook', 'watched-hook', 'watched-slack', 'watched-slack']);
  });

  it('a gradual rollout changed while on: Slack shows the rollout before → after', async () => {
    await e2e.post(unleashEvent('toggled-on', 'un-rollout'));
    await e2e.waitForSlack('un-rollout');
    // The docs' sample is in environment "default": the same strategy update, in development.
    await e2e.post(unleashEvent('rollout-change', 'un-rollout', { environment: 'development' }));
    const [, message] = await e2e.waitForSlack('un-rollout', 2);
    expect(message).toContain('Flag updated: un-rollout');
    expect(message).toContain('*Rollout*: 67% → 32%');
    // A strategy event says nothing of on/off: the flag stays on as last stored.
    expect(message).not.toContain('*Enabled*');
    const [, hook] = await e2e.waitForWebhooks('un-rollout', 'watched', 2);
    expect(hook).toMatchObject({ action: 'updated', oldFlag: { rolloutPercentage: 67 }, flag: { rolloutPercentage: 32 } });
  });

  it('a flag created reaches every deployment-scoped alert of the project', async () => {
    expect(await (await e2e.post(unleashEvent('created', 'un-created'))).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    expect(await e2e.waitForSlack('un-created')).toEqual([expect.stringContaining('Flag created: un-created')]);
    expect(await e2e.waitForWebhooks('un-created')).toMatchObject([{ action: 'created', ...webhookScope(platform.watched) }]);
    expect(await e2e.waitForWebhooks('un-created', 'other')).toMatchObject([{ action: 'created', ...webhookScope(platform.other) }]);
  });

  it('a flag archived (what deleting does in Unleash) reaches every deployment-scoped alert as deleted', async () => {
    await e2e.post(unleashEvent('archived', 'un-archived'));
    expect(await e2e.waitForSlack('un-archived')).toEqual([expect.stringContaining('Flag deleted: un-archived')]);
    expect(await e2e.waitForWebhooks('un-archived')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.watched) }]);
    expect(await e2e.waitForWebhooks('un-archived', 'other')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.other) }]);
  });

  it('a change in another environment reaches that environment’s alert only', async () => {
    await e2e.post(unleashEvent('toggled-on', 'un-elsewhere', { environment: 'production' }));
    const [hook] = await e2e.waitForWebhooks('un-elsewhere', 'other');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.other), flag: { enabled: true } });
    await e2e.settled();
    expect(await e2e.deliveriesOf('un-elsewhere')).toEqual(['other-hook']);
    expect(e2e.slackMessages('un-elsewhere')).toEqual([]);
    expect(e2e.webhooks('un-elsewhere')).toEqual([]);
  });

  it('refuses a wrong, a "Bearer "-prefixed and a missing Authorization with 401, stores nothing and keeps the reason on the source', async () => {
    // Unleash signs no body, so there is no tampering to detect: only the Authorization header is checked.
    const raw = JSON.stringify(unleashEvent('toggled-on', 'un-forged'));
    const before = { counts: await e2e.counts(), rejected: (await e2e.source()).rejected };

    const answers = [
      await e2e.send(raw, e2e.sign(raw, 'not-the-secret')),
      await e2e.send(raw, { authorization: `Bearer ${platform.secret}` }),
      await e2e.send(raw, {}),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await answers[0]?.json()).toMatchObject({ error: 'Authorization does not match the secret' });
    expect(await answers[1]?.json()).toMatchObject({ error: 'Authorization has a "Bearer " prefix' });
    expect(await answers[2]?.json()).toMatchObject({ error: 'missing Authorization header' });

    expect(await e2e.counts()).toEqual(before.counts);
    const source = await e2e.source();
    expect(source.rejected).toBe(before.rejected + 3);
    expect(source.lastError).toMatch(/^missing Authorization header: /);
    await e2e.settled();
    expect(e2e.slackMessages('un-forged')).toEqual([]);
    expect(e2e.webhooks('un-forged')).toEqual([]);
  });

  it('takes the same event again (same id) as a duplicate: 202, duplicates 1, one notification', async () => {
    const raw = JSON.stringify(unleashEvent('toggled-off', 'un-retried'));
    expect(await (await e2e.post(raw)).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    await e2e.waitForSlack('un-retried');
    await e2e.waitForWebhooks('un-retried');

    const again = await e2e.post(raw);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    await e2e.settled();
    expect(e2e.slackMessages('un-retried')).toHaveLength(1);
    expect(e2e.webhooks('un-retried')).toHaveLength(1);
    expect(await e2e.deliveriesOf('un-retried')).toEqual(['watched-hook', 'watched-slack']);
  });
});
