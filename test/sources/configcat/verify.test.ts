import { describe, expect, it } from 'vitest';
import { configcatSource } from '../../../src/sources/configcat/index.js';
import { DOCS_KEY, fixture, NOW, signedRequest, WEBHOOK_ID } from './configcat-fixtures.js';

const body = fixture('toggled-on').body;
const OTHER_KEY = 'configcat_whsk_ZmFrZS1zZWNvbmRhcnkta2V5LWZvci10aGUtdGVzdHM=';

describe('ConfigCat webhook signature (X-ConfigCat-Webhook-Signature-V1)', () => {
  it("accepts the docs' published test vector", () => {
    // signature-vector.json: key, id, timestamp, body "examplebody" → Ks3c…DRA= in all seven languages of the docs
    const vector = fixture('signature-vector') as unknown as {
      raw_body: string;
      headers: Record<string, string>;
      signing: { key: string };
    };
    const timestamp = vector.headers['X-ConfigCat-Webhook-Timestamp'] ?? '';
    const request = {
      method: 'POST',
      now: Number(timestamp) * 1000 + 60_000,
      rawBody: Buffer.from(vector.raw_body, 'utf8'),
      headers: {
        'x-configcat-webhook-id': vector.headers['X-ConfigCat-Webhook-ID'],
        'x-configcat-webhook-timestamp': timestamp,
        'x-configcat-webhook-signature-v1': vector.headers['X-ConfigCat-Webhook-Signature-V1'],
      },
    };
    expect(vector.headers['X-ConfigCat-Webhook-Signature-V1']).toBe('Ks3cYsu9Lslfo+hVxNC3oQWnsF9e5d73TI5t94D9DRA=');
    expect(configcatSource.verify(request, [vector.signing.key])).toEqual({ ok: true });
    expect(configcatSource.verify({ ...request, rawBody: Buffer.from('examplebodY') }, [vector.signing.key]).ok).toBe(false);
  });

  it('accepts a fixture signed with the key', () => {
    expect(configcatSource.verify(signedRequest(body), [DOCS_KEY])).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const request = signedRequest(body);
    const tampered = Buffer.from(request.rawBody.toString('utf8').replace('false ➔ true', 'true ➔ false'), 'utf8');
    expect(tampered.equals(request.rawBody)).toBe(false);
    expect(configcatSource.verify({ ...request, rawBody: tampered }, [DOCS_KEY])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a tampered webhook id (it is part of the signed content)', () => {
    const request = signedRequest(body);
    const headers = { ...request.headers, 'x-configcat-webhook-id': 'a616ca659d154a5fb907dd8475792eeb' };
    expect(configcatSource.verify({ ...request, headers }, [DOCS_KEY])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses the wrong key, with a hint naming where the key comes from', () => {
    const verification = configcatSource.verify(signedRequest(body), [OTHER_KEY]);
    expect(verification).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(verification.ok === false && verification.hint).toContain('configcat_whsk_');
  });

  it('refuses the key without its configcat_whsk_ prefix (the key is its whole text, not base64)', () => {
    expect(configcatSource.verify(signedRequest(body), [DOCS_KEY.slice('configcat_whsk_'.length)]).ok).toBe(false);
  });

  it('accepts either signature when ConfigCat holds two keys, and either stored secret', () => {
    const twoSignatures = signedRequest(body, { keys: [OTHER_KEY, DOCS_KEY] });
    expect(twoSignatures.headers['x-configcat-webhook-signature-v1']).toMatch(/^[^,]+,[^,]+$/);
    expect(configcatSource.verify(twoSignatures, [DOCS_KEY])).toEqual({ ok: true });
    expect(configcatSource.verify(signedRequest(body), ['configcat_whsk_old', DOCS_KEY])).toEqual({ ok: true });
  });

  it('keeps a 5-minute window either way', () => {
    expect(configcatSource.verify(signedRequest(body, { ageSeconds: 299 }), [DOCS_KEY])).toEqual({ ok: true });
    expect(configcatSource.verify(signedRequest(body, { ageSeconds: -299 }), [DOCS_KEY])).toEqual({ ok: true });
    const stale = configcatSource.verify(signedRequest(body, { ageSeconds: 301 }), [DOCS_KEY]);
    expect(stale).toMatchObject({ ok: false, reason: 'timestamp outside the 5-minute window (301 s old)' });
    const future = configcatSource.verify(signedRequest(body, { ageSeconds: -301 }), [DOCS_KEY]);
    expect(future).toMatchObject({ ok: false, reason: 'timestamp outside the 5-minute window (301 s in the future)' });
  });

  it('refuses missing headers, naming them', () => {
    const request = signedRequest(body);
    const rest = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name === 'x-configcat-webhook-timestamp'));
    expect(configcatSource.verify({ ...request, headers: rest }, [DOCS_KEY])).toMatchObject({
      ok: false,
      reason: 'missing X-ConfigCat-Webhook-ID, X-ConfigCat-Webhook-Signature-V1 header',
    });
  });

  it('refuses a timestamp that is not unix seconds', () => {
    const request = signedRequest(body);
    const headers = { ...request.headers, 'x-configcat-webhook-timestamp': new Date(NOW).toISOString() };
    expect(configcatSource.verify({ ...request, headers }, [DOCS_KEY])).toMatchObject({
      ok: false,
      reason: 'X-ConfigCat-Webhook-Timestamp is not unix seconds',
    });
  });

  it('refuses when the source has no secret', () => {
    expect(configcatSource.verify(signedRequest(body, { id: WEBHOOK_ID }), [])).toMatchObject({ ok: false });
  });
});
