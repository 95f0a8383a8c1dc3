import { hexHmacVerifier } from '../hex-hmac.js';

/**
 * Flagsmith (`api/core/signing.py` `sign_payload`): `X-Flagsmith-Signature` is the lowercase hex HMAC-SHA256 of the
 * body exactly as sent (`json.dumps(sort_keys=True)`), keyed with the secret as UTF-8. No timestamp is signed, so
 * there is no replay window; ingest deduplicates retries on the raw body.
 */
export const verifyFlagsmith = hexHmacVerifier({
  name: 'X-Flagsmith-Signature',
  hint: "is the secret from the Flagsmith webhook (Environment settings → Webhooks → the webhook's Secret) pasted here?",
  // Flagsmith leaves the header out when its webhook has no secret.
  missingHint: "the Flagsmith webhook has no Secret: paste this source's secret into it",
});
