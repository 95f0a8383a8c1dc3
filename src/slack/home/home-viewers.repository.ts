import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface HomeViewer {
  userId: string;
  page: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const MOST_VIEWERS = 50;

/** Someone opened (or paged, or used) the Home tab: remember them and the page, for later republishing. */
export async function rememberHomeViewer(db: Kysely<Database>, organizationId: string, userId: string, page: number, now: number): Promise<void> {
  await db
    .insertInto('home_viewers')
    .values({ organization_id: organizationId, user_id: userId, page, opened_at: now })
    .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ page, opened_at: now }))
    .execute();
}

/**
 * The people whose Home tab a change republishes: those who opened it in the last 7 days, most recent
 * first, at most 50. views.publish is rate limited per workspace, so a change cannot refresh everyone who
 * ever looked; and someone who has not looked for a week sees a fresh tab anyway when they open it, because
 * app_home_opened publishes it.
 */
export async function homeViewers(db: Kysely<Database>, organizationId: string, now: number): Promise<HomeViewer[]> {
  const rows = await db
    .selectFrom('home_viewers')
    .select(['user_id', 'page'])
    .where('organization_id', '=', organizationId)
    .where('opened_at', '>=', now - WEEK_MS)
    .orderBy('opened_at', 'desc')
    .orderBy('user_id')
    .limit(MOST_VIEWERS)
    .execute();
  return rows.map((r) => ({ userId: r.user_id, page: r.page }));
}

/** The page this person was last on (0 when they never opened the tab). */
export async function homePageOf(db: Kysely<Database>, organizationId: string, userId: string): Promise<number> {
  const row = await db.selectFrom('home_viewers').select('page').where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
  return row?.page ?? 0;
}
