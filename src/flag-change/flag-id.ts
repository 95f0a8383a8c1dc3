import type { FlagId } from './model.js';

/** A stable order for ids of either kind: numbers first, by value, then string keys. */
export function compareFlagIds(a: FlagId, b: FlagId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An id as a person types it in a form: digits are a number (Amplitude and the native API), anything else a
 * platform's key. A key made of digits only is found by `resolveCatalogId` against what the catalog knows.
 */
export function parseTypedId(text: string | undefined): FlagId | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  if (/^\d{1,15}$/.test(t)) {
    const n = Number(t);
    return n > 0 ? n : undefined;
  }
  return t;
}

/** How forms and option values show an id. */
export function idText(id: FlagId): string {
  return String(id);
}

export function isFlagId(value: unknown): value is FlagId {
  return typeof value === 'number' || typeof value === 'string';
}
