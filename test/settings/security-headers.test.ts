import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookAlert } from '../helpers/delivery-fixtures.js';
import { Visitor } from '../helpers/settings-visitor.js';
import { startHarness, type Harness } from '../helpers/slack-harness.js';
import { startTestApp } from '../helpers/test-app.js';

/** Markup a Content-Security-Policy without 'unsafe-inline' would block: inline script, event handlers, inline style. */
function inlineCodeIn(page: string): string[] {
  return [
    ...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/gi),
    ...page.matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi),
    ...page.matchAll(/<style\b/gi),
    ...page.matchAll(/<[a-z][^>]*\sstyle\s*=/gi),
    ...page.matchAll(/javascript:/gi),
  ].map((m) => m[0]);
}

describe('settings page security headers', () => {
  let h: Harness;
  let visitor: Visitor;
  let csrf: string;

  beforeAll(async () => {
    h = await startHarness('sqlite');
    visitor = new Visitor(h.app.url);
    const start = await visitor.get('/settings/oidc/start');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    h.slack.addOpenIdCode('code-u1', { teamId: 'T1', userId: 'U1' });
    expect((await visitor.get(`/settings/oidc/callback?code=code-u1&state=${encodeURIComponent(state)}`)).status).toBe(303);
    csrf = await visitor.csrf('/settings');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends a strict Content-Security-Policy and a Permissions-Policy, and no HSTS over http', async () => {
    const res = await fetch(`${h.app.url}/settings`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\).*microphone=\(\)/);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when PUBLIC_URL is https', async () => {
    const app = await startTestApp({ env: { PUBLIC_URL: 'https://flags.example.com' } });
    try {
      const res = await fetch(`${app.url}/settings`);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      await app.stop();
    }
  });

  it('has no inline script, handler or style on its pages, so the policy blocks nothing of its own', async () => {
    const alert = await webhookAlert(h.app, 'https://hooks.example.com/flags');
    const pages = [
      await (await fetch(`${h.app.url}/settings`)).text(),
      await (await visitor.get('/settings')).text(),
      await (await visitor.get('/settings/alerts/new')).text(),
      await (await visitor.get(`/settings/alerts/${alert.id}/edit`)).text(),
      await (await visitor.get(`/settings/alerts/${alert.id}`)).text(),
      await (await visitor.post('/settings/ingest-keys', { _csrf: csrf, name: 'ci' })).text(),
      await (await visitor.get('/settings/sources')).text(),
      await (await visitor.post('/settings/sources', { _csrf: csrf, kind: 'flipt', name: 'Flipt' })).text(),
    ];
    expect(pages[2]).toContain('data-generate-key="signingKey"');
    expect(pages[5]).toContain('data-copy="new-key-value"');
    for (const page of pages) {
      expect(page).toContain('<script src="/settings/assets/settings.js" defer></script>');
      expect(inlineCodeIn(page)).toEqual([]);
    }
  });

  it('serves the page script and stylesheet under the same policy', async () => {
    const script = await fetch(`${h.app.url}/settings/assets/settings.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('data-generate-key');
    const style = await fetch(`${h.app.url}/settings/assets/settings.css`);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await style.text()).toContain('box-sizing');
    expect(style.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
