import { createHmac } from 'node:crypto';
import { safeEqual } from '../../crypto/safe-equal.js';
import type { SourceRequest, Verification } from '../source-kind.js';

const WHERE = "the webhook's page in GrowthBook (Settings → Webhooks → Event Webhooks → the webhook → Secret, ewhk_…)";

/**
 * GrowthBook event webhooks send `X-GrowthBook-Signature`: lowercase hex HMAC-SHA256 of the exact body, keyed
 * with the whole `ewhk_…` secret as UTF-8 (packages/back-end/src/events/handlers/webhooks/event-webhooks-utils.ts).
 * No timestamp is signed, and a retry resends the same body about 10 minutes later, so there is no replay
 * window: retries are caught as the same raw body. The HTTP method (POST, PUT or PATCH) is the admin's choice.
 */
export function verifyGrowthBook(request: SourceRequest, secrets: readonly string[]): Verification {
  const header = request.headers['x-growthbook-signature'];
  if (typeof header !== 'string' || header === '') {
    // SDK webhooks are another GrowthBook product, signed differently (Standard Webhooks headers).
    const hint = request.headers['webhook-signature']
      ? 'this looks like a GrowthBook SDK webhook: create an Event Webhook (Settings → Webhooks → Event Webhooks) instead'
      : `is this URL set on a GrowthBook Event Webhook? Its secret is on ${WHERE}`;
    return refuse('missing X-GrowthBook-Signature header', hint);
  }
  const given = header.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given))
    return refuse('X-GrowthBook-Signature is not a hex SHA-256 HMAC', `is this URL set on a GrowthBook Event Webhook? Its secret is on ${WHERE}`);
  if (secrets.length === 0) return refuse('this source has no secret', `paste the secret from ${WHERE} here`);
  const matched = secrets.map((secret) => safeEqual(hmacHex(secret, request.rawBody), given));
  if (matched.includes(true)) return { ok: true };
  return refuse(
    'signature mismatch',
    `is the secret from ${WHERE} pasted here, and the body sent as GrowthBook makes it (payload type JSON, no proxy rewriting it)?`,
  );
}

function hmacHex(secret: string, body: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

function refuse(reason: string, hint: string): Verification {
  return { ok: false, reason, hint };
}
