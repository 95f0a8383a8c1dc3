import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flagsmithSource } from '../../../src/sources/flagsmith/index.js';
import type { SourceChange, SourceRequest, Translation } from '../../../src/sources/source-kind.js';
import { flagsmithSignature, pythonJsonDumps } from './flagsmith-wire.js';

/** A fixture: the vendor body and where it was copied from (`source`, `note`). */
function fixture(name: string): { source: string; body: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { source: string; body: Record<string, unknown> };
}

const SECRET = 'my shared secret';
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

function signedRequest(body: unknown, secret = SECRET): SourceRequest {
  const raw = Buffer.from(pythonJsonDumps(body), 'utf8');
  return { method: 'POST', headers: { 'content-type': 'application/json', 'x-flagsmith-signature': flagsmithSignature(secret, raw) }, rawBody: raw, now: NOW };
}

function accepted(body: unknown): Extract<Translation, { ok: true }> {
  const request = signedRequest(body);
  expect(flagsmithSource.verify(request, [SECRET])).toEqual({ ok: true });
  const result = flagsmithSource.translate(JSON.parse(request.rawBody.toString('utf8')), request);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
  // Flagsmith sends no event id: ingest deduplicates on the raw body.
  expect(result.deliveryId).toBeUndefined();
  return result;
}

function only(changes: SourceChange[]): SourceChange {
  expect(changes).toHaveLength(1);
  return changes[0] as SourceChange;
}

const DEVELOPMENT = { id: '23', label: 'Development' };
const BY = { projectId: '12', projectName: 'Flagsmith Website', modifiedBy: 'user@domain.com', occurredAt: '2021-06-18T07:50:26.595298Z' };

