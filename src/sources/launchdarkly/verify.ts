import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SourceRequest, Verification } from '../source-kind.js';

const HINT = "is the secret from LaunchDarkly's webhook settings (Integrations → Webhooks → your webhook → Secret) pasted here?";

/**
 * LaunchDarkly signs with "Sign this webhook": `X-LD-Signature` is the hex HMAC-SHA256 of the raw body, keyed with
 * the secret as typed (UTF-8). Nothing else is signed, so there is no replay window; retries repeat the entry's `_id`.
 */
export function verifyLaunchDarkly(request: SourceRequest, secrets: readonly string[]): Verification {
  const header = request.headers['x-ld-signature'];
  if (header === undefined) {
    return { ok: false, reason: 'missing X-LD-Signature header', hint: 'tick "Sign this webhook" on the LaunchDarkly webhook and paste its secret here' };
  }
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header.trim())) {
    return { ok: false, reason: 'X-LD-Signature is not one hex SHA-256 digest', hint: HINT };
  }
  if (secrets.length === 0) return { ok: false, reason: 'this source has no secret', hint: HINT };
  const given = Buffer.from(header.trim(), 'hex');
  const matches = secrets.some((secret) => timingSafeEqual(createHmac('sha256', secret).update(request.rawBody).digest(), given));
  return matches ? { ok: true } : { ok: false, reason: 'signature mismatch', hint: HINT };
}
