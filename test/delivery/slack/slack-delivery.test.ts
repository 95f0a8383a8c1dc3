import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAlert } from '../../../src/alerts/alerts.repository.js';
import { FakeSlack } from '../../helpers/fake-slack.js';
import { installWorkspace } from '../../helpers/install-workspace.js';
import { sendEvent } from '../../helpers/slack-requests.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { testDialects } from '../../helpers/test-database.js';
import { change, deliveryRows, organizationWithKey, postEvents, slackAlert } from '../../helpers/delivery-fixtures.js';
import { advanceOutbox, createTestClock, nextTryAt, type TestClock } from '../../helpers/test-clock.js';

function textOf(call: { args: Record<string, unknown> }): string {
  return `${String(call.args.text)}\n${JSON.stringify(call.args.blocks)}`;
}

describe.each(testDialects())('Slack delivery on %s', (dialect) => {
  let slack: FakeSlack;
  let app: TestApp;
  let key: string;
  let clock: TestClock;

  beforeEach(async () => {
    clock = createTestClock();
    slack = await new FakeSlack().start();
    slack.now = clock.now;
    app = await startTestApp({ dialect, slack, now: clock.now });
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    key = await organizationWithKey(app);
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
  });

  /** The only delivery, once its first try failed and its retry is planned. */
  const failedOnce = async () => {
    await expect.poll(async () => (await deliveryRows(app))[0]?.attempts).toBe(1);
    const [row] = await deliveryRows(app);
    expect(row?.status).toBe('pending');
    return { nextTryAt: await nextTryAt(app, row?.id ?? 0) };
  };

  it('posts a Block Kit message with a fallback, using the workspace token', async () => {
    await slackAlert(app, 'C1');
    await postEvents(app, key, change('new-checkout'));
    const post = await slack.waitFor('chat.postMessage', (c) => c.args.channel === 'C1');
    expect(post.token).toBe([...slack.tokens.keys()][0]);
    expect(String(post.args.text)).toContain('new-checkout');
    expect(Array.isArray(post.args.blocks)).toBe(true);
    expect((post.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
  });

  it('honours Retry-After on a 429 and then succeeds', async () => {
    await slackAlert(app, 'C1');
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    await postEvents(app, key, change());
    const { nextTryAt: due } = await failedOnce();
    // Not before Retry-After on the app's clock, which stands still until the test moves it.
    expect(due).toBeGreaterThanOrEqual((slack.callsOf('chat.postMessage')[0]?.at ?? 0) + 2000);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    advanceOutbox(app, clock, 2000);
    await expect.poll(() => slack.callsOf('chat.postMessage').length).toBe(2);
    const [first, second] = slack.callsOf('chat.postMessage');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000);
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
  });

  it('retries a 500', async () => {
    await slackAlert(app, 'C1');
    slack.failNext('chat.postMessage', { status: 500 });
    await postEvents(app, key, change());
    const { nextTryAt: due } = await failedOnce();
    advanceOutbox(app, clock, due - clock.now());
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('delivered');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('marks the alert broken on a permanent error and tells its creator by DM', async () => {
    const alert = await slackAlert(app, 'CGONE', 'T1', 'U1');
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await postEvents(app, key, change());
    await expect.poll(async () => (await findAlert(app.deps.db, 'T1', alert.id))?.status).toBe('broken');
    const open = await slack.waitFor('conversations.open');
    expect(open.args.users).toBe('U1');
    const dm = await slack.waitFor('chat.postMessage', (c) => c.args.channel === 'DU1');
    expect(String(dm.args.text)).toContain('/invite');
    const [row] = await deliveryRows(app);
    expect(row?.status).toBe('dead');
    expect(row?.last_error).toBe('channel_not_found');
  });

  it('refreshes the Home tab of whoever opened it when a delivery breaks an alert', async () => {
    await slackAlert(app, 'CGONE', 'T1', 'U1');
    await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_home_opened', user: 'U1', channel: 'DU1', tab: 'home', event_ts: '1.1' } }, app.signing);
    await slack.waitFor('views.publish', (c) => c.args.user_id === 'U1');
    const publishedBefore = slack.callsOf('views.publish').length;
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await postEvents(app, key, change());
    const refreshed = await slack.waitFor('views.publish', (c) => slack.callsOf('views.publish').indexOf(c) >= publishedBefore);
    expect(refreshed.args.user_id).toBe('U1');
    expect(JSON.stringify(refreshed.args.view).toLowerCase()).toContain('broken');
  });

  it('folds a burst of 100 changes into far fewer messages, losing none', async () => {
    await slackAlert(app, 'C1');
    const keys = Array.from({ length: 100 }, (_, i) => `burst-flag-${String(i).padStart(3, '0')}`);
    const res = await postEvents(app, key, { events: keys.map((k) => change(k)) });
    expect(res.status).toBe(202);
    // The channel's pace is one post a slot: each look moves the clock a slot on, so the digests go out back to back.
    await expect
      .poll(
        async () => {
          advanceOutbox(app, clock, 1100);
          return (await deliveryRows(app)).every((r) => r.status === 'delivered');
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const posts = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C1');
    expect(posts.length).toBeLessThan(20);
    for (const p of posts) expect((p.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    const all = posts.map(textOf).join('\n');
    for (const k of keys) expect(all).toContain(k);
  });

  it('stops Slack deliveries after the app is uninstalled', async () => {
    const alert = await slackAlert(app, 'C1');
    await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_uninstalled' } }, app.signing);
    await expect.poll(async () => (await app.deps.db.selectFrom('installations').select('revoked_at').executeTakeFirst())?.revoked_at).not.toBeNull();
    await postEvents(app, key, change());
    await expect.poll(async () => (await deliveryRows(app))[0]?.status).toBe('dead');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    expect((await findAlert(app.deps.db, 'T1', alert.id))?.status).toBe('broken');
  });
});
