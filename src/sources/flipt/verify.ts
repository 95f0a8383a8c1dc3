import { createHmac } from 'node:crypto';
import { safeEqual } from '../../crypto/safe-equal.js';
import type { SourceRequest, Verification } from '../source-kind.js';

const SECRET_HINT = "is audit.sinks.webhook.signing_secret (FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET) in Flipt's configuration the secret of this source?";

/**
 * `x-flipt-webhook-signature`: lowercase hex HMAC-SHA256 of the raw body, keyed by the signing secret's text
 * (flipt-io/flipt v1 internal/server/audit/webhook/client.go). Flipt sends no timestamp header, so there is no
 * replay window; a repeated body is a duplicate for 24 hours (contract section 7).
 */
export function verifyFlipt(request: SourceRequest, secrets: readonly string[]): Verification {
  const header = request.headers['x-flipt-webhook-signature'];
  const signature = (Array.isArray(header) ? header.join(',') : header)?.trim();
  if (!signature) {
    return refuse(
      'missing X-Flipt-Webhook-Signature header',
      'Flipt signs only when audit.sinks.webhook.signing_secret is set, and never for audit.sinks.webhook.templates: is the sink configured with url and signing_secret?',
    );
  }
  if (secrets.length === 0) return refuse('no signing secret stored for this source', SECRET_HINT);
  const matches = secrets.some((secret) => safeEqual(signature, createHmac('sha256', Buffer.from(secret, 'utf8')).update(request.rawBody).digest('hex')));
  return matches ? { ok: true } : refuse('signature mismatch', SECRET_HINT);
}

function refuse(reason: string, hint: string): Verification {
  return { ok: false, reason, hint };
}
