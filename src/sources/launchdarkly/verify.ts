import { hexHmacVerifier } from '../hex-hmac.js';

/**
 * LaunchDarkly signs with "Sign this webhook": `X-LD-Signature` is the hex HMAC-SHA256 of the raw body, keyed with
 * the secret as typed (UTF-8). Nothing else is signed, so there is no replay window; retries repeat the entry's `_id`.
 */
export const verifyLaunchDarkly = hexHmacVerifier({
  name: 'X-LD-Signature',
  hint: "is the secret from LaunchDarkly's webhook settings (Integrations → Webhooks → your webhook → Secret) pasted here?",
  missingHint: 'tick "Sign this webhook" on the LaunchDarkly webhook and paste its secret here',
});
