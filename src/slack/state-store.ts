import { createHmac, randomBytes } from 'node:crypto';
import { InvalidStateError, type InstallURLOptions, type StateStore } from '@slack/oauth';
import type { Kysely } from 'kysely';
import { safeEqual } from '../crypto/safe-equal.js';
import type { Database } from '../storage/schema.js';
import { consumeOauthState, deleteOauthStatesBefore, insertOauthState, oauthStateInstallOptions } from './oauth-states.repository.js';

const MAX_AGE_MS = 10 * 60 * 1000;

/** OAuth state: signed, stored server-side, usable once and for ten minutes (a replay is refused). */
export function createStateStore(db: Kysely<Database>, secret: Buffer | string): StateStore {
  const sign = (id: string) => createHmac('sha256', secret).update(id).digest('base64url');
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date) {
      const id = randomBytes(24).toString('base64url');
      await insertOauthState(db, id, JSON.stringify(installOptions), now.getTime());
      // Old states are useless: drop them while we are here.
      await deleteOauthStatesBefore(db, now.getTime() - MAX_AGE_MS);
      return `${id}.${sign(id)}`;
    },
    async verifyStateParam(now: Date, state: string) {
      const [id, signature] = state.split('.');
      if (!id || !signature) throw new InvalidStateError('malformed state');
      if (!safeEqual(sign(id), signature)) throw new InvalidStateError('bad state signature');
      if (!(await consumeOauthState(db, id, now.getTime(), now.getTime() - MAX_AGE_MS))) throw new InvalidStateError('state unknown, expired or already used');
      return JSON.parse(await oauthStateInstallOptions(db, id)) as InstallURLOptions;
    },
  };
}
