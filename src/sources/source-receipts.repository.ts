import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/**
 * Takes a delivery's receipt: true when it is new (or its earlier receipt expired), false for a duplicate.
 * One statement, so two copies of a delivery arriving at once cannot both be taken.
 */
export async function claimReceipt(db: Kysely<Database>, sourceId: string, key: string, now: number, keepMs: number): Promise<boolean> {
  const row = await db
    .insertInto('source_receipts')
    .values({ source_id: sourceId, receipt_key: key, received_at: now, expires_at: now + keepMs })
    .onConflict((oc) =>
      oc
        .columns(['source_id', 'receipt_key'])
        .doUpdateSet((eb) => ({ received_at: eb.ref('excluded.received_at'), expires_at: eb.ref('excluded.expires_at') }))
        .where('source_receipts.expires_at', '<=', now),
    )
    .returning('source_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives a receipt back when the delivery could not be stored, so the platform's retry is taken. */
export async function releaseReceipt(db: Kysely<Database>, sourceId: string, key: string): Promise<void> {
  await db.deleteFrom('source_receipts').where('source_id', '=', sourceId).where('receipt_key', '=', key).execute();
}

/** Deletes expired receipts; returns how many. */
export async function pruneReceipts(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('source_receipts').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
