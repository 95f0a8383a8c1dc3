import type { Kysely } from 'kysely';
import type { Database, OrganizationsTable } from '../storage/schema.js';

export type Organization = OrganizationsTable;

/** Creates the organization on first install; later installs refresh its name. */
export async function upsertOrganization(
  db: Kysely<Database>,
  org: { id: string; name: string; enterpriseId: string | null },
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('organizations')
    .values({ id: org.id, name: org.name, enterprise_id: org.enterpriseId, default_role: 'member', created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: org.name, enterprise_id: org.enterpriseId }))
    .execute();
}

export async function findOrganization(db: Kysely<Database>, id: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setDefaultRole(db: Kysely<Database>, id: string, role: string): Promise<void> {
  await db.updateTable('organizations').set({ default_role: role }).where('id', '=', id).execute();
}
