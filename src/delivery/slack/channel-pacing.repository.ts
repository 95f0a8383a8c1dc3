import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

/**
 * Takes the channel's next posting slot, atomically across processes: true when this caller may post now
 * (and the next slot moves to now + interval); otherwise the time the slot frees up.
 */
export async function takeChannelSlot(
  db: Kysely<Database>,
  key: { organizationId: string; channelId: string },
  now: number,
  intervalMs: number,
): Promise<true | { freeAt: number }> {
  const moved = await db
    .updateTable('channel_pacing')
    .set({ next_post_at: now + intervalMs })
    .where('organization_id', '=', key.organizationId)
    .where('channel_id', '=', key.channelId)
    .where('next_post_at', '<=', now)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 1) return true;
  const inserted = await db
    .insertInto('channel_pacing')
    .values({ organization_id: key.organizationId, channel_id: key.channelId, next_post_at: now + intervalMs })
    .onConflict((oc) => oc.columns(['organization_id', 'channel_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  const row = await db
    .selectFrom('channel_pacing')
    .select('next_post_at')
    .where('organization_id', '=', key.organizationId)
    .where('channel_id', '=', key.channelId)
    .executeTakeFirst();
  return { freeAt: row?.next_post_at ?? now + intervalMs };
}

/** Slack asked us to wait (Retry-After): nobody posts to the channel before then. */
export async function holdChannel(db: Kysely<Database>, key: { organizationId: string; channelId: string }, until: number): Promise<void> {
  await db
    .updateTable('channel_pacing')
    .set({ next_post_at: until })
    .where('organization_id', '=', key.organizationId)
    .where('channel_id', '=', key.channelId)
    .where('next_post_at', '<', until)
    .execute();
}
