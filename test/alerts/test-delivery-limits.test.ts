import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEND_WINDOW_MS, SENDS_PER_PERSON } from '../../src/alerts/operations/send-limit.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { webhookAlert } from '../helpers/delivery-fixtures.js';
import { freePort } from '../helpers/free-port.js';
import { Visitor } from '../helpers/settings-visitor.js';
import { clickButton, command, startHarness, type Harness } from '../helpers/slack-harness.js';
import { createTestClock } from '../helpers/test-clock.js';
import { testDialects } from '../helpers/test-database.js';

/**
 * "Send test" from the Slack command, the Home tab button and the settings page, all through the alert
 * operations: at most one test per alert on its way, and a limit per person. The alerts' webhook points at a
 * port nothing listens on, so a queued test stays pending (its retry waits on the app's clock, which stands still).
 */
describe.each(testDialects())('test deliveries under a flood of clicks on %s', (dialect) => {
  let h: Harness;
  const clock = createTestClock();
  let deadUrl: string;

  beforeAll(async () => {
    h = await startHarness(dialect, { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }, clock.now);
    deadUrl = `http://127.0.0.1:${await freePort()}/hook`;
  });
  afterAll(async () => {
    await h?.stop();
  });
  beforeEach(() => {
    // Each case starts with everyone's sends out of the window.
    clock.advance(SEND_WINDOW_MS);
  });

  async function signIn(userId: string): Promise<{ visitor: Visitor; csrf: string }> {
    const visitor = new Visitor(h.app.url);
    const start = await visitor.get('/settings/oidc/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const code = `code-${userId}-${Math.random().toString(36).slice(2)}`;
    h.slack.addOpenIdCode(code, { teamId: 'T1', userId });
    expect((await visitor.get(`/settings/oidc/callback?code=${code}&state=${encodeURIComponent(state)}`)).status).toBe(303);
    return { visitor, csrf: await visitor.csrf('/settings') };
  }

  const testsOf = async (alertId: number) =>
    h.app.deps.db.selectFrom('deliveries').select(['id', 'status', 'attempts']).where('alert_id', '=', alertId).where('kind', '=', 'test').execute();
  const modalTexts = (from: number) =>
    h.slack
      .callsOf('views.open')
      .slice(from)
      .map((c) => JSON.stringify(c.args.view));

  it('queues one test for a burst of clicks from Slack and the settings page; the others hear it is on its way', async () => {
    const alert = await webhookAlert(h.app, deadUrl);
    const { visitor, csrf } = await signIn('U1A');
    const opened = h.slack.callsOf('views.open').length;
    const n = SENDS_PER_PERSON / 2;
    const [commands, clicks, posts] = await Promise.all([
      Promise.all(Array.from({ length: n }, () => command(h, 'T1', 'U1M', `test ${alert.id}`))),
      Promise.all(Array.from({ length: n }, () => clickButton(h, { teamId: 'T1', userId: 'U1', actionId: ACTION.alertTest, value: String(alert.id) }))),
      Promise.all(Array.from({ length: n }, () => visitor.post(`/settings/alerts/${alert.id}/test`, { _csrf: csrf }))),
    ]);
    expect(await testsOf(alert.id)).toHaveLength(1);

    expect(clicks.every((status) => status === 200)).toBe(true);
    await expect.poll(() => modalTexts(opened).length).toBe(n);
    const answers = [
      ...commands.map((c) => c.body?.text ?? ''),
      ...modalTexts(opened),
      ...posts.map((p) =>
        p.headers.get('location')?.endsWith('notice=test-pending') ? 'already on its way' : (p.headers.get('location') ?? String(p.status)),
      ),
    ];
    expect(answers.filter((a) => a.includes('Sending a test notification') || a.endsWith('notice=test-queued'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('already on its way'))).toHaveLength(3 * n - 1);

    const page = await (await visitor.get(`/settings/alerts/${alert.id}?notice=test-pending`)).text();
    expect(page).toContain('A test is already on its way');
  }, 60_000);

  it('queues a new test once the last one is no longer on its way', async () => {
    const alert = await webhookAlert(h.app, deadUrl);
    expect((await command(h, 'T1', 'U1M', `test ${alert.id}`)).body?.text).toContain('Sending a test notification');
    expect((await command(h, 'T1', 'U1M', `test ${alert.id}`)).body?.text).toContain('already on its way');
    // Once its first try failed, it waits for a retry (the clock stands still); then it is given up, as the worker does after the last try.
    await expect.poll(async () => (await testsOf(alert.id)).map((t) => `${t.status} after ${t.attempts}`), { timeout: 10_000 }).toEqual(['pending after 1']);
    const [first] = await testsOf(alert.id);
    await h.app.deps.db
      .updateTable('deliveries')
      .set({ status: 'dead' })
      .where('id', '=', first?.id ?? 0)
      .execute();
    expect((await command(h, 'T1', 'U1M', `test ${alert.id}`)).body?.text).toContain('Sending a test notification');
    expect((await testsOf(alert.id)).map((t) => t.status)).toEqual(['dead', expect.stringMatching(/^(pending|in_flight)$/)]);
  });

  it('limits how many tests one person asks for in a minute, on both surfaces together, and lets them again after', async () => {
    const alerts = await Promise.all(Array.from({ length: SENDS_PER_PERSON + 1 }, () => webhookAlert(h.app, deadUrl)));
    const { visitor, csrf } = await signIn('U1M');
    for (const [i, alert] of alerts.slice(0, SENDS_PER_PERSON).entries()) {
      if (i % 2 === 0) expect((await command(h, 'T1', 'U1M', `test ${alert.id}`)).body?.text).toContain('Sending a test notification');
      else expect((await visitor.post(`/settings/alerts/${alert.id}/test`, { _csrf: csrf })).headers.get('location')).toContain('notice=test-queued');
    }
    const last = alerts[SENDS_PER_PERSON];
    if (!last) throw new Error('no alert');
    expect((await command(h, 'T1', 'U1M', `test ${last.id}`)).body?.text).toMatch(/many tests just now: try again in 60 s/);
    const page = await visitor.post(`/settings/alerts/${last.id}/test`, { _csrf: csrf });
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toBe('60');
    expect(await testsOf(last.id)).toEqual([]);
    // Someone else is not held back by it.
    expect((await command(h, 'T1', 'U1', `test ${last.id}`)).body?.text).toContain('Sending a test notification');

    clock.advance(SEND_WINDOW_MS);
    expect((await command(h, 'T1', 'U1M', `test ${last.id}`)).body?.text).toContain('already on its way');
  });
});
