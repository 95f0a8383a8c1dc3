import { createHmac } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import { safeEqual } from '../crypto/safe-equal.js';

/** Where the page lives; the query carries the organization, the person and the signature. */
export const MANAGE_PREFERENCES_PATH = '/settings/notifications/manage';

/** Whom a manage link speaks for. */
export interface LinkSubject {
  organizationId: string;
  person: string;
}

/**
 * The link's signature: HMAC-SHA256 over the organization and the person, under a key derived from the
 * encryption key for this purpose only. JSON keeps the two apart (no "a|b" + "c" = "a" + "b|c").
 */
function sign(box: SecretBox, subject: LinkSubject): string {
  return createHmac('sha256', box.derive('experiment-preference-link'))
    .update(JSON.stringify([subject.organizationId, subject.person]))
    .digest('base64url');
}

/**
 * "Manage your notifications" link for one person in one organization. Email-only people never sign in,
 * so the link itself is their credential: it does not expire, and works until the encryption key changes.
 */
export function preferenceLink(deps: { box: SecretBox; config: { publicUrl: string } }, organizationId: string, person: string): string {
  const query = new URLSearchParams({ o: organizationId, p: person, t: sign(deps.box, { organizationId, person }) });
  return `${deps.config.publicUrl}${MANAGE_PREFERENCES_PATH}?${query.toString()}`;
}

/** The subject when the signature is right for exactly this organization and person (constant-time compare). */
export function verifyPreferenceLink(box: SecretBox, input: { o: unknown; p: unknown; t: unknown }): LinkSubject | undefined {
  const { o, p, t } = input;
  if (typeof o !== 'string' || typeof p !== 'string' || typeof t !== 'string' || !o || !p || !t) return undefined;
  const subject = { organizationId: o, person: p };
  return safeEqual(t, sign(box, subject)) ? subject : undefined;
}
