import { describe, expect, it } from 'vitest';
import type { FlagEvent, FlagSnapshot } from '../../src/flag-change/model.js';
import { overlayChange, overlaySnapshot } from '../../src/flag-change/overlay.js';

const production = { id: 'production', label: 'Production' };
const stored: FlagSnapshot = {
  id: 'new-checkout',
  key: 'new-checkout',
  name: 'New checkout',
  enabled: true,
  deployments: [production],
  tags: ['payments'],
  variants: [{ key: 'on' }, { key: 'off' }],
  'rule r1': { segment_key: 'beta', rank: 1 },
};

describe('overlaySnapshot', () => {
  it.each<[string, FlagSnapshot, FlagSnapshot]>([
    ['the only field said wins, every other stays', { id: 'new-checkout', key: 'new-checkout', enabled: false }, { ...stored, enabled: false }],
    ['undefined is not said', { id: 'new-checkout', key: 'new-checkout', enabled: false, tags: undefined }, { ...stored, enabled: false }],
    ['null is said: none now', { id: 'new-checkout', key: 'new-checkout', 'rule r1': null }, { ...stored, 'rule r1': null }],
    ['an empty list is said', { id: 'new-checkout', key: 'new-checkout', tags: [] }, { ...stored, tags: [] }],
    ['a field is replaced whole, not merged', { id: 'new-checkout', key: 'new-checkout', variants: [{ key: 'on' }] }, { ...stored, variants: [{ key: 'on' }] }],
    [
      'a field the store lacks is added',
      { id: 'new-checkout', key: 'new-checkout', 'variant v3': { key: 'blue' } },
      { ...stored, 'variant v3': { key: 'blue' } },
    ],
    ['identity comes from what was said', { id: 'new-checkout', key: 'new-checkout', name: 'Checkout v2' }, { ...stored, name: 'Checkout v2' }],
  ])('%s', (_name, partial, expected) => {
    expect(overlaySnapshot(stored, partial)).toEqual(expected);
  });

  it('changes neither input', () => {
    const partial = { id: 'new-checkout', key: 'new-checkout', enabled: false };
    const before = structuredClone(stored);
    overlaySnapshot(stored, partial);
    expect(stored).toEqual(before);
    expect(partial).toEqual({ id: 'new-checkout', key: 'new-checkout', enabled: false });
  });
});

type Change = Pick<FlagEvent, 'action' | 'flag' | 'oldFlag'>;
const identity = { id: 'new-checkout', key: 'new-checkout' };

describe('overlayChange', () => {
  it.each<[string, Change, Change]>([
    [
      'an update with no earlier side: the stored state before, the overlay after',
      { action: 'updated', flag: { ...identity, enabled: false } },
      { action: 'updated', oldFlag: stored, flag: { ...stored, enabled: false } },
    ],
    [
      'an update with both sides: both laid over the stored state',
      { action: 'updated', oldFlag: { ...identity, rolloutPercentage: 10 }, flag: { ...identity, rolloutPercentage: 50 } },
      { action: 'updated', oldFlag: { ...stored, rolloutPercentage: 10 }, flag: { ...stored, rolloutPercentage: 50 } },
    ],
    ['a deletion naming only the key: what the flag was', { action: 'deleted', oldFlag: identity }, { action: 'deleted', oldFlag: stored }],
    ['a deletion naming nothing', { action: 'deleted' }, { action: 'deleted', oldFlag: stored }],
    ['a creation is left alone', { action: 'created', flag: { ...identity, enabled: false } }, { action: 'created', flag: { ...identity, enabled: false } }],
  ])('%s', (_name, change, expected) => {
    expect(overlayChange(stored, change)).toEqual(expected);
  });

  it('keeps the rest of the event', () => {
    const event: FlagEvent = {
      projectId: 'storefront',
      action: 'updated',
      modifiedBy: 'ana@example.com',
      eventId: 'e1',
      flag: { ...identity, enabled: false },
    };
    expect(overlayChange(stored, event)).toMatchObject({ projectId: 'storefront', modifiedBy: 'ana@example.com', eventId: 'e1' });
  });
});
