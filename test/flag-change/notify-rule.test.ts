import { describe, expect, it } from 'vitest';
import type { FlagChange, FlagState } from '../../src/flag-change/model.js';
import { changeNotifies } from '../../src/flag-change/notify-rule.js';
import { flagChangeFixtures as fixtures } from '../helpers/flag-change-fixtures.js';

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
    [
      'only timestamps and editor changed',
      updated({ ...on, updatedAt: 'x', lastModifiedAt: 1, modifiedBy: 'a' }, { ...on, updatedAt: 'y', lastModifiedAt: 2, modifiedBy: 'b' }),
      false,
    ],
    ['nested bookkeeping only', updated({ ...on, variants: [{ key: 'a', updatedAt: 1 }] }, { ...on, variants: [{ key: 'a', updatedAt: 2 }] }), false],
    ['field order only', updated({ id: 1, key: 'k', enabled: true, a: 1, b: 2 }, { b: 2, a: 1, key: 'k', id: 1, enabled: true }), false],
    ['tags reordered', updated({ ...on, tags: ['a', 'b'] }, { ...on, tags: ['b', 'a'] }), false],
    ['deployments as ids instead of objects', updated(on, { ...on, deployments: [71] }), false],
    ['null vs missing description', updated({ ...on, description: null }, on), false],
    ['an update with no previous state (first sight)', { projectId: 1, action: 'updated', flag: off }, true],
    [
      'flag-level update, the platform does not say on or off',
      { ...updated({ id: 1, key: 'k', name: 'a' }, { id: 1, key: 'k', name: 'b' }), environment: null },
      true,
    ],
    ['flag-level update of a flag off before and after', { ...updated(off, { ...off, name: 'b' }), environment: null }, false],
    ['flag-level update that changes nothing', { ...updated({ id: 1, key: 'k' }, { id: 1, key: 'k', version: 3 }), environment: null }, false],
    ['update in one environment, on/off not said', { ...updated({ id: 1, key: 'k', a: 1 }, { id: 1, key: 'k', a: 2 }), environment: 'production' }, false],
    ['update in one environment, turned on', { ...updated(off, on), environment: 'production' }, true],
  ])('%s → %s', (_name, change, expected) => {
    expect(changeNotifies(change)).toBe(expected);
  });
});
