import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SourceRequest } from '../../../src/sources/source-kind.js';

/** The signing secret of Flipt's own client test (flipt-io/flipt v1.61.1 internal/server/audit/webhook/client_test.go). */
export const SECRET = 's3crET';

export interface Fixture {
  source: string;
  body: unknown;
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

/** Flipt's scheme written out again, independent of src: lowercase hex HMAC-SHA256 of the raw body. */
export function sign(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** The body as Go's json.Marshal sends it (compact), signed with `secret`. */
export function signedRequest(body: unknown, secret = SECRET): SourceRequest {
  const rawBody = Buffer.from(JSON.stringify(body), 'utf8');
  return {
    method: 'POST',
    now: Date.UTC(2026, 11, 3, 14, 0, 0),
    rawBody,
    headers: { 'content-type': 'application/json', 'x-flipt-webhook-signature': sign(secret, rawBody) },
  };
}
