import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSource } from '../../src/sources/sources.repository.js';
import { organizationWithKey } from '../helpers/delivery-fixtures.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { slackSignature } from '../helpers/slack-requests.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../helpers/test-app.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** whether the request went out on a connection an earlier request had used */
  reused: boolean;
}

/** One request on `agent`, over real HTTP; refused as hanging when no answer came within `timeoutMs`. */
function send(agent: Agent, url: string, input: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer }, timeoutMs = 3000) {
  const { hostname, port } = new URL(url);
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ agent, hostname, port, method: input.method ?? 'GET', path: input.path, headers: input.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, reused: req.reusedSocket }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${input.method ?? 'GET'} ${input.path} hung for ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(input.body);
  });
}

// A body that inflates past the 1 MiB limit; its tens of kilobytes are still unread when the 413 goes out.
const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20));

describe('a refused request body closes its connection', () => {
  let app: TestApp;
  let slack: FakeSlack;
  let key: string;
  let sourceId: string;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    app = await startTestApp({ slack });
    key = await organizationWithKey(app);
    sourceId = (await createSource(app.deps.db, app.deps.box, { organizationId: 'T1', kind: 'flipt', name: 'Flipt', secret: 'flipt-secret' }, 1000)).id;
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.stop();
  });

  const json = { 'content-type': 'application/json' };
  const future = Math.floor(Date.now() / 1000) + 10 * 60;
  const cases: [string, () => { method: string; path: string; headers: Record<string, string>; body: Buffer }, number][] = [
    [
      'a gzip body over 1 MiB inflated (ingest)',
      () => ({ method: 'POST', path: '/api/v1/flag-events', headers: { ...json, authorization: `Bearer ${key}`, 'content-encoding': 'gzip' }, body: bomb }),
      413,
    ],
    [
      'a gzip body over 1 MiB inflated (a source)',
      () => ({ method: 'POST', path: `/api/v1/sources/${sourceId}`, headers: { ...json, 'content-encoding': 'gzip' }, body: bomb }),
      413,
    ],
    [
      'a body that is not JSON (415)',
      () => ({
        method: 'POST',
        path: '/api/v1/flag-events',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` },
        body: Buffer.alloc(4096, 0x61),
      }),
      415,
    ],
    [
      'an unknown Content-Encoding (415)',
      () => ({
        method: 'POST',
        path: '/api/v1/flag-events',
        headers: { ...json, authorization: `Bearer ${key}`, 'content-encoding': 'compress' },
        body: Buffer.from('{}'),
      }),
      415,
    ],
    ['no ingest key, before the body is read', () => ({ method: 'POST', path: '/api/v1/flag-events', headers: json, body: Buffer.alloc(4096, 0x20) }), 401],
    [
      'an unknown source, before the body is read',
      () => ({ method: 'POST', path: '/api/v1/sources/nope', headers: json, body: Buffer.alloc(4096, 0x20) }),
      404,
    ],
    [
      'a Slack request signed 10 minutes ahead, before the body is read',
      () => {
        const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_home_opened' } });
        const headers = { ...json, 'x-slack-request-timestamp': String(future), 'x-slack-signature': slackSignature(SIGNING_SECRET, body, future) };
        return { method: 'POST', path: '/slack/events', headers, body: Buffer.from(body) };
      },
      401,
    ],
    ['a Slack request without a signature', () => ({ method: 'POST', path: '/slack/events', headers: json, body: Buffer.alloc(4096, 0x20) }), 401],
  ];

  it.each(cases)('%s: answers with Connection: close, and the next request on that agent does not hang', async (_label, input, status) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(agent, app.url, input());
      expect(refused.status).toBe(status);
      expect(refused.headers.connection).toBe('close');
      const next = await send(agent, app.url, { path: '/healthz' });
      expect(next.status).toBe(200);
      // It went out on a new connection: the refused one was closed, not left holding the unread body.
      expect(next.reused).toBe(false);
    } finally {
      agent.destroy();
    }
  });

  it('keeps the connection of an accepted request alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = Buffer.from(JSON.stringify({ projectId: 1, action: 'created', modifiedBy: 'a', flag: { id: 1, key: 'k' } }));
      const accepted = await send(agent, app.url, { method: 'POST', path: '/api/v1/flag-events', headers: { ...json, authorization: `Bearer ${key}` }, body });
      expect(accepted.status).toBe(202);
      expect(accepted.headers.connection).toBe('keep-alive');
      expect((await send(agent, app.url, { path: '/healthz' })).reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
