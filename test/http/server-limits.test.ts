import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationWithKey } from '../helpers/delivery-fixtures.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** A raw TCP client: what it received, and when the server closed the connection. */
interface RawClient {
  socket: Socket;
  received(): string;
  closed: Promise<number>;
}

function open(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now())));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** Writes one byte of `rest` every `everyMs` until the server closes the connection or `rest` runs out. */
function trickle(client: RawClient, rest: string, everyMs: number): { stop(): void; sent(): number } {
  let sent = 0;
  const timer = setInterval(() => {
    if (client.socket.destroyed || sent >= rest.length) return clearInterval(timer);
    client.socket.write(rest.charAt(sent));
    sent += 1;
  }, everyMs);
  return { stop: () => clearInterval(timer), sent: () => sent };
}

// Small limits so the test waits well under a second; the defaults (10 s, 30 s, 1000) are in the config test.
const HEADERS_MS = 300;
const REQUEST_MS = 600;

describe('server timeouts, the same on every route', () => {
  let app: TestApp;
  let slack: FakeSlack;
  let key: string;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ slack, env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS) } });
    key = await organizationWithKey(app);
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.stop();
  });

  const slackHeaders = () => `X-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\n`;
  it.each([
    ['the unauthenticated /slack/events', '/slack/events', () => `Content-Type: application/x-www-form-urlencoded\r\n${slackHeaders()}`],
    ['the ingest API', '/api/v1/flag-events', () => `Content-Type: application/json\r\nAuthorization: Bearer ${key}\r\n`],
    ['the settings sign-in', '/settings/login', () => 'Content-Type: application/x-www-form-urlencoded\r\n'],
  ])('cuts off a body trickled one byte at a time on %s (408, closed)', async (_label, path, headers) => {
    const client = await open(app.url);
    const started = Date.now();
    const body = 'x'.repeat(200);
    client.socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers()}Content-Length: ${body.length}\r\n\r\n`);
    const drip = trickle(client, body, 50);
    const closedAt = await client.closed;
    drip.stop();
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(drip.sent()).toBeLessThan(body.length);
    expect(closedAt - started).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(closedAt - started).toBeLessThan(REQUEST_MS + 1500);
  });

  it('cuts off headers trickled one byte at a time (408, closed)', async () => {
    const client = await open(app.url);
    const started = Date.now();
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    const drip = trickle(client, 'X-Slow: ' + 'y'.repeat(200), 30);
    const closedAt = await client.closed;
    drip.stop();
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAt - started).toBeLessThan(HEADERS_MS + 1500);
  });

  it('closes a connection that sends nothing', async () => {
    const client = await open(app.url);
    const started = Date.now();
    const closedAt = await client.closed;
    expect(closedAt - started).toBeLessThan(HEADERS_MS + 1500);
  });

  it('still serves a request that arrives in time', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('a cap on concurrent connections', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { HTTP_MAX_CONNECTIONS: '2' } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const healthz = async (client: RawClient): Promise<string> => {
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    for (let i = 0; i < 100 && !client.received().includes('"ok"') && !client.socket.destroyed; i += 1) await new Promise((r) => setTimeout(r, 20));
    return client.received();
  };

  it('closes connections past HTTP_MAX_CONNECTIONS as they arrive, and takes new ones once others closed', async () => {
    const first = await open(app.url);
    const second = await open(app.url);
    // The server counts a connection once it accepted it; a request on each makes sure both are counted.
    expect(await healthz(first)).toMatch(/^HTTP\/1\.1 200 /);
    expect(await healthz(second)).toMatch(/^HTTP\/1\.1 200 /);
    const third = await open(app.url);
    await third.closed;
    expect(third.received()).toBe('');

    first.socket.destroy();
    await first.closed;
    // The server notices the close a moment later; then a new connection is served.
    let served = '';
    for (let i = 0; i < 50 && !served.startsWith('HTTP/1.1 200'); i += 1) {
      const next = await open(app.url);
      served = await healthz(next);
      next.socket.destroy();
    }
    expect(served).toMatch(/^HTTP\/1\.1 200 /);
    second.socket.destroy();
  });
});
