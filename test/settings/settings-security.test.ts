import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { setMemberRole } from '../../src/roles/members.repository.js';
import { adminLinkFrom, screenshot } from '../helpers/browser.js';

import { installWorkspace } from '../helpers/install-workspace.js';
import { createWebhookAlertInBrowser, useBrowserApp } from '../helpers/browser-fixture.js';

const XSS = '<img src=x onerror=alert(1)>';

/** What must never happen on the settings page: forged posts, viewers changing things, markup from names, tenants mixing. */
describe('settings page: refusals and isolation', () => {
  const f = useBrowserApp();

  async function webhookAlert(organizationId: string, name: string, createdBy = 'U1') {
    return createAlert(f.app.deps.db, f.app.deps.box, {
      organizationId,
      createdBy,
      alert: {
        name,
        projectId: 7,
        scope: { type: 'project' },
        actions: ['created', 'updated', 'deleted'],
        destination: { type: 'webhook', url: `https://127.0.0.1:9/${organizationId}`, signingKey: 'a-very-long-signing-key' },
      },
    });
  }

  /** "Sign in with Slack" in the browser; the fake's authorize page does not redirect, so we bring the code back. */
  async function signInWithSlack(page: Page, code: string, user: { teamId: string; userId: string }): Promise<void> {
    f.slack.addOpenIdCode(code, user);
    await page.goto(`${f.app.url}/settings/oidc/start`);
    const authorize = new URL(page.url());
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${f.slack.baseUrl}/openid/connect/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('openid profile email');
    expect(authorize.searchParams.get('client_id')).toBe('111.222');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${f.app.url}/settings/oidc/callback`);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const state = authorize.searchParams.get('state') ?? '';
    await page.goto(`${f.app.url}/settings/oidc/callback?code=${code}&state=${encodeURIComponent(state)}`);
  }

  const csrfOf = async (page: Page) => (await page.getAttribute('input[name=_csrf]', 'value')) ?? '';

  it('refuses a form post without the CSRF token, or with another session’s token', async () => {
    await installWorkspace(f.app.url, f.slack, { teamId: 'T1', userId: 'U1' });
    const { page, context } = f.session;
    await page.goto(adminLinkFrom(f.app.logs()));
    await page.click('tr:has-text("T1") button:has-text("Manage")');
    await expect.poll(() => page.textContent('#alerts')).toContain('No alerts yet');
    const form = {
      projectId: '7',
      scope: 'project',
      destination: 'webhook',
      webhookUrl: 'https://127.0.0.1:9/x',
      signingKey: 'a-very-long-signing-key',
      events: 'created',
      name: 'Forged',
    };

    const without = await context.request.post(`${f.app.url}/settings/alerts`, { form, maxRedirects: 0 });
    expect(without.status()).toBe(403);
    const wrong = await context.request.post(`${f.app.url}/settings/alerts`, { form: { ...form, _csrf: 'x'.repeat(43) }, maxRedirects: 0 });
    expect(wrong.status()).toBe(403);
    const keyPost = await context.request.post(`${f.app.url}/settings/ingest-keys`, { form: { name: 'sneaky' }, maxRedirects: 0 });
    expect(keyPost.status()).toBe(403);
    expect(await f.app.deps.db.selectFrom('alerts').selectAll().execute()).toHaveLength(0);
    expect(await f.app.deps.db.selectFrom('ingest_keys').selectAll().execute()).toHaveLength(0);

    // The same post with the page's token goes through: the refusals above were about the token alone.
    const withToken = await context.request.post(`${f.app.url}/settings/alerts`, { form: { ...form, _csrf: await csrfOf(page) }, maxRedirects: 0 });
    expect(withToken.status()).toBe(303);
    expect(await f.app.deps.db.selectFrom('alerts').select('name').execute()).toEqual([{ name: 'Forged' }]);
  });

  it('shows a viewer no create, edit or delete controls and refuses their forged posts', async () => {
    await installWorkspace(f.app.url, f.slack, { teamId: 'T1', userId: 'U1' });
    const alert = await webhookAlert('T1', 'Checkout changes');
    await setMemberRole(f.app.deps.db, { organizationId: 'T1', userId: 'U2', role: 'viewer', updatedBy: 'U1' });
    const { page, context } = f.session;
    await signInWithSlack(page, 'code-viewer', { teamId: 'T1', userId: 'U2' });
    await expect.poll(() => page.textContent('#alerts')).toContain('Checkout changes');
    expect(await page.textContent('header')).toContain('viewer');
    for (const label of ['Create alert', 'Edit', 'Delete', 'Pause', 'Send test']) {
      expect(await page.locator(`#alerts :text-is("${label}")`).count()).toBe(0);
    }
    expect(await page.locator('#ingest-keys').count()).toBe(0);
    await screenshot(page, 'dashboard-viewer');

    const csrf = await csrfOf(page);
    for (const path of [`/settings/alerts/${alert.id}/delete`, `/settings/alerts/${alert.id}/pause`, '/settings/ingest-keys', '/settings/slack/disconnect']) {
      const res = await context.request.post(`${f.app.url}${path}`, { form: { _csrf: csrf, name: 'x' }, maxRedirects: 0 });
      expect(res.status(), path).toBe(403);
    }
    const edit = await context.request.post(`${f.app.url}/settings/alerts/${alert.id}`, {
      form: { _csrf: csrf, projectId: '8', scope: 'project', destination: 'webhook', webhookUrl: 'https://127.0.0.1:9/y', events: 'created', name: 'Renamed' },
      maxRedirects: 0,
    });
    expect(edit.status()).toBe(403);
    expect((await page.goto(`${f.app.url}/settings/alerts/new`))?.status()).toBe(403);
    const rows = await f.app.deps.db.selectFrom('alerts').select(['name', 'status']).execute();
    expect(rows).toEqual([{ name: 'Checkout changes', status: 'active' }]);
    expect(await f.app.deps.db.selectFrom('ingest_keys').selectAll().execute()).toHaveLength(0);
    expect((await f.app.deps.db.selectFrom('installations').select('revoked_at').executeTakeFirstOrThrow()).revoked_at).toBeNull();
  });

  it('renders an alert, project and key named like markup as text', async () => {
    await installWorkspace(f.app.url, f.slack, { teamId: 'T1', userId: 'U1' });
    const { page, dialogs } = f.session;
    await signInWithSlack(page, 'code-admin', { teamId: 'T1', userId: 'U1' });
    // The key comes from the page's script (a served file: the Content-Security-Policy allows no inline code).
    expect(await createWebhookAlertInBrowser(page, { name: XSS, url: 'https://127.0.0.1:9/hook' })).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expect.poll(() => page.textContent('#alerts')).toContain(XSS);
    await page.fill('#key-name', XSS);
    await page.click('button:has-text("Create key")');
    const key = (await page.textContent('#new-key-value'))?.trim() ?? '';
    const sent = await fetch(`${f.app.url}/api/v1/flag-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ projectId: 7, projectName: XSS, action: 'created', modifiedBy: XSS, flag: { id: 1, key: 'k', name: XSS, enabled: true } }),
    });
    expect(sent.status).toBe(202);
    await page.goto(`${f.app.url}/settings`);
    expect(await page.textContent('#alerts')).toContain(`${XSS} (7)`);
    expect(await page.textContent('#ingest-keys')).toContain(XSS);
    await page.click(`a:text-is("${XSS}")`);
    await expect.poll(() => page.textContent('h1')).toBe(XSS);
    // The edit form puts the name back in an attribute: still text.
    await page.goto(`${f.app.url}/settings/alerts/1/edit`);
    expect(await page.inputValue('#name')).toBe(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(f.session.blocked).toEqual([]);
  });

  it('shows someone from workspace B none of workspace A’s alerts or keys', async () => {
    await installWorkspace(f.app.url, f.slack, { teamId: 'TA', teamName: 'Alpha', userId: 'UA' });
    await installWorkspace(f.app.url, f.slack, { teamId: 'TB', teamName: 'Beta', userId: 'UB' });
    const alertA = await webhookAlert('TA', 'Alpha secret alert', 'UA');
    const keyA = await createIngestKey(f.app.deps.db, { organizationId: 'TA', name: 'alpha key', createdBy: 'UA' });
    await webhookAlert('TB', 'Beta alert', 'UB');
    const { page, context } = f.session;

    await signInWithSlack(page, 'code-b', { teamId: 'TB', userId: 'UB' });
    await expect.poll(() => page.textContent('#alerts')).toContain('Beta alert');
    const body = (await page.textContent('body')) ?? '';
    expect(body).not.toContain('Alpha secret alert');
    expect(body).not.toContain('alpha key');
    expect(body).not.toContain(keyA.prefix);
    expect(await page.textContent('header')).toContain('admin');
    // The controls a viewer must not see are there for an admin (so their absence above means something).
    for (const label of ['Create alert', 'Edit', 'Delete', 'Pause', 'Send test']) {
      expect(await page.locator(`#alerts :text-is("${label}")`).count()).toBeGreaterThan(0);
    }

    // Ids of A's things do not reach them either.
    expect((await page.goto(`${f.app.url}/settings/alerts/${alertA.id}`))?.status()).toBe(404);
    expect((await page.goto(`${f.app.url}/settings/alerts/${alertA.id}/edit`))?.status()).toBe(404);
    await page.goto(`${f.app.url}/settings`);
    const csrf = await csrfOf(page);
    expect((await context.request.post(`${f.app.url}/settings/alerts/${alertA.id}/delete`, { form: { _csrf: csrf }, maxRedirects: 0 })).status()).toBe(404);
    expect((await context.request.post(`${f.app.url}/settings/ingest-keys/${keyA.id}/revoke`, { form: { _csrf: csrf }, maxRedirects: 0 })).status()).toBe(404);
    // An operator-only switch is refused to a Slack user.
    expect(
      (await context.request.post(`${f.app.url}/settings/organizations/select`, { form: { _csrf: csrf, organizationId: 'TA' }, maxRedirects: 0 })).status(),
    ).toBe(403);
    await page.goto(`${f.app.url}/settings`);
    expect(await page.textContent('body')).not.toContain('Alpha secret alert');
    expect(await f.app.deps.db.selectFrom('alerts').where('organization_id', '=', 'TA').selectAll().execute()).toHaveLength(1);
    expect((await f.app.deps.db.selectFrom('ingest_keys').select('revoked_at').executeTakeFirstOrThrow()).revoked_at).toBeNull();
  });

  it('tells someone whose workspace has not installed the app to add it, and refuses a replayed sign-in', async () => {
    const { page } = f.session;
    await signInWithSlack(page, 'code-new', { teamId: 'TNEW', userId: 'UN' });
    await expect.poll(() => page.textContent('h1')).toContain('not in this workspace yet');
    expect(await page.getAttribute('a:has-text("Add to Slack")', 'href')).toBe('/slack/install');
    await screenshot(page, 'not-installed');

    f.slack.addOpenIdCode('code-again', { teamId: 'TNEW', userId: 'UN' });
    await page.goto(`${f.app.url}/settings/oidc/start`);
    const state = new URL(page.url()).searchParams.get('state') ?? '';
    // Keep the browser-binding cookie, so the replay is refused by the one-use state itself.
    const binding = (await f.session.context.cookies()).filter((c) => c.name === 'fa_oidc');
    expect(binding).toHaveLength(1);
    await page.goto(`${f.app.url}/settings/oidc/callback?code=code-again&state=${encodeURIComponent(state)}`);
    await f.session.context.addCookies(binding);
    f.slack.addOpenIdCode('code-replay', { teamId: 'TNEW', userId: 'UN' });
    const replay = await page.goto(`${f.app.url}/settings/oidc/callback?code=code-replay&state=${encodeURIComponent(state)}`);
    expect(replay?.status()).toBe(400);
    expect(await page.textContent('body')).toContain('expired or was already used');

    // A sign-in link started in another browser (login CSRF) does not sign this one in.
    await page.goto(`${f.app.url}/settings/oidc/start`);
    const theirs = new URL(page.url()).searchParams.get('state') ?? '';
    const other = await f.browser.newContext();
    try {
      f.slack.addOpenIdCode('code-other', { teamId: 'TNEW', userId: 'UN' });
      const foreign = await (await other.newPage()).goto(`${f.app.url}/settings/oidc/callback?code=code-other&state=${encodeURIComponent(theirs)}`);
      expect(foreign?.status()).toBe(400);
      expect(await foreign?.text()).toContain('did not start in this browser');
      expect(f.slack.callsOf('openid.connect.token').map((c) => c.args.code)).not.toContain('code-other');
    } finally {
      await other.close();
    }
  });
});
