import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hexHmacVerifier, type HexHmacHeader } from '../../src/sources/hex-hmac.js';
import type { SourceRequest } from '../../src/sources/source-kind.js';

const BODY = Buffer.from('{"kind":"flag","on":true}', 'utf8');
const SECRET = 'the-secret';
const HEADER: HexHmacHeader = { name: 'X-Test-Signature', hint: 'check the secret', missingHint: (r) => `sign it (${r.method})` };

/** The signature written out again, independent of src. */
const hex = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');
const request = (signature?: string | string[]): SourceRequest => ({
  method: 'POST',
  now: 0,
  rawBody: BODY,
  headers: signature === undefined ? {} : { 'x-test-signature': signature },
});

describe('hexHmacVerifier: hex HMAC-SHA256 of the raw body in one header', () => {
  it('accepts the signature of any of the secrets, in either case and with surrounding spaces', () => {
    const signature = hex(SECRET, BODY);
    for (const given of [signature, signature.toUpperCase(), ` ${signature} `]) {
      expect(hexHmacVerifier(HEADER)(request(given), ['old-secret', SECRET]), given).toEqual({ ok: true });
    }
  });

  it('refuses another spelling when the platform writes lowercase only', () => {
    const strict = { ...HEADER, lowercaseOnly: true, hints: { malformed: 'lowercase, please' } };
    expect(hexHmacVerifier(strict)(request(hex(SECRET, BODY)), [SECRET])).toEqual({ ok: true });
    expect(hexHmacVerifier(strict)(request(hex(SECRET, BODY).toUpperCase()), [SECRET])).toEqual({
      ok: false,
      reason: 'X-Test-Signature is not one hex SHA-256 digest',
      hint: 'lowercase, please',
    });
  });

  it('names each refusal with the header and the hint for it', () => {
    expect(hexHmacVerifier(HEADER)(request(), [SECRET])).toEqual({ ok: false, reason: 'missing X-Test-Signature header', hint: 'sign it (POST)' });
    expect(hexHmacVerifier(HEADER)(request('  '), [SECRET])).toMatchObject({ reason: 'missing X-Test-Signature header' });
    expect(hexHmacVerifier(HEADER)(request(`sha256=${hex(SECRET, BODY)}`), [SECRET])).toMatchObject({
      reason: 'X-Test-Signature is not one hex SHA-256 digest',
    });
    expect(hexHmacVerifier(HEADER)(request([hex(SECRET, BODY), hex(SECRET, BODY)]), [SECRET])).toMatchObject({ ok: false });
    expect(hexHmacVerifier(HEADER)(request(hex(SECRET, BODY)), [])).toEqual({ ok: false, reason: 'this source has no secret', hint: 'check the secret' });
    expect(hexHmacVerifier(HEADER)(request(hex('another', BODY)), [SECRET])).toEqual({ ok: false, reason: 'signature mismatch', hint: 'check the secret' });
  });
});
