import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { dialectOf } from './database.js';

export type BackupResult = { ok: true; file: string; pages: number } | { ok: false; error: string };

/**
 * A consistent copy of the SQLite database while the app runs, through SQLite's online backup API (page by page,
 * restarting when the app writes meanwhile), into a new file that the app can start on. PostgreSQL has its own tool.
 */
export async function backupDatabase(databaseUrl: string, target: string): Promise<BackupResult> {
  if (dialectOf(databaseUrl) === 'postgres') {
    return {
      ok: false,
      error: 'the database is PostgreSQL: back it up with pg_dump (for example pg_dump --format=custom --file=flag-alerts.dump "$DATABASE_URL")',
    };
  }
  if (databaseUrl === ':memory:') return { ok: false, error: 'the database is in memory: there is nothing on disk to copy' };
  const file = resolve(target);
  if (existsSync(file)) return { ok: false, error: `${file} already exists: name a new file` };
  const source = resolve(databaseUrl.replace(/^file:/, ''));
  if (!existsSync(source)) return { ok: false, error: `no database at ${source}` };
  const sqlite = new SQLite(source, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    const { totalPages } = await sqlite.backup(file);
    return { ok: true, file, pages: totalPages };
  } finally {
    sqlite.close();
  }
}
