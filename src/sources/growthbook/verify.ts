import { hexHmacVerifier } from '../hex-hmac.js';

const WHERE = "the webhook's page in GrowthBook (Settings → Webhooks → Event Webhooks → the webhook → Secret, ewhk_…)";

/**
 * GrowthBook event webhooks send `X-GrowthBook-Signature`: lowercase hex HMAC-SHA256 of the exact body, keyed
 * with the whole `ewhk_…` secret as UTF-8 (packages/back-end/src/events/handlers/webhooks/event-webhooks-utils.ts).
 * No timestamp is signed, and a retry resends the same body about 10 minutes later, so there is no replay
 * window: retries are caught as the same raw body. The HTTP method (POST, PUT or PATCH) is the admin's choice.
 */
export const verifyGrowthBook = hexHmacVerifier({
  name: 'X-GrowthBook-Signature',
  hint: `is this URL set on a GrowthBook Event Webhook? Its secret is on ${WHERE}`,
  // SDK webhooks are another GrowthBook product, signed differently (Standard Webhooks headers).
  missingHint: (request) =>
    request.headers['webhook-signature']
      ? 'this looks like a GrowthBook SDK webhook: create an Event Webhook (Settings → Webhooks → Event Webhooks) instead'
      : `is this URL set on a GrowthBook Event Webhook? Its secret is on ${WHERE}`,
  hints: {
    noSecret: `paste the secret from ${WHERE} here`,
    mismatch: `is the secret from ${WHERE} pasted here, and the body sent as GrowthBook makes it (payload type JSON, no proxy rewriting it)?`,
  },
});
