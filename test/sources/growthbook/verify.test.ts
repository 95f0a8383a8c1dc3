import { describe, expect, it } from 'vitest';
import { growthbookSource } from '../../../src/sources/growthbook/index.js';
import type { SourceRequest } from '../../../src/sources/source-kind.js';
import { delivery, fixture, signature } from './fixtures.js';

// The shape GrowthBook generates: "ewhk_" + 32 hex characters (EventWebhookModel.ts createEventWebHook).
const SECRET = 'ewhk_0123456789abcdef0123456789abcdef';
const NEXT = 'ewhk_fedcba9876543210fedcba9876543210';

describe('GrowthBook verify: X-GrowthBook-Signature', () => {
  it("matches the signatures recorded in the fixtures (the docs' example secret abc123 over the compact body)", () => {
    for (const name of ['created', 'toggled-on-prod', 'rules-changed-prod', 'deleted', 'webhook-test']) {
      const f = fixture(name);
      const request: SourceRequest = {
        method: 'POST',
        headers: { 'x-growthbook-signature': f.headers['X-GrowthBook-Signature'] },
        rawBody: Buffer.from(JSON.stringify(f.body)),
        now: 0,
      };
      expect(growthbookSource.verify(request, ['abc123']), name).toEqual({ ok: true });
    }
  });

  it('accepts a delivery signed with the whole ewhk_ secret', () => {
    expect(growthbookSource.verify(delivery(fixture('toggled-on-prod').body, SECRET), [SECRET])).toEqual({ ok: true });
  });

  it('does not care about the method the admin chose (POST, PUT or PATCH)', () => {
    for (const method of ['PUT', 'PATCH']) {
      expect(growthbookSource.verify(delivery(fixture('created').body, SECRET, method), [SECRET])).toEqual({ ok: true });
    }
  });

  it('accepts the second secret during a rotation', () => {
    expect(growthbookSource.verify(delivery(fixture('created').body, NEXT), [SECRET, NEXT])).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const request = delivery(fixture('toggled-on-prod').body, SECRET);
    const tampered = { ...request, rawBody: Buffer.from(request.rawBody.toString().replace('"enabled":true', '"enabled":false')) };
    expect(tampered.rawBody.equals(request.rawBody)).toBe(false);
    expect(growthbookSource.verify(tampered, [SECRET])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a wrong secret, pointing at the webhook page in GrowthBook', () => {
    const result = growthbookSource.verify(delivery(fixture('created').body, 'ewhk_other'), [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(result.ok === false && result.hint).toContain('Settings → Webhooks');
  });

  it('refuses a key without its ewhk_ prefix: the whole string is the key', () => {
    const body = fixture('created').body;
    expect(growthbookSource.verify(delivery(body, SECRET.slice('ewhk_'.length)), [SECRET]).ok).toBe(false);
  });

  it('refuses a missing header, and says when it looks like an SDK webhook', () => {
    const request = delivery(fixture('created').body, SECRET);
    const headers = { ...request.headers };
    delete headers['x-growthbook-signature'];
    expect(growthbookSource.verify({ ...request, headers }, [SECRET])).toMatchObject({ ok: false, reason: 'missing X-GrowthBook-Signature header' });
    const sdk = growthbookSource.verify({ ...request, headers: { ...headers, 'webhook-signature': 'v1,abc=' } }, [SECRET]);
    expect(sdk.ok === false && sdk.hint).toContain('SDK webhook');
  });

  it('refuses a signature that is not hex SHA-256', () => {
    const request = delivery(fixture('created').body, SECRET);
    const base64 = Buffer.from(signature(SECRET, request.rawBody), 'hex').toString('base64');
    const result = growthbookSource.verify({ ...request, headers: { 'x-growthbook-signature': base64 } }, [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: 'X-GrowthBook-Signature is not one hex SHA-256 digest' });
  });

  it('refuses everything when the source has no secret', () => {
    expect(growthbookSource.verify(delivery(fixture('created').body, SECRET), []).ok).toBe(false);
  });

  it('has no replay window: GrowthBook retries resend the same body and signature minutes later', () => {
    const request = delivery(fixture('created').body, SECRET);
    const muchLater = { ...request, now: Date.parse('2030-01-01T00:00:00Z') };
    expect(growthbookSource.verify(muchLater, [SECRET])).toEqual({ ok: true });
  });
});
