import { hexHmacVerifier } from '../hex-hmac.js';

/**
 * `x-flipt-webhook-signature`: lowercase hex HMAC-SHA256 of the raw body, keyed by the signing secret's text
 * (flipt-io/flipt v1 internal/server/audit/webhook/client.go, `fmt.Sprintf("%x", …)`). Flipt sends no timestamp
 * header, so there is no replay window; a repeated body is a duplicate for 24 hours (contract section 7).
 */
export const verifyFlipt = hexHmacVerifier({
  name: 'X-Flipt-Webhook-Signature',
  hint: "is audit.sinks.webhook.signing_secret (FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET) in Flipt's configuration the secret of this source?",
  missingHint:
    'Flipt signs only when audit.sinks.webhook.signing_secret is set, and never for audit.sinks.webhook.templates: is the sink configured with url and signing_secret?',
  hints: { malformed: 'Flipt sends bare lowercase hex: is something between Flipt and this server rewriting the header?' },
  lowercaseOnly: true,
});
