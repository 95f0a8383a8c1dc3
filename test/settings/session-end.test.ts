import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { Visitor } from '../helpers/settings-visitor.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, testDialects } from '../helpers/test-database.js';

const TOKEN = 'operator-secret-token-0123456789';

/** What a copy of the cookie (another tab, a stolen one) opens: 200 while live, a redirect to sign-in once ended. */
async function withCookie(app: TestApp, cookie: string, path = '/settings/organizations'): Promise<{ status: number; location: string | null }> {
  const res = await fetch(`${app.url}${path}`, { redirect: 'manual', headers: { cookie } });
  await res.text();
  return { status: res.status, location: res.headers.get('location') };
}

async function signInOperator(app: TestApp, token = TOKEN): Promise<Visitor> {
  const v = new Visitor(app.url);
  expect((await v.post('/settings/login', { token })).status).toBe(303);
  return v;
}

describe.each(testDialects())('settings sessions that end, on %s', (dialect) => {
  let slack: FakeSlack;
  let app: TestApp;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ dialect, slack, env: { ADMIN_TOKEN: TOKEN } });
    await installWorkspace(app.url, slack, { teamId: 'T1', userId: 'U1' });
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  it('ends the operator session on sign-out: the old cookie gets the sign-in page', async () => {
    const v = await signInOperator(app);
    const copy = v.cookie;
    expect((await withCookie(app, copy)).status).toBe(200);
    expect((await v.post('/settings/logout', { _csrf: await v.csrf() })).status).toBe(303);
    expect(await withCookie(app, copy)).toEqual({ status: 303, location: '/settings' });
    const page = await (await fetch(`${app.url}/settings`, { headers: { cookie: copy } })).text();
    expect(page).toContain('action="/settings/login"');
  });

  it('ends only the session that signed out', async () => {
    const staying = await signInOperator(app);
    const leaving = await signInOperator(app);
    expect((await leaving.post('/settings/logout', { _csrf: await leaving.csrf() })).status).toBe(303);
    expect((await withCookie(app, staying.cookie)).status).toBe(200);
  });

  it('ends a Slack session on sign-out', async () => {
    const v = new Visitor(app.url);
    const start = await v.get('/settings/oidc/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    slack.addOpenIdCode('oidc-code-1', { teamId: 'T1', userId: 'U1' });
    expect((await v.get(`/settings/oidc/callback?code=oidc-code-1&state=${encodeURIComponent(state)}`)).status).toBe(303);
    const copy = v.cookie;
    expect((await withCookie(app, copy, '/settings/alerts/new')).status).toBe(200);
    expect((await v.post('/settings/logout', { _csrf: await v.csrf('/settings') })).status).toBe(303);
    expect(await withCookie(app, copy, '/settings/alerts/new')).toEqual({ status: 303, location: '/settings' });
  });
});

describe('a changed ADMIN_TOKEN', () => {
  it('ends every operator session, while a restart with the same token ends none', async () => {
    const database = await createTestDatabase('sqlite');
    const env = { ENCRYPTION_KEY: randomBytes(32).toString('base64'), ADMIN_TOKEN: TOKEN };
    const first = await startTestApp({ database, env });
    const cookie = (await signInOperator(first)).cookie;
    await first.close();

    const same = await startTestApp({ database, env });
    try {
      expect((await withCookie(same, cookie)).status).toBe(200);
    } finally {
      await same.close();
    }

    const changed = await startTestApp({ database, env: { ...env, ADMIN_TOKEN: 'a-new-operator-token-9876543210' } });
    try {
      expect(await withCookie(changed, cookie)).toEqual({ status: 303, location: '/settings' });
      expect((await signInOperator(changed, 'a-new-operator-token-9876543210')).cookie).not.toBe('');
    } finally {
      await changed.stop();
    }
  });
});