describe('Flagsmith: verify', () => {
  const body = fixture('toggled-on').body;

  it('matches the test vector: the docs sample as Flagsmith serialises it, secret "my shared secret"', () => {
    const request = signedRequest(body);
    expect(request.rawBody.length).toBe(1297);
    expect(request.headers['x-flagsmith-signature']).toBe('7b03157f255ae2d1d268917bb94a55b5c9eac7f04d8450130a9e5c45c09f83f5');
    expect(flagsmithSource.verify(request, [SECRET])).toEqual({ ok: true });
  });

  it('verifies the raw bytes: the same body re-serialised compactly no longer matches', () => {
    const request = signedRequest(body);
    const compact = { ...request, rawBody: Buffer.from(JSON.stringify(body)) };
    expect(flagsmithSource.verify(compact, [SECRET])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('accepts the second secret while a rotation is under way', () => {
    expect(flagsmithSource.verify(signedRequest(body, 'new secret'), ['old secret', 'new secret'])).toEqual({ ok: true });
  });

  it('refuses a tampered body and a wrong secret, with a hint naming where the secret is set', () => {
    const request = signedRequest(body);
    const tampered = { ...request, rawBody: Buffer.from(request.rawBody.toString('utf8').replace('"enabled": true', '"enabled": false')) };
    expect(tampered.rawBody.equals(request.rawBody)).toBe(false);
    const result = flagsmithSource.verify(tampered, [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(result.ok === false && result.hint).toContain('Flagsmith');
    expect(flagsmithSource.verify(signedRequest(body, 'someone else'), [SECRET])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a missing signature (the Flagsmith webhook has no secret), a malformed one, and a source without secret', () => {
    const request = signedRequest(body);
    const missing = flagsmithSource.verify({ ...request, headers: { 'content-type': 'application/json' } }, [SECRET]);
    expect(missing).toMatchObject({ ok: false, reason: 'missing X-Flagsmith-Signature header' });
    expect(missing.ok === false && missing.hint).toContain('Secret');
    const short = { ...request.headers, 'x-flagsmith-signature': 'abc123' };
    expect(flagsmithSource.verify({ ...request, headers: short }, [SECRET])).toMatchObject({
      ok: false,
      reason: 'X-Flagsmith-Signature is not one hex SHA-256 digest',
    });
    expect(flagsmithSource.verify(request, [])).toMatchObject({ ok: false, reason: 'this source has no secret' });
  });
});

describe('Flagsmith: translate', () => {
  it('a flag turned on in one environment → an update there, off → on', () => {
    const { changes, ignored } = accepted(fixture('toggled-on').body);
    expect(ignored).toBe(0);
    const { event, environment, previousUnknown } = only(changes);
    expect(environment).toEqual(DEVELOPMENT);
    expect(previousUnknown).toBeUndefined();
    expect(event).toMatchObject({ ...BY, action: 'updated' });
    expect(event.oldFlag).toMatchObject({ id: 'butter_bar', key: 'butter_bar', name: 'butter_bar', enabled: false, deployments: [DEVELOPMENT] });
    expect(event.flag).toMatchObject({
      id: 'butter_bar',
      key: 'butter_bar',
      enabled: true,
      deployments: [DEVELOPMENT],
      description: 'Show html in a butter bar for certain users',
      value: '<strong>\nYou are using the develop environment.\n</strong>',
    });
    // The docs' previous_state has no multivariate_feature_state_values: the split is unchanged, not added.
    expect(event.oldFlag?.rolloutWeights).toEqual({ variant_a: 50 });
    expect(event.oldFlag?.variants).toEqual(event.flag?.variants);
  });

  it('a previous_state whose split is null (none) keeps it none: only a split not sent is taken as unchanged', () => {
    const body = structuredClone(fixture('toggled-on').body) as { data: { previous_state: Record<string, unknown> } };
    body.data.previous_state.multivariate_feature_state_values = null;
    const { event } = only(accepted(body).changes);
    expect(event.oldFlag?.rolloutWeights).toBeUndefined();
    expect(event.flag?.rolloutWeights).toEqual({ variant_a: 50 });
  });

  it('a flag turned off: on → off', () => {
    const { event, environment } = only(accepted(fixture('toggled-off').body).changes);
    expect(environment).toEqual(DEVELOPMENT);
    expect(event).toMatchObject({ ...BY, action: 'updated' });
    expect([event.oldFlag?.enabled, event.flag?.enabled]).toEqual([true, false]);
  });

  it('a rollout change while on → multivariate weights before → after', () => {
    const { event, environment } = only(accepted(fixture('rollout-change').body).changes);
    expect(environment).toEqual(DEVELOPMENT);
    expect(event).toMatchObject({ ...BY, action: 'updated' });
    expect([event.oldFlag?.enabled, event.flag?.enabled]).toEqual([true, true]);
    expect(event.oldFlag?.rolloutWeights).toEqual({ variant_a: 50 });
    expect(event.flag?.rolloutWeights).toEqual({ variant_a: 75 });
    expect(event.flag?.variants).toEqual([{ key: 'variant_a', value: 'variant_a' }]);
  });

  it('a flag created (no previous_state) → an update with the previous state unknown', () => {
    const { event, environment, previousUnknown } = only(accepted(fixture('created').body).changes);
    expect(environment).toEqual(DEVELOPMENT);
    expect(previousUnknown).toBe(true);
    expect(event).toMatchObject({ ...BY, action: 'updated' });
    expect(event.oldFlag).toBeUndefined();
    expect(event.flag).toMatchObject({ id: 'butter_bar', enabled: false, deployments: [DEVELOPMENT] });
  });

  it('a flag deleted → deleted in the environment of the deleted state', () => {
    const { event, environment, previousUnknown } = only(accepted(fixture('deleted').body).changes);
    expect(environment).toEqual(DEVELOPMENT);
    expect(previousUnknown).toBeUndefined();
    expect(event).toMatchObject({ ...BY, action: 'deleted' });
    expect(event.flag).toBeUndefined();
    expect(event.oldFlag).toMatchObject({ id: 'butter_bar', enabled: true, deployments: [DEVELOPMENT] });
  });

  it('a change in another environment names only that environment', () => {
    const body = structuredClone(fixture('toggled-on').body) as { data: { new_state: { environment: unknown }; previous_state: { environment: unknown } } };
    body.data.new_state.environment = { id: 24, name: 'Production' };
    body.data.previous_state.environment = { id: 24, name: 'Production' };
    const { event, environment } = only(accepted(body).changes);
    expect(environment).toEqual({ id: '24', label: 'Production' });
    expect(event.flag?.deployments).toEqual([{ id: '24', label: 'Production' }]);
    expect(event.oldFlag?.deployments).toEqual([{ id: '24', label: 'Production' }]);
  });

  it('reads the older payload where environment and project are bare ids (docs.flagsmith.com/system-administration)', () => {
    const body = structuredClone(fixture('toggled-on').body) as { data: { new_state: Record<string, unknown>; previous_state: Record<string, unknown> } };
    for (const state of [body.data.new_state, body.data.previous_state]) {
      state.environment = 23;
      state.feature = { ...(state.feature as object), project: 12 };
    }
    const { event, environment } = only(accepted(body).changes);
    expect(environment).toEqual({ id: '23', label: '23' });
    expect(event.projectId).toBe('12');
    expect(event.projectName).toBeUndefined();
  });

  it('an empty changed_by and timestamp give a placeholder author and no time', () => {
    const body = structuredClone(fixture('toggled-on').body) as { data: { changed_by: string; timestamp: string } };
    body.data.changed_by = '';
    body.data.timestamp = '';
    const { event } = only(accepted(body).changes);
    expect(event.modifiedBy).toBe('Flagsmith');
    expect(event.occurredAt).toBeUndefined();
  });

  it('ignores identity overrides (the "Test webhook" sample), segment overrides and audit-log events', () => {
    expect(accepted(fixture('test-button-sample').body)).toMatchObject({ changes: [], ignored: 1 });
    const segment = structuredClone(fixture('rollout-change').body) as { data: { new_state: { feature_segment: unknown } } };
    segment.data.new_state.feature_segment = { segment: { id: 5, name: 'beta', description: null }, priority: 0 };
    expect(accepted(segment)).toMatchObject({ changes: [], ignored: 1 });
    const edgeIdentity = structuredClone(fixture('toggled-on').body) as { data: { new_state: { identity_identifier: unknown } } };
    edgeIdentity.data.new_state.identity_identifier = 'user-42';
    expect(accepted(edgeIdentity)).toMatchObject({ changes: [], ignored: 1 });
    // AUDIT_LOG_CREATED as organisation webhooks send it (audit-logs.md; webhooks.py generate_organisation_sample_webhook_data)
    const audit = {
      data: {
        created_date: '2020-02-23T17:30:57.006318Z',
        log: 'New Flag / Remote Config created: my_feature',
        author: { id: 3, email: 'user@domain.com', first_name: 'Kyle', last_name: 'Johnson' },
        environment: null,
        project: { id: 6, name: 'Project name', organisation: 1 },
        related_object_id: 6,
        related_object_type: 'FEATURE',
      },
      event_type: 'AUDIT_LOG_CREATED',
    };
    expect(accepted(audit)).toMatchObject({ changes: [], ignored: 1 });
  });

  it('refuses a body that is not a Flagsmith webhook, naming what is wrong', () => {
    const request = signedRequest({});
    expect(flagsmithSource.translate({ data: {} }, request)).toMatchObject({ ok: false, issues: [{ path: 'event_type' }] });
    const noEnabled = structuredClone(fixture('toggled-on').body) as { data: { new_state: Record<string, unknown> } };
    delete noEnabled.data.new_state.enabled;
    expect(flagsmithSource.translate(noEnabled, request)).toMatchObject({ ok: false, issues: [{ path: 'data.new_state.enabled' }] });
    const updatedWithoutState = { event_type: 'FLAG_UPDATED', data: { changed_by: 'x', timestamp: '', new_state: null } };
    expect(flagsmithSource.translate(updatedWithoutState, request)).toMatchObject({ ok: false, issues: [{ path: 'data.new_state' }] });
    const deletedWithoutState = { event_type: 'FLAG_DELETED', data: { changed_by: 'x', timestamp: '', new_state: null } };
    expect(flagsmithSource.translate(deletedWithoutState, request)).toMatchObject({ ok: false, issues: [{ path: 'data.previous_state' }] });
  });

  it('setup steps name the URL and the Secret field', () => {
    const steps = flagsmithSource.setupSteps('https://alerts.example.com/api/v1/sources/abc').join('\n');
    expect(steps).toContain('https://alerts.example.com/api/v1/sources/abc');
    expect(steps).toContain('Secret');
    expect(flagsmithSource).toMatchObject({ kind: 'flagsmith', label: 'Flagsmith', secretOrigin: 'generated' });
  });
});
