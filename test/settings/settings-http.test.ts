import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import { createSessionCodec } from '../../src/settings-auth/session.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';
import { Visitor } from '../helpers/settings-visitor.js';

describe.each(testDialects())('settings over HTTP on %s', (dialect) => {
  let slack: FakeSlack;
  let app: TestApp;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ dialect, slack, env: { ADMIN_TOKEN: 'operator-secret-token-long' } });
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
  });

  async function operator(): Promise<Visitor> {
    const v = new Visitor(app.url);
    const res = await v.post('/settings/login', { token: 'operator-secret-token-long' });
    expect(res.status).toBe(303);
    return v;
  }

  it('signs the operator in with ADMIN_TOKEN, sets a strict cookie, and prints no generated link', async () => {
    expect(app.logs()).not.toContain('/settings/login?token=');
    expect(await app.deps.db.selectFrom('app_secrets').selectAll().execute()).toHaveLength(0);
    const res = await fetch(`${app.url}/settings/login`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token: 'operator-secret-token-long' }),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fa_session=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=\d+/);
    const wrong = await fetch(`${app.url}/settings/login`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ token: 'operator-secret-token-lonG' }),
    });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('fa_session='))).toBe(false);
  });

  it('refuses a tampered or expired session cookie', async () => {
    const v = await operator();
    expect((await v.get('/settings/organizations')).status).toBe(200);
    const [name, value] = v.cookie.split('=');
    const [body, sig] = decodeURIComponent(value ?? '').split('.');
    const forged = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    forged.exp = Date.now() + 1e9;
    const tampered = `${name}=${encodeURIComponent(`${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`)}`;
    const res = await fetch(`${app.url}/settings/organizations`, { redirect: 'manual', headers: { cookie: tampered } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings');

    const codec = createSessionCodec(app.deps.box.derive('settings-session'));
    const old = codec.encode(codec.create({ kind: 'operator' }, Date.now() - 13 * 60 * 60 * 1000));
    const expired = await fetch(`${app.url}/settings/organizations`, { redirect: 'manual', headers: { cookie: `fa_session=${encodeURIComponent(old)}` } });
    expect(expired.status).toBe(303);
  });

  it('signs out with the CSRF token only', async () => {
    const v = await operator();
    const csrf = await v.csrf();
    const kept = v.cookie;
    expect((await v.post('/settings/logout', {})).status).toBe(403);
    expect(v.cookie).toBe(kept);
    expect((await v.post('/settings/logout', { _csrf: csrf })).status).toBe(303);
    expect(v.cookie).toBe('');
    expect((await v.get('/settings/organizations')).status).toBe(303);
  });

  it('creates a webhook-only organization, refuses an empty name, and manages only the chosen organization', async () => {
    const v = await operator();
    const csrf = await v.csrf();
    const empty = await v.post('/settings/organizations', { _csrf: csrf, name: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Organization name');
    expect(await app.deps.db.selectFrom('organizations').selectAll().execute()).toHaveLength(0);
    const nul = await v.post('/settings/organizations', { _csrf: csrf, name: 'Web\u0000hook' });
    expect(nul.status).toBe(400);
    expect(await nul.text()).toContain('NUL character');
    expect(await app.deps.db.selectFrom('organizations').selectAll().execute()).toHaveLength(0);

    expect((await v.post('/settings/organizations', { _csrf: csrf, name: 'Webhook team' })).status).toBe(303);
    const orgs = await app.deps.db.selectFrom('organizations').selectAll().execute();
    expect(orgs.map((o) => o.name)).toEqual(['Webhook team']);
    const page = await (await v.get('/settings')).text();
    expect(page).toContain('Webhook team');
    expect(page).toContain('No Slack workspace is connected');

    const keyRes = await v.post('/settings/ingest-keys', { _csrf: csrf, name: 'ci' });
    expect(keyRes.status).toBe(200);
    const keys = await app.deps.db.selectFrom('ingest_keys').selectAll().execute();
    expect(keys.map((k) => k.organization_id)).toEqual([orgs[0]?.id]);
    const bad = await v.post('/settings/ingest-keys', { _csrf: csrf, name: '' });
    expect(bad.status).toBe(400);
    expect(await app.deps.db.selectFrom('ingest_keys').selectAll().execute()).toHaveLength(1);
  });

  it('disconnects Slack for an admin: the installation is revoked and Slack is asked to uninstall', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const v = await operator();
    const csrf = await v.csrf();
    expect((await v.post('/settings/organizations/select', { _csrf: csrf, organizationId: 'T1' })).status).toBe(303);
    expect(await (await v.get('/settings')).text()).toContain('Connected to workspace');
    expect((await v.post('/settings/slack/disconnect', { _csrf: csrf })).status).toBe(303);
    const row = await app.deps.db.selectFrom('installations').selectAll().executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    expect(row.bot_token_sealed).toBeNull();
    expect(slack.callsOf('apps.uninstall')).toHaveLength(1);
    expect(await (await v.get('/settings')).text()).toContain('No Slack workspace is connected');
  });

  it('answers bad ids and unknown organizations with 404, never 500', async () => {
    const v = await operator();
    const csrf = await v.csrf();
    expect((await v.post('/settings/organizations/select', { _csrf: csrf, organizationId: 'TNOPE' })).status).toBe(404);
    expect((await v.post('/settings/organizations', { _csrf: csrf, name: 'Team' })).status).toBe(303);
    expect((await v.get('/settings/alerts/abc')).status).toBe(404);
    expect((await v.get('/settings/alerts/99/edit')).status).toBe(404);
    expect((await v.post('/settings/alerts/99/pause', { _csrf: csrf })).status).toBe(404);
    expect((await v.post('/settings/alerts/99/deliveries/99/retry', { _csrf: csrf })).status).toBe(404);
    expect((await v.post('/settings/ingest-keys/x/revoke', { _csrf: csrf })).status).toBe(404);
  });
});

describe('the generated admin token', () => {
  it('is printed on the first start only, and still works after a restart', async () => {
    // A restart keeps its encryption key, as a real one does (a start with another key stops).
    const env = { ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };
    const first = await startTestApp({ dialect: 'sqlite', env });
    const link = /(http:\/\/[^\s"]+\/settings\/login\?token=([A-Za-z0-9_-]+))/.exec(first.logs());
    expect(link?.[2]).toBeTruthy();
    const token = link?.[2] ?? '';
    const database = first.database;
    await first.close();
    const second = await startTestApp({ dialect: 'sqlite', database, env });
    try {
      expect(second.logs()).not.toContain(token);
      expect(second.logs()).not.toContain('/settings/login?token=');
      const res = await fetch(`${second.url}/settings/login?token=${token}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/settings/organizations');
    } finally {
      await second.stop();
    }
  });
});

describe('settings without Slack credentials', () => {
  it('explains how to turn Slack on, offers no Slack sign-in, and still manages webhook organizations', async () => {
    const app = await startTestApp({ dialect: 'sqlite', env: { ADMIN_TOKEN: 'operator-secret-token-long' } });
    try {
      const signIn = await (await fetch(`${app.url}/settings`)).text();
      expect(signIn).not.toContain('/settings/oidc/start');
      expect((await fetch(`${app.url}/settings/oidc/start`, { redirect: 'manual' })).status).toBe(400);
      const v = new Visitor(app.url);
      await v.post('/settings/login', { token: 'operator-secret-token-long' });
      const orgs = await (await v.get('/settings/organizations')).text();
      expect(orgs).toContain('manifest.yml');
      expect(orgs).not.toContain('href="/slack/install"');
      expect((await v.post('/settings/organizations', { _csrf: await v.csrf(), name: 'Hooks' })).status).toBe(303);
      const page = await (await v.get('/settings')).text();
      expect(page).toContain('SLACK_SIGNING_SECRET');
      expect(page).toContain('/settings/alerts/new');
    } finally {
      await app.stop();
    }
  });
});

describe.each(testDialects())('the delivery log on %s', (dialect) => {
  it('lists an alert’s deliveries and puts a dead one back in the queue', async () => {
    const app = await startTestApp({ dialect, env: { ADMIN_TOKEN: 'operator-secret-token-long', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const v = new Visitor(app.url);
      await v.post('/settings/login', { token: 'operator-secret-token-long' });
      const csrf = await v.csrf();
      await v.post('/settings/organizations', { _csrf: csrf, name: 'Hooks' });
      const created = await v.post('/settings/alerts', {
        _csrf: csrf,
        projectId: '7',
        scope: 'project',
        destination: 'webhook',
        webhookUrl: 'https://127.0.0.1:9/h',
        signingKey: 'a-very-long-signing-key',
        events: 'created',
        name: 'Hook',
      });
      expect(created.status).toBe(303);
      const alert = await app.deps.db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
      const now = Date.now();
      const row = {
        organization_id: alert.organization_id,
        alert_id: alert.id,
        flag_event_id: null,
        kind: 'test',
        destination_type: 'webhook',
        channel_id: null,
        payload: '{}',
        attempts: 8,
        next_attempt_at: now,
        lease_until: null,
        leased_by: null,
        last_error: 'connect ECONNREFUSED',
        last_status_code: 503,
        digest_of: null,
        created_at: now,
        updated_at: now,
        delivered_at: null,
      };
      const dead = await app.deps.db
        .insertInto('deliveries')
        .values({ ...row, message_id: 'msg_dead', status: 'dead' })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Another tenant's dead delivery: its id must not be retried from this organization.
      await app.deps.db
        .insertInto('organizations')
        .values({ id: 'TOTHER', name: 'Other', enterprise_id: null, default_role: 'member', created_at: now })
        .execute();
      const otherAlert = await createAlert(app.deps.db, app.deps.box, {
        organizationId: 'TOTHER',
        createdBy: 'U9',
        alert: {
          name: 'Theirs',
          projectId: 7,
          scope: { type: 'project' },
          actions: ['created'],
          destination: { type: 'webhook', url: 'https://127.0.0.1:9/o', signingKey: 'a-very-long-signing-key' },
        },
      });
      const other = await app.deps.db
        .insertInto('deliveries')
        .values({ ...row, organization_id: 'TOTHER', alert_id: otherAlert.id, message_id: 'msg_other', status: 'dead' })
        .returning('id')
        .executeTakeFirstOrThrow();

      const log = await (await v.get(`/settings/alerts/${alert.id}`)).text();
      expect(log).toContain('HTTP 503 connect ECONNREFUSED');
      expect(log).toContain(`/settings/alerts/${alert.id}/deliveries/${dead.id}/retry`);
      expect((await v.post(`/settings/alerts/${alert.id}/deliveries/${other.id}/retry`, { _csrf: csrf })).status).toBe(404);
      expect((await v.post(`/settings/alerts/${otherAlert.id}/deliveries/${other.id}/retry`, { _csrf: csrf })).status).toBe(404);
      const retried = await v.post(`/settings/alerts/${alert.id}/deliveries/${dead.id}/retry`, { _csrf: csrf });
      expect(retried.status).toBe(303);
      expect(retried.headers.get('location')).toBe(`/settings/alerts/${alert.id}?notice=retry-queued`);
      const after = await app.deps.db
        .selectFrom('deliveries')
        .select(['organization_id', 'status', 'attempts'])
        .where('id', 'in', [dead.id, other.id])
        .orderBy('id')
        .execute();
      // Ours is back in the queue (the worker may already be trying it); theirs is untouched.
      expect(after[0]?.status).not.toBe('dead');
      expect(after[1]).toEqual({ organization_id: 'TOTHER', status: 'dead', attempts: 8 });
    } finally {
      await app.stop();
    }
  });
});
