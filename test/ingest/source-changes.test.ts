import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAlert } from '../../src/alerts/alert.js';
import type { FlagSnapshot } from '../../src/flag-change/model.js';
import { BODY_KEY_WINDOW_MS, ingestSourceChanges } from '../../src/ingest/ingest-flag-events.js';
import type { SourceChange } from '../../src/sources/source-kind.js';
import { deliveryRows, organizationWithKey, SIGNING_KEY, slackAlert, webhookAlert } from '../helpers/delivery-fixtures.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/** A LaunchDarkly-like project: string keys for the project, its environments and flags. */
const PROJECT = 'storefront';
const production = { id: 'production', label: 'Production' };
const staging = { id: 'staging', label: 'Staging' };

function flag(overrides: Partial<FlagSnapshot> = {}): FlagSnapshot {
  return { id: 'new-checkout', key: 'new-checkout', name: 'New checkout', enabled: true, deployments: [production, staging], tags: ['payments'], ...overrides };
}

function sourceChange(change: Partial<SourceChange['event']>, environment: SourceChange['environment'], previousUnknown = false): SourceChange {
  return {
    event: { projectId: PROJECT, projectName: 'Storefront', action: 'updated', modifiedBy: 'ana@example.com', ...change },
    environment,
    ...(previousUnknown ? { previousUnknown } : {}),
  };
}

