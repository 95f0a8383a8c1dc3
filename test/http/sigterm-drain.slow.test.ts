import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/test-database.js';
import {
  CountingReceiver,
  flagChange,
  freePort,
  killHard,
  migratedChildDatabase,
  postChanges,
  seedOrganization,
  spawnApp,
  until,
  waitForHealth,
  webhookAlertTo,
} from '../helpers/reliability-helpers.js';
import type { ChildProcess } from 'node:child_process';

/** The real process (src/main.ts) and a real SIGTERM: what is in flight when it comes still completes, and it exits 0. */
describe.each(testDialects())('SIGTERM drain on %s', (dialect) => {
  const children: ChildProcess[] = [];
  const receivers: CountingReceiver[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await killHard(c);
    for (const r of receivers.splice(0)) await r.stop();
  });

  it('finishes a request half-sent and a webhook being sent, refuses new work, then exits 0', { timeout: 60_000 }, async () => {
    const receiver = await new CountingReceiver().start();
    receivers.push(receiver);
    receiver.holdMs = 1_500;
    const database = await migratedChildDatabase(dialect);
    const { key } = await seedOrganization(database, 'T1', [webhookAlertTo(`${receiver.baseUrl}/hook`, 'drained')]);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnApp({ PORT: String(port), DATABASE_URL: database.url, ENCRYPTION_KEY: database.encryptionKey, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    children.push(child);
    await waitForHealth(url);

    expect((await postChanges(url, key, [flagChange('sent-while-stopping')])).status).toBe(202);
    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify(flagChange('half-sent'));
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/v1/flag-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 700);
    });
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');

    await until('readiness to say draining', async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 503, 5_000, 20);
    expect(await answered).toBe(202);
    expect(await exited).toBe(0);

    // The webhook being sent finished and was recorded; the change accepted while stopping waits in the outbox
    // (this worker had stopped claiming) and the next instance sends it: nothing lost, nothing sent twice.
    expect(receiver.hits.map((h) => h.flagName)).toEqual([expect.stringContaining('sent-while-stopping')]);
    const statuses = async () => {
      const { db, close } = database.open();
      try {
        return (await db.selectFrom('deliveries').select('status').orderBy('id').execute()).map((r) => r.status);
      } finally {
        await close();
      }
    };
    expect(await statuses()).toEqual(['delivered', 'pending']);
    const next = spawnApp({ PORT: String(port), DATABASE_URL: database.url, ENCRYPTION_KEY: database.encryptionKey, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    children.push(next);
    await until('the next instance to send the waiting change', () => receiver.hits.length >= 2, 20_000);
    expect(receiver.hits.map((h) => h.flagName)).toEqual([expect.stringContaining('sent-while-stopping'), expect.stringContaining('half-sent')]);
  });
});
