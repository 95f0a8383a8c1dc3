import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

export interface SettingsSessionRow {
  sidHash: string;
  kind: string;
  adminStamp: string | null;
  createdAt: number;
  expiresAt: number;
}

export async function insertSettingsSession(db: Kysely<Database>, row: SettingsSessionRow): Promise<void> {
  await db
    .insertInto('settings_sessions')
    .values({ sid_hash: row.sidHash, kind: row.kind, admin_stamp: row.adminStamp, created_at: row.createdAt, expires_at: row.expiresAt })
    .execute();
}

/** The session's row while it has not expired; undefined once signed out, ended or expired. */
export async function findLiveSettingsSession(db: Kysely<Database>, sidHash: string, now: number): Promise<SettingsSessionRow | undefined> {
  const row = await db.selectFrom('settings_sessions').selectAll().where('sid_hash', '=', sidHash).where('expires_at', '>', now).executeTakeFirst();
  return row && { sidHash: row.sid_hash, kind: row.kind, adminStamp: row.admin_stamp, createdAt: row.created_at, expiresAt: row.expires_at };
}

export async function deleteSettingsSession(db: Kysely<Database>, sidHash: string): Promise<void> {
  await db.deleteFrom('settings_sessions').where('sid_hash', '=', sidHash).execute();
}

export async function deleteExpiredSettingsSessions(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('settings_sessions').where('expires_at', '<=', now).execute();
}
