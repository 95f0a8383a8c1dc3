import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reminderOffsets, srmThreshold } from '../../src/experiments/experiments.repository.js';
import { listNotifications } from '../../src/experiments/notifications.repository.js';
import { setMemberRole } from '../../src/roles/members.repository.js';
import { notificationMessage } from '../../src/experiments/notification-message.js';
import type { NotificationMessage } from '../../src/experiments/notification-message.js';
import { notificationPass } from '../../src/experiments/notification-worker.js';
import { preferenceLink } from '../../src/experiments/preference-link.js';
import { preferencesOf } from '../../src/experiments/preferences.repository.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { evenPlan, pOfSplit, splitAtP } from '../helpers/srm-splits.js';
import { Visitor } from '../helpers/settings-visitor.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const XSS = '<img src=x onerror=alert(1)>';

/** The fields of the page's forms, by name (checked boxes and radios only), as the browser would post them. */
function formOf(page: string, action: string): Record<string, string[]> {
  const form = new RegExp(`<form method="post" action="${action.replace(/[/.]/g, '\\$&')}">([\\s\\S]*?)</form>`).exec(page)?.[1] ?? '';
  const fields: Record<string, string[]> = {};
  for (const [input] of form.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    const value = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    const type = /type="([^"]*)"/.exec(input)?.[1];
    if (!name || ((type === 'checkbox' || type === 'radio') && !input.includes(' checked'))) continue;
    (fields[name] ??= []).push(
      value.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'"),
    );
  }
  return fields;
}

