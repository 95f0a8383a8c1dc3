import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from './free-port.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Printed once per browser test file when no Chromium was found (outside CI, where that fails the run). */
export const NO_CHROMIUM =
  'Browser tests skipped: no Chromium found; install it with `apt-get install chromium` (or `npm ci`, which brings @sparticuz/chromium).';

/**
 * CHROMIUM_PATH, else Debian's chromium, else the one @sparticuz/chromium ships inside its npm package (unpacked
 * to /tmp on first use): never a browser download; else why there is none. Called once per run (global setup),
 * because parallel first unpackings would write the same file.
 */
export async function findChromium(): Promise<{ path: string } | { missing: string }> {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH };
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM };
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath() };
  } catch (error) {
    return { missing: `no ${DEBIAN_CHROMIUM}, and @sparticuz/chromium gave none: ${(error as Error).message}` };
  }
}

/** The Chromium that global setup found, headless. One per test file. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** messages of every alert()/confirm() dialog that opened: a script ran that should not have */
  dialogs: string[];
  /** what the page's Content-Security-Policy blocked, as the console reported it: the page's own code should need nothing blocked */
  blocked: string[];
}

/** A fresh context (own cookies) and page that records any dialog a script opened. */
export async function openSession(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserSession> {
  const context = await browser.newContext({ viewport });
  const dialogs: string[] = [];
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) blocked.push(message.text());
  });
  return { context, page, dialogs, blocked };
}

/** Writes a full-page screenshot to test/artifacts/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The sign-in link the app printed on first start. */
export function adminLinkFrom(logs: string): string {
  const match = /(https?:\/\/[^\s"]+\/settings\/login\?token=[A-Za-z0-9_-]+)/.exec(logs);
  if (!match?.[1]) throw new Error('no admin sign-in link in the log');
  return match[1];
}

/**
 * Env for startTestApp so PUBLIC_URL is the app's real address: the redirects the app builds from it
 * (after "Add to Slack", for instance) then land on the app, as they do in production.
 */
export async function publicUrlEnv(): Promise<Record<string, string>> {
  const port = await freePort();
  return { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
}
