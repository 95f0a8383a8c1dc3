import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/** A delivery's receipt: the source, the key naming the delivery (see receiptOf in source.route.ts), how long it holds. */
export interface Receipt {
  sourceId: string;
  key: string;
  keepMs: number;
}

/**
 * Takes receipts; returns the ones taken: new, or whose earlier receipt expired. The others are duplicates, and so is
 * a receipt repeated in `receipts` after its first. One statement, so two copies of a delivery arriving at once in two
 * transactions cannot both be taken; in a transaction that rolls back, nothing was taken.
 */
export async function claimReceipts(db: Kysely<Database>, receipts: readonly Receipt[], now: number): Promise<Set<Receipt>> {
  const firsts = new Map<string, Receipt>();
  for (const r of receipts) if (!firsts.has(receiptId(r.sourceId, r.key))) firsts.set(receiptId(r.sourceId, r.key), r);
  if (firsts.size === 0) return new Set();
  const rows = await db
    .insertInto('source_receipts')
    .values([...firsts.values()].map((r) => ({ source_id: r.sourceId, receipt_key: r.key, received_at: now, expires_at: now + r.keepMs })))
    .onConflict((oc) =>
      oc
        .columns(['source_id', 'receipt_key'])
        .doUpdateSet((eb) => ({ received_at: eb.ref('excluded.received_at'), expires_at: eb.ref('excluded.expires_at') }))
        .where('source_receipts.expires_at', '<=', now),
    )
    .returning(['source_id', 'receipt_key'])
    .execute();
  return new Set(rows.flatMap((row) => firsts.get(receiptId(row.source_id, row.receipt_key)) ?? []));
}

function receiptId(sourceId: string, key: string): string {
  return `${sourceId} ${key}`;
}

/** Deletes expired receipts; returns how many. */
export async function pruneReceipts(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('source_receipts').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
