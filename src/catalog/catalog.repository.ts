import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { compareFlagIds } from '../flag-change/flag-id.js';
import type { FlagId } from '../flag-change/model.js';
import { idColumn, idFromColumn } from '../storage/id-column.js';
import type { Database } from '../storage/schema.js';

/** Projects, deployments and tags seen in ingested changes, for pickers in the Slack modal and settings form. */

export interface CatalogEntries {
  projects: Map<FlagId, string | null>;
  /** key: catalogKey(projectId, deploymentId) */
  deployments: Map<string, { projectId: FlagId; deploymentId: FlagId; label: string | null }>;
  /** key: catalogKey(projectId, tag) */
  tags: Map<string, { projectId: FlagId; tag: string }>;
}

/** One key per (project, deployment or tag): JSON keeps the number 7 and the key "7" apart, and quotes any ':'. */
export function catalogKey(projectId: FlagId, part: FlagId): string {
  return `${JSON.stringify(projectId)}:${JSON.stringify(part)}`;
}

export function emptyCatalogEntries(): CatalogEntries {
  return { projects: new Map(), deployments: new Map(), tags: new Map() };
}

/**
 * Adds what a batch of changes named. A new name or label replaces the stored one; a missing one never erases it.
 * Rows that would not change are not written (the common case: every batch names the same projects).
 * Each map holds one row per key: PostgreSQL refuses an upsert that touches a row twice.
 */
export async function upsertCatalog(db: Kysely<Database> | Transaction<Database>, organizationId: string, entries: CatalogEntries, now: number): Promise<void> {
  // Rows in key order: concurrent upserts then lock shared rows in the same order and cannot deadlock.
  const projects = [...entries.projects]
    .sort(([a], [b]) => compareFlagIds(a, b))
    .map(([projectId, name]) => ({ organization_id: organizationId, project_id: idColumn(projectId), name, updated_at: now }));
  for (const rows of chunks(projects)) {
    await db
      .insertInto('catalog_projects')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['organization_id', 'project_id'])
          .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), updated_at: eb.ref('excluded.updated_at') }))
          .where(renamed('catalog_projects', 'name')),
      )
      .execute();
  }
  const deployments = [...entries.deployments.values()]
    .sort((a, b) => compareFlagIds(a.projectId, b.projectId) || compareFlagIds(a.deploymentId, b.deploymentId))
    .map((d) => ({
      organization_id: organizationId,
      project_id: idColumn(d.projectId),
      deployment_id: idColumn(d.deploymentId),
      label: d.label,
      updated_at: now,
    }));
  for (const rows of chunks(deployments)) {
    await db
      .insertInto('catalog_deployments')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['organization_id', 'project_id', 'deployment_id'])
          .doUpdateSet((eb) => ({ label: eb.ref('excluded.label'), updated_at: eb.ref('excluded.updated_at') }))
          .where(renamed('catalog_deployments', 'label')),
      )
      .execute();
  }
  const tags = [...entries.tags.values()]
    .sort((a, b) => compareFlagIds(a.projectId, b.projectId) || compareFlagIds(a.tag, b.tag))
    .map((t) => ({ organization_id: organizationId, project_id: idColumn(t.projectId), tag: t.tag, updated_at: now }));
  for (const rows of chunks(tags)) {
    await db
      .insertInto('catalog_tags')
      .values(rows)
      .onConflict((oc) => oc.columns(['organization_id', 'project_id', 'tag']).doNothing())
      .execute();
  }
}

/** The incoming name or label is set and differs from the stored one (which may be missing). */
function renamed(table: 'catalog_projects' | 'catalog_deployments', column: 'name' | 'label'): RawBuilder<SqlBool> {
  const stored = sql.ref(`${table}.${column}`);
  const incoming = sql.ref(`excluded.${column}`);
  return sql<SqlBool>`${incoming} is not null and (${stored} is null or ${stored} <> ${incoming})`;
}

// One flag may name thousands of deployments: stay far below SQLite's 32766 bound parameters per statement.
const ROWS_PER_STATEMENT = 1000;

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) yield rows.slice(start, start + ROWS_PER_STATEMENT);
}

// Ordered here, not in SQL: the text columns would sort 10 before 9.
export async function listProjects(db: Kysely<Database>, organizationId: string): Promise<{ projectId: FlagId; name: string | null }[]> {
  const rows = await db.selectFrom('catalog_projects').select(['project_id', 'name']).where('organization_id', '=', organizationId).execute();
  return rows.map((r) => ({ projectId: idFromColumn(r.project_id), name: r.name })).sort((a, b) => compareFlagIds(a.projectId, b.projectId));
}

export async function listDeployments(
  db: Kysely<Database>,
  organizationId: string,
  projectId: FlagId,
): Promise<{ deploymentId: FlagId; label: string | null }[]> {
  const rows = await db
    .selectFrom('catalog_deployments')
    .select(['deployment_id', 'label'])
    .where('organization_id', '=', organizationId)
    .where('project_id', '=', idColumn(projectId))
    .execute();
  return rows.map((r) => ({ deploymentId: idFromColumn(r.deployment_id), label: r.label })).sort((a, b) => compareFlagIds(a.deploymentId, b.deploymentId));
}

export async function listTags(db: Kysely<Database>, organizationId: string, projectId: FlagId): Promise<string[]> {
  const rows = await db
    .selectFrom('catalog_tags')
    .select('tag')
    .where('organization_id', '=', organizationId)
    .where('project_id', '=', idColumn(projectId))
    .orderBy('tag')
    .execute();
  return rows.map((r) => r.tag);
}
