import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findAlert } from '../../../src/alerts/alerts.repository.js';
import { change, organizationWithKey, postEvents, slackAlert } from '../../helpers/delivery-fixtures.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { installWorkspace } from '../../helpers/install-workspace.js';
import { sendEvent } from '../../helpers/slack-requests.js';
import { idColumn } from '../../../src/storage/id-column.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { until } from '../../helpers/reliability-helpers.js';
import { advanceOutbox, createTestClock, nextSendAt, nextTryAt, type TestClock } from '../../helpers/test-clock.js';

/** The app on a clock that stands still until a case moves it to a retry, a lease's end or a channel's next slot. */
async function startSlackApp(): Promise<{ slack: FakeSlack; app: TestApp; key: string; clock: TestClock }> {
  const clock = createTestClock();
  const slack = await new FakeSlack().start();
  slack.now = clock.now;
  const app = await startTestApp({ slack, now: clock.now });
  expect((await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' })).status).toBe(302);
  return { slack, app, key: await organizationWithKey(app), clock };
}

const rowsOf = (app: TestApp, alertId: number) => app.deps.db.selectFrom('deliveries').selectAll().where('alert_id', '=', alertId).orderBy('id').execute();
const postsTo = (slack: FakeSlack, channel: string) => slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);

describe('Slack faults', () => {
  let slack: FakeSlack;
  let app: TestApp;
  let key: string;
  let clock: TestClock;
  let project = 500;

  beforeAll(async () => {
    ({ slack, app, key, clock } = await startSlackApp());
  });
  afterEach(async () => {
    // Whatever a case did, no delivery is left claimed.
    await until(
      'no delivery in flight',
      async () => (await app.deps.db.selectFrom('deliveries').select('id').where('status', '=', 'in_flight').execute()).length === 0,
      5_000,
    );
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  /** A Slack alert on a project of its own, so each case sees only its changes. */
  const alertOnOwnProject = async (channel: string) => {
    project += 1;
    const alert = await slackAlert(app, channel);
    await app.deps.db
      .updateTable('alerts')
      .set({ project_id: idColumn(project) })
      .where('id', '=', alert.id)
      .execute();
    return { alert, send: (flag: string) => postEvents(app, key, change(flag, { projectId: project })) };
  };
  /** The alert's only delivery, once its first try failed: how long until its retry may go. */
  const failedOnce = async (alertId: number) => {
    await until('a failed try', async () => ((await rowsOf(app, alertId))[0]?.attempts ?? 0) >= 1, 10_000);
    const [row] = await rowsOf(app, alertId);
    expect(row?.status).toBe('pending');
    return (await nextTryAt(app, row?.id ?? 0)) - clock.now();
  };

  it('waits for Retry-After on a 429, then delivers', async () => {
    const { alert, send } = await alertOnOwnProject('C429');
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    await send('slack-429');
    // Not before Retry-After on the app's clock; sent once the clock got there.
    expect(await failedOnce(alert.id)).toBeGreaterThanOrEqual(2000);
    expect(postsTo(slack, 'C429')).toHaveLength(1);
    advanceOutbox(app, clock, 2000);
    await until('delivered', async () => (await rowsOf(app, alert.id))[0]?.status === 'delivered', 10_000);
    const [first, second] = postsTo(slack, 'C429');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000);
  });

  it.each([500, 502, 503] as const)('retries a %i from Slack, then delivers', async (status) => {
    const { alert, send } = await alertOnOwnProject(`C${status}`);
    slack.failNext('chat.postMessage', { status });
    await send(`slack-${status}`);
    advanceOutbox(app, clock, await failedOnce(alert.id));
    await until('delivered', async () => (await rowsOf(app, alert.id))[0]?.status === 'delivered', 10_000);
    expect(postsTo(slack, `C${status}`)).toHaveLength(2);
    expect((await rowsOf(app, alert.id))[0]?.attempts).toBe(1);
  });

  it.each([
    ['channel_not_found', true],
    ['is_archived', true],
    ['not_in_channel', true],
    ['missing_scope', true],
    ['account_inactive', false],
    ['token_revoked', false],
    ['invalid_auth', false],
  ] as const)('%s breaks the alert and kills the delivery (DM to the creator: %s)', async (error, dm) => {
    const channel = `C${error.replace(/_/g, '').toUpperCase()}`;
    const { alert, send } = await alertOnOwnProject(channel);
    const opensBefore = slack.callsOf('conversations.open').length;
    slack.failNext('chat.postMessage', { error });
    await send(`slack-${error}`);
    await until('the alert broken', async () => (await findAlert(app.deps.db, 'T1', alert.id))?.status === 'broken', 10_000);
    const [row] = await rowsOf(app, alert.id);
    expect(row).toMatchObject({ status: 'dead', last_error: error });
    if (dm) {
      await until('the DM', () => slack.callsOf('chat.postMessage').some((c) => c.args.channel === 'DU1' && String(c.args.text).includes(error)), 5_000);
      expect(
        slack
          .callsOf('conversations.open')
          .slice(opensBefore)
          .map((c) => c.args.users),
      ).toEqual(['U1']);
    } else {
      // The DM would go right after the status is written, inside the same send: once it ended, none went.
      await app.deliveriesSettled();
      expect(slack.callsOf('conversations.open').slice(opensBefore)).toEqual([]);
    }
    // A broken alert gets no more deliveries, and nothing more is posted to its channel, at any time.
    await send(`slack-${error}-after`);
    expect(await rowsOf(app, alert.id)).toHaveLength(1);
    expect(await nextSendAt(app)).toBeUndefined();
    expect(postsTo(slack, channel)).toHaveLength(1);
  });

  it('reclaims a delivery claimed by a worker that died (its lease ran out) and sends it', async () => {
    const { alert, send } = await alertOnOwnProject('CLEASE');
    await send('slack-lease');
    await until('delivered', async () => (await rowsOf(app, alert.id))[0]?.status === 'delivered', 10_000);
    const [row] = await rowsOf(app, alert.id);
    if (!row) throw new Error('no delivery');
    // The same change, claimed by a worker that crashed mid-send: in flight, lease ending soon.
    const { id: _id, ...copy } = row;
    const now = clock.now();
    await app.deps.db
      .insertInto('deliveries')
      .values({
        ...copy,
        message_id: `${row.message_id}-orphan`,
        status: 'in_flight',
        leased_by: 'w-crashed',
        lease_until: now + 1500,
        delivered_at: null,
        next_attempt_at: now,
        updated_at: now,
      })
      .execute();
    // Not claimable while its lease holds (the clock stands still), then taken over and sent once it ran out.
    expect(await nextSendAt(app)).toBe(now + 1500);
    expect(postsTo(slack, 'CLEASE')).toHaveLength(1);
    advanceOutbox(app, clock, 1501);
    await until('the orphan sent', () => postsTo(slack, 'CLEASE').length === 2, 10_000);
    await until('nothing in flight', async () => (await rowsOf(app, alert.id)).every((d) => d.status === 'delivered'), 5_000);
  });
});

describe('Slack access ending mid-run', () => {
  let slack: FakeSlack;
  let app: TestApp;
  let key: string;
  let clock: TestClock;
  beforeEach(async () => {
    ({ slack, app, key, clock } = await startSlackApp());
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
  });

  it('a token revoked mid-run breaks the alert, kills its deliveries, and sends no DM', async () => {
    const alert = await slackAlert(app, 'CREV');
    await postEvents(app, key, change('before-revoke'));
    await until('the first post', async () => (await rowsOf(app, alert.id))[0]?.status === 'delivered', 10_000);
    // Past the channel's next posting slot, so the next change is tried at once.
    clock.advance(60_000);
    slack.revokeTeamTokens('T1');
    await postEvents(app, key, change('after-revoke'));
    await until('the alert broken', async () => (await findAlert(app.deps.db, 'T1', alert.id))?.status === 'broken', 10_000);
    const rows = await rowsOf(app, alert.id);
    expect(rows.map((r) => [r.status, r.last_error])).toEqual([
      ['delivered', null],
      ['dead', 'token_revoked'],
    ]);
    expect(slack.callsOf('conversations.open')).toEqual([]);
  });

  it('an uninstall mid-run stops Slack deliveries: the alert is broken and nothing more is posted', async () => {
    const alert = await slackAlert(app, 'CUNI');
    await postEvents(app, key, change('before-uninstall'));
    await until('the first post', async () => (await rowsOf(app, alert.id))[0]?.status === 'delivered', 10_000);
    clock.advance(60_000);
    const res = await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_uninstalled', event_ts: '1.1' } }, app.signing);
    expect(res.status).toBe(200);
    await until(
      'the installation revoked',
      async () =>
        (await app.deps.db.selectFrom('installations').select('revoked_at').where('organization_id', '=', 'T1').executeTakeFirst())?.revoked_at != null,
      5_000,
    );
    await postEvents(app, key, change('after-uninstall'));
    await until('the alert broken', async () => (await findAlert(app.deps.db, 'T1', alert.id))?.status === 'broken', 10_000);
    const rows = await rowsOf(app, alert.id);
    expect(rows.map((r) => r.status)).toEqual(['delivered', 'dead']);
    expect(rows[1]?.last_error).toContain('not installed');
    expect(postsTo(slack, 'CUNI')).toHaveLength(1);
  });
});
