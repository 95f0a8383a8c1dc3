import { describe, expect, it } from 'vitest';
import { catalogValueOf, expandShortForm, resolveCatalogId, resolveCatalogTag } from '../../src/catalog/catalog-values.js';

describe('catalog values: short forms of long entries, read back against the catalog', () => {
  const longTag = `team-${'checkout-'.repeat(24)}`.slice(0, 200);
  const longKey = `project-${'x'.repeat(300)}`;

  it('keeps short ids and tags as they are and gives long ones a stable form within 150 characters', () => {
    expect(catalogValueOf(123)).toBe('123');
    expect(catalogValueOf('checkout')).toBe('checkout');
    expect(catalogValueOf('x'.repeat(150))).toBe('x'.repeat(150));
    const short = catalogValueOf(longTag);
    expect(short).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(catalogValueOf(longTag)).toBe(short);
    expect(catalogValueOf(`${longTag}!`)).not.toBe(short);
    // an entry that itself looks like a short form gets one too, so `h:` values always mean the catalog
    expect(catalogValueOf('h:abc')).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
  });

  it('reads a short form back into the full entry the catalog knows, and nothing when it knows none', () => {
    expect(resolveCatalogId(catalogValueOf(longKey), [7, longKey, 'other'])).toBe(longKey);
    expect(resolveCatalogId(catalogValueOf(longKey), [7, 'other'])).toBeUndefined();
    expect(resolveCatalogTag(catalogValueOf(longTag), ['a', longTag])).toBe(longTag);
    expect(resolveCatalogTag(catalogValueOf(longTag), ['a'])).toBeUndefined();
    expect(resolveCatalogId(catalogValueOf('h:abc'), ['h:abc'])).toBe('h:abc');
  });

  it('shows a short form again as the entry it stands for, and leaves any other text as typed', () => {
    expect(expandShortForm(catalogValueOf(longTag), ['a', longTag])).toBe(longTag);
    expect(expandShortForm(catalogValueOf(longTag), ['a'])).toBe(catalogValueOf(longTag));
    expect(expandShortForm('007', [7])).toBe('007');
  });

  it('reads typed ids as before: digits a number, unless the catalog knows them only as a string key', () => {
    expect(resolveCatalogId(' 42 ', [])).toBe(42);
    expect(resolveCatalogId('2024', ['2024'])).toBe('2024');
    expect(resolveCatalogId('2024', [2024, '2024'])).toBe(2024);
    expect(resolveCatalogId('new-checkout', [])).toBe('new-checkout');
    expect(resolveCatalogId('  ', [1])).toBeUndefined();
    expect(resolveCatalogTag(' payments ', [])).toBe('payments');
  });
});
