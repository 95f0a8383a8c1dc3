import type { ChildProcess } from 'node:child_process';
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

// CI size: 300 changes (the 1,000 takes too long on 2 cores), in batches of 10.
const CHANGES = 1000;
const BATCH = 10;

describe.each(testDialects())('crash safety on %s', (dialect) => {
  const children: ChildProcess[] = [];
  const receivers: CountingReceiver[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await killHard(c);
    for (const r of receivers.splice(0)) await r.stop();
  });

  it(`delivers every one of ${CHANGES} accepted changes to both matching alerts after a SIGKILL at a random point`, { timeout: 90_000 }, async () => {
    const receiver = await new CountingReceiver().start();
    receivers.push(receiver);
    // A slow customer endpoint: deliveries are held in flight when the kill comes.
    receiver.holdMs = 400;
    const database = await migratedChildDatabase(dialect);
    const { key } = await seedOrganization(database, 'T1', [
      webhookAlertTo(`${receiver.baseUrl}/project`, 'project alert'),
      webhookAlertTo(`${receiver.baseUrl}/tag`, 'tag alert', { scope: { type: 'tag', tags: ['payments'] } }),
    ]);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), DATABASE_URL: database.url, ENCRYPTION_KEY: database.encryptionKey, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' };

    const batches = Array.from({ length: CHANGES / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => flagChange(`crash-${dialect}-${b * BATCH + i}`)));
    const killAfter = 3 + Math.floor(Math.random() * (batches.length - 6));
    const accepted = new Set<string>();
    const post = async (batch: Record<string, unknown>[]) => {
      const res = await postChanges(url, key, batch);
      expect(res.status).toBe(202);
      for (const e of batch) accepted.add(String((e.flag as { key: string }).key));
    };

    const first = spawnApp(env);
    children.push(first);
    await waitForHealth(url);
    for (const batch of batches.slice(0, killAfter)) await post(batch);
    // Let some deliveries start (and be held by the slow receiver), then kill without warning.
    await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 500)));
    const deliveredBeforeKill = receiver.hits.length;
    await killHard(first);

    const second = spawnApp(env);
    children.push(second);
    await waitForHealth(url);
    for (const batch of batches.slice(killAfter)) await post(batch);
    expect(accepted.size).toBe(CHANGES);

    // In-flight claims of the dead process come back when their 15 s lease ends.
    await until('every change at both alerts', () => receiver.flagsAt('/project').size >= CHANGES && receiver.flagsAt('/tag').size >= CHANGES, 60_000, 200);
    const lost = [...accepted].filter((k) => !receiver.flagsAt('/project').has(k) || !receiver.flagsAt('/tag').has(k));
    expect(lost).toEqual([]);

    const { db, close } = database.open();
    try {
      // A request the receiver got just as the process died stays claimed by the dead process until its
      // 15 s lease ends; then it is sent again (a duplicate, counted below).
      await until(
        'the outbox to drain',
        async () => {
          const open = await db.selectFrom('deliveries').select('id').where('status', 'in', ['pending', 'in_flight']).execute();
          return open.length === 0;
        },
        30_000,
        250,
      );
      const statuses = await db.selectFrom('deliveries').select(['status']).execute();
      expect(statuses).toHaveLength(CHANGES * 2);
      expect(statuses.every((s) => s.status === 'delivered')).toBe(true);
    } finally {
      await close();
    }
    await new Promise((r) => setTimeout(r, 500));
    console.log(
      `[crash safety ${dialect}] killed after ${killAfter}/${batches.length} batches, ${deliveredBeforeKill} deliveries answered before the kill; ` +
        `${receiver.hits.length} requests for ${CHANGES * 2} deliveries: ${receiver.duplicates()} duplicates (same webhook-id), ${lost.length} lost`,
    );
    // Each distinct webhook-id is one (change, alert) delivery: exactly 2 per change.
    expect(new Set(receiver.hits.map((h) => h.webhookId)).size).toBe(CHANGES * 2);
  });
});
