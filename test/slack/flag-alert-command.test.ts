import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlert, findAlert, listAlerts } from '../../src/alerts/alerts.repository.js';
import type { NewAlert } from '../../src/alerts/alert.js';
import { findExplicitRole } from '../../src/roles/members.repository.js';
import { clickButton, command, openHome, startHarness, textOf, waitForNew, type Harness } from '../helpers/slack-harness.js';

const slackAlert = (name: string, channelId = 'C1FLAGS'): NewAlert => ({
  name,
  projectId: 123,
  scope: { type: 'project' },
  actions: ['created', 'updated', 'deleted'],
  destination: { type: 'slack', channelId, channelName: null },
});

describe('/flag-alert', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  const store = (org: string, name: string, channelId?: string) =>
    createAlert(h.app.deps.db, h.app.deps.box, { organizationId: org, createdBy: 'U1', alert: slackAlert(name, channelId) });

  it.each([['help'], ['frobnicate 3'], ['HELP']])('answers "%s" with help, ephemeral', async (text) => {
    const answer = await command(h, 'T1', 'U1M', text);
    expect(answer.body?.response_type).toBe('ephemeral');
    expect(answer.body?.text).toContain('/flag-alert role @user admin|member|viewer|none');
    if (text.startsWith('frob')) expect(answer.body?.text).toContain('I don\'t know "frobnicate"');
  });

  it("lists the workspace's alerts only", async () => {
    await store('T1', 'Ours');
    await store('T2', 'Theirs', 'C2OTHER');
    const answer = await command(h, 'T1', 'U1V', 'list');
    expect(answer.body?.response_type).toBe('ephemeral');
    expect(answer.body?.text).toContain('Ours');
    expect(answer.body?.text).toContain('#flags');
    expect(answer.body?.text).not.toContain('Theirs');
  });

  it('pauses, resumes, tests and deletes (after confirmation) with the Home tab republished', async () => {
    const alert = await store('T1', 'Checkout');
    await openHome(h, 'T1', 'U1');
    let published = h.slack.callsOf('views.publish').length;

    const paused = await command(h, 'T1', 'U1M', `pause ${alert.id}`);
    expect(paused.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Paused alert') });
    expect((await findAlert(h.app.deps.db, 'T1', alert.id))?.status).toBe('paused');
    expect(textOf((await waitForNew(h, 'views.publish', published)).args.view)).toContain('paused');
    published = h.slack.callsOf('views.publish').length;

    await command(h, 'T1', 'U1M', `resume #${alert.id}`);
    expect((await findAlert(h.app.deps.db, 'T1', alert.id))?.status).toBe('active');
    expect(textOf((await waitForNew(h, 'views.publish', published)).args.view)).toContain('active');

    const test = await command(h, 'T1', 'U1M', `test ${alert.id}`);
    expect(test.body?.response_type).toBe('ephemeral');
    const deliveries = await h.app.deps.db.selectFrom('deliveries').selectAll().where('alert_id', '=', alert.id).execute();
    expect(deliveries.map((d) => [d.kind, d.organization_id])).toEqual([['test', 'T1']]);

    const confirm = await command(h, 'T1', 'U1M', `delete ${alert.id}`);
    expect(confirm.body?.text).toContain(`Delete alert #${alert.id}`);
    expect(textOf(confirm.body?.blocks)).toContain('"action_id":"alert_delete"');
    expect(textOf(confirm.body?.blocks)).toContain('"confirm"');
    expect(await findAlert(h.app.deps.db, 'T1', alert.id)).toBeDefined();
    published = h.slack.callsOf('views.publish').length;
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'alert_delete', value: String(alert.id), container: 'message' });
    await expect.poll(() => findAlert(h.app.deps.db, 'T1', alert.id)).toBeUndefined();
    expect(textOf((await waitForNew(h, 'views.publish', published)).args.view)).not.toContain('Checkout');
  });

  it('resumes an alert into waiting while the bot is still not in its private channel', async () => {
    const alert = await store('T1', 'Private', 'G1SECRET');
    await command(h, 'T1', 'U1M', `pause ${alert.id}`);
    const answer = await command(h, 'T1', 'U1M', `resume ${alert.id}`);
    expect(answer.body?.text).toContain('/invite @Flag Alerts');
    expect((await findAlert(h.app.deps.db, 'T1', alert.id))?.status).toBe('waiting');
  });

  it('says so for an unknown or missing id', async () => {
    expect((await command(h, 'T1', 'U1M', 'pause 999')).body?.text).toContain('no alert #999');
    expect((await command(h, 'T1', 'U1M', 'pause')).body?.text).toContain('Which alert?');
    expect((await command(h, 'T1', 'U1M', 'edit abc')).body?.text).toContain('not an alert number');
    expect(h.slack.callsOf('views.open')).toHaveLength(0);
  });

  it("never lets workspace B act on workspace A's alert ids", async () => {
    const alert = await store('T1', 'Private to T1');
    for (const text of [`pause ${alert.id}`, `delete ${alert.id}`, `test ${alert.id}`, `edit ${alert.id}`]) {
      const answer = await command(h, 'T2', 'U2', text);
      expect(answer.body?.text).toContain(`no alert #${alert.id}`);
    }
    await clickButton(h, { teamId: 'T2', userId: 'U2', actionId: 'alert_delete', value: String(alert.id) });
    await clickButton(h, { teamId: 'T2', userId: 'U2', actionId: 'alert_pause', value: String(alert.id) });
    await h.slack.waitFor('views.open', (c) => textOf(c.args.view).includes(`no alert #${alert.id}`));
    expect(await findAlert(h.app.deps.db, 'T1', alert.id)).toMatchObject({ status: 'active', name: 'Private to T1' });
    expect(await h.app.deps.db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
    expect(h.slack.callsOf('views.open').filter((c) => textOf(c.args.view).includes('Private to T1'))).toEqual([]);
  });

  it('refuses viewers: create, edit, delete, pause and test, naming the admins', async () => {
    const alert = await store('T1', 'Guarded');
    for (const text of ['', 'create', `edit ${alert.id}`, `delete ${alert.id}`, `pause ${alert.id}`, `test ${alert.id}`]) {
      const answer = await command(h, 'T1', 'U1V', text);
      expect(answer.body?.response_type).toBe('ephemeral');
      expect(answer.body?.text).toMatch(/your role is viewer\. Ask an admin \(<@U1>\)/);
    }
    expect(h.slack.callsOf('views.open')).toHaveLength(0);
    expect(await findAlert(h.app.deps.db, 'T1', alert.id)).toMatchObject({ status: 'active' });
    expect(await h.app.deps.db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
  });

  it('lets admins set roles from a mention Slack escaped; others cannot', async () => {
    const refused = await command(h, 'T1', 'U1M', 'role <@U1V|guest> admin');
    expect(refused.body?.text).toContain('Ask an admin (<@U1>)');
    expect(await findExplicitRole(h.app.deps.db, 'T1', 'U1V')).toBeUndefined();

    const set = await command(h, 'T1', 'U1', 'role <@U1M|mia> viewer');
    expect(set.body?.text).toBe('<@U1M> is now a viewer in Flag Alerts.');
    expect(await findExplicitRole(h.app.deps.db, 'T1', 'U1M')).toBe('viewer');
    expect(await findExplicitRole(h.app.deps.db, 'T2', 'U1M')).toBeUndefined();
    expect((await command(h, 'T1', 'U1M', 'create')).body?.text).toContain('your role is viewer');

    const usage = await command(h, 'T1', 'U1', 'role U1M boss');
    expect(usage.body?.text).toContain('Usage:');
    // a Slack workspace admin is an admin without an explicit role; a guest stays at most viewer
    expect((await command(h, 'T1', 'U1A', 'role <@U1M> member')).body?.text).toContain('is now a member');
    await command(h, 'T1', 'U1', 'role <@U1V> admin');
    expect((await command(h, 'T1', 'U1V', 'create')).body?.text).toContain('your role is viewer');
  });

  it('gives people with role none nothing, not even the list', async () => {
    await command(h, 'T1', 'U1', 'role <@U1M> none');
    const answer = await command(h, 'T1', 'U1M', 'list');
    expect(answer.body?.text).toContain('you have no role in Flag Alerts');
    expect(await listAlerts(h.app.deps.db, 'T1')).toEqual([]);
  });
});