describe.each(testDialects())('experiment notifications on the settings page on %s', (dialect) => {
  let slack: FakeSlack;
  let app: TestApp;
  let clock: number;

  beforeEach(async () => {
    clock = T0;
    slack = await new FakeSlack().start();
    app = await startTestApp({ dialect, slack, env: { ADMIN_TOKEN: 'operator-secret-token-long' }, now: () => clock });
    await installWorkspace(app.url, slack, { teamId: 'T1', teamName: 'Acme', userId: 'U1' });
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
  });

  /** "Sign in with Slack" over HTTP: start, then come back from the fake's authorize page with a code. */
  async function slackPerson(teamId: string, userId: string): Promise<Visitor> {
    const v = new Visitor(app.url);
    const start = await v.get('/settings/oidc/start');
    expect(start.status).toBe(302);
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const code = `code-${userId}-${Math.random().toString(36).slice(2)}`;
    slack.addOpenIdCode(code, { teamId, userId });
    const back = await v.get(`/settings/oidc/callback?code=${code}&state=${encodeURIComponent(state)}`);
    expect(back.status).toBe(303);
    return v;
  }

  async function operatorOf(orgId: string): Promise<Visitor> {
    const v = new Visitor(app.url);
    expect((await v.post('/settings/login', { token: 'operator-secret-token-long' })).status).toBe(303);
    expect((await v.post('/settings/organizations/select', { _csrf: await v.csrf('/settings/organizations'), organizationId: orgId })).status).toBe(303);
    return v;
  }

  const storedRows = () => app.deps.db.selectFrom('notification_preferences').selectAll().execute();

  it('lets a person signed in with Slack save their kinds and channel, and shows them back', async () => {
    const member = await slackPerson('T1', 'U2');
    const page = await (await member.get('/settings')).text();
    expect(page).toContain('Your experiment notifications');
    // Nothing saved yet: every kind, by Slack DM.
    expect(formOf(page, '/settings/notifications')).toMatchObject({ kinds: ['starts_soon', 'ends_soon', 'srm', 'significance'], channel: ['slack'] });

    const csrf = await member.csrf('/settings');
    const saved = await member.post('/settings/notifications', { _csrf: csrf, kinds: ['srm', 'significance'], channel: 'email' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/settings?notice=preferences-saved#experiment-notifications');
    expect((await preferencesOf(app.deps.db, 'T1', ['U2'])).get('U2')).toEqual({ kinds: ['srm', 'significance'], channel: 'email' });
    const again = await (await member.get('/settings?notice=preferences-saved')).text();
    expect(again).toContain('Your experiment notifications are saved.');
    expect(formOf(again, '/settings/notifications')).toMatchObject({ kinds: ['srm', 'significance'], channel: ['email'] });

    // No box ticked: none at all, which is a choice too.
    expect((await member.post('/settings/notifications', { _csrf: csrf, channel: 'slack' })).status).toBe(303);
    expect((await preferencesOf(app.deps.db, 'T1', ['U2'])).get('U2')).toEqual({ kinds: [], channel: 'slack' });
    // Only this person, in this workspace.
    expect((await storedRows()).map((r) => [r.organization_id, r.person])).toEqual([['T1', 'U2']]);
  });

  it('refuses an unknown kind or channel with 400 naming the field, and stores nothing', async () => {
    const member = await slackPerson('T1', 'U2');
    const csrf = await member.csrf('/settings');
    const badKind = await member.post('/settings/notifications', { _csrf: csrf, kinds: ['srm', 'lottery'], channel: 'slack' });
    expect(badKind.status).toBe(400);
    const kindPage = await badKind.text();
    expect(kindPage).toContain('Notify me when: unknown notification kind &quot;lottery&quot;.');
    expect(kindPage).toContain('id="error-kinds"');
    const badChannel = await member.post('/settings/notifications', { _csrf: csrf, kinds: 'srm', channel: 'pigeon' });
    expect(badChannel.status).toBe(400);
    const channelPage = await badChannel.text();
    expect(channelPage).toContain('By: choose Slack direct message or Email.');
    expect(channelPage).toContain('id="error-channel"');
    // What was typed comes back ticked.
    expect(formOf(channelPage, '/settings/notifications').kinds).toEqual(['srm']);
    expect(await storedRows()).toHaveLength(0);
  });

  it('refuses a preference post without the CSRF token or with another session’s, and an operator has no personal form', async () => {
    const member = await slackPerson('T1', 'U2');
    const other = await slackPerson('T1', 'U3');
    expect((await member.post('/settings/notifications', { kinds: 'srm', channel: 'slack' })).status).toBe(403);
    expect((await member.post('/settings/notifications', { _csrf: await other.csrf('/settings'), kinds: 'srm', channel: 'slack' })).status).toBe(403);
    expect(await storedRows()).toHaveLength(0);

    const operator = await operatorOf('T1');
    const page = await (await operator.get('/settings')).text();
    expect(page).not.toContain('Your experiment notifications');
    expect(page).not.toContain('action="/settings/notifications"');
    expect((await operator.post('/settings/notifications', { _csrf: await operator.csrf('/settings'), kinds: 'srm', channel: 'slack' })).status).toBe(403);
    expect(await storedRows()).toHaveLength(0);
  });

  it('lets an admin change the reminder hours, refuses bad values with 400, and a member’s forged post with 403', async () => {
    const operator = await operatorOf('T1');
    const page = await (await operator.get('/settings')).text();
    expect(formOf(page, '/settings/experiment-reminders').hours).toEqual(['24, 1']);
    const csrf = await operator.csrf('/settings');

    const saved = await operator.post('/settings/experiment-reminders', { _csrf: csrf, hours: ' 2.5, 48 ,1 ' });
    expect(saved.status).toBe(303);
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([48 * HOUR, 2.5 * HOUR, HOUR]);
    expect(formOf(await (await operator.get('/settings')).text(), '/settings/experiment-reminders').hours).toEqual(['48, 2.5, 1']);

    const refusals: [string, string][] = [
      ['', 'give 1 to 5 numbers'],
      ['24, soon', '&quot;soon&quot; is not a number of hours'],
      ['-1', '&quot;-1&quot; is not a number of hours'],
      ['0', 'each number must be more than 0 and at most 720 hours'],
      ['721', 'each number must be more than 0 and at most 720 hours'],
      ['1, 2, 3, 4, 5, 6', 'at most 5 reminders'],
      [XSS, '&quot;&lt;img src=x onerror=alert(1)&gt;&quot; is not a number of hours'],
    ];
    for (const [hours, reason] of refusals) {
      const res = await operator.post('/settings/experiment-reminders', { _csrf: csrf, hours });
      expect(res.status, hours).toBe(400);
      const text = await res.text();
      expect(text, hours).toContain(`Hours before start and end: ${reason}`);
      expect(text).not.toContain('<img');
    }
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([48 * HOUR, 2.5 * HOUR, HOUR]);

    // A member sees the hours but has no form, and a forged post changes nothing.
    const member = await slackPerson('T1', 'U2');
    const memberPage = await (await member.get('/settings')).text();
    expect(memberPage).toContain('<strong id="reminder-hours">48, 2.5, 1</strong>');
    expect(memberPage).not.toContain('action="/settings/experiment-reminders"');
    const forged = await member.post('/settings/experiment-reminders', { _csrf: await member.csrf('/settings'), hours: '3' });
    expect(forged.status).toBe(403);
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([48 * HOUR, 2.5 * HOUR, HOUR]);
    // The installer is an admin: the same post goes through for them.
    const admin = await slackPerson('T1', 'U1');
    expect((await admin.post('/settings/experiment-reminders', { _csrf: await admin.csrf('/settings'), hours: '3' })).status).toBe(303);
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([3 * HOUR]);
  });

  it('lets an admin set the sample-ratio mismatch threshold, which ingestion then uses; bad values 400, forged posts 403', async () => {
    const operator = await operatorOf('T1');
    const page = await (await operator.get('/settings')).text();
    expect(page).toContain('<h2>Experiment notifications (organization)</h2>');
    expect(page).toContain('<label for="srm-threshold">Sample-ratio mismatch when p &lt;</label>');
    expect(formOf(page, '/settings/srm-threshold').threshold).toEqual(['0.001']);
    const csrf = await operator.csrf('/settings');
    expect((await operator.post('/settings/experiment-reminders', { _csrf: csrf, hours: '48, 2' })).status).toBe(303);

    const saved = await operator.post('/settings/srm-threshold', { _csrf: csrf, threshold: ' 0.0001 ' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/settings?notice=srm-threshold-saved#experiment-reminders');
    expect(await srmThreshold(app.deps.db, 'T1')).toBe(0.0001);
    const again = await (await operator.get('/settings?notice=srm-threshold-saved')).text();
    expect(again).toContain('Sample-ratio mismatch threshold saved.');
    expect(formOf(again, '/settings/srm-threshold').threshold).toEqual(['0.0001']);
    // Saving one organization setting leaves the other as it was.
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([48 * HOUR, 2 * HOUR]);

    const refusals: [string, string][] = [
      ['', 'give a p-value, e.g. 0.001'],
      ['0', 'must be more than 0 and at most 0.05'],
      ['0.06', 'must be more than 0 and at most 0.05'],
      ['-0.001', '&quot;-0.001&quot; is not a number'],
      ['0,001', '&quot;0,001&quot; is not a number'],
      [XSS, '&quot;&lt;img src=x onerror=alert(1)&gt;&quot; is not a number'],
    ];
    for (const [threshold, reason] of refusals) {
      const res = await operator.post('/settings/srm-threshold', { _csrf: csrf, threshold });
      expect(res.status, threshold).toBe(400);
      const text = await res.text();
      expect(text, threshold).toContain(`<p class="error" id="error-threshold">Sample-ratio mismatch threshold: ${reason}.</p>`);
      expect(text).not.toContain('<img');
    }
    expect(await srmThreshold(app.deps.db, 'T1')).toBe(0.0001);
    expect(await reminderOffsets(app.deps.db, 'T1')).toEqual([48 * HOUR, 2 * HOUR]);
    // No CSRF token: refused like every form.
    expect((await operator.post('/settings/srm-threshold', { threshold: '0.01' })).status).toBe(403);

    // Members and viewers see the value without the form; their forged posts change nothing.
    await setMemberRole(app.deps.db, { organizationId: 'T1', userId: 'U4', role: 'viewer', updatedBy: 'U1' });
    for (const userId of ['U2', 'U4']) {
      const person = await slackPerson('T1', userId);
      const personPage = await (await person.get('/settings')).text();
      expect(personPage, userId).toContain('A sample-ratio mismatch is reported when p &lt; <strong id="srm-threshold">0.0001</strong>.');
      expect(personPage, userId).not.toContain('action="/settings/srm-threshold"');
      const forged = await person.post('/settings/srm-threshold', { _csrf: await person.csrf('/settings'), threshold: '0.05' });
      expect(forged.status, userId).toBe(403);
    }
    expect(await srmThreshold(app.deps.db, 'T1')).toBe(0.0001);

    // Ingestion uses it: p ≈ 0.0005 is no mismatch at 0.0001 for T1, and is one at the default in T2.
    await installWorkspace(app.url, slack, { teamId: 'T2', teamName: 'Beta', userId: 'U9' });
    const [control, treatment] = splitAtP(0.0005);
    expect(pOfSplit(control, treatment)).toBeGreaterThan(0.0001);
    expect(pOfSplit(control, treatment)).toBeLessThan(0.001);
    const events = {
      events: [
        {
          type: 'experiment.scheduled',
          experimentId: 'exp-1',
          key: 'k',
          name: 'n',
          projectId: 1,
          startAt: new Date(T0 + 48 * HOUR).toISOString(),
          endAt: new Date(T0 + 96 * HOUR).toISOString(),
          owners: ['ana@example.com'],
        },
        { type: 'experiment.exposures', experimentId: 'exp-1', variants: evenPlan(control, treatment) },
      ],
    };
    for (const org of ['T1', 'T2']) {
      const { key } = await createIngestKey(app.deps.db, { organizationId: org, name: 'k', createdBy: 'U1' });
      const res = await fetch(`${app.url}/api/v1/experiment-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(events),
      });
      expect(res.status).toBe(202);
    }
    const srmIn = async (org: string) => (await listNotifications(app.deps.db, org, 'exp-1')).filter((n) => n.kind === 'srm').map((n) => n.recipient);
    expect(await srmIn('T1')).toEqual([]);
    expect(await srmIn('T2')).toEqual(['ana@example.com']);
  });

  it('puts a manage link in each email; it opens that address’s page and saving changes its preference', async () => {
    const { key } = await createIngestKey(app.deps.db, { organizationId: 'T1', name: 'k', createdBy: 'U1' });
    const scheduled = {
      type: 'experiment.scheduled',
      experimentId: 'exp-1',
      key: 'checkout-button',
      name: 'Checkout button',
      projectId: 311,
      startAt: new Date(T0 + 48 * HOUR).toISOString(),
      endAt: new Date(T0 + 96 * HOUR).toISOString(),
      owners: ['ana@example.com'],
    };
    const ingested = await fetch(`${app.url}/api/v1/experiment-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(scheduled),
    });
    expect(ingested.status).toBe(202);
    // The real worker, with the email transport handed in: what it would send is what we read.
    const sent: { to: string; message: NotificationMessage }[] = [];
    clock = T0 + 24 * HOUR;
    const { delivered } = await notificationPass(
      app.deps,
      { slack: undefined, email: async (_org, to, message) => void sent.push({ to, message }) },
      { workerId: 'w1' },
    );
    expect(delivered).toBe(1);
    expect(sent.map((s) => s.to)).toEqual(['ana@example.com']);
    const link = /Manage your notifications: (\S+)/.exec(sent[0]?.message.text ?? '')?.[1] ?? '';
    expect(link.startsWith('http://localhost:3000/settings/notifications/manage?')).toBe(true);

    const path = link.replace('http://localhost:3000', '');
    const visitor = new Visitor(app.url);
    const page = await visitor.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<strong id="manage-person">ana@example.com</strong>');
    expect(html).toContain('Acme');
    // An address is reached by email only: no channel choice.
    expect(html).not.toContain('value="slack"');
    const form = formOf(html, '/settings/notifications/manage');
    expect(form.kinds).toEqual(['starts_soon', 'ends_soon', 'srm', 'significance']);

    const saved = await visitor.post('/settings/notifications/manage', { ...form, kinds: ['ends_soon'] });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Saved.');
    expect((await preferencesOf(app.deps.db, 'T1', ['ana@example.com'])).get('ana@example.com')).toEqual({ kinds: ['ends_soon'], channel: 'email' });

    // An address cannot ask for Slack; nothing changes.
    const slackForAddress = await visitor.post('/settings/notifications/manage', { ...form, kinds: 'srm', channel: 'slack' });
    expect(slackForAddress.status).toBe(400);
    expect(await slackForAddress.text()).toContain('By: an email address can only be reached by email.');
    expect((await preferencesOf(app.deps.db, 'T1', ['ana@example.com'])).get('ana@example.com')).toEqual({ kinds: ['ends_soon'], channel: 'email' });
  });

  it('refuses a tampered link, another person’s or another organization’s, and changes nothing', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T2', teamName: 'Beta', userId: 'U9' });
    const url = new URL(
      notificationMessage(
        { kind: 'srm', experiment: { id: 'e', key: 'k', name: 'n', projectId: 1, startAt: null, endAt: null } },
        undefined,
        preferenceLink(app.deps, 'T1', 'ana@example.com'),
      ).text.split('Manage your notifications: ')[1] ?? '',
    );
    const q = Object.fromEntries(url.searchParams);
    const token = q.t ?? '';
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const visitor = new Visitor(app.url);
    const cases: [Record<string, string>, number][] = [
      [{ ...q, t: flipped }, 404],
      [{ ...q, o: 'T2' }, 404],
      [{ ...q, p: 'bob@example.com' }, 404],
      [{ ...q, o: 'T1x' }, 404],
      [{ o: q.o ?? '', p: q.p ?? '' }, 400],
      [{ ...q, t: '' }, 400],
    ];
    for (const [fields, status] of cases) {
      const get = await visitor.get(`/settings/notifications/manage?${new URLSearchParams(fields).toString()}`);
      expect(get.status, JSON.stringify(fields)).toBe(status);
      expect(await get.text()).not.toContain('ana@example.com');
      const post = await visitor.post('/settings/notifications/manage', { ...fields, kinds: 'srm', channel: 'email' });
      expect(post.status, JSON.stringify(fields)).toBe(status);
    }
    expect(await storedRows()).toHaveLength(0);
    // The untouched link still works, and speaks only for T1.
    expect((await visitor.post('/settings/notifications/manage', { ...q, kinds: 'srm', channel: 'email' })).status).toBe(200);
    expect((await storedRows()).map((r) => [r.organization_id, r.person, r.kinds])).toEqual([['T1', 'ana@example.com', '["srm"]']]);
    expect((await preferencesOf(app.deps.db, 'T2', ['ana@example.com'])).get('ana@example.com')?.kinds).toHaveLength(4);
  });

  it('renders an address, an organization and typed values named like markup as text', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T3', teamName: XSS, userId: 'U7' });
    const person = `"${XSS}"@example.com`;
    const path = preferenceLink(app.deps, 'T3', person).replace('http://localhost:3000', '');
    const visitor = new Visitor(app.url);
    const page = await (await visitor.get(path)).text();
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const form = formOf(page, '/settings/notifications/manage');
    expect(form.p).toEqual([person]);
    // The hidden fields carry the address back intact: the save lands on exactly that person.
    const saved = await visitor.post('/settings/notifications/manage', { ...form, kinds: ['srm', XSS] });
    expect(saved.status).toBe(400);
    expect(await saved.text()).not.toContain('<img');
    expect((await visitor.post('/settings/notifications/manage', { ...form, kinds: 'srm' })).status).toBe(200);
    expect((await preferencesOf(app.deps.db, 'T3', [person])).get(person)).toEqual({ kinds: ['srm'], channel: 'email' });
  });
});
