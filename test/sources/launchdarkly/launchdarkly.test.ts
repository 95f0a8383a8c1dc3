import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlagEvent } from '../../../src/flag-change/model.js';
import { launchdarklySource } from '../../../src/sources/launchdarkly/index.js';
import type { SourceChange, SourceRequest, Translation } from '../../../src/sources/source-kind.js';

/** A fixture: the vendor body and where it was copied from (`source`, `note`). */
function fixture(name: string): { source: string; body: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { source: string; body: Record<string, unknown> };
}

const SECRET = 'ld-webhook-secret-1';
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

/** LaunchDarkly's scheme written out: lowercase hex HMAC-SHA256 of the body bytes, key = the secret's UTF-8 bytes. */
function ldSignature(secret: string, raw: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex');
}

function signedRequest(body: unknown, secret = SECRET, tamper?: (raw: Buffer) => Buffer): SourceRequest {
  const raw = Buffer.from(JSON.stringify(body));
  const signature = ldSignature(secret, raw);
  return { method: 'POST', headers: { 'content-type': 'application/json', 'x-ld-signature': signature }, rawBody: tamper ? tamper(raw) : raw, now: NOW };
}

function translate(body: unknown): Translation {
  const request = signedRequest(body);
  expect(launchdarklySource.verify(request, [SECRET])).toEqual({ ok: true });
  return launchdarklySource.translate(JSON.parse(request.rawBody.toString('utf8')), request);
}

function changesOf(body: unknown): Extract<Translation, { ok: true }> {
  const result = translate(body);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
  return result;
}

function only(changes: SourceChange[]): SourceChange {
  expect(changes).toHaveLength(1);
  return changes[0] as SourceChange;
}

function common(event: FlagEvent): Partial<FlagEvent> {
  return { projectId: event.projectId, modifiedBy: event.modifiedBy, occurredAt: event.occurredAt };
}

