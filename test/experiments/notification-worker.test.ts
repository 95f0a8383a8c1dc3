import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { emailSender, slackDmSender } from '../../src/experiments/notification-senders.js';
import { sendDueNotifications } from '../../src/experiments/notification-worker.js';
import { listNotifications } from '../../src/experiments/notifications.repository.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { orgWithKey } from '../ingest/ingest-helpers.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface Mail { to: string; raw: string }

/** A real local SMTP server that accepts everything and keeps the messages. */
async function startSmtp(): Promise<{ url: string; mails: Mail[]; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(testDialects())('experiment notification worker on %s', (dialect) => {
  let slack: FakeSlack;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let app: TestApp;
  let clock: number;

  beforeEach(async () => {
    clock = T0;
    slack = await new FakeSlack().start();
    smtp = await startSmtp();
    app = await startTestApp({ dialect, slack, now: () => clock });
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
    await smtp.stop();
  });

  const post = (key: string, body: unknown) =>
    fetch(`${app.url}/api/v1/experiment-events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const senders = () => ({
    slack: app.deps.slack ? slackDmSender(app.deps.slack.clientFor) : undefined,
    email: emailSender(smtp.url, 'Flag Alerts <alerts@example.com>'),
  });
  const run = () => sendDueNotifications(app.deps, senders(), { workerId: 'w1', urlTemplate: 'https://exp.example.com/p/{projectId}/e/{experimentId}' });
  const scheduled = {
    type: 'experiment.scheduled',
    experimentId: 'exp-1',
    key: 'checkout-button',
    name: 'Checkout button',
    projectId: 311,
    startAt: iso(T0 + 48 * HOUR),
    endAt: iso(T0 + 96 * HOUR),
    owners: ['U0OWNER1', 'owner@example.com'],
  };

  it('sends reminders when they are due, by Slack DM and by email, with the experiment link', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const { key } = await createIngestKey(app.deps.db, { organizationId: 'T1', name: 'k', createdBy: 'U1' });
    expect((await post(key, scheduled)).status).toBe(202);

    clock = T0 + 24 * HOUR - 1;
    expect(await run()).toBe(0);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);

    clock = T0 + 24 * HOUR;
    expect(await run()).toBe(2);
    expect(slack.callsOf('conversations.open').map((c) => c.args.users)).toEqual(['U0OWNER1']);
    const dm = slack.callsOf('chat.postMessage')[0];
    expect(String(dm?.args.text)).toContain('Checkout button (checkout-button) starts at 2026-03-03T00:00:00Z');
    expect(String(dm?.args.text)).toContain('https://exp.example.com/p/311/e/exp-1');
    expect(smtp.mails.map((m) => m.to)).toEqual(['owner@example.com']);
    expect(smtp.mails[0]?.raw).toMatch(/Subject: Experiment Checkout button \(checkout-button\) starts soon/);

    // Sent once: another pass at the same time sends nothing.
    expect(await run()).toBe(0);
    const rows = await listNotifications(app.deps.db, 'T1', 'exp-1');
    expect(rows.filter((r) => r.status === 'delivered')).toHaveLength(2);
  });

  it('retries a Slack failure later', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const { key } = await createIngestKey(app.deps.db, { organizationId: 'T1', name: 'k', createdBy: 'U1' });
    await post(key, { ...scheduled, owners: ['U0OWNER1'] });
    slack.failNext('chat.postMessage', { status: 500 }, 1);
    clock = T0 + 24 * HOUR;
    expect(await run()).toBe(0);
    const failed = await app.deps.db.selectFrom('experiment_notifications').selectAll().where('attempts', '=', 1).execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status).toBe('pending');
    expect(Number(failed[0]?.next_attempt_at)).toBeGreaterThan(clock);
    expect(failed[0]?.last_error).toBeTruthy();
    // Once Slack answers again, the retry goes out.
    clock += 10 * 60_000;
    expect(await run()).toBe(1);
  });

  it('works for an email-only organization with no Slack installation', async () => {
    const key = await orgWithKey(app.deps.db, 'ORG-MAIL');
    await post(key, { ...scheduled, owners: ['a@example.com', 'b@example.com'] });
    clock = T0 + 47 * HOUR;
    expect(await run()).toBe(4);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual(['a@example.com', 'a@example.com', 'b@example.com', 'b@example.com']);
    expect(slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });
});
