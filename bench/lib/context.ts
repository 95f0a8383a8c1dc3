import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createSecretBox, type SecretBox } from '../../src/crypto/secret-box.js';
import { openDatabase, type DatabaseHandle } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';

export type ScenarioResult = Record<string, number>;

export interface BenchDatabase {
  url: string;
  handle: DatabaseHandle;
}

/** What every scenario gets: a fresh database per scenario, the app's settings, one encryption key. */
export interface BenchContext {
  postgres: boolean;
  box: SecretBox;
  freshDatabase(label: string): Promise<BenchDatabase>;
  appEnv(databaseUrl: string, extra?: Record<string, string>): Record<string, string>;
  notePeakRss(mb: number): void;
  peakRssMb: number;
}

export async function createBenchContext(postgresUrl: string | undefined): Promise<BenchContext> {
  const encryptionKey = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'flag-alerts-bench-'));
  const ctx: BenchContext = {
    postgres: postgresUrl !== undefined,
    box: createSecretBox(encryptionKey),
    peakRssMb: 0,
    async freshDatabase(label) {
      let url: string;
      if (postgresUrl) {
        // A database of its own per scenario: the app connects without a schema option.
        const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const u = new URL(postgresUrl);
        u.pathname = `/${name}`;
        url = u.toString();
      } else {
        url = `file:${join(dataDir, `${label}.db`)}`;
      }
      const handle = openDatabase(url);
      await migrateToLatest(handle.db);
      return { url, handle };
    },
    appEnv(databaseUrl, extra = {}) {
      return {
        DATABASE_URL: databaseUrl,
        ENCRYPTION_KEY: encryptionKey.toString('base64'),
        DATA_DIR: dataDir,
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        ...extra,
      };
    },
    notePeakRss(mb) {
      ctx.peakRssMb = Math.max(ctx.peakRssMb, mb);
    },
  };
  return ctx;
}
