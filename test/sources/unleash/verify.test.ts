import { describe, expect, it } from 'vitest';
import type { SourceRequest } from '../../../src/sources/source-kind.js';
import { unleashSource } from '../../../src/sources/unleash/index.js';
import { fixture } from './fixtures.js';

const SECRET = 'fa_unleash_3e1b2f0c9d8a7b6c5d4e3f2a1b0c9d8e';
const NEXT = 'fa_unleash_rotated_0000000000000000000000';

/** What Unleash's webhook.ts sends: POST, JSON.stringify(event), Authorization = the field as typed. */
function delivery(authorization: string | undefined, body: unknown = fixture('toggled-on').body): SourceRequest {
  const headers: SourceRequest['headers'] = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return { method: 'POST', headers, rawBody: Buffer.from(JSON.stringify(body)), now: Date.parse('2026-12-03T12:00:00Z') };
}

describe('Unleash verify: the Authorization header equals the secret', () => {
  it('accepts the secret sent verbatim', () => {
    expect(unleashSource.verify(delivery(SECRET), [SECRET])).toEqual({ ok: true });
  });

  it("accepts Sentry's test delivery with its own Authorization value", () => {
    const sentry = fixture('toggled-on-sentry');
    expect(unleashSource.verify(delivery(sentry.headers.Authorization, sentry.body), ['abcdefgh'])).toEqual({ ok: true });
  });

  it('accepts the second secret during a rotation', () => {
    expect(unleashSource.verify(delivery(NEXT), [SECRET, NEXT])).toEqual({ ok: true });
  });

  it('refuses a wrong secret, naming the field in Unleash', () => {
    const result = unleashSource.verify(delivery('not-the-secret'), [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: 'Authorization does not match the secret' });
    expect(result.ok === false && result.hint).toContain('Integrations → Webhook → "Authorization"');
  });

  it('refuses a secret that only shares a prefix', () => {
    expect(unleashSource.verify(delivery(SECRET.slice(0, -1)), [SECRET]).ok).toBe(false);
    expect(unleashSource.verify(delivery(`${SECRET}x`), [SECRET]).ok).toBe(false);
  });

  it('refuses a missing header (the Authorization field left blank)', () => {
    expect(unleashSource.verify(delivery(undefined), [SECRET])).toMatchObject({ ok: false, reason: 'missing Authorization header' });
  });

  it('refuses "Bearer <secret>" and says to remove the prefix', () => {
    const result = unleashSource.verify(delivery(`Bearer ${SECRET}`), [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: 'Authorization has a "Bearer " prefix' });
  });

  it('refuses everything when the source has no secret', () => {
    expect(unleashSource.verify(delivery(''), []).ok).toBe(false);
    expect(unleashSource.verify(delivery(SECRET), []).ok).toBe(false);
  });

  it('does not depend on the body: Unleash signs nothing, so a changed body with the right header passes verify', () => {
    // Authenticity is the shared header only (src/lib/addons/webhook.ts); translate and dedupe handle the rest.
    expect(unleashSource.verify(delivery(SECRET, { tampered: true }), [SECRET])).toEqual({ ok: true });
  });
});
