import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SourceRequest, Verification } from '../source-kind.js';

const HINT = "is the secret from the Flagsmith webhook (Environment settings → Webhooks → the webhook's Secret) pasted here?";

/**
 * Flagsmith (`api/core/signing.py` `sign_payload`): `X-Flagsmith-Signature` is the lowercase hex HMAC-SHA256 of the
 * body exactly as sent (`json.dumps(sort_keys=True)`), keyed with the secret as UTF-8. No timestamp is signed, so
 * there is no replay window; ingest deduplicates retries on the raw body.
 */
export function verifyFlagsmith(request: SourceRequest, secrets: readonly string[]): Verification {
  const header = request.headers['x-flagsmith-signature'];
  if (header === undefined) {
    // Flagsmith leaves the header out when its webhook has no secret.
    return { ok: false, reason: 'missing X-Flagsmith-Signature header', hint: "the Flagsmith webhook has no Secret: paste this source's secret into it" };
  }
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header.trim())) {
    return { ok: false, reason: 'X-Flagsmith-Signature is not one hex SHA-256 digest', hint: HINT };
  }
  if (secrets.length === 0) return { ok: false, reason: 'this source has no secret', hint: HINT };
  const given = Buffer.from(header.trim(), 'hex');
  const matches = secrets.some((secret) => timingSafeEqual(createHmac('sha256', secret).update(request.rawBody).digest(), given));
  return matches ? { ok: true } : { ok: false, reason: 'signature mismatch', hint: HINT };
}
