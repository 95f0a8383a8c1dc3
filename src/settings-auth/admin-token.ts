import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AppDeps } from '../app-deps.js';
import { findSecret, insertSecretIfAbsent } from './app-secrets.repository.js';
import { safeEqual } from '../crypto/safe-equal.js';

const SECRET_NAME = 'admin_token_sha256';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * On start: with ADMIN_TOKEN set there is nothing to do. Otherwise the first start generates a token, stores
 * only its hash and prints a sign-in link once. It goes through the logger at warn level, on purpose: the
 * operator reads the app's log stream anyway (docker logs, journald), and the link is in the message text,
 * not a field, so no redaction rule has to make an exception for it. Later starts print no secret.
 */
export async function ensureAdminToken(deps: AppDeps): Promise<void> {
  if (deps.config.adminToken) return;
  const token = randomBytes(24).toString('base64url');
  // Another start (or another instance on the same database) made the token already.
  if (!(await insertSecretIfAbsent(deps.db, SECRET_NAME, sha256(token), deps.now()))) {
    deps.logger.info('Settings page: sign in with the admin token link printed on first start, or set ADMIN_TOKEN.');
    return;
  }
  const link = `${deps.config.publicUrl}/settings/login?token=${token}`;
  deps.logger.warn(`Admin sign-in link for the settings page (shown once, keep it safe; set ADMIN_TOKEN to choose your own): ${link}`);
}

/** Whether the given text is the operator's admin token (ADMIN_TOKEN, else the stored hash). */
export async function isAdminToken(deps: AppDeps, given: unknown): Promise<boolean> {
  if (typeof given !== 'string' || given.length === 0 || given.length > 500) return false;
  if (deps.config.adminToken) return safeEqual(sha256(given), sha256(deps.config.adminToken));
  const stored = await findSecret(deps.db, SECRET_NAME);
  return stored !== undefined && safeEqual(sha256(given), stored);
}

/**
 * A stamp of the admin token in force: operator sessions store it, so a changed ADMIN_TOKEN ends them all.
 * Keyed (HMAC), so the stamp in the database does not let anyone test guesses of a chosen token offline.
 */
export async function adminTokenStamp(deps: Pick<AppDeps, 'db' | 'config' | 'box'>): Promise<string | undefined> {
  const hash = deps.config.adminToken ? sha256(deps.config.adminToken) : await findSecret(deps.db, SECRET_NAME);
  return hash === undefined ? undefined : createHmac('sha256', deps.box.derive('admin-token-stamp')).update(hash).digest('base64url');
}
