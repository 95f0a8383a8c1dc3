import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAlerts } from '../../src/alerts/alerts.repository.js';
import { runCommand } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config/config.js';
import { change, organizationWithKey, postEvents, webhookAlert } from '../helpers/delivery-fixtures.js';
import { startTestApp } from '../helpers/test-app.js';
import { createTestDatabase, testDialects } from '../helpers/test-database.js';

const keyEnv = (key: Buffer) => ({ ENCRYPTION_KEY: key.toString('base64') });

async function cli(databaseUrl: string, ...argv: string[]) {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'fa-cli-')),
  });
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(argv, config, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('flag-alerts backup', () => {
  it('copies the SQLite database while the app runs, into a file another app starts on with the same key', async () => {
    const key = randomBytes(32);
    const app = await startTestApp({ env: { ...keyEnv(key), WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    const file = join(mkdtempSync(join(tmpdir(), 'fa-backup-')), 'copy.db');
    try {
      const ingestKey = await organizationWithKey(app);
      await webhookAlert(app, 'https://hooks.example.com/flags');
      expect((await postEvents(app, ingestKey, change('backed-up'))).status).toBe(202);

      const made = await cli(app.database.url, 'backup', file);
      expect(made).toMatchObject({ code: 0, out: expect.stringContaining(`to ${file}`) });
      // Never over an existing file.
      expect(await cli(app.database.url, 'backup', file)).toMatchObject({ code: 1, err: expect.stringContaining('already exists') });
    } finally {
      await app.stop();
    }

    const restored = await startTestApp({ database: { ...(await createTestDatabase('sqlite', { migrated: false })), url: `file:${file}` }, env: keyEnv(key) });
    try {
      const alerts = await listAlerts(restored.deps.db, 'T1');
      expect(alerts.map((a) => a.destination)).toEqual([expect.objectContaining({ type: 'webhook', url: 'https://hooks.example.com/flags' })]);
      const events = await restored.deps.db.selectFrom('flag_events').select('payload').execute();
      expect(events.map((e) => JSON.parse(e.payload) as { flag: { key: string } }).map((e) => e.flag.key)).toEqual(['backed-up']);
    } finally {
      await restored.stop();
    }
  });

  it('says to use pg_dump for PostgreSQL, and names the usage without a file', async () => {
    expect(await cli('postgres://postgres@127.0.0.1:5432/test', 'backup', '/tmp/never.db')).toMatchObject({ code: 1, err: expect.stringContaining('pg_dump') });
    expect(await cli('file:/tmp/x.db', 'backup')).toMatchObject({ code: 2, err: expect.stringContaining('usage: flag-alerts backup <file>') });
  });
});

describe.each(testDialects())('the encryption key check on %s', (dialect) => {
  it('stops a start with another ENCRYPTION_KEY than the first start’s, with one line saying so; the right key starts', async () => {
    const database = await createTestDatabase(dialect);
    const key = randomBytes(32);
    await (await startTestApp({ database, env: keyEnv(key) })).close();

    const wrong = startTestApp({ database, env: keyEnv(randomBytes(32)) });
    await expect(wrong).rejects.toThrow(
      /^ENCRYPTION_KEY: is not the key this database's secrets were written with \(first start [0-9T:.-]+Z\); start with that key/,
    );

    const right = await startTestApp({ database, env: keyEnv(key) });
    await right.stop();
  });
});
