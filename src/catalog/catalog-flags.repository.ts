import { CompiledQuery, type Transaction } from 'kysely';
import type { FlagId, FlagSnapshot } from '../flag-change/model.js';
import type { Dialect } from '../storage/database.js';
import { idColumn } from '../storage/id-column.js';
import type { Database } from '../storage/schema.js';

/** One flag in one environment of a project; `environmentId` null: tied to no environment. */
export interface FlagStateKey {
  projectId: FlagId;
  flagId: FlagId;
  environmentId: FlagId | null;
}

/** A key as its columns hold it; `text` names it in maps (the same text is the same flag state). */
export interface FlagStateColumns {
  text: string;
  project_id: string;
  flag_id: string;
  environment_id: string;
}

export function flagStateColumns(key: FlagStateKey): FlagStateColumns {
  const project_id = idColumn(key.projectId);
  const flag_id = idColumn(key.flagId);
  const environment_id = key.environmentId === null ? '' : idColumn(key.environmentId);
  // JSON-encoded ids hold no raw NUL: it cannot occur inside a part.
  return { text: `${project_id}\u0000${flag_id}\u0000${environment_id}`, project_id, flag_id, environment_id };
}

// Three or six bound parameters per key: far below SQLite's and PostgreSQL's limits.
const KEYS_PER_STATEMENT = 500;

/** The last stored snapshots of these flag states, by their `text`. */
export async function lastFlagSnapshots(trx: Transaction<Database>, organizationId: string, keys: FlagStateColumns[]): Promise<Map<string, FlagSnapshot>> {
  const found = new Map<string, FlagSnapshot>();
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(start, start + KEYS_PER_STATEMENT);
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
 * Keeps each flag state's newest snapshot; every ingested change passes here. `latest` holds one snapshot per
 * key (PostgreSQL refuses an upsert that touches a row twice); rows go in key order, so concurrent commits lock
 * shared rows alike and cannot deadlock. The statement is written here rather than built by the query builder:
 * building a 100-row upsert cost more than running it, on every commit.
 */
export async function storeFlagSnapshots(
  trx: Transaction<Database>,
  dialect: Dialect,
  organizationId: string,
  latest: ReadonlyMap<string, { columns: FlagStateColumns; snapshot: FlagSnapshot }>,
  now: number,
): Promise<void> {
  const rows = [...latest.values()].sort((a, b) => (a.columns.text < b.columns.text ? -1 : a.columns.text > b.columns.text ? 1 : 0));
  for (let start = 0; start < rows.length; start += KEYS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + KEYS_PER_STATEMENT);
    const parameters = chunk.flatMap(({ columns: c, snapshot }) => [organizationId, c.project_id, c.flag_id, c.environment_id, JSON.stringify(snapshot), now]);
    await trx.executeQuery(CompiledQuery.raw(upsertSql(dialect, chunk.length), parameters));
  }
}

const COLUMNS_PER_ROW = 6;

function upsertSql(dialect: Dialect, rowCount: number): string {
  const rows = Array.from({ length: rowCount }, (_, r) => {
    const marks = Array.from({ length: COLUMNS_PER_ROW }, (_, c) => (dialect === 'postgres' ? `$${r * COLUMNS_PER_ROW + c + 1}` : '?'));
    return `(${marks.join(', ')})`;
  });
  return (
    'insert into "catalog_flags" ("organization_id", "project_id", "flag_id", "environment_id", "snapshot", "updated_at") values ' +
    rows.join(', ') +
    ' on conflict ("organization_id", "project_id", "flag_id", "environment_id") do update set "snapshot" = excluded."snapshot", "updated_at" = excluded."updated_at"'
  );
}
