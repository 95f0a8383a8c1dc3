import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { launchBrowser, NO_CHROMIUM, openSession, publicUrlEnv, type BrowserSession } from './browser.js';
import { FakeSlack } from './fake-slack.js';
import { startTestApp, type TestApp } from './test-app.js';

export interface BrowserFixture {
  browser: Browser;
  slack: FakeSlack;
  app: TestApp;
  session: BrowserSession;
}

/**
 * One browser for the file; per test a fresh fake Slack, app (PUBLIC_URL = its real address, webhooks to
 * loopback allowed for the local receivers) and browser context. Read the fields inside tests only.
 * Without a Chromium (global setup found none, which CI refuses) the file's tests skip after one line saying why.
 */
export function useBrowserApp(): BrowserFixture {
  const f = {} as BrowserFixture;
  const chromiumPath = inject('chromiumPath');
  // Set only once each piece has started, so the hooks after a failed or skipped start close nothing.
  let browser: Browser | undefined;
  let running: { slack?: FakeSlack; app?: TestApp; session?: BrowserSession } = {};
  beforeAll(async () => {
    if (!chromiumPath) return console.warn(NO_CHROMIUM);
    browser = f.browser = await launchBrowser(chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async (context) => {
    if (!browser) return context.skip();
    running = {};
    running.slack = f.slack = await new FakeSlack().start();
    running.app = f.app = await startTestApp({ slack: f.slack, env: { ...(await publicUrlEnv()), WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    running.session = f.session = await openSession(browser);
  });
  afterEach(async () => {
    await running.session?.context.close();
    await running.app?.stop();
    await running.slack?.stop();
    running = {};
  });
  return f;
}

/** From the dashboard: Create alert → a project-7 webhook alert, signing key typed or generated; returns the key. */
export async function createWebhookAlertInBrowser(page: Page, input: { name: string; url: string; signingKey?: string }): Promise<string> {
  await page.click('a:has-text("Create alert")');
  await page.fill('#projectId', '7');
  await page.check('input[name=destination][value=webhook]');
  await page.fill('#webhookUrl', input.url);
  if (input.signingKey) await page.fill('#signingKey', input.signingKey);
  else await page.click('button:has-text("Generate key")');
  const key = await page.inputValue('#signingKey');
  await page.fill('#name', input.name);
  await page.click('button:has-text("Create")');
  await page.waitForURL(/\/settings\?notice=alert-created/);
  return key;
}
