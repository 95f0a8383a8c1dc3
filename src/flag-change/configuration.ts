import { deploymentIdOf } from './deployments.js';
import type { FlagState } from './model.js';

/**
 * Fields the flag platform bumps on every save. A change in these alone is not a configuration change.
 * Matched case-insensitively at any depth (variants and segments carry their own timestamps).
 */
const BOOKKEEPING = new Set(
  [
    'version',
    'revision',
    'etag',
    'updatedAt',
    'updated_at',
    'lastUpdated',
    'lastUpdatedAt',
    'modifiedAt',
    'lastModified',
    'lastModifiedAt',
    'createdAt',
    'created_at',
    'modifiedBy',
    'lastModifiedBy',
    'updatedBy',
    'createdBy',
  ].map((k) => k.toLowerCase()),
);

/** True when two snapshots differ only in bookkeeping, field order, or the order of deployments and tags. */
export function sameConfiguration(a: FlagState, b: FlagState): boolean {
  for (const key of unionOfKeys(a, b)) {
    if (isBookkeeping(key)) continue;
    // Deployments compare by id (a label, or an id instead of an object, is not flag configuration), as sets like tags.
    const same =
      key === 'deployments'
        ? sameSet(a.deployments?.map(deploymentIdOf), b.deployments?.map(deploymentIdOf))
        : key === 'tags'
          ? sameSet(a.tags, b.tags)
          : deepEqual(a[key], b[key]);
    if (!same) return false;
  }
  return true;
}

function isBookkeeping(key: string): boolean {
  return BOOKKEEPING.has(key.toLowerCase());
}

function unionOfKeys(a: object, b: object): Set<string> {
  const keys = new Set(Object.keys(a));
  for (const key of Object.keys(b)) keys.add(key);
  return keys;
}

/** A missing list and an empty one both mean "none". */
function sameSet<T>(a: readonly T[] | null | undefined, b: readonly T[] | null | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // null and a missing field say the same thing
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const key of unionOfKeys(ra, rb)) {
    if (!isBookkeeping(key) && !deepEqual(ra[key], rb[key])) return false;
  }
  return true;
}
