import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listSources } from '../../src/sources/sources.repository.js';
import { adminLinkFrom, screenshot } from '../helpers/browser.js';
import { useBrowserApp } from '../helpers/browser-fixture.js';
import { installWorkspace } from '../helpers/install-workspace.js';

/** LaunchDarkly's audit-log entry, as its webhook posts it (the fixture names where it was copied from). */
const LD_EVENT = JSON.stringify(
  (JSON.parse(readFileSync(new URL('../sources/launchdarkly/fixtures/toggled-on.json', import.meta.url), 'utf8')) as { body: unknown }).body,
);

/** In a real browser: an admin connects LaunchDarkly, follows the guide, and sees the source's first event in the list. */
describe('settings page: sources in the browser', () => {
  const f = useBrowserApp();

  it('creates a LaunchDarkly source, shows its URL, secret and setup guide, then its received event and counts', async () => {
    await installWorkspace(f.app.url, f.slack, { teamId: 'T1', teamName: 'Acme', userId: 'U1' });
    const { page, dialogs } = f.session;
    await page.goto(adminLinkFrom(f.app.logs()));
    await page.click('tr:has-text("T1") button:has-text("Manage")');
    await page.click('a:has-text("Manage sources")');
    await expect.poll(() => page.textContent('#sources')).toContain('No sources yet.');

    // The secret field shows only for a platform that makes the secret (GrowthBook), not for LaunchDarkly.
    await page.selectOption('#source-kind', 'growthbook');
    expect(await page.isVisible('#source-secret')).toBe(true);
    await page.selectOption('#source-kind', 'launchdarkly');
    expect(await page.isVisible('#source-secret')).toBe(false);
    await page.fill('#source-name', 'Production flags');
    await page.click('button:has-text("Create source")');

    await expect.poll(() => page.textContent('#new-source-done')).toContain('Source “Production flags” created');
    const url = (await page.textContent('#new-source-url'))?.trim() ?? '';
    expect(url).toMatch(new RegExp(`^${f.app.url.replace(/[.]/g, '\\.')}/api/v1/sources/src_[a-z2-7]{24}$`));
    const secret = (await page.textContent('#new-source-secret'))?.trim() ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const steps = await page.locator('#setup-steps li').allTextContents();
    expect(steps).toHaveLength(5);
    expect(steps[1]).toContain(url);
    expect(steps.join('\n')).toContain('Sign this webhook');
    const row = page.locator('#sources tr:has-text("Production flags")');
    expect(await row.locator('td[data-label=Platform]').textContent()).toBe('LaunchDarkly');
    expect(await row.locator('input').inputValue()).toBe(url);
    expect(await row.locator('.last-event').textContent()).toBe('none yet');
    await screenshot(page, 'source-created');

    // LaunchDarkly posts a signed change, as its webhook would.
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ld-signature': createHmac('sha256', secret).update(LD_EVENT).digest('hex') },
      body: LD_EVENT,
    });
    expect(posted.status).toBe(202);
    const { accepted, ignored } = (await posted.json()) as { accepted: number; ignored: number };
    expect(accepted).toBeGreaterThan(0);
    await page.goto(`${f.app.url}/settings/sources`);
    const [stored] = await listSources(f.app.deps.db, 'T1');
    const fresh = page.locator('#sources tr:has-text("Production flags")');
    expect(await fresh.locator('.last-event').textContent()).toBe(`${new Date(stored?.lastEventAt ?? 0).toISOString().replace('T', ' ').slice(0, 16)} UTC`);
    expect(await fresh.locator('.counts').textContent()).toBe(`${accepted} / ${ignored} / 0`);
    expect(await page.textContent('body')).not.toContain(secret);
    await screenshot(page, 'source-received');
    expect(dialogs).toEqual([]);
  });
});
