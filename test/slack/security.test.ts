import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createAlert, findAlert, listAlerts } from '../../src/alerts/alerts.repository.js';
import { change, organizationWithKey, postEvents, slackAlert } from '../helpers/delivery-fixtures.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { sendCommand, sendEvent, sendInteraction } from '../helpers/slack-requests.js';
import { testDialects } from '../helpers/test-database.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { clickButton, formValues, startHarness, submitModal, type Harness } from '../helpers/slack-harness.js';
import { until } from '../helpers/reliability-helpers.js';
import { advanceOutbox, createTestClock, nextTryAt } from '../helpers/test-clock.js';

const T1_SIGNING_KEY = `whsec_${Buffer.from('t1-secret-signing-key-material!!').toString('base64')}`;

describe.each(testDialects())('security on %s', (dialect) => {
  let h: Harness;
  let receiver: WebhookReceiver;
  // The app's clock stands still until a case moves it to a retry's time.
  const clock = createTestClock();

  beforeAll(async () => {
    h = await startHarness(dialect, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }, clock.now);
    receiver = await new WebhookReceiver(T1_SIGNING_KEY).start();
  });
  afterAll(async () => {
    await receiver.stop();
    await h.stop();
  });

  describe('Slack request verification', () => {
    const now = () => Math.floor(Date.now() / 1000);
    it.each([
      ['a bad signature', { signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000' }],
      ['a signature made with another secret', { signingSecret: 'not-the-secret' }],
      ['a timestamp older than 5 minutes', { timestamp: now() - 6 * 60 }],
    ])('refuses commands, interactions and events with %s (401) and does nothing', async (_label, override) => {
      const opts = { ...h.app.signing, ...override };
      const callsBefore = h.slack.calls.length;
      const alertsBefore = (await listAlerts(h.app.deps.db, 'T1')).length;
      const command = await sendCommand(h.app.url, { teamId: 'T1', userId: 'U1', text: 'create' }, opts);
      const interaction = await sendInteraction(
        h.app.url,
        {
          type: 'view_submission',
          team: { id: 'T1' },
          user: { id: 'U1', team_id: 'T1' },
          view: { callback_id: 'alert_modal', private_metadata: '{"mode":"create"}', state: { values: formValues({}) } },
        },
        opts,
      );
      const event = await sendEvent(h.app.url, { teamId: 'T1', event: { type: 'app_uninstalled' } }, opts);
      expect([command.status, interaction.status, event.status]).toEqual([401, 401, 401]);
      expect(h.slack.calls.length).toBe(callsBefore);
      expect((await listAlerts(h.app.deps.db, 'T1')).length).toBe(alertsBefore);
      const live = await h.app.deps.db.selectFrom('installations').select('revoked_at').where('organization_id', '=', 'T1').executeTakeFirst();
      expect(live?.revoked_at).toBeNull();
    });
  });

  it('refuses a replayed OAuth state: the second workspace is not installed with it', async () => {
    const start = await fetch(`${h.app.url}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    h.slack.addInstall('code-t3', { teamId: 'T3', userId: 'U3' });
    h.slack.addInstall('code-t4', { teamId: 'T4', userId: 'U4' });
    expect(
      (await fetch(`${h.app.url}/slack/oauth_redirect?code=code-t3&state=${encodeURIComponent(state)}`, { redirect: 'manual', headers: { cookie } })).status,
    ).toBe(302);
    const replay = await fetch(`${h.app.url}/slack/oauth_redirect?code=code-t4&state=${encodeURIComponent(state)}`, {
      redirect: 'manual',
      headers: { cookie },
    });
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.status).toBeLessThan(500);
    expect(await h.app.deps.db.selectFrom('installations').select('id').where('organization_id', '=', 'T4').execute()).toEqual([]);
  });

  it("an ingest key of one organization never reaches another organization's alerts", async () => {
    const other = await new WebhookReceiver(T1_SIGNING_KEY).start();
    try {
      const t1Key = await organizationWithKey(h.app, 'T1');
      await organizationWithKey(h.app, 'T2');
      const t1 = await createAlert(h.app.deps.db, h.app.deps.box, {
        organizationId: 'T1',
        createdBy: 'U1',
        alert: {
          name: 'T1 hook',
          projectId: 777,
          scope: { type: 'project' },
          actions: ['updated'],
          destination: { type: 'webhook', url: receiver.url, signingKey: T1_SIGNING_KEY },
        },
      });
      const t2 = await createAlert(h.app.deps.db, h.app.deps.box, {
        organizationId: 'T2',
        createdBy: 'U2',
        alert: {
          name: 'T2 hook',
          projectId: 777,
          scope: { type: 'project' },
          actions: ['updated'],
          destination: { type: 'webhook', url: other.url, signingKey: T1_SIGNING_KEY },
        },
      });
      // Naming the other tenant in the body changes nothing: the key decides.
      const res = await postEvents(h.app, t1Key, change('tenant-check', { projectId: 777, organizationId: 'T2', teamId: 'T2' }));
      expect(res.status).toBe(202);
      await receiver.waitFor(1);
      // Whatever was being sent has ended: T2's receiver got nothing, and (below) T2 has no delivery to send later.
      await h.app.deliveriesSettled();
      expect(other.received).toHaveLength(0);
      const byAlert = async (id: number) => h.app.deps.db.selectFrom('deliveries').select('id').where('alert_id', '=', id).execute();
      expect(await byAlert(t1.id)).toHaveLength(1);
      expect(await byAlert(t2.id)).toHaveLength(0);
      expect(await h.app.deps.db.selectFrom('flag_events').select('id').where('organization_id', '=', 'T2').execute()).toEqual([]);
      expect(await h.app.deps.db.selectFrom('catalog_projects').select('project_id').where('organization_id', '=', 'T2').execute()).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it("a user of one workspace cannot read or change another workspace's alerts with crafted payloads", async () => {
    const victim = await slackAlert(h.app, 'C1FLAGS', 'T1', 'U1');
    await h.app.deps.db.updateTable('alerts').set({ name: 'T1 secret launch plan', project_id: '888' }).where('id', '=', victim.id).execute();
    const t1Key = await organizationWithKey(h.app, 'T1');
    await postEvents(h.app, t1Key, change('t1-only', { projectId: 888 }));
    await until(
      'the T1 delivery',
      async () => (await h.app.deps.db.selectFrom('deliveries').select('status').where('alert_id', '=', victim.id).executeTakeFirst())?.status === 'delivered',
      10_000,
    );
    const delivery = await h.app.deps.db.selectFrom('deliveries').select('id').where('alert_id', '=', victim.id).executeTakeFirstOrThrow();
    const deliveriesBefore = (await h.app.deps.db.selectFrom('deliveries').select('id').execute()).length;
    const opensBefore = h.slack.callsOf('views.open').length;

    // U2 is T2's installer (admin there), clicking T1's alert ids on their own Home tab.
    for (const actionId of ['alert_pause', 'alert_resume', 'alert_delete', 'alert_test', 'alert_edit']) {
      expect(await clickButton(h, { teamId: 'T2', userId: 'U2', actionId, value: String(victim.id) })).toBe(200);
    }
    expect(await clickButton(h, { teamId: 'T2', userId: 'U2', actionId: 'flag_change_view_details', value: String(delivery.id), container: 'message' })).toBe(
      200,
    );
    for (const text of [`delete ${victim.id}`, `pause ${victim.id}`, `edit ${victim.id}`, `test ${victim.id}`]) {
      const res = await sendCommand(h.app.url, { teamId: 'T2', userId: 'U2', text }, h.app.signing);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain('secret launch plan');
    }
    const edit = await submitModal(h, {
      teamId: 'T2',
      userId: 'U2',
      meta: { mode: 'edit', alertId: victim.id, hasStoredKey: false },
      values: formValues({ name: 'hijacked', channelId: 'C2OTHER' }),
    });
    expect(edit.body?.response_action).toBe('errors');
    await new Promise((r) => setTimeout(r, 500));

    const after = await findAlert(h.app.deps.db, 'T1', victim.id);
    expect(after).toMatchObject({ name: 'T1 secret launch plan', status: 'active', organizationId: 'T1' });
    expect((await h.app.deps.db.selectFrom('deliveries').select('id').execute()).length).toBe(deliveriesBefore);
    // Whatever opened in T2 (a "not found" notice) shows nothing of T1's alert or change.
    const opened = h.slack.callsOf('views.open').slice(opensBefore);
    expect(opened.every((c) => c.token?.startsWith('xoxb-T2-'))).toBe(true);
    expect(JSON.stringify(opened)).not.toContain('secret launch plan');
    expect(JSON.stringify(opened)).not.toContain('t1-only');
  });

  it('neutralizes mrkdwn mentions and links from flag fields in Slack messages and the details modal', async () => {
    const alert = await slackAlert(h.app, 'C1GENERAL', 'T1', 'U1');
    await h.app.deps.db.updateTable('alerts').set({ project_id: '999' }).where('id', '=', alert.id).execute();
    const key = await organizationWithKey(h.app, 'T1');
    const evil = {
      id: 1,
      key: 'evil-<!channel>',
      name: '<!here> <@U1> <https://evil.example|click> <!subteam^S1>',
      enabled: true,
      tags: ['<!everyone>'],
      deployments: [{ id: 5, label: '<#C1FLAGS>' }],
      description: '&lt;!channel&gt; <script>x</script>',
    };
    await postEvents(h.app, key, {
      projectId: 999,
      projectName: '<@U2|boss>',
      action: 'updated',
      modifiedBy: '<!channel> <mailto:a@b.c|x>',
      flag: { ...evil, rolloutPercentage: 90 },
      oldFlag: { ...evil, rolloutPercentage: 10, name: '<!here>' },
    });
    const post = await h.slack.waitFor('chat.postMessage', (c) => c.args.channel === 'C1GENERAL', 10_000);
    // Slack parses mentions and links in the fallback text and in mrkdwn; plain_text (headers, buttons) is shown literally.
    const text = [String(post.args.text), ...mrkdwnOf(post.args.blocks)].join('\n');
    expect(mrkdwnOf(post.args.blocks).length).toBeGreaterThan(0);
    for (const raw of ['<!channel>', '<!here>', '<!everyone>', '<!subteam', '<@U', '<https://evil', '<#C1FLAGS>', '<mailto:']) expect(text).not.toContain(raw);
    expect(text).toContain('evil-');

    // The "View details" modal shows every field of the change: the same holds there.
    const delivery = await h.app.deps.db.selectFrom('deliveries').select('id').where('alert_id', '=', alert.id).executeTakeFirstOrThrow();
    const opensBefore = h.slack.callsOf('views.open').length;
    expect(await clickButton(h, { teamId: 'T1', userId: 'U1', actionId: 'flag_change_view_details', value: String(delivery.id), container: 'message' })).toBe(
      200,
    );
    await until('the details modal', () => h.slack.callsOf('views.open').length > opensBefore, 5_000);
    const details = mrkdwnOf(h.slack.callsOf('views.open')[opensBefore]?.args.view).join('\n');
    expect(details).toContain('evil-');
    for (const raw of ['<!channel>', '<!here>', '<!everyone>', '<!subteam', '<@U', '<https://evil', '<#C1FLAGS>', '<mailto:'])
      expect(details).not.toContain(raw);
  });

  it('never writes tokens, signing keys or ingest keys to the logs or in clear text to the database', async () => {
    // Install (tokens), an alert with a signing key through the modal, deliveries, and failures of both kinds.
    const modalKey = `whsec_${Buffer.from('modal-entered-signing-key-bytes!').toString('base64')}`;
    const saved = await submitModal(h, {
      teamId: 'T1',
      userId: 'U1',
      values: formValues({
        name: 'secret hook',
        destination: 'webhook',
        webhookUrl: 'https://93.184.215.14/hooks/flags',
        signingKey: modalKey,
        channelId: null,
      }),
    });
    expect(saved.body).toBeUndefined();
    const ingestKey = await organizationWithKey(h.app, 'T1');
    const hook = await createAlert(h.app.deps.db, h.app.deps.box, {
      organizationId: 'T1',
      createdBy: 'U1',
      alert: {
        name: 'failing hook',
        projectId: 4242,
        scope: { type: 'project' },
        actions: ['updated'],
        destination: { type: 'webhook', url: receiver.url, signingKey: T1_SIGNING_KEY },
      },
    });
    const channel = await slackAlert(h.app, 'C1FLAGS', 'T1', 'U1');
    await h.app.deps.db.updateTable('alerts').set({ project_id: '4242' }).where('id', '=', channel.id).execute();
    receiver.answers.push({ status: 500 });
    h.slack.failNext('chat.postMessage', { error: 'invalid_auth' });
    // A minute after the cases before, so C1FLAGS's next posting slot has come (the clock moves only when told).
    clock.advance(60_000);
    await postEvents(h.app, ingestKey, change('secrets-check', { projectId: 4242 }));
    const hookDelivery = async () => h.app.deps.db.selectFrom('deliveries').select(['id', 'attempts']).where('alert_id', '=', hook.id).executeTakeFirst();
    await until('the webhook failed once', async () => ((await hookDelivery())?.attempts ?? 0) >= 1, 10_000);
    advanceOutbox(h.app, clock, (await nextTryAt(h.app, (await hookDelivery())?.id ?? 0)) - clock.now());
    await until(
      'the webhook retried and delivered',
      async () => (await h.app.deps.db.selectFrom('deliveries').select('status').where('alert_id', '=', hook.id).executeTakeFirst())?.status === 'delivered',
      10_000,
    );
    await until('the Slack alert broken', async () => (await findAlert(h.app.deps.db, 'T1', channel.id))?.status === 'broken', 10_000);
    // A workspace with token rotation: a refresh token to keep secret as well.
    expect((await installWorkspace(h.app.url, h.slack, { teamId: 'T5', userId: 'U5', expiresIn: 43_200 })).status).toBe(302);
    expect(h.slack.refreshTokens.size).toBeGreaterThan(0);

    const secrets = [
      ...h.slack.tokens.keys(),
      ...h.slack.refreshTokens.keys(),
      modalKey,
      T1_SIGNING_KEY,
      ingestKey,
      'test-client-secret',
      h.app.signing.signingSecret,
    ];
    expect(secrets.filter((s) => s.startsWith('xoxb-')).length).toBeGreaterThanOrEqual(3);
    const logs = h.app.logs();
    expect(logs.length).toBeGreaterThan(1000);
    expect(secrets.filter((s) => logs.includes(s))).toEqual([]);
    // The secrets' distinctive parts, too (e.g. a whsec_ key's base64 without its prefix).
    expect([modalKey.slice(6), T1_SIGNING_KEY.slice(6)].filter((s) => logs.includes(s))).toEqual([]);

    const stored = await everythingStored(h);
    expect(stored.length).toBeGreaterThan(1000);
    expect(stored).toContain('secret hook');
    expect(secrets.filter((s) => stored.includes(s))).toEqual([]);
  });
});

/** Every mrkdwn text in a Block Kit structure. */
function mrkdwnOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnOf);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.type === 'mrkdwn' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(mrkdwnOf)];
}

/** Every byte the database holds: the SQLite files (with -wal), or every row of every table as text. */
async function everythingStored(h: Harness): Promise<string> {
  const { database } = h.app;
  if (database.dialect === 'sqlite') {
    const path = database.url.replace(/^file:/, '');
    return ['', '-wal', '-shm']
      .filter((suffix) => existsSync(path + suffix))
      .map((suffix) => readFileSync(path + suffix).toString('latin1'))
      .join('\n');
  }
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(
    h.app.deps.db,
  );
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(h.app.deps.db);
    parts.push(...rows.rows.map((r) => r.row));
  }
  return parts.join('\n');
}
