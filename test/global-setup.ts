import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL server for the storage tests; null when none answers (never in CI). */
    postgresUrl: string | null;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Finds PostgreSQL once for the whole run. In CI its absence is a failure, not a skip. */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL ?? DEFAULT_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresUrl', url);
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
