import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { postgresDatabaseUrl } from './helpers/test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL server for the storage tests; null when none answers (never in CI). */
    postgresUrl: string | null;
    /** prefix of this run's test databases, dropped when the run ends */
    databasePrefix: string;
    /** the run's migrated PostgreSQL database that each test's database is created from */
    postgresTemplate: string;
    /** the run's migrated SQLite file that each test's database is copied from */
    sqliteTemplate: string;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Databases of runs that started longer ago than this are gone runs' leftovers (a run killed before its end). */
const STALE_AFTER_MS = 6 * 3600_000;

/**
 * Finds PostgreSQL once for the whole run and migrates one template database per dialect, which every test's
 * database is a copy of. In CI the absence of PostgreSQL is a failure, not a skip.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  project.provide('sqliteTemplate', await migratedSqliteTemplate());
  const url = process.env.TEST_POSTGRES_URL ?? DEFAULT_URL;
  // Databases are dropped after the run, not after each test: DROP DATABASE waits for a checkpoint, and some tests
  // share one database between two apps. The prefix carries the run's start time, so that later runs can tell the
  // leftovers of a killed run.
  const databasePrefix = `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}_`;
  project.provide('databasePrefix', databasePrefix);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    await client.end().catch(() => undefined);
    if (process.env.CI === 'true' || process.env.TEST_POSTGRES_URL) {
      throw new Error(`PostgreSQL at ${url} does not answer: ${(error as Error).message}`);
    }
    console.warn(`PostgreSQL at ${url} does not answer: the storage tests run on SQLite only.`);
    project.provide('postgresUrl', null);
    return;
  }
  try {
    const template = `${databasePrefix}template`;
    await client.query(`create database "${template}"`);
    const handle = openDatabase(postgresDatabaseUrl(url, template));
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    project.provide('postgresTemplate', template);
    project.provide('postgresUrl', url);
  } finally {
    await client.end();
  }
  return async () => dropDatabasesInBackground(url, databasePrefix);
}

async function migratedSqliteTemplate(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'flag-alerts-template-')), 'template.db');
  const handle = openDatabase(`file:${file}`);
  try {
    await migrateToLatest(handle.db);
  } finally {
    // Closing the last connection folds the WAL into the file, so copying the file alone copies everything.
    await handle.close();
  }
  return file;
}

/**
 * Drops this run's databases, and those of runs killed long ago, in a detached process: each DROP DATABASE waits
 * for a checkpoint (seconds on a busy server), which the run has no reason to wait for.
 */
function dropDatabasesInBackground(url: string, prefix: string): void {
  const script = `
    import pg from 'pg';
    const [url, prefix, staleBefore] = process.argv.slice(1);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("select datname from pg_database where datname ~ '^t_[0-9a-z]+_[0-9a-f]{6}_'");
    const started = (name) => Number.parseInt(name.split('_')[1], 36);
    for (const { datname } of rows) {
      if (!datname.startsWith(prefix) && !(started(datname) < Number(staleBefore))) continue;
      await client.query('drop database if exists "' + datname + '" with (force)').catch(() => undefined);
    }
    await client.end();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, url, prefix, String(Date.now() - STALE_AFTER_MS)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}
