import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL server for the storage tests; null when none answers (never in CI). */
    postgresUrl: string | null;
    /** prefix of this run's test schemas, dropped together when the run ends */
    schemaPrefix: string;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Finds PostgreSQL once for the whole run. In CI its absence is a failure, not a skip. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const url = process.env.TEST_POSTGRES_URL ?? DEFAULT_URL;
  // Schemas are dropped at the end of the run, not after each test: kysely's introspection reads the
  // catalog of every schema, and a schema dropped under it by a parallel test makes it fail.
  const schemaPrefix = `t_${randomBytes(3).toString('hex')}_`;
  project.provide('schemaPrefix', schemaPrefix);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresUrl', url);
    return () => dropSchemas(url, schemaPrefix);
  } catch (error) {
    if (process.env.CI === 'true' || process.env.TEST_POSTGRES_URL) {
      throw new Error(`PostgreSQL at ${url} does not answer: ${(error as Error).message}`);
    }
    console.warn(`PostgreSQL at ${url} does not answer: the storage tests run on SQLite only.`);
    project.provide('postgresUrl', null);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('select nspname from pg_namespace where starts_with(nspname, $1)', [prefix]);
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}
