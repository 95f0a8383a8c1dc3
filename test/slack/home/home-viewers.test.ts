import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlert } from '../../../src/alerts/alerts.repository.js';
import { rememberHomeViewer } from '../../../src/slack/home/home-viewers.repository.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { installWorkspace } from '../../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { createTestDatabase, testDialects } from '../../helpers/test-database.js';
import { clickButton, command, formValues, openHome, submitModal, textOf, waitForNew, type Harness } from '../../helpers/slack-harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const actionIds = (view: unknown) =>
  (view as { blocks: { elements?: { action_id?: string }[] }[] }).blocks.flatMap((b) => (b.elements ?? []).flatMap((e) => (e.action_id ? [e.action_id] : [])));

/**
 * Two app instances on one database and one fake Slack, each with the same injected clock: who opened the
 * Home tab is stored in the database, so a change handled by B republishes the tabs opened through A.
 */
describe.each(testDialects())('Home tab viewers shared by two instances on one %s database', (dialect) => {
  let slack: FakeSlack;
  let a: TestApp;
  let b: TestApp;
  let aRunning: boolean;
  let clock: number;
  /** The slack-harness helpers, pointed at one instance. */
  let onA: Harness;
  let onB: Harness;

  beforeEach(async () => {
    clock = Date.UTC(2026, 2, 1);
    slack = await new FakeSlack().start();
    const database = await createTestDatabase(dialect);
    // One key for both: B unseals the bot token A stored at install.
    const env = { ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') };
    a = await startTestApp({ database, slack, env, now: () => clock });
    b = await startTestApp({ database, slack, env, now: () => clock });
    aRunning = true;
    const noStop = async () => undefined;
    onA = { slack, app: a, stop: noStop };
    onB = { slack, app: b, stop: noStop };
    expect((await installWorkspace(a.url, slack, { teamId: 'T1', teamName: 'T1', userId: 'U1' })).status).toBe(302);
    slack.addUser({ id: 'U1M', teamId: 'T1', name: 'mia' });
    slack.addUser({ id: 'U1V', teamId: 'T1', name: 'guest', isRestricted: true });
    slack.addChannel({ id: 'C1FLAGS', name: 'flags', teamIds: ['T1'] });
  });
  afterEach(async () => {
    if (aRunning) await a.close();
    await b.close();
    await slack.stop();
  });

  const store = (name: string, channelId = 'C1FLAGS') =>
    createAlert(a.deps.db, a.deps.box, {
      organizationId: 'T1',
      createdBy: 'U1',
      alert: {
        name,
        projectId: 123,
        scope: { type: 'project' },
        actions: ['created', 'updated', 'deleted'],
        destination: { type: 'slack', channelId, channelName: null },
      },
    });
  const publishedTo = (after: number) =>
    slack
      .callsOf('views.publish')
      .slice(after)
      .map((c) => String(c.args.user_id));

  it('republishes, from B, the Home tab of a person who opened it on A, after an alert is created or paused through B', async () => {
    const first = await openHome(onA, 'T1', 'U1M');
    expect(textOf(first.args.view)).not.toContain('Made on B');

    let before = slack.callsOf('views.publish').length;
    const saved = await submitModal(onB, { teamId: 'T1', userId: 'U1', values: formValues({ name: 'Made on B' }) });
    expect(saved.status).toBe(200);
    const created = await waitForNew(onB, 'views.publish', before, (c) => c.args.user_id === 'U1M');
    expect(textOf(created.args.view)).toContain('Made on B');
    const alert = await b.deps.db.selectFrom('alerts').select('id').where('name', '=', 'Made on B').executeTakeFirstOrThrow();

    // A is gone (scaled down): only B can publish now, and B never saw U1M's app_home_opened.
    await a.close();
    aRunning = false;
    before = slack.callsOf('views.publish').length;
    const paused = await command(onB, 'T1', 'U1', `pause ${alert.id}`);
    expect(paused.body?.text).toContain('Paused alert');
    const afterPause = await waitForNew(onB, 'views.publish', before, (c) => c.args.user_id === 'U1M');
    expect(afterPause.token).toMatch(/^xoxb-T1-/);
    expect(actionIds(afterPause.args.view)).toContain('alert_resume');
    expect(actionIds(afterPause.args.view)).not.toContain('alert_pause');
  });

  it('leaves out people who last opened Home more than 7 days ago, and keeps the page of the others', async () => {
    for (let i = 0; i < 45; i += 1) await store(`Alert number ${i}`, `C1X${i}`);
    const last = await b.deps.db.selectFrom('alerts').select('id').where('name', '=', 'Alert number 44').executeTakeFirstOrThrow();
    await openHome(onA, 'T1', 'U1V');

    clock += 7 * DAY_MS + 60_000;
    await openHome(onA, 'T1', 'U1M');
    const before = slack.callsOf('views.publish').length;
    expect(await clickButton(onA, { teamId: 'T1', userId: 'U1M', actionId: 'home_next', value: '2' })).toBe(200);
    expect(textOf((await waitForNew(onA, 'views.publish', before, (c) => c.args.user_id === 'U1M')).args.view)).toContain('Page 3 of 3');

    const beforeChange = slack.callsOf('views.publish').length;
    const paused = await command(onB, 'T1', 'U1', `pause ${last.id}`);
    expect(paused.body?.text).toContain('Paused alert');
    // The command answers after its republish round: every publish it made is recorded by now.
    expect(publishedTo(beforeChange)).toEqual(['U1M']);
    const view = slack.callsOf('views.publish').slice(beforeChange)[0]?.args.view;
    expect(textOf(view)).toContain('Page 3 of 3');
    expect(textOf(view)).toContain('Alert number 44');
    expect(actionIds(view)).toContain('alert_resume');

    // Opening Home again puts U1V back among the people a change refreshes.
    await openHome(onA, 'T1', 'U1V');
    const beforeResume = slack.callsOf('views.publish').length;
    await command(onB, 'T1', 'U1', `resume ${last.id}`);
    expect(publishedTo(beforeResume).sort()).toEqual(['U1M', 'U1V']);
  });

  it('republishes at most the 50 people who opened Home most recently', async () => {
    const alert = await store('Watched by many');
    const people = Array.from({ length: 55 }, (_, i) => `U1P${String(i).padStart(2, '0')}`);
    for (const [i, id] of people.entries()) {
      slack.addUser({ id, teamId: 'T1', name: `person-${i}` });
      clock += 1000;
      // The last few open Home through either instance (the list is shared, whichever instance an event reached);
      // the others are stored as an opening stores them, which saves 50 round trips through Slack's events.
      if (i < 51) await rememberHomeViewer(a.deps.db, 'T1', id, 0, clock);
      else await openHome(i % 2 === 0 ? onA : onB, 'T1', id);
    }

    const before = slack.callsOf('views.publish').length;
    const paused = await command(onB, 'T1', 'U1', `pause ${alert.id}`);
    expect(paused.body?.text).toContain('Paused alert');
    const republished = publishedTo(before);
    expect(republished).toHaveLength(50);
    expect(new Set(republished)).toEqual(new Set(people.slice(5)));
  });
});
