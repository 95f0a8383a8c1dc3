import { describe, expect, it } from 'vitest';
import { changedFieldNames, variantChanges } from '../../src/flag-change/diff.js';
import type { FlagState } from '../../src/flag-change/model.js';

const flag: FlagState = { id: 1, key: 'k', enabled: true, rolloutPercentage: 10, deployments: [{ id: 71, label: 'production' }], tags: ['a', 'b'], version: 1 };

describe('changedFieldNames', () => {
  it.each<[string, FlagState, string[]]>([
    ['nothing changed', flag, []],
    ['bookkeeping only', { ...flag, version: 2, updatedAt: 'now' }, []],
    ['tags reordered', { ...flag, tags: ['b', 'a'] }, []],
    ['a label, not an id', { ...flag, deployments: [71] }, []],
    ['known fields in their order', { ...flag, tags: ['c'], enabled: false, rolloutPercentage: 50 }, ['enabled', 'rolloutPercentage', 'tags']],
    ['unknown fields after the known ones', { ...flag, killSwitch: true, enabled: false }, ['enabled', 'killSwitch']],
    ['a removed field', { id: 1, key: 'k', enabled: true, deployments: [71], tags: ['a', 'b'] }, ['rolloutPercentage']],
  ])('%s', (_name, after, expected) => {
    expect(changedFieldNames(flag, after)).toEqual(expected);
  });
});

describe('variantChanges', () => {
  it('names added, removed and edited variants by key', () => {
    const before = [{ key: 'on', name: 'On' }, { key: 'off' }, { key: 'beta' }];
    const after = [{ name: 'On!', key: 'on' }, { key: 'off' }, { key: 'new' }];
    expect(variantChanges(before, after)).toEqual({ added: [{ key: 'new' }], removed: [{ key: 'beta' }], edited: [{ name: 'On!', key: 'on' }] });
  });

  it('sees no edit when only the key order differs', () => {
    expect(variantChanges([{ key: 'on', a: 1, b: 2 }], [{ b: 2, key: 'on', a: 1 }])).toEqual({ added: [], removed: [], edited: [] });
  });
});
