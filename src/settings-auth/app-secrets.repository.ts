import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/** Stores a secret unless one of that name exists already; true when this call stored it. */
export async function insertSecretIfAbsent(db: Kysely<Database>, name: string, value: string, now: number): Promise<boolean> {
  const inserted = await db
    .insertInto('app_secrets')
    .values({ name, value, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findSecret(db: Kysely<Database>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}
