import { sameConfiguration } from './configuration.js';
import type { FlagState } from './model.js';

/** The fields every flag platform export has, in the order a change lists them. */
export const KNOWN_FIELDS = [
  'enabled',
  'rolloutPercentage',
  'rolloutWeights',
  'variants',
  'deployments',
  'tags',
  'targetSegments',
  'description',
  'name',
  'evaluationMode',
  'bucketingKey',
] as const;
export type KnownField = (typeof KNOWN_FIELDS)[number];

/** Every configuration field that differs, known fields first; bookkeeping is ignored exactly as the notify rule ignores it. */
export function changedFieldNames(before: FlagState, after: FlagState): string[] {
  const keys = [...new Set<string>([...KNOWN_FIELDS, ...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((key) => !sameConfiguration(pick(before, key), pick(after, key)));
}

/** Variants of `after` that are new, gone, or edited (same key, other content), compared with `before`. */
export function variantChanges(before: readonly unknown[], after: readonly unknown[]): { added: unknown[]; removed: unknown[]; edited: unknown[] } {
  const { added, removed } = addedRemoved(before, after, variantKey);
  const beforeByKey = new Map(before.map((v) => [variantKey(v), canonicalJson(v)]));
  const edited = after.filter((v) => {
    const old = beforeByKey.get(variantKey(v));
    return old !== undefined && old !== canonicalJson(v);
  });
  return { added, removed, edited };
}

/** A variant is known by its key; one without a key by its content. */
export function variantKey(variant: unknown): string {
  return isRecord(variant) && typeof variant.key === 'string' ? variant.key : canonicalJson(variant);
}

/** Items of `after` missing in `before` and the other way round, by identity key. */
export function addedRemoved<T>(before: readonly T[], after: readonly T[], keyOf: (item: T) => string): { added: T[]; removed: T[] } {
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return {
    added: after.filter((item) => !beforeKeys.has(keyOf(item))),
    removed: before.filter((item) => !afterKeys.has(keyOf(item))),
  };
}

/** JSON with sorted keys, so two objects that differ only in key order compare equal. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ) ?? 'null'
  );
}

function pick(flag: FlagState, key: string): FlagState {
  return { [key]: flag[key] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
