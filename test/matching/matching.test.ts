import { describe, expect, it } from 'vitest';
import type { Alert, AlertScope, AlertStatus, FlagAction } from '../../src/alerts/alert.js';
import { alertMatches, alertsToNotify } from '../../src/matching/alert-matches.js';
import { changeNotifies } from '../../src/matching/change-notifies.js';
import type { FlagChange, FlagState } from '../../src/matching/flag-change.js';
import { flagChangeFixtures as fixtures } from './fixtures/flag-change-fixtures.js';

const on: FlagState = { id: 1, key: 'k', enabled: true, rolloutPercentage: 10, deployments: [{ id: 71, label: 'production' }], tags: ['payments'], version: 1 };
const off: FlagState = { ...on, enabled: false };

function updated(oldFlag: FlagState, flag: FlagState): FlagChange {
  return { projectId: 311, action: 'updated', oldFlag, flag };
}

describe('changeNotifies', () => {
  it.each(fixtures.map((c) => [c.name, c] as const))('fixture %s', (_name, c) => {
    expect(changeNotifies(c.event)).toBe(c.notifies);
  });

  it.each<[string, FlagChange, boolean]>([
    ['created, even inactive', { projectId: 1, action: 'created', flag: off }, true],
    ['deleted, even inactive', { projectId: 1, action: 'deleted', oldFlag: off }, true],
    ['activation', updated(off, on), true],
    ['deactivation', updated(on, off), true],
    ['rollout change on an active flag', updated(on, { ...on, rolloutPercentage: 50 }), true],
    ['nested change on an active flag', updated({ ...on, variants: [{ key: 'a' }] }, { ...on, variants: [{ key: 'b' }] }), true],
    ['new unknown field on an active flag', updated(on, { ...on, killSwitch: true }), true],
    ['a deployment removed', updated(on, { ...on, deployments: [] }), true],
    ['a tag added', updated(on, { ...on, tags: ['payments', 'risky'] }), true],
    ['edit of a flag off before and after', updated(off, { ...off, rolloutPercentage: 90 }), false],
    ['edit of a flag with no enabled field', updated({ id: 1, key: 'k', a: 1 }, { id: 1, key: 'k', a: 2 }), false],
    ['only version changed', updated(on, { ...on, version: 2 }), false],
    ['only timestamps and editor changed', updated({ ...on, updatedAt: 'x', lastModifiedAt: 1, modifiedBy: 'a' }, { ...on, updatedAt: 'y', lastModifiedAt: 2, modifiedBy: 'b' }), false],
    ['nested bookkeeping only', updated({ ...on, variants: [{ key: 'a', updatedAt: 1 }] }, { ...on, variants: [{ key: 'a', updatedAt: 2 }] }), false],
    ['field order only', updated({ id: 1, key: 'k', enabled: true, a: 1, b: 2 }, { b: 2, a: 1, key: 'k', id: 1, enabled: true }), false],
    ['tags reordered', updated({ ...on, tags: ['a', 'b'] }, { ...on, tags: ['b', 'a'] }), false],
    ['deployments as ids instead of objects', updated(on, { ...on, deployments: [71] }), false],
    ['null vs missing description', updated({ ...on, description: null }, on), false],
  ])('%s → %s', (_name, change, expected) => {
    expect(changeNotifies(change)).toBe(expected);
  });
});

function alert(scope: AlertScope, overrides: { actions?: FlagAction[]; status?: AlertStatus; projectId?: number } = {}): Pick<Alert, 'projectId' | 'actions' | 'scope' | 'status'> {
  return { projectId: overrides.projectId ?? 311, actions: overrides.actions ?? ['created', 'updated', 'deleted'], scope, status: overrides.status ?? 'active' };
}
const project: AlertScope = { type: 'project' };
const production: AlertScope = { type: 'deployment', deploymentId: 71, deploymentLabel: 'production' };
const risky: AlertScope = { type: 'tag', tags: ['risky', 'beta'] };

describe('alertMatches', () => {
  const change = updated(on, { ...on, rolloutPercentage: 50 });

  it.each<[string, Pick<Alert, 'projectId' | 'actions' | 'scope'>, FlagChange, boolean]>([
    ['project scope, same project', alert(project), change, true],
    ['project scope, other project', alert(project, { projectId: 312 }), change, false],
    ['action not asked for', alert(project, { actions: ['created', 'deleted'] }), change, false],
    ['only the asked action', alert(project, { actions: ['updated'] }), change, true],
    ['deployment in flag', alert(production), change, true],
    ['deployment only in oldFlag (removed)', alert(production), updated(on, { ...on, deployments: [{ id: 72 }] }), true],
    ['deployment only in flag (added)', alert(production), updated({ ...on, deployments: [] }, on), true],
    ['deployment as a bare id', alert(production), updated({ ...on, deployments: [71] }, { ...on, deployments: [71], rolloutPercentage: 5 }), true],
    ['deployment absent', alert(production), updated({ ...on, deployments: [72] }, { ...on, deployments: [72], rolloutPercentage: 5 }), false],
    ['no deployments at all', alert(production), updated({ id: 1, key: 'k', enabled: true }, { id: 1, key: 'k', enabled: false }), false],
    ['deployment of another project', alert(production, { projectId: 312 }), change, false],
    ['deleted flag in the deployment', alert(production), { projectId: 311, action: 'deleted', oldFlag: on, flag: null }, true],
    ['one of the tags in flag', alert(risky), updated(on, { ...on, tags: ['risky'] }), true],
    ['tag only in oldFlag', alert(risky), updated({ ...on, tags: ['beta'] }, { ...on, tags: [] }), true],
    ['none of the tags', alert(risky), change, false],
    ['created flag with the tag', alert(risky), { projectId: 311, action: 'created', flag: { ...on, tags: ['beta'] } }, true],
  ])('%s → %s', (_name, a, c, expected) => {
    expect(alertMatches(a, c)).toBe(expected);
  });
});

describe('alertsToNotify', () => {
  const change = updated(on, { ...on, rolloutPercentage: 50 });

  it('delivers to active, failing and waiting alerts only', () => {
    const statuses: AlertStatus[] = ['active', 'paused', 'waiting', 'failing', 'broken', 'disabled'];
    const alerts = statuses.map((status) => alert(project, { status }));
    expect(alertsToNotify(alerts, change).map((a) => a.status)).toEqual(['active', 'waiting', 'failing']);
  });

  it('delivers nothing for a change that does not notify', () => {
    expect(alertsToNotify([alert(project)], updated(on, { ...on, version: 9 }))).toEqual([]);
  });

  it('keeps only the alerts whose scope matches', () => {
    const alerts = [alert(project), alert(production), alert(risky)];
    expect(alertsToNotify(alerts, change).map((a) => a.scope.type)).toEqual(['project', 'deployment']);
  });
});
