import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { SecretBox } from './secret-box.js';

const KNOWN_TEXT = 'flag-alerts key check v1';

/** The start was given another ENCRYPTION_KEY than the one the database's secrets were sealed with. */
export class WrongEncryptionKeyError extends Error {
  override name = 'WrongEncryptionKeyError';
}

/**
 * At the first start seals a known text with this key; at every later start opens it. Two instances starting
 * together on one PostgreSQL store one check (the second insert does nothing) and both read it back.
 */
export async function checkEncryptionKey(db: Kysely<Database>, box: SecretBox, now: number): Promise<void> {
  await db
    .insertInto('key_check')
    .values({ id: 1, sealed: box.seal(KNOWN_TEXT), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('key_check').select(['sealed', 'created_at']).where('id', '=', 1).executeTakeFirstOrThrow();
  let opened: string | undefined;
  try {
    opened = box.open(row.sealed);
  } catch {
    opened = undefined;
  }
  if (opened !== KNOWN_TEXT) {
    throw new WrongEncryptionKeyError(
      `ENCRYPTION_KEY: is not the key this database's secrets were written with (first start ${new Date(row.created_at).toISOString()}); start with that key (or its key file in DATA_DIR)`,
    );
  }
}