describe('LaunchDarkly: verify', () => {
  const body = fixture('toggled-on').body;

  it('accepts the signature of the raw body with the secret', () => {
    expect(launchdarklySource.verify(signedRequest(body), [SECRET])).toEqual({ ok: true });
  });

  it('accepts an upper-case hex digest (constant-time compare of the bytes)', () => {
    const request = signedRequest(body);
    const headers = { ...request.headers, 'x-ld-signature': String(request.headers['x-ld-signature']).toUpperCase() };
    expect(launchdarklySource.verify({ ...request, headers }, [SECRET])).toEqual({ ok: true });
  });

  it('accepts the second secret while a rotation is under way', () => {
    expect(launchdarklySource.verify(signedRequest(body, 'new-secret'), ['old-secret', 'new-secret'])).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const request = signedRequest(body, SECRET, (raw) => Buffer.from(raw.toString('utf8').replace('"on":true', '"on":false')));
    expect(request.rawBody.toString('utf8')).not.toEqual(JSON.stringify(body));
    const result = launchdarklySource.verify(request, [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: 'signature mismatch' });
    expect(result.ok === false && result.hint).toContain('LaunchDarkly');
  });

  it('refuses a signature made with another secret', () => {
    expect(launchdarklySource.verify(signedRequest(body, 'someone-else'), [SECRET])).toMatchObject({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a missing or malformed signature header, and a source without secret', () => {
    const request = signedRequest(body);
    const missing = launchdarklySource.verify({ ...request, headers: { 'content-type': 'application/json' } }, [SECRET]);
    expect(missing).toMatchObject({ ok: false, reason: 'missing X-LD-Signature header' });
    expect(missing.ok === false && missing.hint).toContain('Sign this webhook');
    const prefixed = { ...request.headers, 'x-ld-signature': `sha256=${String(request.headers['x-ld-signature'])}` };
    expect(launchdarklySource.verify({ ...request, headers: prefixed }, [SECRET])).toMatchObject({
      ok: false,
      reason: 'X-LD-Signature is not one hex SHA-256 digest',
    });
    expect(launchdarklySource.verify(request, [])).toMatchObject({ ok: false, reason: 'this source has no secret' });
  });

  it('has no replay window: an old entry still verifies (LaunchDarkly signs no timestamp; retries repeat the _id)', () => {
    expect(launchdarklySource.verify({ ...signedRequest(body), now: NOW + 365 * 24 * 3600 * 1000 }, [SECRET])).toEqual({ ok: true });
  });
});

describe('LaunchDarkly: translate', () => {
  it('a flag turned on in one environment → one update there, on before → after', () => {
    const { changes, ignored, deliveryId } = changesOf(fixture('toggled-on').body);
    expect(deliveryId).toBe('1234');
    expect(ignored).toBe(0);
    const { event, environment, previousUnknown } = only(changes);
    expect(environment).toEqual({ id: 'test', label: 'Test' });
    expect(previousUnknown).toBeUndefined();
    expect(event.action).toBe('updated');
    expect(common(event)).toEqual({ projectId: 'default', modifiedBy: 'michelle@example.io', occurredAt: '2024-10-17T00:11:07.537Z' });
    expect(event.eventId).toBe('1234:env/test');
    expect(event.oldFlag).toMatchObject({ id: 'test-flag', key: 'test-flag', name: 'test flag', enabled: false, deployments: [{ id: 'test', label: 'Test' }] });
    expect(event.flag).toMatchObject({ id: 'test-flag', key: 'test-flag', name: 'test flag', enabled: true, deployments: [{ id: 'test', label: 'Test' }] });
    expect(event.flag?.variants).toEqual([
      { key: 'true', name: 'on', value: true },
      { key: 'false', name: 'off', value: false },
    ]);
    expect(event.flag).toMatchObject({ defaultVariation: 'true', offVariation: 'false', targetSegments: [], rules: [], targets: [] });
  });

  it('a flag turned off: on → off', () => {
    const { event, environment } = only(changesOf(fixture('toggled-off').body).changes);
    expect(environment).toEqual({ id: 'test', label: 'Test' });
    expect([event.oldFlag?.enabled, event.flag?.enabled]).toEqual([true, false]);
  });

  it('a rollout change while on → rollout weights before → after, still on', () => {
    const { changes, deliveryId } = changesOf(fixture('rollout-change').body);
    expect(deliveryId).toBe('1234');
    const { event, environment } = only(changes);
    expect(environment).toEqual({ id: 'test', label: 'Test' });
    expect(event.action).toBe('updated');
    expect(common(event)).toEqual({ projectId: 'default', modifiedBy: 'michelle@example.io', occurredAt: '2024-10-17T00:11:07.537Z' });
    expect([event.oldFlag?.enabled, event.flag?.enabled]).toEqual([true, true]);
    expect(event.oldFlag?.defaultVariation).toBe('true');
    expect(event.oldFlag?.rolloutWeights).toBeUndefined();
    expect(event.flag?.defaultVariation).toBeUndefined();
    expect(event.flag?.rolloutWeights).toEqual({ true: 25, false: 75 });
  });

  it('targeting rules that match a segment show as target segments', () => {
    const body = structuredClone(fixture('rollout-change').body) as { currentVersion: { environments: { test: { rules: unknown[] } } } };
    body.currentVersion.environments.test.rules = [
      { _id: 'r1', clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta-testers'] }], variation: 0 },
    ];
    const { event } = only(changesOf(body).changes);
    expect(event.oldFlag?.targetSegments).toEqual([]);
    expect(event.flag?.targetSegments).toEqual(['beta-testers']);
  });

  it('a change in another environment names only that environment', () => {
    const { changes, deliveryId } = changesOf(fixture('production-toggled-off').body);
    expect(deliveryId).toBe('1240');
    const { event, environment } = only(changes);
    expect(environment).toEqual({ id: 'production', label: 'Production' });
    expect(event.flag?.deployments).toEqual([{ id: 'production', label: 'Production' }]);
    expect(event.oldFlag?.deployments).toEqual([{ id: 'production', label: 'Production' }]);
    expect([event.oldFlag?.enabled, event.flag?.enabled]).toEqual([true, false]);
  });

  it('one entry touching two environments → one change per environment, each naming only its own', () => {
    const body = structuredClone(fixture('production-toggled-off').body) as {
      accesses: unknown[];
      currentVersion: { environments: { test: { on: boolean } } };
    };
    body.accesses.push({ action: 'updateOn', resource: 'proj/default:env/test:flag/test-flag' });
    body.currentVersion.environments.test.on = true;
    const { changes } = changesOf(body);
    expect(changes.map((c) => c.environment)).toEqual([
      { id: 'production', label: 'Production' },
      { id: 'test', label: 'Test' },
    ]);
    expect(changes.map((c) => [c.event.oldFlag?.enabled, c.event.flag?.enabled])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(changes.map((c) => c.event.eventId)).toEqual(['1240:env/production', '1240:env/test']);
  });

  it('an environment the previous version does not list → previous state unknown', () => {
    const body = structuredClone(fixture('toggled-on').body) as { previousVersion: { environments: Record<string, unknown> } };
    delete body.previousVersion.environments.test;
    const change = only(changesOf(body).changes);
    expect(change.previousUnknown).toBe(true);
    expect(change.event.oldFlag).toBeUndefined();
    expect(change.event.flag?.enabled).toBe(true);
  });

  it('an environment the current version does not list → its state there is not stated', () => {
    const body = structuredClone(fixture('toggled-on').body) as { currentVersion: { environments: Record<string, { on: boolean }> } };
    delete body.currentVersion.environments.test;
    body.currentVersion.environments.production = { ...body.currentVersion.environments.production, on: true };
    const { event } = only(changesOf(body).changes);
    expect(event.flag?.enabled).toBeUndefined();
    expect(event.flag?.deployments).toEqual([{ id: 'test', label: 'Test' }]);
  });

  it('a flag created → one change tied to no environment, listing every environment the entry names', () => {
    const { changes, deliveryId } = changesOf(fixture('created').body);
    expect(deliveryId).toBe('1234');
    const { event, environment, previousUnknown } = only(changes);
    expect(environment).toBeNull();
    expect(previousUnknown).toBeUndefined();
    expect(event.action).toBe('created');
    expect(common(event)).toEqual({ projectId: 'default', modifiedBy: 'michelle@example.com', occurredAt: '2024-10-17T00:04:25.221Z' });
    expect(event.oldFlag).toBeUndefined();
    expect(event.flag).toMatchObject({
      id: 'test-flag',
      key: 'test-flag',
      name: 'test flag',
      description: 'testing a feature flag',
      enabled: false,
      tags: [],
      deployments: [
        { id: 'test', label: 'Test' },
        { id: 'production', label: 'Production' },
      ],
    });
  });

  it('a flag deleted (minimal entry: no versions) → deleted, the key read from the resource', () => {
    const { changes, deliveryId } = changesOf(fixture('deleted').body);
    expect(deliveryId).toBe('1234');
    const { event, environment } = only(changes);
    expect(environment).toBeNull();
    expect(event.action).toBe('deleted');
    expect(common(event)).toEqual({ projectId: 'default', modifiedBy: 'michelle@example.io', occurredAt: '2024-10-17T00:11:07.537Z' });
    expect(event.flag).toBeUndefined();
    // The entry names no version, so it does not say whether the flag was on.
    expect(event.oldFlag).toEqual({ id: 'test-flag', key: 'test-flag', name: 'test flag', enabled: undefined, deployments: [{ id: 'test', label: 'test' }] });
  });

  it('a flag archived → deleted, tied to no environment; restored → created', () => {
    const archived = only(changesOf(fixture('archived').body).changes);
    expect(archived.environment).toBeNull();
    expect(archived.event.action).toBe('deleted');
    expect(common(archived.event)).toEqual({ projectId: 'default', modifiedBy: 'michelle@example.com', occurredAt: '2024-10-17T00:11:40.000Z' });
    expect(archived.event.oldFlag).toMatchObject({ id: 'test-flag', enabled: false, archived: false });
    expect(archived.event.oldFlag?.deployments).toEqual([
      { id: 'test', label: 'Test' },
      { id: 'production', label: 'Production' },
    ]);

    const body = structuredClone(fixture('archived').body) as { currentVersion: { archived: boolean }; previousVersion: { archived: boolean } };
    [body.previousVersion.archived, body.currentVersion.archived] = [true, false];
    const restored = only(changesOf(body).changes);
    expect(restored.event.action).toBe('created');
    expect(restored.event.flag).toMatchObject({ id: 'test-flag', archived: false });
  });

  it('a tag change → one flag-wide update tied to no environment, enabled when on in any environment', () => {
    const body = structuredClone(fixture('toggled-off').body) as Record<string, unknown> & { accesses: unknown[]; currentVersion: { tags: string[] } };
    body.accesses = [
      { action: 'updateTags', resource: 'proj/default:env/test:flag/test-flag' },
      { action: 'updateTags', resource: 'proj/default:env/production:flag/test-flag' },
    ];
    body.currentVersion.tags = ['checkout'];
    const { event, environment } = only(changesOf(body).changes);
    expect(environment).toBeNull();
    expect(event.action).toBe('updated');
    expect(event.oldFlag).toMatchObject({ tags: [], enabled: true });
    expect(event.flag).toMatchObject({ tags: ['checkout'], enabled: false });
    expect(event.flag?.deployments).toEqual([
      { id: 'test', label: 'Test' },
      { id: 'production', label: 'Production' },
    ]);
  });

  it('modifiedBy falls back to the API token name when no member acted', () => {
    const body = structuredClone(fixture('toggled-off').body);
    delete body.member;
    body.token = { _id: 't1', name: 'deploy-bot', ending: 'abcd', serviceToken: true };
    expect(only(changesOf(body).changes).event.modifiedBy).toBe('deploy-bot');
  });

  it('ignores entries about anything but flags (environment, member, segment)', () => {
    const environment = changesOf(fixture('docs-sample-environment-rename').body);
    expect(environment).toEqual({ ok: true, changes: [], ignored: 1, deliveryId: '57c0a8e29969090743529965' });
    for (const kind of ['member', 'segment']) {
      const body = { ...fixture('docs-sample-environment-rename').body, kind };
      expect(changesOf(body)).toMatchObject({ changes: [], ignored: 1 });
    }
  });

  it('counts as ignored a flag entry that names no flag, or no environment for an environment action', () => {
    const noFlag = { ...fixture('toggled-on').body, accesses: [{ action: 'updateOn', resource: 'proj/default:env/test' }] };
    expect(changesOf(noFlag)).toMatchObject({ changes: [], ignored: 1, deliveryId: '1234' });
    const noEnvironment = { ...fixture('toggled-on').body, accesses: [{ action: 'updateOn', resource: 'proj/default:flag/test-flag' }] };
    expect(changesOf(noEnvironment)).toMatchObject({ changes: [], ignored: 1 });
  });

  it('refuses a body that is not an audit-log entry, naming what is wrong', () => {
    const result = launchdarklySource.translate({ kind: 'flag', date: 'yesterday', accesses: [] }, signedRequest({}));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(['_id', 'date']);
    const notObject = launchdarklySource.translate([1, 2], signedRequest({}));
    expect(notObject).toMatchObject({ ok: false, issues: [{ path: '(body)' }] });
    const badVersion = structuredClone(fixture('toggled-on').body) as { currentVersion: { environments: unknown } };
    badVersion.currentVersion.environments = { test: { on: 'yes' } };
    expect(launchdarklySource.translate(badVersion, signedRequest({}))).toMatchObject({ ok: false, issues: [{ path: 'currentVersion.environments.test.on' }] });
  });

  it('setup steps name the URL, the signing checkbox and the policy for every environment', () => {
    const steps = launchdarklySource.setupSteps('https://alerts.example.com/api/v1/sources/abc').join('\n');
    expect(steps).toContain('https://alerts.example.com/api/v1/sources/abc');
    // https://launchdarkly.com/docs/home/infrastructure/webhooks, "Create a webhook": the gear icon opens Organization settings.
    expect(steps).toContain('Organization settings');
    expect(steps).toContain('Sign this webhook');
    expect(steps).toContain('proj/*:env/*:flag/*');
    expect(launchdarklySource).toMatchObject({ kind: 'launchdarkly', label: 'LaunchDarkly', secretOrigin: 'generated' });
  });
});
