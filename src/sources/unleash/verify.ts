import { createHash, timingSafeEqual } from 'node:crypto';
import type { SourceRequest, Verification } from '../source-kind.js';

const WHERE = 'Unleash → Integrations → Webhook → "Authorization"';

/**
 * Unleash's Webhook integration signs nothing: it sends its "Authorization" parameter verbatim as the
 * Authorization header (src/lib/addons/webhook.ts), so the header must equal one of the source's secrets.
 * No timestamp is sent, so there is no replay window; retries are caught by the event id.
 */
export function verifyUnleash(request: SourceRequest, secrets: readonly string[]): Verification {
  const header = request.headers.authorization;
  if (!header) {
    return refuse('missing Authorization header', `paste this source's secret into ${WHERE} (Unleash omits the header when that field is blank)`);
  }
  if (secrets.length === 0) return refuse('this source has no secret', 'rotate the source to get one, then paste it into ' + WHERE);
  const given = digestOfHeader(header);
  if (secrets.some((secret) => matches(secret, given))) return { ok: true };
  if (header.startsWith('Bearer ') && secrets.some((secret) => matches(secret, digestOfHeader(header.slice('Bearer '.length))))) {
    return refuse('Authorization has a "Bearer " prefix', `Unleash sends the field as typed: remove "Bearer " from ${WHERE}`);
  }
  return refuse('Authorization does not match the secret', `is this source's secret (the current one, after a rotation) pasted into ${WHERE}?`);
}

/** Hashing both sides first makes the comparison constant-time whatever the lengths. */
function matches(secret: string, given: Buffer): boolean {
  return timingSafeEqual(createHash('sha256').update(secret, 'utf8').digest(), given);
}

/** Node decodes header bytes as latin1; encoding back as latin1 recovers the bytes Unleash sent. */
function digestOfHeader(value: string): Buffer {
  return createHash('sha256').update(Buffer.from(value, 'latin1')).digest();
}

function refuse(reason: string, hint: string): Verification {
  return { ok: false, reason, hint };
}
