import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../src/delivery/retry-policy.js';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, slackAlert, webhookAlert } from '../helpers/delivery-fixtures.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { until } from '../helpers/reliability-helpers.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { advanceOutbox, createTestClock, nextTryAt } from '../helpers/test-clock.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

type LogLine = Record<string, unknown> & { level: number; msg: string };
const WARN = 40;
const ERROR = 50;

// One app for the file: each case reads only the lines of its own alert or route.
describe('operational logs: failed and dead deliveries, one line per request', () => {
  const clock = createTestClock();
  let slack: FakeSlack;
  let app: TestApp;
  let key: string;
  let receiver: WebhookReceiver;
  // A receiver's secret often rides in its URL: path and query must never reach the log, the host may.
  const secretPath = 'hooks/path-secret-7f3a9c';
  const secretQuery = 'query-secret-51be0d';

  const lines = (): LogLine[] =>
    app
      .logs()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as LogLine);
  const failuresOf = (alertId: number) => lines().filter((l) => l.alertId === alertId && (l.level === WARN || l.level === ERROR));
  const requestLines = () => lines().filter((l) => l.msg === 'request');

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    slack.now = clock.now;
    app = await startTestApp({ slack, now: clock.now, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    key = await organizationWithKey(app);
    receiver = await new WebhookReceiver(SIGNING_KEY).start();
    receiver.now = clock.now;
  });
  afterAll(async () => {
    await receiver.stop();
    await app.stop();
    await slack.stop();
  });

  it('logs every failed webhook try at warn and the dead delivery at error, with alert, kind, attempt and reason', async () => {
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) receiver.answers.push({ status: 500 });
    const alert = await webhookAlert(app, `${receiver.url.replace(/\/hook$/, '')}/${secretPath}?token=${secretQuery}`);
    await postEvents(app, key, change('always-500'));
    const row = async () => (await deliveryRows(app)).find((r) => Number(r.alert_id) === alert.id);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      await until(`failed try ${attempt}`, async () => ((await row())?.attempts ?? 0) >= attempt, 10_000);
      // The retry comes due only when the clock is moved there.
      advanceOutbox(app, clock, Math.max(0, (await nextTryAt(app, (await row())?.id ?? 0)) - clock.now()));
    }
    await until('the dead delivery', async () => (await row())?.status === 'dead', 10_000);
    await until('its log line', () => failuresOf(alert.id).some((l) => l.level === ERROR), 5_000);

    const failures = failuresOf(alert.id);
    const host = new URL(receiver.url).host;
    expect(failures.map((l) => [l.level, l.attempt])).toEqual([...Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => [WARN, i + 1]), [ERROR, MAX_ATTEMPTS]]);
    for (const l of failures) {
      expect(l).toMatchObject({ destination: 'webhook', webhookHost: host, reason: 'the receiver answered 500', statusCode: 500 });
    }
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
  });

  it('logs a dead Slack delivery at error with the Slack error as the reason', async () => {
    const alert = await slackAlert(app, 'C1');
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await postEvents(app, key, change('no-channel'));
    await until('the Slack line', () => failuresOf(alert.id).length > 0, 10_000);
    expect(failuresOf(alert.id)).toEqual([
      expect.objectContaining({ level: ERROR, destination: 'slack', channelId: 'C1', attempt: 1, reason: 'channel_not_found' }),
    ]);
  });

  it('logs one line per request with the route pattern, none for the probes', async () => {
    const sourceId = 'src_secretid9d2e';
    expect((await postEvents(app, key, change('logged'))).status).toBe(202);
    expect((await fetch(`${app.url}/api/v1/sources/${sourceId}?token=${secretQuery}`, { method: 'POST', body: '{}' })).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${app.url}/settings/alerts/123`, { redirect: 'manual' })).status).toBeLessThan(500);
    expect((await fetch(`${app.url}/settings/login?token=${secretQuery}`, { redirect: 'manual' })).status).toBeLessThan(500);
    expect((await fetch(`${app.url}/no-such-page/${secretPath}`)).status).toBe(404);
    await until('the last request line', () => requestLines().some((l) => l.status === 404), 5_000);

    const requests = requestLines();
    const ingest = requests.find((l) => l.method === 'POST' && l.route === '/api/v1/flag-events' && l.status === 202);
    expect(ingest).toBeDefined();
    expect(typeof ingest?.durationMs).toBe('number');
    expect(requests.some((l) => l.route === '/api/v1/sources/:id' && Number(l.status) >= 400)).toBe(true);
    // Express's routes by their pattern, mount path included; the id and the query stay out.
    expect(requests.some((l) => l.method === 'GET' && l.route === '/settings/alerts/:id')).toBe(true);
    expect(requests.some((l) => l.method === 'GET' && l.route === '/settings/login')).toBe(true);
    expect(requests.some((l) => l.route === 'unmatched' && l.status === 404)).toBe(true);
    expect(requests.filter((l) => ['/healthz', '/metrics'].includes(String(l.route)))).toEqual([]);
    const log = app.logs();
    expect(log).not.toContain(sourceId);
    expect(log).not.toContain('/healthz');
  });

  it('writes no secret anywhere in the whole log', () => {
    const log = app.logs();
    const secrets = [
      SIGNING_KEY,
      SIGNING_KEY.slice('whsec_'.length),
      key,
      secretPath,
      secretQuery,
      'test-client-secret',
      app.signing.signingSecret,
      ...slack.tokens.keys(),
    ];
    expect(slack.tokens.size).toBeGreaterThan(0);
    for (const secret of secrets) expect(log, `the log holds ${secret.slice(0, 6)}…`).not.toContain(secret);
  });
});
