import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlert, setAlertStatus } from '../../src/alerts/alerts.repository.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { idColumn } from '../../src/storage/id-column.js';
import { testDialects } from '../helpers/test-database.js';
import { Visitor } from '../helpers/settings-visitor.js';
import { clickButton, command, formValues, openHome, startHarness, submitModal, waitForNew, type Harness } from '../helpers/slack-harness.js';
import { advanceOutbox, createTestClock, type TestClock } from '../helpers/test-clock.js';

/**
 * Each alert operation run once through Slack (signed requests to the Bolt app) and once through the
 * settings page (session cookie + CSRF), on two alerts of the same workspace: the stored alerts must end
 * the same, the Home tab must be republished, and a viewer must be refused by both without any change.
 */
describe.each(testDialects())('alert operations through Slack and the settings page on %s', (dialect) => {
  let h: Harness;
  let clock: TestClock;

  beforeEach(async () => {
    clock = createTestClock();
    h = await startHarness(dialect, {}, clock.now);
  });
  afterEach(async () => {
    await h?.stop();
  });

  /** "Sign in with Slack" on the settings page over HTTP. */
  async function signIn(userId: string): Promise<{ visitor: Visitor; csrf: string }> {
    const visitor = new Visitor(h.app.url);
    const start = await visitor.get('/settings/oidc/start');
    expect(start.status).toBe(302);
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const code = `code-${userId}-${Math.random().toString(36).slice(2)}`;
    h.slack.addOpenIdCode(code, { teamId: 'T1', userId });
    expect((await visitor.get(`/settings/oidc/callback?code=${code}&state=${encodeURIComponent(state)}`)).status).toBe(303);
    return { visitor, csrf: await visitor.csrf('/settings') };
  }

  /** A Slack alert stored directly, the starting point of the operations that change one. */
  async function stored(projectId: number, channelId: string, status?: 'paused') {
    const alert = await createAlert(h.app.deps.db, h.app.deps.box, {
      organizationId: 'T1',
      createdBy: 'U1M',
      alert: {
        name: `Project ${projectId}`,
        projectId,
        scope: { type: 'project' },
        actions: ['created', 'updated', 'deleted'],
        destination: { type: 'slack', channelId, channelName: null },
      },
    });
    if (status) await setAlertStatus(h.app.deps.db, 'T1', alert.id, status, null);
    return alert;
  }

  /** What both surfaces must agree on: everything of the row but its id, project, name and times. */
  async function stateOf(projectId: number) {
    const rows = await h.app.deps.db
      .selectFrom('alerts')
      .selectAll()
      .where('organization_id', '=', 'T1')
      .where('project_id', '=', idColumn(projectId))
      .execute();
    return rows.map(({ id: _id, project_id: _p, name: _n, created_at: _c, updated_at: _u, ...rest }) => rest);
  }

  const testDeliveries = async (alertId: number) =>
    h.app.deps.db.selectFrom('deliveries').select(['kind', 'organization_id', 'channel_id']).where('alert_id', '=', alertId).execute();

  /** Runs `act` and expects the Home tab of U1 (who opened it) to be published again. */
  async function republishes(act: () => Promise<void>): Promise<void> {
    const before = h.slack.callsOf('views.publish').length;
    await act();
    await waitForNew(h, 'views.publish', before, (c) => c.args.user_id === 'U1');
  }

  const settingsForm = (name: string, projectId: number, channelId: string) => ({
    name,
    projectId: String(projectId),
    scope: 'project',
    destination: 'slack',
    channelId,
    events: ['created', 'updated', 'deleted'],
  });

  it.each([
    ['a public channel', 'C1FLAGS', 'active'],
    ['a private channel the bot is not in', 'G1SECRET', 'waiting'],
  ])('creates an alert for %s the same way', async (_what, channelId, status) => {
    await openHome(h, 'T1', 'U1');
    const { visitor, csrf } = await signIn('U1M');
    await republishes(async () => {
      const res = await submitModal(h, {
        teamId: 'T1',
        userId: 'U1M',
        values: formValues({ name: 'From Slack', projectId: '101', channelId }),
        meta: { mode: 'create', channelId: 'C1GENERAL' },
      });
      expect(res.status).toBe(200);
    });
    await republishes(async () => {
      const res = await visitor.post('/settings/alerts', { _csrf: csrf, ...settingsForm('From settings', 102, channelId) });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/settings?notice=${status === 'waiting' ? 'alert-waiting' : 'alert-created'}`);
    });
    const [slack] = await stateOf(101);
    expect(slack).toMatchObject({ status, channel_id: channelId, created_by: 'U1M' });
    expect(await stateOf(102)).toEqual([slack]);
  });

  it('edits an alert the same way: a new channel the bot cannot post in makes it wait', async () => {
    await openHome(h, 'T1', 'U1');
    const { visitor, csrf } = await signIn('U1M');
    const [a, b] = [await stored(101, 'C1FLAGS'), await stored(102, 'C1FLAGS')];
    await republishes(async () => {
      const res = await submitModal(h, {
        teamId: 'T1',
        userId: 'U1M',
        values: formValues({ name: 'Renamed', projectId: '101', channelId: 'G1SECRET' }),
        meta: { mode: 'edit', alertId: a.id, hasStoredKey: false },
      });
      expect(res.status).toBe(200);
    });
    await republishes(async () => {
      const res = await visitor.post(`/settings/alerts/${b.id}`, { _csrf: csrf, ...settingsForm('Renamed', 102, 'G1SECRET') });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/settings?notice=alert-saved');
    });
    const [slack] = await stateOf(101);
    expect(slack).toMatchObject({ status: 'waiting', channel_id: 'G1SECRET' });
    expect(await stateOf(102)).toEqual([slack]);
  });

  it('pauses an alert the same way', async () => {
    await openHome(h, 'T1', 'U1');
    const { visitor, csrf } = await signIn('U1M');
    const [a, b] = [await stored(101, 'C1FLAGS'), await stored(102, 'C1FLAGS')];
    await republishes(async () => {
      expect((await command(h, 'T1', 'U1M', `pause ${a.id}`)).body?.text).toContain('Paused alert');
    });
    await republishes(async () => {
      expect((await visitor.post(`/settings/alerts/${b.id}/pause`, { _csrf: csrf })).headers.get('location')).toBe('/settings?notice=alert-paused');
    });
    const [slack] = await stateOf(101);
    expect(slack).toMatchObject({ status: 'paused' });
    expect(await stateOf(102)).toEqual([slack]);
  });

  it.each([
    ['a public channel', 'C1FLAGS', 'active'],
    ['a private channel the bot is not in', 'G1SECRET', 'waiting'],
  ])('resumes an alert in %s the same way, with the channel checked', async (_what, channelId, status) => {
    await openHome(h, 'T1', 'U1');
    const { visitor, csrf } = await signIn('U1M');
    const [a, b] = [await stored(101, channelId, 'paused'), await stored(102, channelId, 'paused')];
    await republishes(async () => {
      const answer = (await command(h, 'T1', 'U1M', `resume ${a.id}`)).body?.text ?? '';
      if (status === 'waiting') expect(answer).toContain('but it waits: Invite the app to <#G1SECRET>');
      else expect(answer).toBe(`Resumed alert #${a.id} "Project 101".`);
    });
    await republishes(async () => {
      const res = await visitor.post(`/settings/alerts/${b.id}/resume`, { _csrf: csrf });
      expect(res.headers.get('location')).toBe(`/settings?notice=${status === 'waiting' ? 'alert-resumed-waiting' : 'alert-resumed'}`);
    });
    if (status === 'waiting') {
      const page = await (await visitor.get('/settings?notice=alert-resumed-waiting')).text();
      expect(page).toContain('Alert resumed. It waits until someone invites the app to the channel (/invite @Flag Alerts).');
    }
    const [slack] = await stateOf(101);
    expect(slack).toMatchObject({ status });
    expect(await stateOf(102)).toEqual([slack]);
  });

  it('queues a test delivery the same way', async () => {
    const { visitor, csrf } = await signIn('U1M');
    const [a, b] = [await stored(101, 'C1FLAGS'), await stored(102, 'C1FLAGS')];
    expect((await command(h, 'T1', 'U1M', `test ${a.id}`)).body?.text).toContain('Sending a test notification');
    expect((await visitor.post(`/settings/alerts/${b.id}/test`, { _csrf: csrf })).headers.get('location')).toBe(`/settings/alerts/${b.id}?notice=test-queued`);
    expect(await testDeliveries(a.id)).toEqual([{ kind: 'test', organization_id: 'T1', channel_id: 'C1FLAGS' }]);
    expect(await testDeliveries(b.id)).toEqual(await testDeliveries(a.id));
    // Both go out through the real delivery path (one post per slot per channel; each look moves the clock a slot on): compare once both arrived.
    for (const projectId of [101, 102]) {
      await expect
        .poll(
          async () => {
            advanceOutbox(h.app, clock, 1100);
            return (await stateOf(projectId))[0]?.last_delivery_outcome;
          },
          { timeout: 5000 },
        )
        .toBe('delivered');
    }
    const [slack] = await stateOf(101);
    expect(await stateOf(102)).toEqual([{ ...slack, last_delivery_at: expect.any(Number) }]);
    expect(slack).toMatchObject({ status: 'active' });
  });

  it('deletes an alert the same way', async () => {
    await openHome(h, 'T1', 'U1');
    const { visitor, csrf } = await signIn('U1M');
    const [a, b] = [await stored(101, 'C1FLAGS'), await stored(102, 'C1FLAGS')];
    await republishes(async () => {
      expect(await clickButton(h, { teamId: 'T1', userId: 'U1M', actionId: ACTION.alertDelete, value: String(a.id) })).toBe(200);
      await expect.poll(() => stateOf(101)).toEqual([]);
    });
    await republishes(async () => {
      expect((await visitor.post(`/settings/alerts/${b.id}/delete`, { _csrf: csrf })).headers.get('location')).toBe('/settings?notice=alert-deleted');
    });
    expect(await stateOf(102)).toEqual([]);
  });

  it('refuses a viewer every operation on both surfaces, and changes nothing', async () => {
    const { visitor, csrf } = await signIn('U1V');
    const a = await stored(101, 'C1FLAGS');
    const before = await stateOf(101);
    for (const op of ['pause', 'resume', 'test', 'delete'] as const) {
      const verb = { pause: 'pause alerts', resume: 'resume alerts', test: 'send test notifications', delete: 'delete alerts' }[op];
      expect((await command(h, 'T1', 'U1V', `${op} ${a.id}`)).body?.text).toBe(`You cannot ${verb}: your role is viewer. Ask an admin (<@U1>).`);
      const res = await visitor.post(`/settings/alerts/${a.id}/${op}`, { _csrf: csrf });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Your role does not allow this.');
    }
    const edit = await submitModal(h, {
      teamId: 'T1',
      userId: 'U1V',
      values: formValues({ name: 'Renamed', projectId: '101' }),
      meta: { mode: 'edit', alertId: a.id, hasStoredKey: false },
    });
    expect(edit.body).toEqual({ response_action: 'errors', errors: { name: 'You cannot edit alerts: your role is viewer. Ask an admin (<@U1>).' } });
    expect((await visitor.post(`/settings/alerts/${a.id}`, { _csrf: csrf, ...settingsForm('Renamed', 101, 'C1FLAGS') })).status).toBe(403);
    const create = await submitModal(h, { teamId: 'T1', userId: 'U1V', values: formValues({ name: 'New', projectId: '103' }) });
    expect(create.body).toEqual({ response_action: 'errors', errors: { name: 'You cannot create alerts: your role is viewer. Ask an admin (<@U1>).' } });
    expect((await visitor.post('/settings/alerts', { _csrf: csrf, ...settingsForm('New', 103, 'C1FLAGS') })).status).toBe(403);

    expect(await stateOf(101)).toEqual(before);
    expect(await stateOf(103)).toEqual([]);
    expect(await testDeliveries(a.id)).toEqual([]);
  });
});
