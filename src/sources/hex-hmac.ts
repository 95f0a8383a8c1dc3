import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/safe-equal.js';
import type { PushSource, SourceRequest, Verification } from './source-kind.js';

/** One platform's signature header and what each refusal tells its admin to check. */
export interface HexHmacHeader {
  /** as the platform's docs write it (the refusals name it so); looked up lower-cased, as Node gives header names */
  name: string;
  /** where the secret is set in the platform: shown for a wrong signature, a malformed one and a source without secret */
  hint: string;
  /** the platform leaves the header out until a secret is set, so its absence gets its own pointer */
  missingHint: string | ((request: SourceRequest) => string);
  /** a pointer of its own for one refusal, where `hint` says too little */
  hints?: Partial<Record<'malformed' | 'noSecret' | 'mismatch', string>>;
  /** the platform writes lowercase hex (Go's `%x`) and nothing else, so another spelling is not its signature */
  lowercaseOnly?: boolean;
}

const ANY_CASE_HEX_SHA256 = /^[0-9a-f]{64}$/i;
const LOWERCASE_HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The scheme LaunchDarkly, Flagsmith, GrowthBook and Flipt share (docs/platforms): the header holds the hex
 * HMAC-SHA256 of the exact raw body, keyed by the secret's UTF-8 text, with no prefix and no timestamp, so there is
 * no replay window and retries are caught as duplicates instead. Every secret is compared, in constant time, so the
 * time taken says nothing about which one (if any) matched.
 */
export function hexHmacVerifier(header: HexHmacHeader): PushSource['verify'] {
  return (request, secrets) => verifyHexHmac(request, secrets, header);
}

function verifyHexHmac(request: SourceRequest, secrets: readonly string[], header: HexHmacHeader): Verification {
  const value = request.headers[header.name.toLowerCase()];
  // Node joins a repeated header into one string; an array only comes from a hand-built request.
  const given = (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
  if (given === '') {
    const hint = typeof header.missingHint === 'function' ? header.missingHint(request) : header.missingHint;
    return refuse(`missing ${header.name} header`, hint);
  }
  if (!(header.lowercaseOnly ? LOWERCASE_HEX_SHA256 : ANY_CASE_HEX_SHA256).test(given)) {
    return refuse(`${header.name} is not one hex SHA-256 digest`, header.hints?.malformed ?? header.hint);
  }
  if (secrets.length === 0) return refuse('this source has no secret', header.hints?.noSecret ?? header.hint);
  const digest = given.toLowerCase();
  const matched = secrets.map((secret) => safeEqual(hmacHex(secret, request.rawBody), digest));
  return matched.includes(true) ? { ok: true } : refuse('signature mismatch', header.hints?.mismatch ?? header.hint);
}

function hmacHex(secret: string, body: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

function refuse(reason: string, hint: string): Verification {
  return { ok: false, reason, hint };
}
