import type { Kysely } from 'kysely';

/**
 * Matching reads one organization's alerts of some projects, leaving out deployment-scoped alerts of
 * deployments the changes do not name. With the scope columns in the index that filter runs on the index
 * alone, and only alerts that can match are read from the table. It replaces alerts_org_project (its prefix).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('alerts_match').on('alerts').columns(['organization_id', 'project_id', 'scope_type', 'scope_deployment_id']).execute();
  await db.schema.dropIndex('alerts_org_project').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('alerts_org_project').on('alerts').columns(['organization_id', 'project_id']).execute();
  await db.schema.dropIndex('alerts_match').execute();
}
