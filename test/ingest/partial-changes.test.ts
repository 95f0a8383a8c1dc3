import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import type { NewAlert } from '../../src/alerts/alert.js';
import { flagStateColumns, lastFlagSnapshots } from '../../src/catalog/catalog-flags.repository.js';
import { changedFieldNames } from '../../src/flag-change/diff.js';
import type { DeploymentRef, FlagId, FlagSnapshot, FlagState } from '../../src/flag-change/model.js';
import { ingestSourceChanges } from '../../src/ingest/ingest-flag-events.js';
import type { SourceChange } from '../../src/sources/source-kind.js';
import { organizationWithKey, SIGNING_KEY, webhookAlert } from '../helpers/delivery-fixtures.js';
import { FakeSlack, type RecordedCall } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const production = { id: 'production', label: 'Production' };
const staging = { id: 'staging', label: 'Staging' };

/** A flag's full state as a platform that sends everything (LaunchDarkly, GrowthBook) reports it. */
function full(key: string, overrides: Partial<FlagSnapshot> = {}): FlagSnapshot {
  return {
    id: key,
    key,
    name: `Flag ${key}`,
    enabled: true,
    deployments: [production],
    tags: ['payments'],
    variants: [{ key: 'on' }, { key: 'off' }],
    ...overrides,
  };
}

function change(projectId: string, event: Partial<SourceChange['event']>, environment: DeploymentRef | null, flags: Partial<SourceChange> = {}): SourceChange {
  return { event: { projectId, action: 'updated', modifiedBy: 'ana@example.com', ...event }, environment, ...flags };
}

/** What an Unleash environment toggle or a ConfigCat toggle says: the flag, its environment and on/off, nothing else. */
const toggle = (key: string, enabled: boolean, environment: typeof production) => ({ id: key, key, enabled, deployments: [environment] });
const PARTIAL = { previousUnknown: true, partial: true } as const;

