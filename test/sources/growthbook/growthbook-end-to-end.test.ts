import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endToEnd, fixtureBody, webhookScope, type Platform } from '../source-end-to-end.js';

const platform: Platform = {
  kind: 'growthbook',
  secret: 'ewhk_end_to_end_secret',
  // GrowthBook's own tests (the fixtures) use project "project" with environments "dev" and "prod".
  watched: { projectId: 'project', environment: { id: 'prod', label: 'prod' } },
  other: { projectId: 'project', environment: { id: 'dev', label: 'dev' } },
  // event-webhooks-utils.ts written out: X-GrowthBook-Signature = hex HMAC-SHA256 of the body, keyed by the ewhk_… secret's UTF-8.
  sign: (raw, secret) => ({ 'x-growthbook-signature': createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex') }),
};

interface Feature {
  id: string;
  project?: string;
}

/** A fixture's event about a feature of the test's own: GrowthBook's feature id is the flag key ("id" in its tests). */
function event(name: string, flagKey: string, project?: string): Record<string, unknown> {
  const body = fixtureBody('growthbook', name) as { data: { object?: Feature; current?: Feature; previous?: Feature } };
  for (const feature of [body.data.object, body.data.current, body.data.previous]) {
    if (!feature) continue;
    feature.id = flagKey;
    if (project !== undefined) feature.project = project;
  }
  return body;
}

describe('GrowthBook event webhooks end to end', () => {
  const e2e = endToEnd(platform);

  it('a flag turned on in one environment: Slack shows off → on and the project once; the webhook names the flag, the environment and the update', async () => {
    const res = await e2e.post(event('toggled-on-prod', 'gb-turned-on'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });

    const [message] = await e2e.waitForSlack('gb-turned-on');
    expect(message).toContain('Flag activated: gb-turned-on');
    expect(message).toContain('*Enabled*: off → *on*');
    // GrowthBook gives the project's id only: it shows as the id, not as "project project".
    expect(message).toContain('*Project*\n`project`');
    expect(message).not.toMatch(/project project/i);
    // The feature id is its key and its name: said once.
    expect(message).toContain('\n`gb-turned-on`\n');
    const [hook] = await e2e.waitForWebhooks('gb-turned-on');
    expect(hook).toMatchObject({
      flagId: 'gb-turned-on',
      flagName: 'gb-turned-on',
      ...webhookScope(platform.watched),
      action: 'updated',
      modifiedBy: 'user@mail.com',
      oldFlag: { enabled: false },
      flag: { enabled: true },
    });
    expect(await e2e.deliveriesOf('gb-turned-on')).toEqual(['watched-hook', 'watched-slack']);
  });

  it('a rollout rule added while on: Slack shows the rollout and the rules before → after', async () => {
    await e2e.post(event('rules-changed-prod', 'gb-rollout'));
    const [message] = await e2e.waitForSlack('gb-rollout');
    expect(message).toContain('Flag updated: gb-rollout');
    expect(message).toContain('*Rollout*: _none_ → 80%');
    expect(message).toContain('*`rules`*');
    const [hook] = await e2e.waitForWebhooks('gb-rollout');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.watched), flag: { enabled: true, rolloutPercentage: 80 } });
  });

  it('a flag created reaches every deployment-scoped alert of the project', async () => {
    expect(await (await e2e.post(event('created', 'gb-created'))).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    const [message] = await e2e.waitForSlack('gb-created');
    expect(message).toContain('Flag created: gb-created');
    expect(await e2e.waitForWebhooks('gb-created')).toMatchObject([{ action: 'created', ...webhookScope(platform.watched) }]);
    expect(await e2e.waitForWebhooks('gb-created', 'other')).toMatchObject([{ action: 'created', ...webhookScope(platform.other) }]);
  });

  it('a flag deleted, and a flag archived (an update of `archived`), reach every deployment-scoped alert', async () => {
    await e2e.post(event('deleted', 'gb-deleted'));
    expect(await e2e.waitForSlack('gb-deleted')).toEqual([expect.stringContaining('Flag deleted: gb-deleted')]);
    expect(await e2e.waitForWebhooks('gb-deleted')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.watched) }]);
    expect(await e2e.waitForWebhooks('gb-deleted', 'other')).toMatchObject([{ action: 'deleted', ...webhookScope(platform.other) }]);

    await e2e.post(event('archived', 'gb-archived'));
    const [archived] = await e2e.waitForSlack('gb-archived');
    expect(archived).toContain('*`archived`*: false → true');
    expect(await e2e.waitForWebhooks('gb-archived')).toMatchObject([{ action: 'updated', oldFlag: { archived: false }, flag: { archived: true } }]);
    expect(await e2e.waitForWebhooks('gb-archived', 'other')).toMatchObject([{ action: 'updated', ...webhookScope(platform.other) }]);
  });

  it('a change in another environment reaches that environment’s alert only', async () => {
    await e2e.post(event('dev-only-toggled', 'gb-elsewhere'));
    const [hook] = await e2e.waitForWebhooks('gb-elsewhere', 'other');
    expect(hook).toMatchObject({ action: 'updated', ...webhookScope(platform.other), oldFlag: { enabled: true }, flag: { enabled: false } });
    await e2e.settled();
    expect(await e2e.deliveriesOf('gb-elsewhere')).toEqual(['other-hook']);
    expect(e2e.slackMessages('gb-elsewhere')).toEqual([]);
    expect(e2e.webhooks('gb-elsewhere')).toEqual([]);
  });

  it('a feature in no project (project "") reaches the alerts of the project "no-project"', async () => {
    await e2e.addWebhookAlert('no-project-hook', { projectId: 'no-project', environment: null }, 'other');
    await e2e.post(event('created', 'gb-no-project', ''));
    const [hook] = await e2e.waitForWebhooks('gb-no-project', 'other');
    expect(hook).toMatchObject({ action: 'created', scope: 'project', scopeParam: 'no-project', scopeParamName: 'No project' });
    await e2e.settled();
    expect(await e2e.deliveriesOf('gb-no-project')).toEqual(['no-project-hook']);
  });

  it('refuses a tampered body, a wrong secret and a missing signature with 401, stores nothing and keeps the reason on the source', async () => {
    const raw = JSON.stringify(event('toggled-on-prod', 'gb-forged'));
    const tampered = raw.replace('"enabled":true', '"enabled":false');
    expect(tampered).not.toBe(raw);
    const before = { counts: await e2e.counts(), rejected: (await e2e.source()).rejected };

    const answers = [await e2e.send(tampered, e2e.sign(raw)), await e2e.send(raw, e2e.sign(raw, 'ewhk_not_the_secret')), await e2e.send(raw, {})];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await answers[0]?.json()).toMatchObject({ error: 'signature mismatch' });
    expect(await answers[2]?.json()).toMatchObject({ error: 'missing X-GrowthBook-Signature header' });

    expect(await e2e.counts()).toEqual(before.counts);
    const source = await e2e.source();
    expect(source.rejected).toBe(before.rejected + 3);
    expect(source.lastError).toMatch(/^missing X-GrowthBook-Signature header: /);
    await e2e.settled();
    expect(e2e.slackMessages('gb-forged')).toEqual([]);
    expect(e2e.webhooks('gb-forged')).toEqual([]);
  });

  it('takes GrowthBook’s retry (the same body; it sends no id) as a duplicate: 202, duplicates 1, one notification', async () => {
    const raw = JSON.stringify(event('toggled-off-prod', 'gb-retried'));
    expect(await (await e2e.post(raw)).json()).toEqual({ accepted: 1, ignored: 0, duplicates: 0 });
    await e2e.waitForSlack('gb-retried');
    await e2e.waitForWebhooks('gb-retried');

    const again = await e2e.post(raw);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 0, ignored: 0, duplicates: 1 });
    await e2e.settled();
    expect(e2e.slackMessages('gb-retried')).toHaveLength(1);
    expect(e2e.webhooks('gb-retried')).toHaveLength(1);
    expect(await e2e.deliveriesOf('gb-retried')).toEqual(['watched-hook', 'watched-slack']);
  });
});
