import type { Transaction } from 'kysely';
import type { FlagId, FlagSnapshot } from '../flag-change/model.js';
import { idColumn } from '../storage/id-column.js';
import type { Database } from '../storage/schema.js';

/** One flag in one environment of a project; `environmentId` null: tied to no environment. */
export interface FlagStateKey {
  projectId: FlagId;
  flagId: FlagId;
  environmentId: FlagId | null;
}

/** The columns of a key, also the map key callers use (the same text names the same flag state). */
function columnsOf(key: FlagStateKey) {
  return { project_id: idColumn(key.projectId), flag_id: idColumn(key.flagId), environment_id: key.environmentId === null ? '' : idColumn(key.environmentId) };
}

export function flagStateKey(key: FlagStateKey): string {
  const c = columnsOf(key);
  return `${c.project_id}\u0000${c.flag_id}\u0000${c.environment_id}`;
}

// Three bound parameters per key: far below SQLite's and PostgreSQL's limits.
const KEYS_PER_STATEMENT = 500;

/** The last stored snapshots of these flag states, by flagStateKey. */
export async function lastFlagSnapshots(trx: Transaction<Database>, organizationId: string, keys: FlagStateKey[]): Promise<Map<string, FlagSnapshot>> {
  const found = new Map<string, FlagSnapshot>();
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(start, start + KEYS_PER_STATEMENT).map(columnsOf);
    const rows = await trx
      .selectFrom('catalog_flags')
      .select(['project_id', 'flag_id', 'environment_id', 'snapshot'])
      .where('organization_id', '=', organizationId)
      .where((eb) =>
        eb(
          eb.refTuple('project_id', 'flag_id', 'environment_id'),
          'in',
          chunk.map((c) => eb.tuple(c.project_id, c.flag_id, c.environment_id)),
        ),
      )
      .execute();
    for (const row of rows) found.set(`${row.project_id}\u0000${row.flag_id}\u0000${row.environment_id}`, JSON.parse(row.snapshot) as FlagSnapshot);
  }
  return found;
}

/**
 * Keeps each flag state's newest snapshot. `latest` holds one snapshot per key (PostgreSQL refuses an upsert
 * that touches a row twice); rows go in key order, so concurrent commits lock shared rows alike and cannot deadlock.
 */
export async function storeFlagSnapshots(
  trx: Transaction<Database>,
  organizationId: string,
  latest: ReadonlyMap<string, { key: FlagStateKey; snapshot: FlagSnapshot }>,
  now: number,
): Promise<void> {
  const rows = [...latest]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { key, snapshot }]) => ({ organization_id: organizationId, ...columnsOf(key), snapshot: JSON.stringify(snapshot), updated_at: now }));
  for (let start = 0; start < rows.length; start += KEYS_PER_STATEMENT) {
    await trx
      .insertInto('catalog_flags')
      .values(rows.slice(start, start + KEYS_PER_STATEMENT))
      .onConflict((oc) =>
        oc
          .columns(['organization_id', 'project_id', 'flag_id', 'environment_id'])
          .doUpdateSet((eb) => ({ snapshot: eb.ref('excluded.snapshot'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .execute();
  }
}