describe.each(testDialects())('partial source changes on %s', (dialect) => {
  let slack: FakeSlack;
  let receiver: WebhookReceiver;
  let app: TestApp;
  // Moved a minute ahead before each Slack post after the first, so the channel's next posting slot has come.
  let ahead = 0;
  let deliveries = 0;
  const ingest = (...changes: SourceChange[]) =>
    ingestSourceChanges(app.deps, 'T1', changes, { sourceId: 'src-1', deliveryId: `d-${++deliveries}`, rawBody: Buffer.from('{}') });
  const hook = (projectId: string, scope: NewAlert['scope']) => webhookAlert(app, receiver.url, 'T1', { name: `${projectId} ${scope.type}`, projectId, scope });

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    app = await startTestApp({ dialect, slack, now: () => Date.now() + ahead, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    await organizationWithKey(app);
    await createAlert(app.deps.db, app.deps.box, {
      organizationId: 'T1',
      createdBy: 'U1',
      alert: {
        name: 'storefront to C1',
        projectId: 'storefront',
        scope: { type: 'project' },
        actions: ['created', 'updated', 'deleted'],
        destination: { type: 'slack', channelId: 'C1', channelName: 'alerts' },
      },
    });
    await hook('storefront', { type: 'project' });
    await hook('warehouse', { type: 'project' });
    await hook('flipt-ns', { type: 'tag', tags: ['payments'] });
  });
  afterAll(async () => {
    await app.stop();
    await receiver.stop();
    await slack.stop();
  });

  /** The webhook bodies of one flag, once `n` of them came. */
  async function bodiesOf(flagId: string, n: number): Promise<{ flag: FlagState | null; oldFlag: FlagState | null; scope: unknown }[]> {
    const of = () => receiver.received.filter((r) => r.body.flagId === flagId);
    await expect.poll(() => of().length, { timeout: 10_000 }).toBe(n);
    return of().map((r) => r.body as { flag: FlagState | null; oldFlag: FlagState | null; scope: unknown });
  }
  async function postAbout(key: string, nth: number): Promise<string> {
    const of = () => slack.callsOf('chat.postMessage').filter((c: RecordedCall) => String(c.args.text).includes(key));
    await expect.poll(() => of().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(nth);
    const post = of()[nth - 1];
    return `${String(post?.args.text)}\n${JSON.stringify(post?.args.blocks)}`;
  }
  async function stored(projectId: string, flagId: FlagId, environmentId: FlagId | null): Promise<FlagSnapshot | undefined> {
    const columns = flagStateColumns({ projectId, flagId, environmentId });
    const found = await app.deps.db.transaction().execute((trx) => lastFlagSnapshots(trx, 'T1', [columns]));
    return found.get(columns.text);
  }

  it('lays a toggle that names only on/off over the stored state: the message shows enabled alone, the catalog keeps the rest', async () => {
    await ingest(change('storefront', { oldFlag: full('new-checkout', { enabled: false }), flag: full('new-checkout') }, production));
    await postAbout('new-checkout', 1);

    ahead += 60_000;
    expect(await ingest(change('storefront', { flag: toggle('new-checkout', false, production) }, production, PARTIAL))).toEqual({
      accepted: 1,
      duplicates: 0,
    });
    const [, body] = await bodiesOf('new-checkout', 2);
    expect(body?.oldFlag).toEqual(full('new-checkout'));
    expect(body?.flag).toEqual(full('new-checkout', { enabled: false }));
    expect(changedFieldNames(body?.oldFlag ?? {}, body?.flag ?? {})).toEqual(['enabled']);

    const message = await postAbout('new-checkout', 2);
    expect(message).toContain('deactivated');
    expect(message).toContain('*Enabled*');
    expect(message).not.toContain('*Tags*');
    expect(message).not.toContain('*Variants*');
    expect(message).not.toContain('Previous state unknown');

    expect(await stored('storefront', 'new-checkout', 'production')).toEqual(full('new-checkout', { enabled: false }));
  });

  it('takes a partial change as it is on first sight, and the message says the previous state is unknown', async () => {
    ahead += 60_000;
    await ingest(change('storefront', { flag: toggle('fresh-flag', true, production) }, production, PARTIAL));
    const [body] = await bodiesOf('fresh-flag', 1);
    expect(body?.oldFlag).toBeNull();
    expect(body?.flag).toEqual(toggle('fresh-flag', true, production));
    expect(await postAbout('fresh-flag', 1)).toContain('Previous state unknown');
    expect(await stored('storefront', 'fresh-flag', 'production')).toEqual(toggle('fresh-flag', true, production));
  });

  it("does not take another environment's stored state for a partial change", async () => {
    await ingest(change('warehouse', { oldFlag: full('split', { enabled: false }), flag: full('split') }, production));
    await ingest(change('warehouse', { flag: toggle('split', false, staging) }, staging, PARTIAL));
    const [, inStaging] = await bodiesOf('split', 2);
    expect(inStaging?.oldFlag).toBeNull();
    expect(inStaging?.flag).toEqual(toggle('split', false, staging));
    expect(await stored('warehouse', 'split', 'staging')).toEqual(toggle('split', false, staging));
    expect(await stored('warehouse', 'split', 'production')).toEqual(full('split'));
  });

  it('matches, chains and deletes with the overlaid state: one entity per change, as Flipt sends them', async () => {
    const flag = full('checkout-flow', { deployments: [], 'rule r1': { segment_key: 'beta', rank: 1 } });
    await ingest(change('flipt-ns', { action: 'created', flag }, null));
    await bodiesOf('checkout-flow', 1);

    // Neither names the flag's tags, yet the tag alert is reached; the second one's previous state is the first's result.
    const identity = { id: 'checkout-flow', key: 'checkout-flow' };
    await ingest(
      change('flipt-ns', { flag: { ...identity, 'variant v3': { key: 'blue' } } }, null, PARTIAL),
      change('flipt-ns', { flag: { ...identity, 'rule r1': null } }, null, PARTIAL),
    );
    // One commit's deliveries may arrive in either order.
    const parts = (await bodiesOf('checkout-flow', 3)).filter((b) => b.oldFlag && b.flag);
    const variant = parts.find((b) => !('variant v3' in (b.oldFlag ?? {})));
    const rule = parts.find((b) => b.flag?.['rule r1'] === null);
    expect(variant).toMatchObject({ scope: 'exp_tags', oldFlag: flag, flag: { ...flag, 'variant v3': { key: 'blue' } } });
    expect(changedFieldNames(variant?.oldFlag ?? {}, variant?.flag ?? {})).toEqual(['variant v3']);
    expect(rule).toMatchObject({ oldFlag: { ...flag, 'variant v3': { key: 'blue' } }, flag: { ...flag, 'variant v3': { key: 'blue' }, 'rule r1': null } });
    expect(changedFieldNames(rule?.oldFlag ?? {}, rule?.flag ?? {})).toEqual(['rule r1']);

    // A deletion that names only the key: what the flag was comes from the stored state.
    await ingest(change('flipt-ns', { action: 'deleted', oldFlag: { ...identity, deployments: [] } }, null, PARTIAL));
    const deleted = (await bodiesOf('checkout-flow', 4)).find((b) => b.flag === null);
    expect(deleted).toMatchObject({ flag: null, oldFlag: { ...flag, 'variant v3': { key: 'blue' }, 'rule r1': null } });
    expect(await stored('flipt-ns', 'checkout-flow', null)).toMatchObject({ tags: ['payments'], 'variant v3': { key: 'blue' } });
  });
});
