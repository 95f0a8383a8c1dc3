import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

// int8 (bigint) columns hold unix milliseconds and ids: well inside Number's safe range.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  close: () => Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL only: the schema to use (tests isolate themselves this way). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export function openDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const db = dialectOf(url) === 'postgres' ? openPostgres(url, options) : openSqlite(url);
  return { db, dialect: dialectOf(url), close: () => db.destroy() };
}

function openSqlite(url: string): Kysely<Database> {
  const path = url === ':memory:' ? ':memory:' : resolve(url.replace(/^file:/, ''));
  if (path !== ':memory:') {
    // Owner-only: the database holds sealed tokens and everyone's alerts. Created before SQLite opens it, because
    // SQLite gives its -wal and -shm files the database file's permissions.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

function openPostgres(url: string, options: DatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Throws one readable line when the database does not answer, e.g. "cannot reach PostgreSQL at db:5432:
 * ECONNREFUSED": node-postgres reports a refused connection as an AggregateError with an empty message.
 */
export async function assertDatabaseAnswers(db: Kysely<Database>, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw new Error(`cannot reach ${whereIs(url)}: ${reasonOf(error)}`);
  }
}

function whereIs(url: string): string {
  if (dialectOf(url) === 'sqlite') return `the SQLite database ${url}`;
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname || u.searchParams.get('host') || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'PostgreSQL';
  }
}

function reasonOf(error: unknown): string {
  const parts = error instanceof AggregateError ? error.errors : [error];
  const reasons = parts.map((e: unknown) => {
    if (!(e instanceof Error)) return String(e);
    const code = (e as { code?: unknown }).code;
    return e.message || (typeof code === 'string' ? code : e.name);
  });
  return [...new Set(reasons)].join('; ') || 'no reason given';
}

/** True when the database answers a trivial query (for /healthz). */
export async function databaseAnswers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
