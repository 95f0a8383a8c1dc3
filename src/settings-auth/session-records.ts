import { createHash } from 'node:crypto';
import type { AppDeps } from '../app-deps.js';
import { safeEqual } from '../crypto/safe-equal.js';
import { adminTokenStamp } from './admin-token.js';
import type { Session } from './session.js';
import { deleteExpiredSettingsSessions, deleteSettingsSession, findLiveSettingsSession, insertSettingsSession } from './settings-sessions.repository.js';

/** What keeping sessions on the server needs. */
export type SessionRecordDeps = Pick<AppDeps, 'db' | 'config' | 'box'>;

// The row is found by a hash: someone who reads the database learns no session id to put in a cookie.
const sidHashOf = (session: Session) => createHash('sha256').update(session.sid).digest('base64url');

/** A new session becomes live; operator sessions remember which admin token signed them in. */
export async function recordSession(deps: SessionRecordDeps, session: Session, now: number): Promise<void> {
  await deleteExpiredSettingsSessions(deps.db, now);
  await insertSettingsSession(deps.db, {
    sidHash: sidHashOf(session),
    kind: session.kind,
    adminStamp: session.kind === 'operator' ? ((await adminTokenStamp(deps)) ?? null) : null,
    createdAt: now,
    expiresAt: session.exp,
  });
}

/**
 * Whether a session whose cookie checked out is still live: not signed out, and for the operator, signed in
 * with the admin token that is in force now (a changed ADMIN_TOKEN ends every operator session).
 */
export async function sessionIsLive(deps: SessionRecordDeps, session: Session, now: number): Promise<boolean> {
  const row = await findLiveSettingsSession(deps.db, sidHashOf(session), now);
  if (!row || row.kind !== session.kind) return false;
  if (session.kind !== 'operator') return true;
  const stamp = await adminTokenStamp(deps);
  return stamp !== undefined && row.adminStamp !== null && safeEqual(row.adminStamp, stamp);
}

/** Signing out: the cookie, wherever a copy of it is, opens nothing from now on. */
export async function endSession(deps: SessionRecordDeps, session: Session): Promise<void> {
  await deleteSettingsSession(deps.db, sidHashOf(session));
}
