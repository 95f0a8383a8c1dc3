import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findAlert } from '../../../src/alerts/alerts.repository.js';
import { createPinnedAgent } from '../../../src/delivery/webhook/pinned-agent.js';
import { createWebhookNotifier } from '../../../src/delivery/webhook/webhook-notifier.js';
import type { Resolver } from '../../../src/net/address-guard.js';
import { change, deliveryRows, organizationWithKey, postEvents, SIGNING_KEY, webhookAlert } from '../../helpers/delivery-fixtures.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { freePort, mb, until } from '../../helpers/reliability-helpers.js';
import { advanceOutbox, createTestClock, nextSendAt, nextTryAt } from '../../helpers/test-clock.js';

describe('webhook faults through the running app', () => {
  let app: TestApp;
  let key: string;
  // The app's clock stands still until a case moves it to a retry's time.
  const clock = createTestClock();
  const receivers: WebhookReceiver[] = [];
  const receiver = async (port = 0) => {
    const r = await new WebhookReceiver(SIGNING_KEY).startOn(port);
    r.now = clock.now;
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    app = await startTestApp({ now: clock.now, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    key = await organizationWithKey(app);
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.stop();
    // Each case starts from an empty outbox and no alerts.
    await app.deps.db.deleteFrom('deliveries').execute();
    await app.deps.db.deleteFrom('alerts').execute();
  });
  afterAll(async () => {
    await app.stop();
  });

  const onlyRow = async () => {
    const rows = await deliveryRows(app);
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  /** The only delivery, once its first try failed and its retry is planned: how long until that retry may go. */
  const failedOnce = async () => {
    await until('a failed try', async () => ((await onlyRow())?.attempts ?? 0) >= 1, 10_000);
    const row = await onlyRow();
    expect(row?.status).toBe('pending');
    return (await nextTryAt(app, row?.id ?? 0)) - clock.now();
  };

  it('retries a refused connection and delivers once the receiver listens', async () => {
    const port = await freePort();
    await webhookAlert(app, `http://127.0.0.1:${port}/hook`);
    await postEvents(app, key, change('refused'));
    const wait = await failedOnce();
    expect((await onlyRow())?.last_error).toContain('ECONNREFUSED');
    const r = await receiver(port);
    advanceOutbox(app, clock, wait);
    await until('the delivery', async () => (await onlyRow())?.status === 'delivered', 10_000);
    expect(r.received.map((w) => w.body.flagName)).toEqual(['refused']);
    expect(r.received[0]?.standardValid).toBe(true);
  });

  it('retries a connection reset mid-request with the same webhook-id', async () => {
    const r = await receiver();
    r.answers.push({ destroy: true });
    await webhookAlert(app, r.url);
    await postEvents(app, key, change('reset'));
    advanceOutbox(app, clock, await failedOnce());
    await r.waitFor(2);
    expect(new Set(r.received.map((w) => w.headers['webhook-id'])).size).toBe(1);
    await until('the delivery', async () => (await onlyRow())?.status === 'delivered', 5_000);
    expect((await onlyRow())?.attempts).toBe(1);
  });

  it('does not follow a redirect: the delivery is dead with the 3xx status', async () => {
    const r = await receiver();
    const elsewhere = await receiver();
    r.answers.push({ status: 302, headers: { location: elsewhere.url } });
    await webhookAlert(app, r.url);
    await postEvents(app, key, change('redirected'));
    await until('the dead delivery', async () => (await onlyRow())?.status === 'dead', 10_000);
    expect((await onlyRow())?.last_status_code).toBe(302);
    // Never tried again, at any time: the outbox holds nothing a worker would claim.
    expect(await nextSendAt(app)).toBeUndefined();
    expect(r.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('disables the alert on 410 and sends it nothing more', async () => {
    const r = await receiver();
    r.answers.push({ status: 410 });
    const alert = await webhookAlert(app, r.url);
    await postEvents(app, key, change('gone'));
    await until('the alert disabled', async () => (await findAlert(app.deps.db, 'T1', alert.id))?.status === 'disabled', 10_000);
    expect((await onlyRow())?.status).toBe('dead');
    // A disabled alert takes no new deliveries at all.
    expect((await postEvents(app, key, change('after-gone'))).status).toBe(202);
    expect(await deliveryRows(app)).toHaveLength(1);
    expect(await nextSendAt(app)).toBeUndefined();
    expect(r.received).toHaveLength(1);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const r = await receiver();
    r.answers.push({ status: 429, headers: { 'retry-after': '3' } });
    await webhookAlert(app, r.url);
    await postEvents(app, key, change('throttled'));
    // Not before Retry-After on the app's clock; sent once the clock got there.
    expect(await failedOnce()).toBeGreaterThanOrEqual(3000);
    expect(r.received).toHaveLength(1);
    advanceOutbox(app, clock, 3000);
    await r.waitFor(2);
    expect((r.received[1]?.at ?? 0) - (r.received[0]?.at ?? 0)).toBeGreaterThanOrEqual(3000);
    await until('the delivery', async () => (await onlyRow())?.status === 'delivered', 5_000);
  });
});

describe('the webhook notifier on its own', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  const listen = async (server: Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  };
  const notifier = (allowPrivate: boolean, resolver?: Resolver) =>
    createWebhookNotifier({
      agent: createPinnedAgent({ allowPrivate, timeoutMs: 10_000, ...(resolver ? { resolver } : {}) }),
      allowPrivate,
      userAgent: 'flag-alerts/test',
      now: Date.now,
    });
  const send = { signingKey: SIGNING_KEY, messageId: 'msg_1', body: { flagName: 'x' } };

  it('reads at most a little of a 50 MB response body and keeps memory flat', async () => {
    const total = 50 * 1024 * 1024;
    let written = 0;
    const done = new Promise<void>((resolve) => {
      void listen(
        createServer((req, res) => {
          req.resume();
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          const pump = () => {
            while (written < total) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('close', () => resolve());
          pump();
        }),
      ).then((port) => (url = `http://127.0.0.1:${port}/hook`));
    });
    let url = '';
    await until('the server', () => url !== '', 2000, 10);
    const n = notifier(true);
    const before = process.memoryUsage().rss;
    const outcome = await n.send({ ...send, url });
    await done;
    const grown = process.memoryUsage().rss - before;
    console.log(`[huge body] the server got ${mb(written)} of 50 MB out before the notifier hung up; notifier RSS growth ${mb(grown)}`);
    expect(outcome.kind).toBe('delivered');
    expect(written).toBeLessThan(total);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
    await n.close();
  });

  it('refuses at send time an IP literal that is not global unicast, without connecting', async () => {
    const n = notifier(false);
    for (const host of ['[::127.0.0.1]', '[2002:7f00:1::]', '[::ffff:0:7f00:1]', '[fec0::1]', '[100::]', '192.0.2.1']) {
      expect(await n.send({ ...send, url: `https://${host}/hook` })).toMatchObject({ kind: 'dead', error: expect.stringContaining('private or reserved') });
    }
    await n.close();
  });

  it('retries when DNS fails for a moment at send time, instead of giving the delivery up', async () => {
    const port = await listen(
      createServer((req, res) => {
        req.resume();
        res.writeHead(200).end();
      }),
    );
    let calls = 0;
    const flaky: Resolver = async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('getaddrinfo EAI_AGAIN hooks.customer.test'), { code: 'EAI_AGAIN' });
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const n = notifier(true, flaky);
    const first = await n.send({ ...send, url: `http://hooks.customer.test:${port}/hook` });
    expect(first.kind).toBe('retry');
    expect((await n.send({ ...send, url: `http://hooks.customer.test:${port}/hook` })).kind).toBe('delivered');
    await n.close();
  });

  it('refuses at send time a host whose DNS answers a private address, and connects to the pinned answer when allowed', async () => {
    const received: string[] = [];
    const port = await listen(
      createServer((req, res) => {
        received.push(req.headers.host ?? '');
        req.resume();
        res.writeHead(200).end();
      }),
    );
    const asked: string[] = [];
    for (const answer of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '::ffff:127.0.0.1',
      // IPv6 forms of loopback, and ranges that are not global unicast (issue 17)
      '::7f00:1',
      '::ffff:0:7f00:1',
      '2002:7f00:1::',
      '64:ff9b::a9fe:a9fe',
      'fec0::1',
      '100::1',
    ]) {
      const resolver: Resolver = async (host) => {
        asked.push(host);
        return [{ address: answer, family: answer.includes(':') ? 6 : 4 }];
      };
      const n = notifier(false, resolver);
      const outcome = await n.send({ ...send, url: `http://hooks.customer.test:${port}/hook` });
      expect(outcome).toMatchObject({ kind: 'dead', error: expect.stringContaining('private') });
      await n.close();
    }
    // A mixed answer (one public, one private) is refused as a whole.
    const mixed = notifier(false, async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ]);
    expect((await mixed.send({ ...send, url: `http://hooks.customer.test:${port}/hook` })).kind).toBe('dead');
    await mixed.close();
    expect(asked.every((h) => h === 'hooks.customer.test')).toBe(true);
    expect(received).toHaveLength(0);

    // The same resolver with private networks allowed: the request reaches the address the resolver gave.
    const allowed = notifier(true, async () => [{ address: '127.0.0.1', family: 4 }]);
    expect((await allowed.send({ ...send, url: `http://hooks.customer.test:${port}/hook` })).kind).toBe('delivered');
    await allowed.close();
    expect(received).toEqual([`hooks.customer.test:${port}`]);
  });
});
