import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { adminLinkFrom, openSession, screenshot } from '../helpers/browser.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWebhookAlertInBrowser, useBrowserApp } from '../helpers/browser-fixture.js';

/** The operator's first minutes, in a real browser: sign in, connect Slack, create alerts and a key, send a change, read the log. */
describe('settings page: the operator sets everything up', () => {
  const f = useBrowserApp();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function signInAsOperator(page: Page): Promise<void> {
    await page.goto(adminLinkFrom(f.app.logs()));
    await expect.poll(() => page.url()).toBe(`${f.app.url}/settings/organizations`);
  }

  it('prints the admin sign-in link once and stores only its hash', async () => {
    const link = adminLinkFrom(f.app.logs());
    const token = new URL(link).searchParams.get('token') ?? '';
    expect(f.app.logs().split(token).length - 1).toBe(1);
    const stored = await f.app.deps.db.selectFrom('app_secrets').selectAll().execute();
    expect(stored.map((s) => s.name)).toEqual(['admin_token_sha256']);
    expect(stored[0]?.value).not.toContain(token);
  });

  it('refuses a wrong admin token', async () => {
    const { page } = f.session;
    await page.goto(`${f.app.url}/settings`);
    await page.fill('#token', 'not-the-token');
    await page.click('button:has-text("Sign in")');
    await expect.poll(() => page.textContent('body')).toContain('That admin token is not right.');
    await page.goto(`${f.app.url}/settings/organizations`);
    expect(page.url()).toBe(`${f.app.url}/settings`);
  });

  it('connects Slack, creates a webhook and a Slack alert and an ingest key, and shows an ingested change in the log', async () => {
    const { page } = f.session;
    await page.goto(`${f.app.url}/settings`);
    await screenshot(page, 'sign-in');
    await signInAsOperator(page);
    await screenshot(page, 'organizations');

    // Add to Slack: the fake's authorize page does not redirect back, so we play Slack's part with the state it was given.
    await page.click('a:has-text("Add to Slack")');
    await expect.poll(() => page.url()).toContain(`${f.slack.baseUrl}/oauth/v2/authorize`);
    const state = new URL(page.url()).searchParams.get('state') ?? '';
    f.slack.addInstall('code-acme', { teamId: 'T1', teamName: 'Acme', userId: 'U1' });
    await page.goto(`${f.app.url}/slack/oauth_redirect?code=code-acme&state=${encodeURIComponent(state)}`);
    await expect.poll(() => page.textContent('#slack')).toContain('Connected to workspace T1');
    expect(await page.textContent('#slack')).toContain('U1');
    expect(await page.textContent('body')).toContain('Flag Alerts is connected to your Slack workspace.');

    // A webhook alert.
    const generated = await createWebhookAlertInBrowser(page, { name: 'Checkout changes', url: 'https://127.0.0.1:9/hooks/flags' });
    expect(generated).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await page.textContent('body')).toContain('Alert created.');

    // A Slack alert: the channel name comes from Slack.
    f.slack.addChannel({ id: 'C100', name: 'flags', isMember: true });
    await page.click('a:has-text("Create alert")');
    await page.fill('#projectId', '7');
    await page.check('input[name=destination][value=slack]');
    await page.fill('#channelId', 'C100');
    await page.fill('#name', 'Checkout in #flags');
    await page.click('button:has-text("Create")');
    await expect.poll(() => page.textContent('#alerts')).toContain('#flags');
    const alerts = await f.app.deps.db.selectFrom('alerts').selectAll().orderBy('id').execute();
    // The form takes https URLs only; the local receiver speaks plain http, so point the stored alert at it.
    const receiver = await new WebhookReceiver(generated).start();
    cleanups.push(() => receiver.stop());
    await f.app.deps.db
      .updateTable('alerts')
      .set({ webhook_url: `${receiver.url}/hooks/flags` })
      .where('id', '=', alerts[0]?.id ?? 0)
      .execute();
    expect(alerts.map((a) => [a.name, a.destination_type, a.organization_id, a.created_by])).toEqual([
      ['Checkout changes', 'webhook', 'T1', 'operator'],
      ['Checkout in #flags', 'slack', 'T1', 'operator'],
    ]);
    expect(alerts[0]?.signing_key_sealed).not.toContain(generated);
    expect(f.app.deps.box.open(alerts[0]?.signing_key_sealed ?? '')).toBe(generated);

    // An ingest key, shown once with a curl example.
    await page.fill('#key-name', 'production flags');
    await page.click('button:has-text("Create key")');
    const key = (await page.textContent('#new-key-value'))?.trim() ?? '';
    expect(key).toMatch(/^fa_/);
    expect(await page.textContent('#curl-example')).toContain(`${f.app.url}/api/v1/flag-events`);
    await screenshot(page, 'dashboard-new-key');
    await page.goto(`${f.app.url}/settings`);
    expect(await page.textContent('body')).not.toContain(key);

    const sent = await fetch(`${f.app.url}/api/v1/flag-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        projectId: 7,
        projectName: 'Shop',
        action: 'created',
        modifiedBy: 'ana@example.com',
        flag: { id: 42, key: 'new-checkout', enabled: true },
      }),
    });
    expect(sent.status).toBe(202);

    const [hook] = await receiver.waitFor(1);
    expect(hook?.knockValid && hook.standardValid).toBe(true);
    expect(hook?.body).toMatchObject({ flagName: 'new-checkout', action: 'created', scope: 'project', scopeParam: 7 });
    await f.slack.waitFor('chat.postMessage', (c) => c.args.channel === 'C100');

    await page.reload();
    expect(await page.textContent('#ingest-keys')).not.toContain('never');
    await page.click('tr:has-text("Checkout changes") a:has-text("Log")');
    await expect.poll(async () => (await page.reload(), await page.textContent('#deliveries tr[data-delivery-id]'))).toContain('delivered');
    expect(await page.textContent('#deliveries')).toContain('change');

    // Send test from the log page: a second, signed delivery of kind "test".
    await page.click('button:has-text("Send test")');
    await expect.poll(() => page.textContent('body')).toContain('Test message queued');
    await receiver.waitFor(2);
    await expect
      .poll(async () => (await page.reload(), await page.locator('#deliveries tr[data-delivery-id]:has-text("test"):has-text("delivered")').count()))
      .toBe(1);
    await screenshot(page, 'delivery-log');
  });

  it('shows the form again with the modal’s errors inline and stores nothing', async () => {
    const { page } = f.session;
    await signInAsOperator(page);
    await page.fill('#org-name', 'Webhook team');
    await page.click('button:has-text("Create organization")');
    await expect.poll(() => page.textContent('body')).toContain('Organization created.');
    // No Slack workspace: no Slack choice, and the Slack steps are not needed.
    expect(await page.locator('a:has-text("Add to Slack")').count()).toBe(1);
    await page.click('a:has-text("Create alert")');
    expect(await page.locator('input[name=destination][value=slack]').count()).toBe(0);
    await page.fill('#projectId', ' ');
    await page.fill('#webhookUrl', 'http://example.com/hook');
    await page.fill('#signingKey', 'short');
    await page.click('button:has-text("Create")');
    await expect.poll(() => page.textContent('#error-project')).toContain('ID or key');
    expect(await page.textContent('#error-webhookUrl')).toContain('https://');
    expect(await page.textContent('#error-name')).toContain('name');
    expect(await page.inputValue('#webhookUrl')).toBe('http://example.com/hook');
    await screenshot(page, 'alert-form-errors');
    expect(await f.app.deps.db.selectFrom('alerts').selectAll().execute()).toHaveLength(0);
  });

  it('edits an alert keeping its signing key, pauses, resumes and deletes it', async () => {
    const { page } = f.session;
    await signInAsOperator(page);
    await page.fill('#org-name', 'Webhook team');
    await page.click('button:has-text("Create organization")');
    await createWebhookAlertInBrowser(page, { name: 'Shop flags', url: 'https://127.0.0.1:9/hooks/one', signingKey: 'first-signing-key-1234' });
    const before = await f.app.deps.db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();

    await page.click('tr:has-text("Shop flags") a:has-text("Edit")');
    expect(await page.inputValue('#webhookUrl')).toBe('https://127.0.0.1:9/hooks/one');
    expect(await page.inputValue('#signingKey')).toBe('');
    await page.check('input[name=scope][value=tag]');
    await page.fill('#tags', 'checkout, beta');
    await page.uncheck('input[name=events][value=deleted]');
    await page.fill('#name', 'Shop checkout flags');
    await page.click('button:has-text("Save")');
    await expect.poll(() => page.textContent('body')).toContain('Alert saved.');
    const after = await f.app.deps.db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
    expect([after.name, after.scope_type, after.scope_tags, after.actions]).toEqual([
      'Shop checkout flags',
      'tag',
      '["checkout","beta"]',
      '["created","updated"]',
    ]);
    expect(after.signing_key_sealed).toBe(before.signing_key_sealed);

    await page.click('tr:has-text("Shop checkout flags") button:has-text("Pause")');
    await expect.poll(() => page.textContent('#alerts')).toContain('paused');
    expect((await f.app.deps.db.selectFrom('alerts').select('status').executeTakeFirstOrThrow()).status).toBe('paused');
    await page.click('tr:has-text("Shop checkout flags") button:has-text("Resume")');
    await expect.poll(async () => (await f.app.deps.db.selectFrom('alerts').select('status').executeTakeFirstOrThrow()).status).toBe('active');
    await page.click('tr:has-text("Shop checkout flags") button:has-text("Delete")');
    await expect.poll(() => page.textContent('body')).toContain('Alert deleted.');
    expect(await f.app.deps.db.selectFrom('alerts').selectAll().execute()).toHaveLength(0);
  });

  it('reads well on a phone', async () => {
    const phone = await openSession(f.browser, { width: 390, height: 844 });
    try {
      await phone.page.goto(adminLinkFrom(f.app.logs()));
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone.page, 'organizations-phone');
    } finally {
      await phone.context.close();
    }
  });
});
