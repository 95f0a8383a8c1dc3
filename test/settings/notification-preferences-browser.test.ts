import { describe, expect, it } from 'vitest';
import { preferenceLink } from '../../src/experiments/preference-link.js';
import { preferencesOf } from '../../src/experiments/preferences.repository.js';
import { adminLinkFrom, screenshot } from '../helpers/browser.js';
import { installWorkspace } from '../helpers/install-workspace.js';
import { useBrowserApp } from '../helpers/browser-fixture.js';

/** In a real browser: an email-only subscriber follows their link; the operator sets the reminder hours. */
describe('settings page: experiment notifications in the browser', () => {
  const f = useBrowserApp();

  it('lets an email subscriber untick a kind from their link, and the operator set reminder hours', async () => {
    await installWorkspace(f.app.url, f.slack, { teamId: 'T1', teamName: 'Acme', userId: 'U1' });
    const { page, dialogs } = f.session;

    await page.goto(preferenceLink(f.app.deps, 'T1', 'ana@example.com'));
    expect(await page.textContent('#manage-person')).toBe('ana@example.com');
    await page.uncheck('input[name=kinds][value=starts_soon]');
    await page.click('button:has-text("Save")');
    await expect.poll(() => page.textContent('body')).toContain('Saved.');
    expect(await page.isChecked('input[name=kinds][value=starts_soon]')).toBe(false);
    expect((await preferencesOf(f.app.deps.db, 'T1', ['ana@example.com'])).get('ana@example.com')).toEqual({
      kinds: ['ends_soon', 'srm', 'significance'],
      channel: 'email',
    });
    await screenshot(page, 'manage-notifications');

    await page.goto(adminLinkFrom(f.app.logs()));
    await page.click('tr:has-text("T1") button:has-text("Manage")');
    expect(await page.inputValue('#reminder-hours')).toBe('24, 1');
    await page.fill('#reminder-hours', '48, 2');
    await page.click('button:has-text("Save reminders")');
    await expect.poll(() => page.textContent('body')).toContain('Experiment reminder times saved.');
    expect(await page.inputValue('#reminder-hours')).toBe('48, 2');
    expect(dialogs).toEqual([]);
  });
});
