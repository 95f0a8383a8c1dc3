import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type DatabaseOptions, type Dialect } from '../../src/storage/database.js';

export interface TestDatabase {
  dialect: Dialect;
  url: string;
  options: DatabaseOptions;
  /** Opens a handle of our own (the app under test opens its own from url + options). */
  open(): DatabaseHandle;
  /** Nothing to do now: PostgreSQL databases go when the run ends, SQLite files live in a temp folder. */
  drop(): Promise<void>;
}

/** The databases storage tests run on: SQLite always, PostgreSQL whenever the run found one (always in CI). */
export function testDialects(): Dialect[] {
  return inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * A fresh database of the test's own. Migrated by default: a copy of the run's migrated template (global-setup), a
 * file copy on SQLite and `create database … template` on PostgreSQL, so no test pays for the migrations. A
 * database of its own also keeps kysely's introspection (it reads every schema) small and apart from other runs.
 * With `migrated: false` it is empty, for the tests of the migrations themselves.
 */
export async function createTestDatabase(dialect: Dialect, { migrated = true }: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const file = join(mkdtempSync(join(tmpdir(), 'flag-alerts-db-')), 'test.db');
    if (migrated) copyFileSync(inject('sqliteTemplate'), file);
    const url = `file:${file}`;
    return { dialect, url, options: {}, open: () => openDatabase(url), drop: async () => undefined };
  }
  const serverUrl = inject('postgresUrl');
  if (!serverUrl) throw new Error('PostgreSQL is not available in this run');
  const name = migrated ? await takeSpareMigrated(serverUrl) : await createPostgresDatabase(serverUrl, undefined);
  const url = postgresDatabaseUrl(serverUrl, name);
  const options = { poolSize: 4 };
  return { dialect, url, options, open: () => openDatabase(url, options), drop: async () => undefined };
}

/**
 * A copy of the template takes PostgreSQL 100–200 ms to make, about half of a short test. Each worker keeps one
 * copy made ahead, while the test before runs, so a test only waits for one when it takes two in a row.
 */
let spareMigrated: Promise<string> | undefined;

function takeSpareMigrated(serverUrl: string): Promise<string> {
  const taken = spareMigrated ?? createPostgresDatabase(serverUrl, inject('postgresTemplate'));
  const next = createPostgresDatabase(serverUrl, inject('postgresTemplate'));
  // A spare that failed is reported by the test that takes it, not as an unhandled rejection now.
  next.catch(() => undefined);
  spareMigrated = next;
  return taken;
}

/** Dropped with the run's other databases when the run ends (global-setup): DROP DATABASE waits for a checkpoint. */
async function createPostgresDatabase(serverUrl: string, template: string | undefined): Promise<string> {
  const name = `${inject('databasePrefix')}${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`));
  return name;
}

/** The URL of another database on the same PostgreSQL server. */
export function postgresDatabaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
