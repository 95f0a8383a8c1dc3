import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PushSource, SourceChange, Translation } from '../../src/sources/source-kind.js';

/**
 * A platform of the tests' own, to drive the route's and the CLI's mechanics without any vendor: it signs like
 * Flipt (hex HMAC-SHA256 of the raw body in `x-test-signature`), takes `{"id"?, "changes": [{"flag": "...", "on": bool}], "ignored"?: n}`.
 */
export function testPushSource(overrides: Partial<PushSource> = {}): PushSource {
  return {
    kind: 'flipt',
    label: 'Testflags',
    secretOrigin: 'generated',
    verify(request, secrets) {
      const header = request.headers['x-test-signature'];
      if (typeof header !== 'string') return { ok: false, reason: 'missing signature', hint: 'is signing turned on in Testflags?' };
      const given = Buffer.from(header, 'utf8');
      const ok = secrets.some((secret) => {
        const expected = Buffer.from(signature(secret, request.rawBody), 'utf8');
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      return ok ? { ok: true } : { ok: false, reason: 'signature mismatch', hint: 'is the secret from Testflags pasted here?' };
    },
    translate(body): Translation {
      if (typeof body !== 'object' || body === null || !Array.isArray((body as { changes?: unknown }).changes)) {
        return { ok: false, error: 'not a Testflags event', issues: [{ path: 'changes', message: 'expected an array' }] };
      }
      const { id, changes, ignored } = body as { id?: string; changes: { flag: string; on: boolean }[]; ignored?: number };
      return { ok: true, changes: changes.map(toChange), ignored: ignored ?? 0, ...(id ? { deliveryId: id } : {}) };
    },
    setupSteps: (url) => [`In Testflags, open Settings → Webhooks and paste ${url}`, 'Tick "flag changes" and save'],
    ...overrides,
  };
}

/** The test's own signer, written out (not the source's verify). */
export function signature(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function toChange(c: { flag: string; on: boolean }): SourceChange {
  const flag = { id: c.flag, key: c.flag, enabled: c.on, deployments: [{ id: 'production', label: 'Production' }] };
  return {
    event: { projectId: 'default', projectName: 'Default', action: 'updated', modifiedBy: 'ana@example.com', flag, oldFlag: { ...flag, enabled: !c.on } },
    environment: { id: 'production', label: 'Production' },
  };
}
