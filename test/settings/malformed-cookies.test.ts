import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

// Percent-encoding that decodeURIComponent cannot read: a cut-off UTF-8 sequence and a bad escape (issue 17, item 4).
const BROKEN = ['%E0%A4%A', '%zz'];

/** Every settings page a browser can open, and every form it can post. */
const PAGES = ['/settings', '/settings/organizations', '/settings/alerts/new', '/settings/alerts/1', '/settings/alerts/1/edit'];
const FORMS = [
  '/settings/logout',
  '/settings/alerts',
  '/settings/alerts/1',
  '/settings/alerts/1/pause',
  '/settings/ingest-keys',
  '/settings/organizations',
  '/settings/organizations/select',
  '/settings/slack/disconnect',
  '/settings/notifications',
  '/settings/experiment-reminders',
  '/settings/srm-threshold',
  '/settings/ingest-keys/1/revoke',
  '/settings/alerts/1/deliveries/1/retry',
];

describe('a malformed cookie is no cookie', () => {
  let slack: FakeSlack;
  let app: TestApp;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ slack });
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  it.each(BROKEN)('sends a browser with fa_session=%s to sign in, on every page', async (value) => {
    for (const path of PAGES) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual', headers: { cookie: `fa_session=${value}` } });
      // Not signed in: the sign-in page itself, or a redirect to it.
      if (path === '/settings') {
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain('action="/settings/login"');
      } else {
        expect([res.status, res.headers.get('location')], path).toEqual([303, '/settings']);
      }
    }
  });

  it.each(BROKEN)('refuses every form posted with fa_session=%s as signed out, never with 500', async (value) => {
    for (const path of FORMS) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ _csrf: 'x' }),
        headers: { cookie: `fa_session=${value}` },
      });
      // Logout without a session just goes back to sign-in; everything else is a refused form.
      expect(res.status, path).toBe(path === '/settings/logout' ? 303 : 403);
    }
  });

  it.each(BROKEN)('answers the Slack sign-in callback with fa_oidc=%s by asking to start again', async (value) => {
    const res = await fetch(`${app.url}/settings/oidc/callback?code=c&state=s`, { redirect: 'manual', headers: { cookie: `fa_oidc=${value}` } });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('This sign-in did not start in this browser');
    expect(page).toContain('action="/settings/login"');
  });

  it('logs no failure for them', () => {
    expect(app.logs()).not.toContain('settings page failed');
  });
});
