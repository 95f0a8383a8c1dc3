import { describe, expect, it } from 'vitest';
import type { SourceChange, SourceRequest, Translation } from '../../../src/sources/source-kind.js';
import { unleashSource } from '../../../src/sources/unleash/index.js';
import { fixture } from './fixtures.js';

function translate(body: unknown): Translation {
  const request: SourceRequest = { method: 'POST', headers: {}, rawBody: Buffer.from(JSON.stringify(body)), now: 0 };
  return unleashSource.translate(body, request);
}

/** The one change of a translated fixture, with the delivery id beside it. */
function onlyChange(name: string): { change: SourceChange; deliveryId: string | undefined } {
  const result = translate(fixture(name).body);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues)}`);
  expect(result.ignored).toBe(0);
  expect(result.changes).toHaveLength(1);
  const [change] = result.changes;
  if (!change) throw new Error('no change');
  return { change, deliveryId: result.deliveryId };
}

const development = { id: 'development', label: 'development' };

describe('Unleash translate', () => {
  it('a flag turned on in one environment: that environment only, no previous state', () => {
    const { change, deliveryId } = onlyChange('toggled-on');
    expect(deliveryId).toBe('930');
    expect(change.environment).toEqual(development);
    expect(change.previousUnknown).toBe(true);
    // on/off, the environment and the tags are all it says: strategies and variants come from the stored state
    expect(change.partial).toBe(true);
    const { event } = change;
    expect(event.action).toBe('updated');
    expect(event.projectId).toBe('my-other-project');
    expect(event.projectName).toBeUndefined();
    expect(event.modifiedBy).toBe('user@company.com');
    expect(event.occurredAt).toBe('2022-06-02T12:09:03.045Z');
    expect(event.oldFlag).toBeUndefined();
    expect(event.flag).toEqual({
      id: 'new-feature',
      key: 'new-feature',
      name: 'new-feature',
      enabled: true,
      deployments: [development],
      tags: ['simple:tag', 'simple:tog'],
    });
  });

  it('a flag turned off names only its environment', () => {
    const { change, deliveryId } = onlyChange('toggled-off');
    expect(deliveryId).toBe('931');
    expect(change.environment).toEqual(development);
    expect(change.event.flag?.enabled).toBe(false);
    expect(change.event.flag?.deployments).toEqual([development]);
    expect(change.previousUnknown).toBe(true);
  });

  it("Sentry's toggle sample (no data/preData keys at all) translates the same way", () => {
    const { change, deliveryId } = onlyChange('toggled-on-sentry');
    expect(deliveryId).toBe('28');
    expect(change.environment).toEqual(development);
    expect(change.event).toMatchObject({ projectId: 'default', modifiedBy: 'michelle@michelle.org', occurredAt: '2024-12-30T00:00:00.000Z' });
    expect(change.event.flag).toMatchObject({ key: 'test-flag', enabled: true, tags: ['simple:testvalue'] });
  });

  it('a rollout change: strategy before and after, in its environment', () => {
    const { change, deliveryId } = onlyChange('rollout-change');
    expect(deliveryId).toBe('920');
    const environment = { id: 'default', label: 'default' };
    expect(change.environment).toEqual(environment);
    expect(change.previousUnknown).toBeUndefined();
    expect(change.partial).toBe(true);
    const { event } = change;
    expect(event).toMatchObject({ action: 'updated', projectId: 'my-other-project', modifiedBy: 'user@company.com', occurredAt: '2022-06-01T10:03:11.549Z' });
    expect(event.oldFlag).toMatchObject({ key: 'new-feature', deployments: [environment], rolloutPercentage: 67 });
    expect(event.flag).toMatchObject({ key: 'new-feature', deployments: [environment], rolloutPercentage: 32 });
    // Unleash does not say whether the flag is on in that environment.
    expect(event.flag?.enabled).toBeUndefined();
    expect(event.oldFlag?.enabled).toBeUndefined();
    expect(event.flag?.strategy).toEqual(event.oldFlag?.strategy);
    expect(event.flag?.strategy).toEqual({
      id: '3f4bf713-696c-43a4-8ce7-d6c607108858',
      name: 'flexibleRollout',
      title: null,
      disabled: false,
      parameters: { groupId: 'new-feature', stickiness: 'default' },
      variants: [],
    });
  });

  it('a strategy added: nothing before, the rollout after', () => {
    const { change } = onlyChange('strategy-add');
    expect(change.event.oldFlag).toMatchObject({ strategy: null, rolloutPercentage: null });
    expect(change.event.flag).toMatchObject({ rolloutPercentage: 67, constraints: [], targetSegments: [] });
    expect(change.environment).toEqual({ id: 'default', label: 'default' });
  });

  it('a strategy removed: the rollout before, nothing after', () => {
    const body = { ...fixture('rollout-change').body, type: 'feature-strategy-remove', data: undefined };
    const result = translate(JSON.parse(JSON.stringify(body)));
    expect(result.ok && result.changes[0]?.event.oldFlag?.rolloutPercentage).toBe(67);
    expect(result.ok && result.changes[0]?.event.flag?.strategy).toBeNull();
  });

  it('a flag created: tied to no environment, enabled unknown', () => {
    const { change, deliveryId } = onlyChange('created');
    expect(deliveryId).toBe('899');
    expect(change.environment).toBeNull();
    // a new flag is all there is of it: nothing stored is laid under it
    expect(change.partial).toBeUndefined();
    const { event } = change;
    expect(event).toMatchObject({ action: 'created', projectId: 'my-project', modifiedBy: 'user@company.com', occurredAt: '2022-05-31T13:32:20.560Z' });
    expect(event.oldFlag).toBeUndefined();
    expect(event.flag).toEqual({
      id: 'new-feature',
      key: 'new-feature',
      name: 'new-feature',
      tags: [],
      description: 'Flag description',
      type: 'release',
      stale: false,
      impressionData: true,
      variants: [],
    });
  });

  it('the current docs sample (createdByUserId, Event-API-only label and summary) also translates', () => {
    const { change, deliveryId } = onlyChange('created-current-docs');
    expect(deliveryId).toBe('27332');
    expect(change.event).toMatchObject({ action: 'created', projectId: 'test-project', modifiedBy: 'user@getunleash.io' });
    expect(change.event.flag).toMatchObject({ key: 'test-flag', description: null });
  });

  it('a flag archived (what "delete" does in Unleash) is a deletion tied to no environment', () => {
    const { change, deliveryId } = onlyChange('archived');
    expect(deliveryId).toBe('902');
    expect(change.environment).toBeNull();
    expect(change.partial).toBe(true);
    expect(change.event).toMatchObject({ action: 'deleted', projectId: 'my-project', modifiedBy: 'user@company.com', occurredAt: '2022-05-31T14:04:38.661Z' });
    expect(change.event.flag).toBeUndefined();
    expect(change.event.oldFlag).toEqual({ id: 'new-feature', key: 'new-feature', name: 'new-feature', tags: [] });
  });

  it('a permanent deletion, should one arrive, keeps the deleted flag as it was', () => {
    const { change } = onlyChange('deleted-not-sent-by-webhook');
    expect(change.event).toMatchObject({ action: 'deleted', modifiedBy: 'admin-account' });
    expect(change.event.oldFlag).toMatchObject({ key: 'new-feature', type: 'experiment', description: 'Flag description' });
  });

  it('tags added and removed: flag-level, before and after recomputed from the tag', () => {
    const base = fixture('toggled-on').body;
    const tagged = translate({ ...base, type: 'feature-tagged', environment: null, data: { type: 'simple', value: 'new' } });
    expect(tagged.ok && tagged.changes[0]?.environment).toBeNull();
    expect(tagged.ok && tagged.changes[0]?.event.oldFlag?.tags).toEqual(['simple:tag', 'simple:tog']);
    expect(tagged.ok && tagged.changes[0]?.event.flag?.tags).toEqual(['simple:tag', 'simple:tog', 'simple:new']);
    const untagged = translate({ ...base, type: 'feature-untagged', environment: null, preData: { type: 'simple', value: 'tog' } });
    expect(untagged.ok && untagged.changes[0]?.event.oldFlag?.tags).toEqual(['simple:tag', 'simple:tog']);
    expect(untagged.ok && untagged.changes[0]?.event.flag?.tags).toEqual(['simple:tag']);
    expect([tagged.ok && tagged.changes[0]?.partial, untagged.ok && untagged.changes[0]?.partial]).toEqual([true, true]);
  });

  it('an event without tags leaves them unknown rather than saying there are none', () => {
    const result = translate({ ...fixture('toggled-on').body, tags: null });
    expect(result.ok && result.changes[0]?.event.flag).not.toHaveProperty('tags');
  });

  it('variants updated without preData: the variants before are left to the stored state', () => {
    const base = { ...fixture('toggled-on').body, type: 'feature-environment-variants-updated', data: { variants: [{ name: 'blue', weight: 1000 }] } };
    const result = translate(base);
    expect(result.ok && result.changes[0]).toMatchObject({ partial: true, environment: development, event: { flag: { variants: [{ name: 'blue' }] } } });
    expect(result.ok && result.changes[0]?.event.oldFlag).not.toHaveProperty('variants');
  });

  it('stale, revived and project moves are flag-level updates of that field', () => {
    const base = { ...fixture('archived').body };
    const stale = translate({ ...base, type: 'feature-stale-on' });
    expect(stale.ok && stale.changes[0]?.event).toMatchObject({ action: 'updated', oldFlag: { stale: false }, flag: { stale: true } });
    const revived = translate({ ...base, type: 'feature-revived' });
    expect(revived.ok && revived.changes[0]?.event).toMatchObject({ oldFlag: { archived: true }, flag: { archived: false } });
    const moved = translate({ ...base, type: 'feature-project-change', project: 'new-home', data: { oldProject: 'my-project', newProject: 'new-home' } });
    expect(moved.ok && moved.changes[0]?.event).toMatchObject({ projectId: 'new-home', oldFlag: { project: 'my-project' }, flag: { project: 'new-home' } });
  });

  it.each(['change-request-created', 'feature-potentially-stale-on', 'user-created', 'feature-completed'])('ignores %s', (type) => {
    const result = translate({ ...fixture('archived').body, type });
    expect(result).toEqual({ ok: true, changes: [], ignored: 1, deliveryId: '902' });
  });

  it('a body that is not an Unleash event names what is wrong', () => {
    const result = translate({ type: 'feature-created', createdBy: 'x', createdAt: 'yesterday' });
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['id', 'createdAt']);
  });

  it('a feature event without a project or a toggle without an environment is refused', () => {
    // Unleash's own unit-test event has no project; real servers always send one for flag events.
    const noProject = translate(fixture('unleash-unit-test-created').body);
    expect(noProject).toMatchObject({ ok: false, issues: [{ path: 'project' }] });
    const noEnvironment = translate({ ...fixture('toggled-on').body, environment: null });
    expect(noEnvironment).toMatchObject({ ok: false, issues: [{ path: 'environment' }] });
  });

  it('a strategy event whose data is not a strategy points into data', () => {
    const result = translate({ ...fixture('rollout-change').body, data: { parameters: 'x' } });
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['data.name', 'data.parameters']);
  });

  it('a non-object body is refused', () => {
    expect(translate([1, 2]).ok).toBe(false);
    expect(translate(null).ok).toBe(false);
  });
});

describe('Unleash setup steps', () => {
  it('name the URL, the Authorization field and the events to tick', () => {
    const steps = unleashSource.setupSteps('https://alerts.example.com/api/v1/sources/src_1').join('\n');
    expect(steps).toContain('Webhook URL: https://alerts.example.com/api/v1/sources/src_1');
    expect(steps).toContain('Authorization');
    expect(steps).toContain('feature-environment-enabled');
    expect(unleashSource.secretOrigin).toBe('generated');
  });
});
