import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlert, findAlert } from '../../src/alerts/alerts.repository.js';
import { setMemberRole } from '../../src/roles/members.repository.js';
import { command, startHarness, type Harness } from '../helpers/slack-harness.js';
import { createTestClock } from '../helpers/test-clock.js';

/** What /flag-alert answers a person for each thing they might try on an alert. */
async function answersTo(h: Harness, userId: string, alertId: number): Promise<string[]> {
  const answers: string[] = [];
  for (const text of ['list', 'create', `edit ${alertId}`, `pause ${alertId}`, `test ${alertId}`, `delete ${alertId}`, 'role <@U1M> admin'])
    answers.push((await command(h, 'T1', userId, text)).body?.text ?? '');
  return answers;
}

describe('roles when Slack cannot say who someone is', () => {
  let h: Harness;
  let alertId: number;
  /** users.info answers `ratelimited` (ok: false, as Slack does for Tier limits) while this is true */
  let slackDown = false;
  const clock = createTestClock();

  beforeAll(async () => {
    h = await startHarness('sqlite', {}, clock.now);
    const real = h.slack.users;
    // The fake's own answer, except while "down": built from its users like its users.info does.
    h.slack.on('users.info', (args) => {
      if (slackDown) return { ok: false, error: 'ratelimited' };
      const u = real.get(String(args.user));
      if (!u) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: { id: u.id, team_id: u.teamId, is_admin: u.isAdmin ?? false, is_restricted: u.isRestricted ?? false, deleted: false } };
    });
    // An admin gave the guest "member"; Slack's guest flag is what keeps them a viewer.
    await setMemberRole(h.app.deps.db, { organizationId: 'T1', userId: 'U1V', role: 'member', updatedBy: 'U1' });
    alertId = (
      await createAlert(h.app.deps.db, h.app.deps.box, {
        organizationId: 'T1',
        createdBy: 'U1',
        alert: {
          name: 'Guarded',
          projectId: 5,
          scope: { type: 'project' },
          actions: ['created'],
          destination: { type: 'slack', channelId: 'C1FLAGS', channelName: null },
        },
      })
    ).id;
  });
  afterAll(async () => h.stop());
  beforeEach(() => {
    slackDown = false;
    // Past the minute Slack's answers are kept: each test starts from what Slack says now.
    clock.advance(61_000);
  });

  it('lets a guest do nothing a viewer cannot while users.info answers ratelimited', async () => {
    await setMemberRole(h.app.deps.db, { organizationId: 'T1', userId: 'U1M', role: 'viewer', updatedBy: 'U1' });
    const viewer = await answersTo(h, 'U1M', alertId);
    await setMemberRole(h.app.deps.db, { organizationId: 'T1', userId: 'U1M', role: 'member', updatedBy: 'U1' });
    expect(viewer[0]).toContain('Guarded');
    expect(viewer.slice(1).every((a) => a.includes('your role is viewer'))).toBe(true);

    slackDown = true;
    expect(await answersTo(h, 'U1V', alertId)).toEqual(viewer);
    expect(await findAlert(h.app.deps.db, 'T1', alertId)).toMatchObject({ status: 'active', name: 'Guarded' });
    expect(await h.app.deps.db.selectFrom('deliveries').selectAll().execute()).toEqual([]);
    expect(h.app.logs()).toContain('users.info failed; the person is at most a viewer until Slack answers');
  });

  it('holds a member and a Slack admin at viewer too, and an HTTP 429 the same as ok:false', async () => {
    slackDown = true;
    expect((await command(h, 'T1', 'U1M', `pause ${alertId}`)).body?.text).toContain('your role is viewer');
    expect((await command(h, 'T1', 'U1A', `pause ${alertId}`)).body?.text).toContain('your role is viewer');
    slackDown = false;
    h.slack.failNext('users.info', { status: 429, retryAfter: 30 });
    expect((await command(h, 'T1', 'U1M', `pause ${alertId}`)).body?.text).toContain('your role is viewer');
    expect((await findAlert(h.app.deps.db, 'T1', alertId))?.status).toBe('active');
  });

  it('never keeps the failure: the next request asks Slack again and gets the real role at once', async () => {
    slackDown = true;
    const before = h.slack.callsOf('users.info').length;
    expect((await command(h, 'T1', 'U1A', `pause ${alertId}`)).body?.text).toContain('your role is viewer');
    slackDown = false;
    expect((await command(h, 'T1', 'U1A', `pause ${alertId}`)).body?.text).toContain('Paused alert');
    expect(h.slack.callsOf('users.info').length - before).toBe(2);
    expect((await command(h, 'T1', 'U1A', `resume ${alertId}`)).body?.text).toContain('Resumed');
  });

  it('gives someone Slack does not return no role at all', async () => {
    const answer = await command(h, 'T1', 'U1NOBODY', 'list');
    expect(answer.body?.text).toContain('you have no role in Flag Alerts');
    expect((await command(h, 'T1', 'U1NOBODY', `pause ${alertId}`)).body?.text).toContain('you have no role in Flag Alerts');
  });
});
