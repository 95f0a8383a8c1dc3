import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SourceRequest } from '../../../src/sources/source-kind.js';

/** A payload built from GrowthBook's code and tests; `source` names where, `note` what was composed. */
export interface GrowthBookFixture {
  source: string;
  note?: string;
  headers: Record<string, string>;
  signing?: { secret: string };
  method?: string;
  body: Record<string, unknown>;
}

export function fixture(name: string): GrowthBookFixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as GrowthBookFixture;
}

/**
 * GrowthBook's scheme written out independently of verify.ts (event-webhooks-utils.ts
 * getEventWebHookSignatureForPayload): hex HMAC-SHA256 of JSON.stringify(payload), keyed with the secret's UTF-8.
 */
export function signature(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** What EventWebHookNotifier.ts sends: the compact JSON body and the fixed headers (Node lower-cases names). */
export function delivery(body: unknown, secret: string, method = 'POST'): SourceRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    method,
    headers: { 'content-type': 'application/json', 'user-agent': 'GrowthBook Webhook', 'x-growthbook-signature': signature(secret, rawBody) },
    rawBody,
    now: Date.parse('2026-12-03T12:00:00Z'),
  };
}