describe.each(testDialects())('ingestSourceChanges on %s', (dialect) => {
  let slack: FakeSlack;
  let receiver: WebhookReceiver;
  let app: TestApp;
  // Real time, moved ahead by the test where it needs a day to pass (the outbox paces by this clock too).
  let ahead = 0;
  let deliveries = 0;
  const options = () => ({ sourceId: 'src-1', deliveryId: `delivery-${++deliveries}`, rawBody: Buffer.from('{}') });

  beforeEach(async () => {
    ahead = 0;
    slack = await new FakeSlack().start();
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ dialect, slack, now: () => Date.now() + ahead, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    await organizationWithKey(app);
  });
  afterEach(async () => {
    await app.stop();
    await receiver.stop();
    await slack.stop();
  });

  const hook = (name: string, scope: NewAlert['scope']) => webhookAlert(app, receiver.url, 'T1', { name, projectId: PROJECT, scope });
  const bodies = async (n: number) => (await receiver.waitFor(n)).map((r) => r.body);
  const scopesOf = (received: Record<string, unknown>[]) => received.map((b) => `${String(b.scope)}:${String(b.scopeParam)}`).sort();

  it("sends a change in one environment to that deployment's alerts and project alerts only; one tied to none reaches every deployment alert", async () => {
    await hook('all', { type: 'project' });
    await hook('prod', { type: 'deployment', deploymentId: 'production', deploymentLabel: null });
    await hook('staging', { type: 'deployment', deploymentId: 'staging', deploymentLabel: 'Staging' });
    await webhookAlert(app, receiver.url, 'T1', {
      name: 'other project',
      projectId: 'checkout-app',
      scope: { type: 'deployment', deploymentId: 'production', deploymentLabel: null },
    });
    // The flag lists both environments; the platform tied the change to production.
    const toggled = sourceChange({ oldFlag: flag({ enabled: false }), flag: flag() }, production);
    expect(await ingestSourceChanges(app.deps, 'T1', [toggled], options())).toEqual({ accepted: 1, duplicates: 0 });
    expect(scopesOf(await bodies(2))).toEqual(['exp_deployment:production', 'project:storefront']);

    receiver.received.length = 0;
    const created = sourceChange({ action: 'created', flag: flag({ id: 'beta-banner', key: 'beta-banner', deployments: [] }) }, null);
    await ingestSourceChanges(app.deps, 'T1', [created], options());
    const got = await bodies(3);
    expect(scopesOf(got)).toEqual(['exp_deployment:production', 'exp_deployment:staging', 'project:storefront']);
    expect(got.every((b) => b.flagId === 'beta-banner')).toBe(true);
    expect(got.find((b) => b.scopeParam === 'staging')?.scopeParamName).toBe('Staging');
  });

  it('counts a flag-level update with no on/off state as active, and an environment-less edit of an off flag as news', async () => {
    await hook('prod', { type: 'deployment', deploymentId: 'production', deploymentLabel: null });
    const renamed = sourceChange({ oldFlag: { id: 'f', key: 'f', name: 'Old' }, flag: { id: 'f', key: 'f', name: 'New' } }, null);
    await ingestSourceChanges(app.deps, 'T1', [renamed], options());
    expect((await bodies(1))[0]).toMatchObject({ flagId: 'f', scope: 'exp_deployment', scopeParam: 'production' });
  });

  it('takes the last stored state as the previous one, and on first sight says it is unknown instead of inventing one', async () => {
    await slackAlert(app, 'C1');
    await app.deps.db
      .updateTable('alerts')
      .set({ project_id: JSON.stringify(PROJECT) })
      .execute();
    await hook('prod', { type: 'deployment', deploymentId: 'production', deploymentLabel: null });

    // First sight: no previous state anywhere.
    const on = sourceChange({ flag: flag({ deployments: [production] }) }, production, true);
    await ingestSourceChanges(app.deps, 'T1', [on], options());
    const [first] = await bodies(1);
    expect(first).toMatchObject({ flagId: 'new-checkout', action: 'updated', oldFlag: null });
    const post = await slack.waitFor('chat.postMessage', (c) => c.args.channel === 'C1');
    const message = `${String(post.args.text)}\n${JSON.stringify(post.args.blocks)}`;
    expect(message).toContain('Previous state unknown');
    expect(message).not.toContain('activated');

    // Next time the stored state is the previous one: this is a deactivation, in production only.
    const off = sourceChange({ flag: flag({ enabled: false, deployments: [production] }) }, production, true);
    // A minute later on the app's clock: C1's next posting slot has come, so the post goes at once.
    ahead += 60_000;
    await ingestSourceChanges(app.deps, 'T1', [off], options());
    const [, second] = await bodies(2);
    expect(second).toMatchObject({ oldFlag: { enabled: true }, flag: { enabled: false } });
    await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBe(2);
    const [, deactivated] = slack.callsOf('chat.postMessage');
    expect(String(deactivated?.args.text)).toContain('deactivated');
    expect(JSON.stringify(deactivated?.args.blocks)).not.toContain('Previous state unknown');

    // Staging has a state of its own: production's is not taken for it.
    const stagingOn = sourceChange({ flag: flag({ deployments: [staging] }) }, staging, true);
    ahead += 60_000;
    await ingestSourceChanges(app.deps, 'T1', [stagingOn], options());
    await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBe(3);
    expect(JSON.stringify(slack.callsOf('chat.postMessage')[2]?.args.blocks)).toContain('Previous state unknown');
    expect(receiver.received).toHaveLength(2);
  });

  it('takes the last change stored from the source as the previous state, and repeated updates in one call chain', async () => {
    await hook('all', { type: 'project' });
    await organizationWithKey(app);
    const created = sourceChange({ action: 'created', flag: { id: 'native', key: 'native', enabled: true, rolloutPercentage: 10 } }, null);
    await ingestSourceChanges(app.deps, 'T1', [created], options());
    await bodies(1);
    const next = (rolloutPercentage: number) => sourceChange({ flag: { id: 'native', key: 'native', enabled: true, rolloutPercentage } }, null, true);
    await ingestSourceChanges(app.deps, 'T1', [next(50), next(90)], options());
    const [, a, b] = await bodies(3);
    expect(a).toMatchObject({ oldFlag: { rolloutPercentage: 10 }, flag: { rolloutPercentage: 50 } });
    expect(b).toMatchObject({ oldFlag: { rolloutPercentage: 50 }, flag: { rolloutPercentage: 90 } });
  });

  it("treats a platform's retry as a duplicate: by its delivery id, or by the raw body for 24 hours", async () => {
    await hook('all', { type: 'project' });
    const changes = [
      sourceChange({ oldFlag: flag({ enabled: false }), flag: flag() }, production),
      sourceChange({ oldFlag: flag({ enabled: false }), flag: flag() }, staging),
    ];
    const byId = { sourceId: 'src-1', deliveryId: 'ld-5f1e', rawBody: Buffer.from('a') };
    expect(await ingestSourceChanges(app.deps, 'T1', changes, byId)).toEqual({ accepted: 2, duplicates: 0 });
    expect(await ingestSourceChanges(app.deps, 'T1', changes, { ...byId, rawBody: Buffer.from('b') })).toEqual({ accepted: 0, duplicates: 2 });
    // Another source may use the same delivery id.
    expect(await ingestSourceChanges(app.deps, 'T1', changes.slice(0, 1), { ...byId, sourceId: 'src-2' })).toEqual({ accepted: 1, duplicates: 0 });

    const byBody = { sourceId: 'src-1', rawBody: Buffer.from('{"event":"FLAG_UPDATED","timestamp":"2026-12-03T10:00:00Z"}') };
    const one = changes.slice(0, 1);
    expect(await ingestSourceChanges(app.deps, 'T1', one, byBody)).toEqual({ accepted: 1, duplicates: 0 });
    ahead += BODY_KEY_WINDOW_MS - 60_000;
    expect(await ingestSourceChanges(app.deps, 'T1', one, byBody)).toEqual({ accepted: 0, duplicates: 1 });
    ahead += 2 * 60_000;
    expect(await ingestSourceChanges(app.deps, 'T1', one, byBody)).toEqual({ accepted: 1, duplicates: 0 });
    await expect.poll(async () => (await deliveryRows(app)).length).toBe(5);
  });
});
