import type { AddressInfo } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setReminderOffsets, setSrmThreshold } from '../../src/experiments/experiments.repository.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { emailSender, slackDmSender, slackEmailLookup } from '../../src/experiments/notification-senders.js';
import { LEASE_MS, notificationPass } from '../../src/experiments/notification-worker.js';
import { listNotifications } from '../../src/experiments/notifications.repository.js';
import { savePreference } from '../../src/experiments/preferences.repository.js';
import type { ExperimentWorkerOptions } from '../../src/experiments/start-notification-worker.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { orgWithKey } from '../helpers/ingest-helpers.js';
import { pOfSplit, splitAtP } from '../helpers/srm-splits.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface Mail {
  to: string;
  raw: string;
}

/** A real local SMTP server that accepts everything, keeps the messages and counts connections. */
async function startSmtp(): Promise<{ url: string; mails: Mail[]; connections(): number; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
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
  return { url: `smtp://127.0.0.1:${port}`, mails, connections: () => connections, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Waits (bounded) until `check` holds; fails with `what` otherwise. Outcomes only, no timing asserted. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

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
const exposures = (control: number, treatment: number) => ({
  type: 'experiment.exposures',
  experimentId: 'exp-1',
  variants: [
    { variant: 'control', exposures: control, allocation: 50 },
    { variant: 'treatment', exposures: treatment, allocation: 50 },
  ],
});

describe.each(testDialects())('experiment notification worker on %s', (dialect) => {
  let slack: FakeSlack;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let transport: Transporter;
  let app: TestApp;
  let clock: number;

  beforeEach(async () => {
    clock = T0;
    slack = await new FakeSlack().start();
    smtp = await startSmtp();
    transport = nodemailer.createTransport(smtp.url);
  });
  afterEach(async () => {
    await app.stop();
    transport.close();
    await slack.stop();
    await smtp.stop();
  });

  /** The app; by default with no background worker, so the test runs each pass by hand at a moved clock. */
  const start = async (options: { worker?: ExperimentWorkerOptions | false; env?: Record<string, string>; now?: () => number } = {}) => {
    app = await startTestApp({
      dialect,
      slack,
      now: options.now ?? (() => clock),
      experimentWorker: options.worker ?? false,
      env: { SMTP_URL: smtp.url, ...options.env },
    });
    return app;
  };
  const post = (key: string, body: unknown) =>
    fetch(`${app.url}/api/v1/experiment-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  const senders = () => {
    const slack = app.deps.slack;
    const clientFor = slack ? (organizationId: string) => slack.clientFor(organizationId) : undefined;
    return {
      slack: clientFor ? slackDmSender(clientFor) : undefined,
      email: emailSender(transport, 'Flag Alerts <alerts@example.com>', clientFor ? slackEmailLookup(clientFor) : undefined),
    };
  };
  const run = async () =>
    (await notificationPass(app.deps, senders(), { workerId: 'w1', urlTemplate: 'https://exp.example.com/p/{projectId}/e/{experimentId}' })).delivered;
  const installed = async (scopes?: string[]) => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1', ...(scopes ? { scopes } : {}) });
    return (await createIngestKey(app.deps.db, { organizationId: 'T1', name: 'k', createdBy: 'U1' })).key;
  };
  const rowsOf = (recipient: string) =>
    app.deps.db
      .selectFrom('experiment_notifications')
      .selectAll()
      .where('organization_id', '=', 'T1')
      .where('recipient', '=', recipient)
      .orderBy('next_attempt_at')
      .execute();

  it('sends reminders when they are due, by Slack DM and by email, with the experiment link', async () => {
    await start();
    const key = await installed();
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
    await start();
    const key = await installed();
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
    await start();
    const key = await orgWithKey(app.deps.db, 'ORG-MAIL');
    await post(key, { ...scheduled, owners: ['a@example.com', 'b@example.com'] });
    clock = T0 + 47 * HOUR;
    expect(await run()).toBe(4);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual(['a@example.com', 'a@example.com', 'b@example.com', 'b@example.com']);
    expect(slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('a kind turned off after the reminder was planned: cancelled at its due time with the reason, nothing sent', async () => {
    await start();
    const key = await installed();
    await post(key, scheduled);
    // Planned on for both owners; then U0OWNER1 turns "starts soon" off.
    expect((await rowsOf('U0OWNER1')).filter((r) => r.kind === 'starts_soon')).toHaveLength(2);
    await savePreference(app.deps.db, 'T1', 'U0OWNER1', { kinds: ['ends_soon', 'srm', 'significance'], channel: 'slack' }, clock);

    clock = T0 + 47 * HOUR;
    expect(await run()).toBe(2); // the two "starts soon" emails to owner@example.com
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    const startsSoon = (await rowsOf('U0OWNER1')).filter((r) => r.kind === 'starts_soon');
    expect(startsSoon.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ['cancelled', 0, 'not sent: U0OWNER1 turned off starts_soon notifications'],
      ['cancelled', 0, 'not sent: U0OWNER1 turned off starts_soon notifications'],
    ]);
    // The kind still on goes out by DM when due.
    clock = T0 + 72 * HOUR;
    expect(await run()).toBe(2);
    expect(slack.callsOf('chat.postMessage').map((c) => String(c.args.text))).toEqual([expect.stringContaining('ends at 2026-03-05T00:00:00Z')]);
  });

  it('a switch from Slack DM to email after planning: the reminder is mailed to the Slack profile address', async () => {
    await start();
    const key = await installed();
    slack.addUser({ id: 'U0OWNER1', teamId: 'T1', name: 'Ana', email: 'ana@example.com' });
    await post(key, scheduled);
    await savePreference(app.deps.db, 'T1', 'U0OWNER1', { kinds: ['starts_soon', 'ends_soon', 'srm', 'significance'], channel: 'email' }, clock);

    clock = T0 + 24 * HOUR;
    expect(await run()).toBe(2);
    expect(slack.callsOf('conversations.open')).toHaveLength(0);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
    expect(slack.callsOf('users.info').map((c) => c.args.user)).toEqual(['U0OWNER1']);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual(['ana@example.com', 'owner@example.com']);
    const ana = smtp.mails.find((m) => m.to === 'ana@example.com');
    expect(ana?.raw).toMatch(/Subject: Experiment Checkout button \(checkout-button\) starts soon/);
    // The row says how it really went out.
    const sent = (await rowsOf('U0OWNER1')).filter((r) => r.status === 'delivered');
    expect(sent.map((r) => r.channel)).toEqual(['email']);
  });

  it('a Slack user who chose email on an install without users:read.email: dead, saying to reinstall or choose Slack DM', async () => {
    await start();
    const key = await installed(BOT_SCOPES.filter((s) => s !== 'users:read.email'));
    slack.addUser({ id: 'U0OWNER1', teamId: 'T1', email: 'ana@example.com' });
    await post(key, { ...scheduled, owners: ['U0OWNER1'] });
    await savePreference(app.deps.db, 'T1', 'U0OWNER1', { kinds: ['starts_soon'], channel: 'email' }, clock);

    clock = T0 + 24 * HOUR;
    expect(await run()).toBe(0);
    expect(smtp.mails).toHaveLength(0);
    const [row] = (await rowsOf('U0OWNER1')).filter((r) => r.next_attempt_at <= clock);
    expect(row?.status).toBe('dead');
    expect(row?.channel).toBe('email');
    expect(row?.last_error).toBe("Slack did not share U0OWNER1's email address: reinstall Flag Alerts to grant users:read.email, or choose Slack DM");
  });

  it('a notification whose worker died mid-send is taken over once its lease runs out, and sent once', async () => {
    await start();
    const key = await orgWithKey(app.deps.db, 'ORG-MAIL');
    await post(key, { ...scheduled, owners: ['a@example.com'] });
    clock = T0 + 24 * HOUR;
    // A worker claims the reminder and dies before sending it (its senders never answer).
    void notificationPass(app.deps, { slack: undefined, email: () => new Promise<void>(() => undefined) }, { workerId: 'dead' });
    await eventually(
      'the dead worker’s claim',
      async () => (await app.deps.db.selectFrom('experiment_notifications').select('id').where('status', '=', 'in_flight').execute()).length === 1,
    );
    expect(await run()).toBe(0); // leased: not taken while the lease holds
    clock += LEASE_MS; // the lease holds to its last millisecond
    expect(await run()).toBe(0);
    clock += 1;
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    expect(smtp.mails.map((m) => m.to)).toEqual(['a@example.com']);
  });

  it('wakes on enqueue: a sample-ratio mismatch goes out by DM at once, with the poll interval made huge and no pass run by hand', async () => {
    await start({ worker: { maxSleepMs: 10 * 60_000 } });
    const key = await installed();
    expect((await post(key, { ...scheduled, owners: ['U0OWNER1'] })).status).toBe(202);
    expect((await post(key, exposures(1000, 1300))).status).toBe(202);
    const dm = await slack.waitFor('chat.postMessage', (c) => String(c.args.text).includes('does not match its planned allocation'), 10_000);
    expect(dm.args.channel).toBe('DU0OWNER1');
    await eventually('the SRM row delivered', async () => (await rowsOf('U0OWNER1')).some((r) => r.kind === 'srm' && r.status === 'delivered'));
  });

  it('sends the SRM warning for p ≈ 0.0005 with the default threshold, and not where an admin set 0.0001', async () => {
    await start();
    const [control, treatment] = splitAtP(0.0005);
    expect(pOfSplit(control, treatment)).toBeGreaterThan(0.0001);
    expect(pOfSplit(control, treatment)).toBeLessThan(0.001);
    const defaultKey = await orgWithKey(app.deps.db, 'ORG-DEFAULT');
    const strictKey = await orgWithKey(app.deps.db, 'ORG-STRICT');
    await setSrmThreshold(app.deps.db, 'ORG-STRICT', 0.0001, clock);
    await post(defaultKey, { ...scheduled, owners: ['default@example.com'] });
    await post(strictKey, { ...scheduled, owners: ['strict@example.com'] });
    expect((await post(defaultKey, exposures(control, treatment))).status).toBe(202);
    expect((await post(strictKey, exposures(control, treatment))).status).toBe(202);

    expect(await run()).toBe(1);
    expect(smtp.mails.map((m) => m.to)).toEqual(['default@example.com']);
    expect(smtp.mails[0]?.raw).toMatch(/Subject: Sample-ratio mismatch in experiment Checkout button/);
    expect(
      await app.deps.db.selectFrom('experiment_notifications').select('id').where('organization_id', '=', 'ORG-STRICT').where('kind', '=', 'srm').execute(),
    ).toEqual([]);
  });

  it('sleeps until the next reminder is due rather than the whole poll interval', async () => {
    // The reminder is due 3 s after it is planned, the worker's cap is 10 minutes; its timer is the test's to fire.
    const timers: { ms: number; fire: () => void; cancelled: boolean }[] = [];
    const setTimer = (fire: () => void, ms: number) => {
      const timer = { ms, fire, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    };
    const armed = () => timers.filter((t) => !t.cancelled);
    const planned = clock;
    await start({ worker: { maxSleepMs: 10 * 60_000, setTimer } });
    const key = await orgWithKey(app.deps.db, 'ORG-MAIL');
    await setReminderOffsets(app.deps.db, 'ORG-MAIL', [HOUR - 3_000], planned);
    const body = { ...scheduled, owners: ['a@example.com'], startAt: iso(planned + HOUR), endAt: iso(planned + 10 * HOUR) };
    expect((await post(key, body)).status).toBe(202);
    await eventually('the worker asleep until the reminder', () => armed().length === 1 && armed()[0]?.ms === 3_000);
    expect(smtp.mails).toHaveLength(0);
    clock = planned + 3_000;
    armed()[0]?.fire();
    await eventually('the "starts soon" email', () => smtp.mails.length === 1);
    expect(smtp.mails[0]?.raw).toMatch(/Subject: Experiment Checkout button \(checkout-button\) starts soon/);
  });

  it('keeps one SMTP transport for the worker’s life: a pooled SMTP_URL reuses its connection across passes', async () => {
    await start({ worker: { maxSleepMs: 10 * 60_000 }, env: { SMTP_URL: `${smtp.url}/?pool=true` } });
    const key = await orgWithKey(app.deps.db, 'ORG-MAIL');
    await post(key, { ...scheduled, owners: ['a@example.com'] });
    await post(key, exposures(1000, 1300));
    await eventually('the first SRM email', () => smtp.mails.length === 1);
    // Recovers, then fails again later: a second warning, in a later pass.
    clock += 1_000;
    await post(key, exposures(1000, 1000));
    clock += 1_000;
    await post(key, exposures(1000, 1400));
    await eventually('the second SRM email', () => smtp.mails.length === 2);
    expect(smtp.mails.every((m) => m.raw.includes('Sample-ratio mismatch'))).toBe(true);
    expect(smtp.connections()).toBe(1);
  });
});
