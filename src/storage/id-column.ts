import type { FlagId } from '../flag-change/model.js';

/**
 * Project and deployment ids are text columns holding the canonical JSON of the id: `311` for a number (so rows
 * from before migration 006, when these columns were bigint, read back unchanged) and `"storefront"` for a
 * platform's string key. The number 311 and the key "311" stay distinct, and an id compares equal in SQL
 * exactly when it is the same id. Repositories convert here and nowhere else.
 */
export function idColumn(id: FlagId): string {
  return JSON.stringify(id);
}

export function idFromColumn(text: string | number): FlagId {
  if (typeof text === 'number') return text;
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'number' || typeof parsed === 'string' ? parsed : text;
}
