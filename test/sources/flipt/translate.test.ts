import { describe, expect, it } from 'vitest';
import { fliptSource } from '../../../src/sources/flipt/index.js';
import type { SourceChange, Translation } from '../../../src/sources/source-kind.js';
import { fixture, signedRequest } from './flipt-fixtures.js';

function translate(name: string): Translation {
  const { body } = fixture(name);
  return fliptSource.translate(body, signedRequest(body));
}

function only(translation: Translation): SourceChange {
  if (!translation.ok) throw new Error(`expected a translation, got ${JSON.stringify(translation)}`);
  expect(translation).toMatchObject({ ignored: 0 });
  expect(translation.changes).toHaveLength(1);
  expect(translation).not.toHaveProperty('deliveryId'); // Flipt sends no event id: the raw body is the key
  return translation.changes[0] as SourceChange;
}

describe('Flipt v1 audit event → the core model', () => {
  it("a flag turned on: namespace as project, no environment, previous state unknown, the flag's own fields only", () => {
    const change = only(translate('toggled-on'));
    expect(change).toEqual({
      environment: null,
      previousUnknown: true,
      // the flag's variants, rules and rollouts are not in the event: ingest keeps them from the stored state
      partial: true,
      event: {
        projectId: 'default',
        projectName: null,
        action: 'updated',
        modifiedBy: 'anonymous (127.0.0.1)',
        occurredAt: '2023-09-13T17:05:18.000Z',
        // audit.Flag omits an empty default_variant: after an update, no default variant is said, not unknown
        flag: {
          id: 'maintenance-mode',
          key: 'maintenance-mode',
          name: 'Maintenance Mode',
          description: '',
          enabled: true,
          deployments: [],
          defaultVariant: null,
        },
      },
    });
  });

  it('a flag turned off', () => {
    const change = only(translate('toggled-off'));
    expect(change.event.flag?.enabled).toBe(false);
    expect(change.event.oldFlag).toBeUndefined();
    expect(change.previousUnknown).toBe(true);
    expect(change.partial).toBe(true);
  });

  it('a flag updated with a default variant keeps it', () => {
    const { body } = fixture('toggled-on');
    const withDefault = { ...(body as Record<string, unknown>), payload: { ...(body as { payload: object }).payload, default_variant: 'blue' } };
    const result = fliptSource.translate(withDefault, signedRequest(withDefault));
    expect(result.ok && result.changes[0]?.event.flag?.defaultVariant).toBe('blue');
  });

  it("a flag created (the docs' example and a real delivery of event version 0.1)", () => {
    const change = only(translate('created'));
    expect(change.environment).toBeNull();
    expect(change.previousUnknown).toBeUndefined();
    // a new flag is all there is of it: nothing stored is laid under it
    expect(change.partial).toBeUndefined();
    expect(change.event).toEqual({
      projectId: 'default',
      projectName: null,
      action: 'created',
      modifiedBy: 'anonymous (172.17.0.1)',
      occurredAt: '1970-01-01T00:00:00.000Z',
      flag: { id: 'flipt', key: 'flipt', name: 'flipt', description: 'flipt flag', enabled: true, deployments: [] },
    });
    expect(only(translate('created-real-delivery')).event).toMatchObject({ action: 'created', flag: { key: 'asdf', enabled: false } });
  });

  it('a flag deleted: only its key is known (what it was comes from the stored state)', () => {
    const change = only(translate('deleted'));
    expect(change).toEqual({
      environment: null,
      previousUnknown: true,
      partial: true,
      event: {
        projectId: 'default',
        projectName: null,
        action: 'deleted',
        modifiedBy: 'anonymous (127.0.0.1)',
        occurredAt: '2023-09-13T17:20:00.000Z',
        oldFlag: { id: 'maintenance-mode', key: 'maintenance-mode', deployments: [] },
      },
    });
  });

  it('a targeting rule created: an update of its flag, the rule a field of its own (the only one known), actor email', () => {
    const change = only(translate('rule-created'));
    expect(change).toEqual({
      environment: null,
      previousUnknown: true,
      partial: true,
      event: {
        projectId: 'default',
        projectName: null,
        action: 'updated',
        modifiedBy: 'jane@example.com',
        occurredAt: '2023-09-13T17:12:00.000Z',
        flag: {
          id: 'maintenance-mode',
          key: 'maintenance-mode',
          'rule r1': { rank: 1, segment_key: 'all-users', distributions: [{ id: 'd1', rollout: 100, rule_id: 'r1', variant_id: 'v1' }] },
        },
      },
    });
  });

  it('a rollout threshold changed while the flag is on: the rollout a field of its own', () => {
    const change = only(translate('rollout-updated'));
    expect(change.event.action).toBe('updated');
    expect(change.partial).toBe(true);
    expect(change.event.flag).toEqual({
      id: 'maintenance-mode',
      key: 'maintenance-mode',
      'rollout ro1': { description: '', rank: 1, threshold: { percentage: 50, value: true } },
    });
  });

  it('rules reordered: the new order', () => {
    expect(only(translate('rules-ordered')).event.flag).toEqual({ id: 'maintenance-mode', key: 'maintenance-mode', ruleOrder: ['r2', 'r1'] });
  });

  it('a variant created and deleted: its namespace, its field set then null, the actor name or token method', () => {
    const created = only(translate('variant-created'));
    expect(created.event).toMatchObject({ projectId: 'payments', action: 'updated', modifiedBy: 'octocat' });
    expect(created.event.flag).toEqual({
      id: 'checkout-flow',
      key: 'checkout-flow',
      'variant v3': { attachment: '', description: '', key: 'blue', name: 'Blue button' },
    });
    const deleted = only(translate('variant-deleted'));
    expect(deleted.event).toMatchObject({ projectId: 'payments', action: 'updated', modifiedBy: 'token authentication (10.0.0.7)' });
    expect(deleted.event.flag).toEqual({ id: 'checkout-flow', key: 'checkout-flow', 'variant v2': null });
    expect([created.partial, deleted.partial]).toEqual([true, true]);
  });

  it('ignores segments, denied requests and other nouns', () => {
    expect(translate('segment-created')).toEqual({ ok: true, changes: [], ignored: 1 });
    expect(translate('denied')).toEqual({ ok: true, changes: [], ignored: 1 });
    const { body } = fixture('rule-created');
    for (const type of ['constraint', 'namespace', 'distribution', 'token']) {
      const other = { ...(body as Record<string, unknown>), type };
      expect(fliptSource.translate(other, signedRequest(other))).toEqual({ ok: true, changes: [], ignored: 1 });
    }
  });

  it('refuses a body that is not an audit event, naming each issue by path', () => {
    const missing = fliptSource.translate({ type: 'flag', action: 'updated', payload: {} }, signedRequest({}));
    expect(missing).toMatchObject({ ok: false });
    expect(missing.ok === false && missing.issues.map((issue) => issue.path)).toEqual(['version', 'timestamp']);
    const { body } = fixture('toggled-on');
    const noKey = { ...(body as Record<string, unknown>), payload: { enabled: true } };
    expect(fliptSource.translate(noKey, signedRequest(noKey))).toMatchObject({ ok: false, issues: [{ path: 'payload.key' }] });
    const ruleWithoutFlag = { ...(body as Record<string, unknown>), type: 'rule', payload: { id: 'r1' } };
    expect(fliptSource.translate(ruleWithoutFlag, signedRequest(ruleWithoutFlag))).toMatchObject({ ok: false, issues: [{ path: 'payload.flag_key' }] });
  });

  it('has setup steps with the URL and where the secret goes, and generates the secret', () => {
    const steps = fliptSource.setupSteps('https://alerts.example.com/api/v1/sources/abc').join('\n');
    expect(steps).toContain('https://alerts.example.com/api/v1/sources/abc');
    expect(steps).toContain('signing_secret');
    expect(steps).toContain('FLIPT_AUDIT_SINKS_WEBHOOK_SIGNING_SECRET');
    expect(fliptSource).toMatchObject({ kind: 'flipt', label: 'Flipt', secretOrigin: 'generated' });
  });
});
