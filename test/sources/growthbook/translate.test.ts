import { describe, expect, it } from 'vitest';
import { growthbookSource } from '../../../src/sources/growthbook/index.js';
import type { SourceChange, Translation } from '../../../src/sources/source-kind.js';
import { delivery, fixture } from './fixtures.js';

function translate(body: unknown): Translation {
  return growthbookSource.translate(body, delivery(body, 'ewhk_test'));
}

function changesOf(name: string): SourceChange[] {
  const result = translate(fixture(name).body);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues)}`);
  expect(result.ignored).toBe(0);
  expect(result.deliveryId).toBeUndefined();
  return result.changes;
}

const prod = { id: 'prod', label: 'prod' };
const dev = { id: 'dev', label: 'dev' };
const forceRule = { description: '', enabled: true, condition: '', id: '', type: 'force', value: 'true' };
// `created` 1722506700000 in the fixtures
const at = '2024-08-01T10:05:00.000Z';
const actor = { projectId: 'project', modifiedBy: 'user@mail.com', occurredAt: at };

describe('GrowthBook translate', () => {
  it('a flag turned on in prod: one change, for prod only, with before and after', () => {
    const [change, ...rest] = changesOf('toggled-on-prod');
    expect(rest).toEqual([]);
    expect(change?.environment).toEqual(prod);
    expect(change?.previousUnknown).toBeUndefined();
    expect(change?.event).toMatchObject({ ...actor, action: 'updated' });
    expect(change?.event.projectName).toBeUndefined();
    expect(change?.event.oldFlag).toEqual({
      id: 'id',
      key: 'id',
      name: 'id',
      tags: [],
      enabled: false,
      deployments: [prod],
      rules: [forceRule],
      rolloutPercentage: null,
    });
    expect(change?.event.flag).toEqual({
      id: 'id',
      key: 'id',
      name: 'id',
      tags: [],
      enabled: true,
      deployments: [prod],
      rules: [forceRule],
      rolloutPercentage: null,
    });
  });

  it('a flag turned off in prod', () => {
    const [change, ...rest] = changesOf('toggled-off-prod');
    expect(rest).toEqual([]);
    expect(change?.environment).toEqual(prod);
    expect(change?.event.oldFlag?.enabled).toBe(true);
    expect(change?.event.flag?.enabled).toBe(false);
  });

  it('a rollout rule added while on: the rules and the rollout percentage change, in prod', () => {
    const [change, ...rest] = changesOf('rules-changed-prod');
    expect(rest).toEqual([]);
    expect(change?.environment).toEqual(prod);
    expect(change?.event.oldFlag).toMatchObject({ enabled: true, rolloutPercentage: null, rules: [forceRule] });
    expect(change?.event.flag).toMatchObject({ enabled: true, rolloutPercentage: 80 });
    expect(change?.event.flag?.rules).toHaveLength(2);
  });

  it('a change in dev names only dev (a prod-scoped alert never hears of it)', () => {
    const [change, ...rest] = changesOf('dev-only-toggled');
    expect(rest).toEqual([]);
    expect(change?.environment).toEqual(dev);
    expect(change?.event.flag?.deployments).toEqual([dev]);
    expect(change?.event.oldFlag?.enabled).toBe(true);
    expect(change?.event.flag?.enabled).toBe(false);
  });

  it('one feature.updated touching two environments becomes one change per environment', () => {
    const body = structuredClone(fixture('toggled-on-prod').body) as {
      data: { object: { environments: Record<string, { enabled: boolean }> } };
      environments: string[];
    };
    body.data.object.environments.dev = { ...body.data.object.environments.dev, enabled: false };
    body.environments = ['dev', 'prod'];
    const result = translate(body);
    expect(result.ok && result.changes.map((c) => [c.environment, c.event.oldFlag?.enabled, c.event.flag?.enabled])).toEqual([
      [dev, true, false],
      [prod, false, true],
    ]);
  });

  it('a flag created: flag-level, on where GrowthBook says, deployments as the payload names them', () => {
    const [change, ...rest] = changesOf('created');
    expect(rest).toEqual([]);
    expect(change?.environment).toBeNull();
    expect(change?.event).toMatchObject({ ...actor, action: 'created' });
    expect(change?.event.oldFlag).toBeUndefined();
    expect(change?.event.flag).toMatchObject({
      id: 'id',
      key: 'id',
      enabled: true,
      deployments: [dev, prod],
      tags: [],
      archived: false,
      valueType: 'string',
      defaultValue: 'default',
      project: 'project',
    });
    // bookkeeping stays out of the snapshot
    expect(change?.event.flag).not.toHaveProperty('dateUpdated');
    expect(change?.event.flag).not.toHaveProperty('revision');
  });

  it('a flag archived: one flag-level change archived false → true, not one per environment', () => {
    const [change, ...rest] = changesOf('archived');
    expect(rest).toEqual([]);
    expect(change?.environment).toBeNull();
    expect(change?.event).toMatchObject({ ...actor, action: 'updated' });
    expect(change?.event.oldFlag).toMatchObject({ archived: false, enabled: true, deployments: [dev, prod] });
    expect(change?.event.flag).toMatchObject({ archived: true, enabled: true });
  });

  it('a flag deleted: flag-level, the deleted feature as before, off everywhere', () => {
    const [change, ...rest] = changesOf('deleted');
    expect(rest).toEqual([]);
    expect(change?.environment).toBeNull();
    expect(change?.event).toMatchObject({ ...actor, action: 'deleted' });
    expect(change?.event.flag).toBeUndefined();
    expect(change?.event.oldFlag).toMatchObject({
      key: 'id',
      description: 'description',
      owner: 'owner',
      tags: ['tag'],
      enabled: false,
      deployments: [dev, { id: 'production', label: 'production' }],
    });
  });

  it('the legacy "raw" payload type (current/previous, no created) translates the same, dated by dateUpdated', () => {
    const [change, ...rest] = changesOf('legacy-raw-toggled-on-prod');
    expect(rest).toEqual([]);
    expect(change?.environment).toEqual(prod);
    expect(change?.event).toMatchObject({ ...actor, occurredAt: '2024-08-01T10:05:00.000Z' });
    expect(change?.event.oldFlag?.enabled).toBe(false);
    expect(change?.event.flag?.enabled).toBe(true);
  });

  it('a description change is flag-level only', () => {
    const body = structuredClone(fixture('archived').body) as { data: { object: Record<string, unknown>; previous_attributes: Record<string, unknown> } };
    body.data.object.archived = false;
    body.data.object.description = 'new words';
    body.data.previous_attributes = { description: '' };
    const result = translate(body);
    expect(result.ok && result.changes).toHaveLength(1);
    expect(result.ok && result.changes[0]?.environment).toBeNull();
    expect(result.ok && result.changes[0]?.event.oldFlag?.description).toBe('');
    expect(result.ok && result.changes[0]?.event.flag?.description).toBe('new words');
  });

  it('a feature in no project (project "", apiFeatureValidator) belongs to the project "no-project", named "No project"', () => {
    const body = structuredClone(fixture('created').body) as { data: { object: Record<string, unknown> } };
    body.data.object.project = '';
    const result = translate(body);
    expect(result.ok && result.changes.map((c) => [c.event.projectId, c.event.projectName])).toEqual([['no-project', 'No project']]);
    // An absent project (an older payload) is the same.
    delete body.data.object.project;
    const absent = translate(body);
    expect(absent.ok && absent.changes[0]?.event).toMatchObject({ projectId: 'no-project', projectName: 'No project' });
  });

  it('an update that changed only bookkeeping is ignored', () => {
    const body = structuredClone(fixture('archived').body) as { data: { object: Record<string, unknown>; previous_attributes: Record<string, unknown> } };
    body.data.object.archived = false;
    body.data.previous_attributes = { dateUpdated: '2024-08-01T10:00:00.000Z' };
    expect(translate(body)).toEqual({ ok: true, changes: [], ignored: 1 });
  });

  it('modifiedBy: email, else name, else the API key, else the system', () => {
    const body = fixture('created').body;
    const by = (user: unknown) => {
      const result = translate({ ...body, user });
      return result.ok ? result.changes[0]?.event.modifiedBy : undefined;
    };
    expect(by({ type: 'dashboard', id: 'u', email: 'a@b.c', name: 'A' })).toBe('a@b.c');
    expect(by({ type: 'api_key', apiKey: 'key_123', name: 'CI deploy key' })).toBe('CI deploy key');
    expect(by({ type: 'api_key', apiKey: 'key_123', name: '' })).toBe('key_123');
    expect(by({ type: 'system', subtype: 'scheduled' })).toBe('GrowthBook (scheduled)');
    expect(by(null)).toBe('GrowthBook');
  });

  it.each([['webhook-test'], ['experiment']])('ignores other event kinds (%s)', (kind) => {
    const body = kind === 'webhook-test' ? fixture('webhook-test').body : { ...fixture('created').body, event: 'experiment.updated', object: 'experiment' };
    expect(translate(body)).toEqual({ ok: true, changes: [], ignored: 1 });
  });

  it('a body that is not a GrowthBook event names what is wrong', () => {
    expect(translate({ object: 'feature' })).toMatchObject({ ok: false, issues: [{ path: 'event' }, { path: 'data' }] });
    const noEnvironments = structuredClone(fixture('created').body) as { data: { object: Record<string, unknown> } };
    delete noEnvironments.data.object.environments;
    expect(translate(noEnvironments)).toMatchObject({ ok: false, issues: [{ path: 'data.object.environments' }] });
    const badPrevious = structuredClone(fixture('toggled-on-prod').body) as { data: { previous_attributes: Record<string, unknown> } };
    badPrevious.data.previous_attributes = { environments: { prod: { enabled: 'yes' } } };
    expect(translate(badPrevious)).toMatchObject({ ok: false, issues: [{ path: 'data.previous_attributes.environments.prod.enabled' }] });
    const noPrevious = structuredClone(fixture('toggled-on-prod').body) as { data: Record<string, unknown> };
    delete noPrevious.data.previous_attributes;
    expect(translate(noPrevious)).toMatchObject({ ok: false, issues: [{ path: 'data.previous_attributes' }] });
    expect(translate('feature.created').ok).toBe(false);
  });
});

describe('GrowthBook setup steps', () => {
  it('name the URL, the JSON payload type, the feature events and where the secret is', () => {
    const steps = growthbookSource.setupSteps('https://alerts.example.com/api/v1/sources/src_2').join('\n');
    expect(steps).toContain('Endpoint URL: https://alerts.example.com/api/v1/sources/src_2');
    expect(steps).toContain('Payload Type: JSON');
    expect(steps).toContain('feature.updated');
    expect(steps).toContain('ewhk_');
    // The secret exists only once the GrowthBook webhook does, so the steps end with taking it over.
    expect(steps).toContain('npx flag-alerts source rotate src_2 --secret ewhk_');
    expect(growthbookSource.secretOrigin).toBe('platform');
  });
});
