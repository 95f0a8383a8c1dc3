import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlert, findAlert } from '../../src/alerts/alerts.repository.js';
import type { NewAlert } from '../../src/alerts/alert.js';
import { clickButton, formValues, openHome, startHarness, submitModal, textOf, waitForNew, type Harness } from '../helpers/slack-harness.js';

const slackAlert = (name: string, channelId: string, projectId = 123): NewAlert => ({
  name,
  projectId,
  scope: { type: 'project' },
  actions: ['created', 'updated', 'deleted'],
  destination: { type: 'slack', channelId, channelName: null },
});

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string; text?: { text: string } }[];
}
const blocksOf = (view: unknown) => (view as { blocks: Block[] }).blocks;
const actionIds = (view: unknown) => blocksOf(view).flatMap((b) => (b.elements ?? []).flatMap((e) => (e.action_id ? [e.action_id] : [])));
/** Everyone, whatever their role, gets their own notification choice (test/slack/app-home-preferences.test.ts). */
const OWN_PREFERENCES = ['notification_kinds_choice', 'notification_channel_choice'];

describe('the App Home tab', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  const store = (org: string, name: string, channelId: string, status?: 'waiting') =>
    createAlert(h.app.deps.db, h.app.deps.box, { organizationId: org, createdBy: 'U1', alert: slackAlert(name, channelId), ...(status ? { status } : {}) });

  it("shows the workspace's alerts with details, and channels the viewer cannot see by ID", async () => {
    await h.app.deps.db.insertInto('catalog_projects').values({ organization_id: 'T1', project_id: '123', name: 'Shop', updated_at: 1 }).execute();
    const visible = await store('T1', 'Public one', 'C1FLAGS');
    await store('T1', 'Secret one', 'G1SECRET', 'waiting');
    await store('T1', 'Private member', 'G1TEAM');
    await store('T2', 'Other workspace', 'C2OTHER');
    await h.app.deps.db
      .updateTable('alerts')
      .set({ last_delivery_at: Date.UTC(2026, 0, 2, 3, 4), last_delivery_outcome: 'delivered' })
      .where('id', '=', visible.id)
      .execute();

    const publish = await openHome(h, 'T1', 'U1M');
    expect(publish.token).toMatch(/^xoxb-T1-/);
    const view = publish.args.view as { type: string };
    expect(view.type).toBe('home');
    const text = textOf(view);
    expect(text).toContain('Public one');
    expect(text).toContain('Shop (123)');
    expect(text).toContain('All in the project');
    expect(text).toContain('#flags');
    expect(text).toContain('<@U1>');
    expect(text).toContain('created, updated, deleted');
    expect(text).toContain('2026-01-02 03:04 UTC');
    expect(text).toContain('delivered');
    expect(text).toContain('channel G1SECRET');
    expect(text).not.toContain('secret-launches');
    expect(text).toContain('channel G1TEAM');
    expect(text).not.toContain('team-private');
    expect(text).toContain('waiting');
    expect(text).not.toContain('Other workspace');
    expect(actionIds(view)).toEqual(expect.arrayContaining(['home_create', 'alert_edit', 'alert_pause', 'alert_test', 'alert_delete']));
  });

  it('starts a waiting alert once the bot is invited to its private channel', async () => {
    const waiting = await store('T1', 'Needs invite', 'G1SECRET', 'waiting');
    const first = await openHome(h, 'T1', 'U1M');
    expect(textOf(first.args.view)).toContain('waiting');
    expect((await findAlert(h.app.deps.db, 'T1', waiting.id))?.status).toBe('waiting');
    h.slack.addChannel({ id: 'G1SECRET', name: 'secret-launches', isPrivate: true, isMember: true, teamIds: ['T1'] });
    const second = await openHome(h, 'T1', 'U1M');
    expect((await findAlert(h.app.deps.db, 'T1', waiting.id))?.status).toBe('active');
    expect(textOf(second.args.view)).not.toContain('waiting');
  });

  it('shows people without a role no alerts, and whom to ask', async () => {
    await store('T1', 'Hidden from none', 'C1FLAGS');
    await h.app.deps.db
      .insertInto('members')
      .values({ organization_id: 'T1', user_id: 'U1M', role: 'none', display_name: null, updated_by: 'U1', updated_at: 1 })
      .execute();
    const publish = await openHome(h, 'T1', 'U1M');
    expect(textOf(publish.args.view)).not.toContain('Hidden from none');
    expect(textOf(publish.args.view)).toContain('Ask an admin (<@U1>)');
    expect(actionIds(publish.args.view)).toEqual(OWN_PREFERENCES);
  });

  it('shows viewers the list without buttons', async () => {
    await store('T1', 'Seen by all', 'C1FLAGS');
    const publish = await openHome(h, 'T1', 'U1V');
    expect(textOf(publish.args.view)).toContain('Seen by all');
    expect(actionIds(publish.args.view)).toEqual(OWN_PREFERENCES);
  });

  it('pauses, resumes, tests, edits and deletes from buttons and republishes for everyone who opened it', async () => {
    const alert = await store('T1', 'Buttons', 'C1FLAGS');
    await openHome(h, 'T1', 'U1M');
    await openHome(h, 'T1', 'U1V');
    const value = String(alert.id);

    let before = h.slack.callsOf('views.publish').length;
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'alert_pause', value });
    await waitForNew(h, 'views.publish', before, (c) => c.args.user_id === 'U1V');
    const mine = await waitForNew(h, 'views.publish', before, (c) => c.args.user_id === 'U1M');
    expect((await findAlert(h.app.deps.db, 'T1', alert.id))?.status).toBe('paused');
    expect(actionIds(mine.args.view)).toContain('alert_resume');

    before = h.slack.callsOf('views.publish').length;
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'alert_resume', value });
    await waitForNew(h, 'views.publish', before);
    expect((await findAlert(h.app.deps.db, 'T1', alert.id))?.status).toBe('active');

    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'alert_test', value });
    await expect
      .poll(async () => (await h.app.deps.db.selectFrom('deliveries').select('kind').where('alert_id', '=', alert.id).execute()).map((d) => d.kind))
      .toEqual(['test']);

    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'alert_edit', value });
    const edit = await h.slack.waitFor('views.open', (c) => textOf(c.args.view).includes('Edit flag alert'));
    expect(textOf(edit.args.view)).toContain('Buttons');
    before = h.slack.callsOf('views.publish').length;
    const saved = await submitModal(h, {
      teamId: 'T1',
      userId: 'U1M',
      meta: { mode: 'edit', alertId: alert.id },
      values: formValues({ name: 'Renamed by edit' }),
    });
    expect(saved.body).toBeUndefined();
    expect(textOf((await waitForNew(h, 'views.publish', before, (c) => c.args.user_id === 'U1V')).args.view)).toContain('Renamed by edit');

    before = h.slack.callsOf('views.publish').length;
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'alert_delete', value });
    const after = await waitForNew(h, 'views.publish', before, (c) => c.args.user_id === 'U1M');
    expect(await findAlert(h.app.deps.db, 'T1', alert.id)).toBeUndefined();
    expect(textOf(after.args.view)).not.toContain('Renamed by edit');
  });

  it("refuses a viewer's forged button clicks and says why", async () => {
    const alert = await store('T1', 'Keep me', 'C1FLAGS');
    for (const actionId of ['alert_delete', 'alert_pause', 'alert_edit', 'home_create', 'alert_test']) {
      const before = h.slack.callsOf('views.open').length;
      await clickButton(h, { teamId: 'T1', userId: 'U1V', actionId, value: String(alert.id) });
      const notice = await waitForNew(h, 'views.open', before);
      expect(textOf(notice.args.view)).toContain('Ask an admin (<@U1>)');
    }
    expect(await findAlert(h.app.deps.db, 'T1', alert.id)).toMatchObject({ status: 'active', name: 'Keep me' });
    expect(await h.app.deps.db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
  });

  it('pages long lists within 100 blocks with Next and Previous', async () => {
    for (let i = 0; i < 45; i += 1) await store('T1', `Alert number ${i}`, `C1X${i}`);
    const first = await openHome(h, 'T1', 'U1M');
    expect(blocksOf(first.args.view).length).toBeLessThanOrEqual(100);
    expect(textOf(first.args.view)).toContain('*Alert number 0*');
    expect(textOf(first.args.view)).not.toContain('Alert number 20');
    expect(actionIds(first.args.view)).toContain('home_next');
    expect(actionIds(first.args.view)).not.toContain('home_previous');

    const before = h.slack.callsOf('views.publish').length;
    await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: 'home_next', value: '2' });
    const last = await waitForNew(h, 'views.publish', before);
    expect(textOf(last.args.view)).toContain('Alert number 44');
    expect(textOf(last.args.view)).toContain('Page 3 of 3');
    expect(actionIds(last.args.view)).toContain('home_previous');
    expect(actionIds(last.args.view)).not.toContain('home_next');
  });
});
