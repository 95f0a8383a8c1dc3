import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; IN lists and multi-row VALUES make new texts, so the cache is bounded. */
const MAX_STATEMENTS = 256;

/**
 * Hands kysely a SQLite connection that prepares each SQL text once. kysely prepares on every query, and
 * preparing cost more than running the hot path's small statements (profiled under `npm run bench`).
 * Safe to share: the app never streams (`.stream()` would hold a statement busy), and SQLite re-prepares a
 * statement by itself after a schema change.
 */
export function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (!statement) {
        // Past the bound start over: the hot statements are few and come back at once.
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
