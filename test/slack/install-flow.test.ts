import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { sendEvent } from '../helpers/slack-requests.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { testDialects } from '../helpers/test-database.js';

describe.each(testDialects())('Slack install on %s', (dialect) => {
  let slack: FakeSlack;
  let app: TestApp;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ dialect, slack });
  });
  afterEach(async () => {
    await app.stop();
    await slack.stop();
  });

  /** A listener that proves which token a request from a workspace was authorized with. */
  function recordTokenOnMention(): void {
    app.deps.slack?.app.event('app_mention', async ({ client, event }) => {
      await client.chat.postMessage({ channel: event.channel, text: 'proof' });
    });
  }

  it('redirects /slack/install to the authorize URL with a state', async () => {
    const res = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${slack.baseUrl}/oauth/v2/authorize`);
    expect(location.searchParams.get('client_id')).toBe('111.222');
    expect(location.searchParams.get('scope')?.split(',')).toContain('chat:write');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:3000/slack/oauth_redirect');
    expect(location.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]+$/);
  });

  it('stores the installation, makes the installer admin, and authorizes later requests with the stored token', async () => {
    recordTokenOnMention();
    const done = await installWorkspace(app.url, slack, { teamId: 'T1', teamName: 'Acme', userId: 'U1' });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('http://localhost:3000/settings?installed=T1');

    const exchange = slack.callsOf('oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]?.args.client_id).toBe('111.222');
    const issued = [...slack.tokens.keys()][0] ?? '';

    const row = await app.deps.db.selectFrom('installations').selectAll().executeTakeFirstOrThrow();
    expect(row.team_id).toBe('T1');
    expect(row.revoked_at).toBeNull();
    expect(row.bot_token_sealed).not.toContain(issued);
    const member = await app.deps.db.selectFrom('members').selectAll().where('user_id', '=', 'U1').executeTakeFirstOrThrow();
    expect(member.role).toBe('admin');

    const res = await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_mention', user: 'U2', text: 'hi', channel: 'C1', ts: '1.1' } }, app.signing);
    expect(res.status).toBe(200);
    const call = await slack.waitFor('chat.postMessage');
    expect(call.token).toBe(issued);
    expect(app.logs()).not.toContain(issued);
  });

  it('keeps the bot token out of the database in clear text', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const token = [...slack.tokens.keys()][0] ?? '';
    expect(token).toMatch(/^xoxb-/);
    if (dialect === 'sqlite') {
      const file = app.database.url.replace(/^file:/, '');
      const bytes = [file, `${file}-wal`]
        .filter(existsSync)
        .map((f) => readFileSync(f).toString('latin1'))
        .join('');
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes).not.toContain(token);
    } else {
      const rows = await app.deps.db.selectFrom('installations').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
    }
  });

  it.each([
    ['a wrong state', 'not-a-state.signature'],
    ['no state', ''],
  ])('refuses the callback with %s and stores nothing', async (_label, state) => {
    await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    slack.addInstall('code-x', { teamId: 'T9', userId: 'U9' });
    const res = await fetch(`${app.url}/slack/oauth_redirect?code=code-x&state=${state}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(slack.callsOf('oauth.v2.access')).toHaveLength(0);
    expect(await app.deps.db.selectFrom('installations').selectAll().execute()).toHaveLength(0);
  });

  it('refuses a replayed state', async () => {
    const start = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    slack.addInstall('code-1', { teamId: 'T1', userId: 'U1' });
    slack.addInstall('code-2', { teamId: 'T2', userId: 'U2' });
    const first = await fetch(`${app.url}/slack/oauth_redirect?code=code-1&state=${state}`, { redirect: 'manual', headers: { cookie } });
    expect(first.status).toBe(302);
    const replay = await fetch(`${app.url}/slack/oauth_redirect?code=code-2&state=${state}`, { redirect: 'manual', headers: { cookie } });
    expect(replay.status).toBe(400);
    const teams = (await app.deps.db.selectFrom('installations').select('team_id').execute()).map((r) => r.team_id);
    expect(teams).toEqual(['T1']);
  });

  it('revokes the installation on app_uninstalled and then refuses that workspace', async () => {
    recordTokenOnMention();
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const uninstall = await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_uninstalled' } }, app.signing);
    expect(uninstall.status).toBe(200);
    await expect.poll(async () => (await app.deps.db.selectFrom('installations').select('revoked_at').executeTakeFirst())?.revoked_at).not.toBeNull();

    const after = await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_mention', user: 'U2', text: 'hi', channel: 'C1', ts: '1.2' } }, app.signing);
    expect(after.status).toBe(401);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('revokes the installation when the bot token is revoked', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const res = await sendEvent(app.url, { teamId: 'T1', event: { type: 'tokens_revoked', tokens: { bot: ['UBOTT1'] } } }, app.signing);
    expect(res.status).toBe(200);
    await expect.poll(async () => (await app.deps.db.selectFrom('installations').select('revoked_at').executeTakeFirst())?.revoked_at).not.toBeNull();
    expect(await app.deps.slack?.clientFor('T1')).toBeUndefined();
  });

  it('rotates an expiring bot token and keeps using the new one', async () => {
    recordTokenOnMention();
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1', expiresIn: 600 });
    const original = [...slack.tokens.keys()][0];
    await sendEvent(app.url, { teamId: 'T1', event: { type: 'app_mention', user: 'U2', text: 'hi', channel: 'C1', ts: '1.3' } }, app.signing);
    const call = await slack.waitFor('chat.postMessage');
    expect(slack.callsOf('oauth.v2.access').map((c) => c.args.grant_type)).toContain('refresh_token');
    expect(call.token).not.toBe(original);
    expect(slack.tokens.get(call.token ?? '')?.revoked).toBeFalsy();
  });

  it('refuses a request with a bad signature', async () => {
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
    const res = await sendEvent(
      app.url,
      { teamId: 'T1', event: { type: 'app_mention', user: 'U2', text: 'x', channel: 'C1', ts: '1' } },
      { ...app.signing, signature: 'v0=deadbeef' },
    );
    expect(res.status).toBe(401);
  });
});
