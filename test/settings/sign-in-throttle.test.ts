import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/settings-auth/login-throttle.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const TOKEN = 'the-right-operator-token-0123';

async function login(app: TestApp, token: string, forwardedFor?: string): Promise<Response> {
  const res = await fetch(`${app.url}/settings/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ token }),
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  await res.text();
  return res;
}

/** `n` wrong guesses, ten at a time as a guesser would send them; the statuses, in order. */
async function guess(app: TestApp, n: number, forwardedFor: (i: number) => string | undefined = () => undefined): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < n; start += 10) {
    const batch = Array.from({ length: Math.min(10, n - start) }, (_, k) => login(app, `wrong-guess-${start + k}-qqq`, forwardedFor(start + k)));
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  return statuses;
}

function warnLines(app: TestApp): Record<string, unknown>[] {
  return app
    .logs()
    .split('\n')
    .filter((l) => l.includes('wrong admin token'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('admin-token sign-in throttling (TRUST_PROXY unset)', () => {
  let clock: TestClock;
  let app: TestApp;
  beforeAll(async () => {
    clock = createTestClock();
    app = await startTestApp({ now: clock.now, env: { ADMIN_TOKEN: TOKEN } });
  });
  afterAll(async () => app.stop());

  it('answers the 31st wrong guess in a minute with 429, and the right token waits out the lockout too', async () => {
    // Each guess claims another address in X-Forwarded-For: with no proxy trusted, none of them is believed.
    expect(await guess(app, 30, (i) => `198.51.100.${i + 1}`)).toEqual(Array(30).fill(403));
    const refused = await login(app, 'wrong-guess-31-qqq', '198.51.100.200');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');

    expect((await login(app, TOKEN)).status).toBe(429);
    const link = await fetch(`${app.url}/settings/login?token=${TOKEN}`, { redirect: 'manual' });
    expect(link.status).toBe(429);
    expect(await link.text()).toContain('Too many sign-in attempts. Try again in 60 seconds.');

    clock.advance(59_000);
    expect((await login(app, TOKEN)).status).toBe(429);
    clock.advance(1_000);
    expect((await login(app, TOKEN)).status).toBe(303);
  });

  it('logs each wrong guess at warn with the connection’s address and never what was typed', () => {
    const lines = warnLines(app);
    expect(lines).toHaveLength(30);
    expect(lines.every((l) => l.level === 40 && typeof l.address === 'string' && /127\.0\.0\.1$/.test(l.address))).toBe(true);
    expect(lines.map((l) => Number(l.attempt)).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(lines.filter((l) => 'lockedForSeconds' in l)).toEqual([expect.objectContaining({ attempt: 30, lockedForSeconds: 60 })]);
    expect(app.logs()).not.toContain('wrong-guess-');
    expect(app.logs()).not.toContain(TOKEN);
    expect(app.logs()).not.toContain('198.51.100.');
  });

  it('locks out for twice as long after the next full minute of wrong guesses', async () => {
    expect(await guess(app, 30)).toEqual(Array(30).fill(403));
    expect((await login(app, 'wrong-again')).headers.get('retry-after')).toBe('60');
    clock.advance(60_000);
    expect(await guess(app, 30)).toEqual(Array(30).fill(403));
    const refused = await login(app, TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('120');
    clock.advance(120_000);
    expect((await login(app, TOKEN)).status).toBe(303);
  });

  it('forgets wrong guesses older than a minute', async () => {
    expect(await guess(app, 29)).toEqual(Array(29).fill(403));
    clock.advance(60_000);
    expect(await guess(app, 29)).toEqual(Array(29).fill(403));
    expect((await login(app, TOKEN)).status).toBe(303);
  });
});

describe('admin-token sign-in throttling behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let clock: TestClock;
  let app: TestApp;
  beforeAll(async () => {
    clock = createTestClock();
    // The overall limit as it works, not its size: 40 instead of 300 keeps the test short.
    app = await startTestApp({ now: clock.now, env: { ADMIN_TOKEN: TOKEN, TRUST_PROXY: 'loopback' }, loginLimits: { ...LOGIN_LIMITS, overall: 40 } });
  });
  afterAll(async () => app.stop());

  it('counts each forwarded client address apart', async () => {
    expect(await guess(app, 30, () => '203.0.113.7')).toEqual(Array(30).fill(403));
    expect((await login(app, TOKEN, '203.0.113.7')).status).toBe(429);
    expect((await login(app, TOKEN, '203.0.113.8')).status).toBe(303);
    expect(warnLines(app).every((l) => l.address === '203.0.113.7')).toBe(true);
  });

  it('stops everyone for a minute after the overall limit of wrong guesses in a minute from many addresses', async () => {
    clock.advance(60_000);
    // 4 addresses far below their own limit each (9): only the overall limit can stop them.
    expect(await guess(app, 36, (i) => `192.0.2.${Math.floor(i / 9) + 1}`)).toEqual(Array(36).fill(403));
    expect(await guess(app, 4, (i) => `192.0.2.${100 + i}`)).toEqual(Array(4).fill(403));
    const refused = await login(app, TOKEN, '192.0.2.250');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    clock.advance(60_000);
    expect((await login(app, TOKEN, '192.0.2.250')).status).toBe(303);
  });
});
