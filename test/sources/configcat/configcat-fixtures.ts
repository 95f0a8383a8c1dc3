import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SourceRequest } from '../../../src/sources/source-kind.js';

/** The signing key of ConfigCat's docs example (https://configcat.com/docs/advanced/notifications-webhooks/). */
export const DOCS_KEY = 'configcat_whsk_VN3juirnVh5pNvCKd81RYRYchxUX4j3NykbZG2fAy88=';
export const WEBHOOK_ID = 'b616ca659d154a5fb907dd8475792eeb';
/** 2026-12-03T14:00:00Z, the injected clock */
export const NOW = Date.UTC(2026, 11, 3, 14, 0, 0);

export interface Fixture {
  source: string;
  body: unknown;
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

/**
 * ConfigCat's scheme written out again, independent of src: base64 HMAC-SHA256 of id + timestamp + body,
 * keyed by the key's UTF-8 text; one signature per key, comma-separated.
 */
export function signatureHeader(keys: readonly string[], id: string, timestamp: string, rawBody: Buffer): string {
  return keys.map((key) => createHmac('sha256', key).update(`${id}${timestamp}`).update(rawBody).digest('base64')).join(',');
}

/** A signed request for a fixture's body, sent `ageSeconds` before NOW. */
export function signedRequest(body: unknown, options: { keys?: readonly string[]; ageSeconds?: number; id?: string } = {}): SourceRequest {
  const rawBody = Buffer.from(JSON.stringify(body), 'utf8');
  const id = options.id ?? WEBHOOK_ID;
  const timestamp = String(Math.floor(NOW / 1000) - (options.ageSeconds ?? 3));
  return {
    method: 'POST',
    now: NOW,
    rawBody,
    headers: {
      'content-type': 'application/json',
      'x-configcat-webhook-id': id,
      'x-configcat-webhook-timestamp': timestamp,
      'x-configcat-webhook-signature-v1': signatureHeader(options.keys ?? [DOCS_KEY], id, timestamp, rawBody),
    },
  };
}
