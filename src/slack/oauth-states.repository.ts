import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

export async function insertOauthState(db: Kysely<Database>, id: string, installOptions: string, now: number): Promise<void> {
  await db.insertInto('oauth_states').values({ state_id: id, install_options: installOptions, created_at: now, consumed_at: null }).execute();
}

export async function deleteOauthStatesBefore(db: Kysely<Database>, createdBefore: number): Promise<void> {
  await db.deleteFrom('oauth_states').where('created_at', '<', createdBefore).execute();
}

/** Marks an unused state created at or after `createdSince` consumed; false when it is unknown, expired or used. */
export async function consumeOauthState(db: Kysely<Database>, id: string, now: number, createdSince: number): Promise<boolean> {
  const consumed = await db
    .updateTable('oauth_states')
    .set({ consumed_at: now })
    .where('state_id', '=', id)
    .where('consumed_at', 'is', null)
    .where('created_at', '>=', createdSince)
    .executeTakeFirst();
  return Number(consumed.numUpdatedRows) === 1;
}

export async function oauthStateInstallOptions(db: Kysely<Database>, id: string): Promise<string> {
  const row = await db.selectFrom('oauth_states').select('install_options').where('state_id', '=', id).executeTakeFirstOrThrow();
  return row.install_options;
}
