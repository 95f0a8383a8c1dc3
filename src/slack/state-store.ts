import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidStateError, type InstallURLOptions, type StateStore } from '@slack/oauth';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

const MAX_AGE_MS = 10 * 60 * 1000;

/** OAuth state: signed, stored server-side, usable once and for ten minutes (a replay is refused). */
export function createStateStore(db: Kysely<Database>, secret: Buffer | string): StateStore {
  const sign = (id: string) => createHmac('sha256', secret).update(id).digest('base64url');
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date) {
      const id = randomBytes(24).toString('base64url');
      await db
        .insertInto('oauth_states')
        .values({ state_id: id, install_options: JSON.stringify(installOptions), created_at: now.getTime(), consumed_at: null })
        .execute();
      // Old states are useless: drop them while we are here.
      await db.deleteFrom('oauth_states').where('created_at', '<', now.getTime() - MAX_AGE_MS).execute();
      return `${id}.${sign(id)}`;
    },
    async verifyStateParam(now: Date, state: string) {
      const [id, signature] = state.split('.');
      if (!id || !signature) throw new InvalidStateError('malformed state');
      const expected = Buffer.from(sign(id));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidStateError('bad state signature');
      const consumed = await db
        .updateTable('oauth_states')
        .set({ consumed_at: now.getTime() })
        .where('state_id', '=', id)
        .where('consumed_at', 'is', null)
        .where('created_at', '>=', now.getTime() - MAX_AGE_MS)
        .executeTakeFirst();
      if (Number(consumed.numUpdatedRows) !== 1) throw new InvalidStateError('state unknown, expired or already used');
      const row = await db.selectFrom('oauth_states').select('install_options').where('state_id', '=', id).executeTakeFirstOrThrow();
      return JSON.parse(row.install_options) as InstallURLOptions;
    },
  };
}
