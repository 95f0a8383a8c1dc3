import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlert } from '../../src/alerts/alerts.repository.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createIngestKey } from '../../src/ingest-keys/ingest-keys.repository.js';
import { upsertOrganization } from '../../src/organizations/organizations.repository.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { spawnApp, waitForHealth } from '../helpers/child-app.js';
import { freePort } from '../helpers/free-port.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { change, SIGNING_KEY } from '../helpers/delivery-fixtures.js';

describe('a change accepted with 202', () => {
  const children: ChildProcess[] = [];
  afterEach(() => children.forEach((c) => c.kill('SIGKILL')));

  it('is delivered after the process is killed before delivering it and started again', { timeout: 60_000 }, async () => {
    const encryptionKey = randomBytes(32).toString('base64');
    const dbUrl = `file:${join(mkdtempSync(join(tmpdir(), 'fa-crash-')), 'app.db')}`;
    const hookPort = await freePort();
    const hookUrl = `http://127.0.0.1:${hookPort}/hook`;
    const { db, close } = openDatabase(dbUrl);
    await migrateToLatest(db);
    await upsertOrganization(db, { id: 'T1', name: 'Acme', enterpriseId: null });
    const { key } = await createIngestKey(db, { organizationId: 'T1', name: 'crash', createdBy: 'test' });
    const box = createSecretBox(Buffer.from(encryptionKey, 'base64'));
    await createAlert(db, box, {
      organizationId: 'T1',
      createdBy: 'U1',
      alert: {
        name: 'hook',
        projectId: 311,
        scope: { type: 'project' },
        actions: ['updated'],
        destination: { type: 'webhook', url: hookUrl, signingKey: SIGNING_KEY },
      },
    });
    await close();

    const port = String(await freePort());
    const env = {
      PORT: port,
      DATABASE_URL: dbUrl,
      ENCRYPTION_KEY: encryptionKey,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'fa-crash-data-')),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    const first = spawnApp(env);
    children.push(first);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url);
    // Nobody listens at the webhook yet: the change cannot be delivered before the kill.
    const res = await fetch(`${url}/api/v1/flag-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(change('survives-crash')),
    });
    expect(res.status).toBe(202);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const receiver = new WebhookReceiver(SIGNING_KEY);
    await receiver.startOn(hookPort);
    try {
      children.push(spawnApp(env));
      const [got] = await receiver.waitFor(1, 40_000);
      expect(got?.body.flagName).toBe('survives-crash');
      expect(got?.standardValid).toBe(true);
    } finally {
      await receiver.stop();
    }
  });
});
