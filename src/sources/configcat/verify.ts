import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../../crypto/safe-equal.js';
import type { SourceRequest, Verification } from '../source-kind.js';

/** ConfigCat leaves the window to the receiver; its own Proxy defaults to 300 s, and the contract says 5 minutes. */
export const REPLAY_WINDOW_SECONDS = 300;

const KEY_HINT =
  "is the signing key from ConfigCat's Webhooks page (it starts with configcat_whsk_) pasted here, and the body exactly the one in the setup steps?";

/**
 * `X-ConfigCat-Webhook-Signature-V1`: comma-separated base64 HMAC-SHA256 (one per signing key ConfigCat holds) of
 * webhook id + timestamp + raw body with no separators, keyed by the signing key's text as UTF-8 (prefix included).
 */
export function verifyConfigCat(request: SourceRequest, secrets: readonly string[]): Verification {
  const id = headerOf(request.headers, 'x-configcat-webhook-id');
  const timestamp = headerOf(request.headers, 'x-configcat-webhook-timestamp');
  const signatures = headerOf(request.headers, 'x-configcat-webhook-signature-v1');
  const missing = [
    ...(id ? [] : ['X-ConfigCat-Webhook-ID']),
    ...(timestamp ? [] : ['X-ConfigCat-Webhook-Timestamp']),
    ...(signatures ? [] : ['X-ConfigCat-Webhook-Signature-V1']),
  ];
  if (!id || !timestamp || !signatures) {
    return refuse(
      `missing ${missing.join(', ')} header`,
      'ConfigCat sends these on every webhook request: is this URL pasted in a ConfigCat webhook (not called by something else)?',
    );
  }
  if (!/^\d{1,12}$/.test(timestamp)) return refuse('X-ConfigCat-Webhook-Timestamp is not unix seconds', KEY_HINT);
  const skew = Number(timestamp) - Math.floor(request.now / 1000);
  if (Math.abs(skew) > REPLAY_WINDOW_SECONDS) {
    const when = skew < 0 ? `${-skew} s old` : `${skew} s in the future`;
    return refuse(`timestamp outside the 5-minute window (${when})`, "a replayed or long-delayed request is refused: is this server's clock right?");
  }
  if (secrets.length === 0) return refuse('no signing key stored for this source', KEY_HINT);
  // The signed content is bytes: the raw body is appended as received, never re-encoded.
  const content = Buffer.concat([Buffer.from(`${id}${timestamp}`, 'utf8'), request.rawBody]);
  const given = signatures
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(content).digest('base64');
    return given.some((signature) => safeEqual(signature, expected));
  });
  return matches ? { ok: true } : refuse('signature mismatch', KEY_HINT);
}

/** Node joins a repeated custom header into one string; an array only comes from a hand-built request. */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(',') : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function refuse(reason: string, hint: string): Verification {
  return { ok: false, reason, hint };
}
