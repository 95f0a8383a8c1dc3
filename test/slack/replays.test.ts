import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeenSlackRequests } from '../../src/slack/request-guard.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { buttonClickPayload, sendCommand, sendEvent, sendInteraction } from '../helpers/slack-requests.js';
import { startHarness, waitForNew, type Harness } from '../helpers/slack-harness.js';

/**
 * Slack signs each request over "v0:<timestamp>:<body>" and asks receivers to refuse stale ones
 * (https://api.slack.com/authentication/verifying-requests-from-slack); it retries an event it got no quick
 * 200 for, newly signed, with X-Slack-Retry-Num and the same event_id (https://api.slack.com/apis/events-api#retries).
 */
describe('Slack requests: a window both ways, and each request taken once', () => {
  let h: Harness;
  const seconds = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const ignoredRepeats = () => h.app.logs().split('ignored a repeated Slack request').length - 1;
  const publishesFor = (userId: string) => h.slack.callsOf('views.publish').filter((c) => c.args.user_id === userId).length;
  const homeOpened = (userId: string) => ({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: '1.1' });

  it.each([
    ['10 minutes ahead', 10 * 60],
    ['6 minutes ahead', 6 * 60],
    ['6 minutes behind', -6 * 60],
  ])('refuses commands, interactions and events signed %s (401) and runs none', async (_label, offset) => {
    const opts = { ...h.app.signing, timestamp: seconds() + offset };
    const opened = h.slack.callsOf('views.open').length;
    const published = h.slack.callsOf('views.publish').length;
    const command = await sendCommand(h.app.url, { teamId: 'T1', userId: 'U1', text: 'create' }, opts);
    const click = await sendInteraction(
      h.app.url,
      buttonClickPayload({ teamId: 'T1', userId: 'U1', actionId: ACTION.homeCreate, container: { type: 'view', view: { id: 'VHOME', type: 'home' } } }),
      opts,
    );
    const event = await sendEvent(h.app.url, { teamId: 'T1', event: homeOpened('U1') }, opts);
    expect([command.status, click.status, event.status]).toEqual([401, 401, 401]);
    expect(h.slack.callsOf('views.open').length).toBe(opened);
    expect(h.slack.callsOf('views.publish').length).toBe(published);
  });

  it('takes a request signed 4 minutes ahead (clocks drift)', async () => {
    const res = await sendCommand(h.app.url, { teamId: 'T1', userId: 'U1', text: 'help' }, { ...h.app.signing, timestamp: seconds() + 4 * 60 });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/flag-alert');
  });

  it('publishes Home once for an app_home_opened replayed as is, and once for Slack retrying it', async () => {
    const before = publishesFor('U1M');
    const calls = h.slack.callsOf('views.publish').length;
    const repeats = ignoredRepeats();
    const signed = { ...h.app.signing, timestamp: seconds() };
    const event = { teamId: 'T1', eventId: 'EvHOME1', event: homeOpened('U1M') };
    expect((await sendEvent(h.app.url, event, signed)).status).toBe(200);
    await waitForNew(h, 'views.publish', calls, (c) => c.args.user_id === 'U1M');
    // The same signed request again, twice; then Slack's own retries, newly signed with the same event_id.
    expect((await sendEvent(h.app.url, event, signed)).status).toBe(200);
    expect((await sendEvent(h.app.url, event, signed)).status).toBe(200);
    for (const retry of ['1', '2']) {
      const res = await sendEvent(h.app.url, event, {
        ...h.app.signing,
        timestamp: seconds() + 1,
        headers: { 'X-Slack-Retry-Num': retry, 'X-Slack-Retry-Reason': 'http_timeout' },
      });
      expect(res.status).toBe(200);
    }
    expect(ignoredRepeats() - repeats).toBe(4);
    // A new event for the same person still publishes: once it has, the repeats before it would have too.
    const published = h.slack.callsOf('views.publish').length;
    await sendEvent(h.app.url, { teamId: 'T1', event: homeOpened('U1M') }, h.app.signing);
    await waitForNew(h, 'views.publish', published, (c) => c.args.user_id === 'U1M');
    expect(publishesFor('U1M') - before).toBe(2);
  });

  it('runs a replayed slash command and a replayed button click once', async () => {
    const opened = h.slack.callsOf('views.open').length;
    const repeats = ignoredRepeats();
    const signed = { ...h.app.signing, timestamp: seconds() };
    const command = { teamId: 'T1', userId: 'U1', text: 'create', triggerId: 'trigger-replayed-command' };
    expect((await sendCommand(h.app.url, command, signed)).status).toBe(200);
    const replayed = await sendCommand(h.app.url, command, signed);
    expect(replayed.status).toBe(200);
    expect(await replayed.text()).toBe('');

    const click = buttonClickPayload({
      teamId: 'T1',
      userId: 'U1',
      actionId: ACTION.homeCreate,
      container: { type: 'view', view: { id: 'VHOME', type: 'home' } },
    });
    expect((await sendInteraction(h.app.url, click, signed)).status).toBe(200);
    expect((await sendInteraction(h.app.url, click, signed)).status).toBe(200);
    expect(ignoredRepeats() - repeats).toBe(2);
    await expect.poll(() => h.slack.callsOf('views.open').length - opened).toBe(2);
    // The same click, clicked again (Slack gives each click its own trigger_id), runs again.
    const again = buttonClickPayload({
      teamId: 'T1',
      userId: 'U1',
      actionId: ACTION.homeCreate,
      container: { type: 'view', view: { id: 'VHOME', type: 'home' } },
    });
    expect((await sendInteraction(h.app.url, again, signed)).status).toBe(200);
    await expect.poll(() => h.slack.callsOf('views.open').length - opened).toBe(3);
  });
});

describe('the memory of Slack requests taken', () => {
  it('forgets a request once its time is up, and the oldest first when full', () => {
    const seen = createSeenSlackRequests(3);
    expect(seen.firstTime('a', 1000, 0)).toBe(true);
    expect(seen.firstTime('a', 1000, 10)).toBe(false);
    expect(seen.firstTime('a', 2000, 1000)).toBe(true);
    for (const key of ['b', 'c', 'd']) expect(seen.firstTime(key, 5000, 1001)).toBe(true);
    // Past three, the oldest ('a') was forgotten; the others are still remembered.
    expect(seen.firstTime('d', 5000, 1002)).toBe(false);
    expect(seen.firstTime('a', 5000, 1003)).toBe(true);
  });
});
