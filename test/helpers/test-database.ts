import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
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
  /** Nothing to do now: PostgreSQL schemas go when the run ends, SQLite files live in a temp folder. */
  drop(): Promise<void>;
}

/** The databases storage tests run on: SQLite always, PostgreSQL whenever the run found one (always in CI). */
export function testDialects(): Dialect[] {
  return inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL schema. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'flag-alerts-db-')), 'test.db')}`;
    return { dialect, url, options: {}, open: () => openDatabase(url), drop: async () => undefined };
  }
  const url = inject('postgresUrl');
  if (!url) throw new Error('PostgreSQL is not available in this run');
  const schema = `${inject('schemaPrefix')}${randomBytes(6).toString('hex')}`;
  await withClient(url, (c) => c.query(`create schema ${schema}`));
  const options = { schema, poolSize: 4 };
  return {
    dialect,
    url,
    options,
    open: () => openDatabase(url, options),
    // Dropped with the run's other schemas when the run ends (see global-setup).
    drop: async () => undefined,
  };
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
