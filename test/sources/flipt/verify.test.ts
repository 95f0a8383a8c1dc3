import { describe, expect, it } from 'vitest';
import { fliptSource } from '../../../src/sources/flipt/index.js';
import { fixture, SECRET, signedRequest } from './flipt-fixtures.js';

const body = fixture('toggled-on').body;

describe('Flipt webhook signature (x-flipt-webhook-signature)', () => {
  it("accepts Flipt's own test vector (client_test.go)", () => {
    const vector = fixture('signature-vector') as unknown as { raw_body: string; headers: Record<string, string> };
    const request = {
      method: 'POST',
      now: 0,
      rawBody: Buffer.from(vector.raw_body, 'utf8'),
      headers: { 'x-flipt-webhook-signature': vector.headers['x-flipt-webhook-signature'] },
    };
    expect(request.headers['x-flipt-webhook-signature']).toBe('6bc16d7434cbd746abfd25e3350a3f43fba04883b7f0b83f09bbc373116f84b0');
    expect(fliptSource.verify(request, [SECRET])).toEqual({ ok: true });
  });

  it('accepts a fixture signed with the secret, and the second of two secrets', () => {
    expect(fliptSource.verify(signedRequest(body), [SECRET])).toEqual({ ok: true });
    expect(fliptSource.verify(signedRequest(body), ['previous-secret', SECRET])).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const request = signedRequest(body);
    const tampered = Buffer.from(request.rawBody.toString('utf8').replace('"enabled":true', '"enabled":false'), 'utf8');
    expect(tampered.equals(request.rawBody)).toBe(false);
    expect(fliptSource.verify({ ...request, rawBody: tampered }, [SECRET])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses the wrong secret, with a hint naming the Flipt setting', () => {
    const verification = fliptSource.verify(signedRequest(body, 'another-secret'), [SECRET]);
    expect(verification).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(verification.ok === false && verification.hint).toContain('audit.sinks.webhook.signing_secret');
  });

  it('refuses an uppercase or prefixed signature (Flipt sends bare lowercase hex)', () => {
    const request = signedRequest(body);
    const signature = String(request.headers['x-flipt-webhook-signature']);
    for (const other of [signature.toUpperCase(), `sha256=${signature}`]) {
      expect(fliptSource.verify({ ...request, headers: { 'x-flipt-webhook-signature': other } }, [SECRET]).ok).toBe(false);
    }
  });

  it('refuses a request without signature (a sink without signing_secret, or a template sink)', () => {
    const request = signedRequest(body);
    expect(fliptSource.verify({ ...request, headers: { 'content-type': 'application/json' } }, [SECRET])).toMatchObject({
      ok: false,
      reason: 'missing X-Flipt-Webhook-Signature header',
    });
  });

  it('refuses when the source has no secret', () => {
    expect(fliptSource.verify(signedRequest(body), []).ok).toBe(false);
  });
});
